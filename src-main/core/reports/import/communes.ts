/**
 * Communes by name in either language, as legacy lists spell them: the HCP code, the Arabic or French name
 * (normalised: accents, hamza forms, ta marbuta, doubled letters, "commune de"/"جماعة" prefixes), then a near
 * match (small edit distance) when one commune is clearly the closest. A provincial office matches only the
 * communes of its province (a name of another province is reported as out of scope).
 */
import type { Sqlite } from '../../db/connection';
import type { ReadableDB } from '../../db/handles';
import { listCommunes } from '../../applicants/applicants.repo';
import { levenshtein, normalizeArabic, normalizeLatin, hasArabic, toAsciiDigits } from '../../../shared/normalize';

export interface CommuneRef {
  code: string;
  codeDigits: string;
  provinceCode: string;
  nameAr: string;
  nameFr: string;
}

export type CommuneMatch =
  | { ok: true; commune: CommuneRef; approximate: boolean }
  | { ok: false; code: 'import.commune_unknown' | 'import.commune_ambiguous' | 'territory.out_of_scope'; params: Record<string, unknown> };

const AR_PREFIXES = ['الجماعة الترابية', 'الجماعة القروية', 'الجماعة الحضرية', 'جماعة', 'الجماعة', 'بلدية', 'مركز'];
const LAT_PREFIXES = ['commune rurale de', 'commune urbaine de', 'commune rurale d', 'commune urbaine d', 'commune de', 'commune d', 'commune', 'municipalite de', 'cr', 'cu'];

function stripAr(s: string): string {
  let n = normalizeArabic(s);
  for (const p of AR_PREFIXES.map(normalizeArabic)) if (n.startsWith(p + ' ')) n = n.slice(p.length + 1);
  return n.replace(/ /g, '');
}

function stripLat(s: string): string {
  let n = normalizeLatin(s);
  for (const p of LAT_PREFIXES.map(normalizeLatin)) if (n.startsWith(p + ' ')) n = n.slice(p.length + 1);
  // Transliterations vary on vowels and common digraphs (Ait/Aït, ou/u, ch/sh, gh/r…): a looser key.
  return n.replace(/ /g, '');
}

function looseLat(s: string): string {
  return s.replace(/ou/g, 'u').replace(/ch/g, 's').replace(/sh/g, 's').replace(/kh/g, 'k').replace(/[eiy]/g, 'i').replace(/[-']/g, '');
}

interface Entry {
  commune: CommuneRef;
  ar: string;
  lat: string;
  loose: string;
}

export class CommuneMatcher {
  private readonly entries: Entry[];
  private readonly all: Entry[];
  private readonly byCode = new Map<string, CommuneRef>();
  private readonly cache = new Map<string, CommuneMatch>();

  /** `db`: a call's handle (a bare connection in tests). */
  constructor(db: ReadableDB | Sqlite, private readonly provinceCode: string | null) {
    const rows = listCommunes(db as ReadableDB);
    this.all = rows.map((r) => {
      const commune = { code: r.code, codeDigits: r.code_digits, provinceCode: r.province_code, nameAr: r.name_ar, nameFr: r.name_fr };
      this.byCode.set(r.code, commune);
      this.byCode.set(r.code_digits, commune);
      const lat = stripLat(r.name_fr);
      return { commune, ar: stripAr(r.name_ar), lat, loose: looseLat(lat) };
    });
    this.entries = provinceCode ? this.all.filter((e) => e.commune.provinceCode === provinceCode) : this.all;
  }

  match(raw: string): CommuneMatch {
    const given = raw.trim();
    const hit = this.cache.get(given);
    if (hit) return hit;
    const m = this.compute(given);
    this.cache.set(given, m);
    return m;
  }

  private inScope(c: CommuneRef): boolean {
    return !this.provinceCode || c.provinceCode === this.provinceCode;
  }

  private compute(given: string): CommuneMatch {
    if (!given) return { ok: false, code: 'import.commune_unknown', params: { commune: given } };
    const digits = toAsciiDigits(given).replace(/\s+/g, '');
    const byCode = this.byCode.get(digits);
    if (byCode) {
      return this.inScope(byCode)
        ? { ok: true, commune: byCode, approximate: false }
        : { ok: false, code: 'territory.out_of_scope', params: { commune: given, communeCode: byCode.code, provinceCode: this.provinceCode } };
    }
    const arabic = hasArabic(given);
    const key = arabic ? stripAr(given) : stripLat(given);
    if (!key) return { ok: false, code: 'import.commune_unknown', params: { commune: given } };
    const field = (e: Entry) => (arabic ? e.ar : e.lat);

    // Exact (normalised) name.
    const exact = this.entries.filter((e) => field(e) === key || (!arabic && e.loose === looseLat(key)));
    if (exact.length === 1) return { ok: true, commune: exact[0].commune, approximate: field(exact[0]) !== key };
    if (exact.length > 1) {
      return { ok: false, code: 'import.commune_ambiguous', params: { commune: given, candidates: exact.map((e) => `${e.commune.nameFr} (${e.commune.code})`).join(', ') } };
    }
    // Near match: the closest name within a small distance, and clearly closer than the next one.
    const limit = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
    const scored = this.entries
      .map((e) => ({ e, d: Math.min(levenshtein(key, field(e)), arabic ? Infinity : levenshtein(looseLat(key), e.loose)) }))
      .sort((a, b) => a.d - b.d);
    if (scored.length && scored[0].d <= limit && (scored.length === 1 || scored[1].d > scored[0].d)) {
      return { ok: true, commune: scored[0].e.commune, approximate: true };
    }
    if (scored.length > 1 && scored[0].d <= limit) {
      const tied = scored.filter((x) => x.d === scored[0].d);
      return { ok: false, code: 'import.commune_ambiguous', params: { commune: given, candidates: tied.map((x) => `${x.e.commune.nameFr} (${x.e.commune.code})`).join(', ') } };
    }
    // Known elsewhere in the region: out of this office's scope.
    if (this.provinceCode) {
      const other = this.all.find((e) => e.commune.provinceCode !== this.provinceCode && field(e) === key);
      if (other) return { ok: false, code: 'territory.out_of_scope', params: { commune: given, communeCode: other.commune.code, provinceCode: this.provinceCode } };
    }
    return { ok: false, code: 'import.commune_unknown', params: { commune: given } };
  }
}
