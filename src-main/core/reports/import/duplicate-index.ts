/**
 * The registry's duplicate rule, in bulk for an import, with the matching engine (shared/matching comparePeople) —
 * the same comparison as the registration form: a row's CIN is taken, or files (and earlier rows of the same list)
 * are the same person by name, birth date and sex: strong candidates (same day, one day apart, day and month
 * swapped) and weak ones (same name, same year only, a year apart), each with its score and reasons.
 *
 * findDuplicates runs queries per row; for a 10,000-row list against 100,000 files this index loads, in three
 * queries, the registry's files with the list's CINs, those born on the dates a strong candidate may have, and
 * those whose name skeleton is one of the list's (weak candidates), and keeps itself up to date with the rows of
 * the list accepted so far (a later row is compared with them too).
 */
import type { Sqlite } from '../../db/connection';
import type { ReadableDB } from '../../db/handles';
import { filesForMatching } from '../../applicants/applicants.repo';
import { comparePeople, strongBirthDates, type MatchPerson, type PersonMatch } from '../../../shared/matching';
import { nameSkeletons, type PersonName } from '../../../shared/normalize';

interface Candidate extends MatchPerson {
  /** The registry's file, or null for a row of this list (not yet a file). */
  fileNo: string | null;
  id: string | null;
  /** The list's row, for a row of this list. */
  rowNo: number | null;
}

/** Where a duplicate is: a file of the registry, or an earlier row of the same list. */
export type DuplicateHit = { fileNo: string; rowNo: null; id: string | null } | { fileNo: null; rowNo: number; id: null };

export interface CandidateMatch {
  hit: DuplicateHit;
  match: PersonMatch;
  /** The file's names and birth date, to show side by side. */
  person: { firstNameAr: string; lastNameAr: string; firstNameLat: string; lastNameLat: string; birthDate: string | null; cin: string | null };
}

const hitOf = (c: { fileNo: string | null; rowNo: number | null; id: string | null }): DuplicateHit =>
  c.fileNo !== null ? { fileNo: c.fileNo, rowNo: null, id: c.id } : { fileNo: null, rowNo: c.rowNo!, id: null };

type ListRow = PersonName & { cin?: string; birthDate: string; sex?: 'F' | 'M' | null };

export class DuplicateIndex {
  private readonly cins = new Map<string, { fileNo: string | null; rowNo: number | null; id: string | null }>();
  private readonly byBirth = new Map<string, Candidate[]>();
  private readonly bySkel = new Map<string, Candidate[]>();

  /** `rows`: the valid rows of the list (CIN, names, birth date). */
  /** `db`: a call's handle (a bare connection in tests). */
  constructor(db: ReadableDB | Sqlite, rows: Iterable<ListRow | { cin: string; birthDate: string }>) {
    const cins = new Set<string>();
    const dates = new Set<string>();
    const skels = new Set<string>();
    for (const r of rows) {
      if (r.cin) cins.add(r.cin);
      for (const d of strongBirthDates(r.birthDate)) dates.add(d);
      if ('firstNameAr' in r || 'firstNameLat' in r) for (const s of nameSkeletons(r as PersonName)) skels.add(s);
    }
    const found = filesForMatching(db as ReadableDB, { cins: [...cins], dates: [...dates], skels: [...skels] });
    for (const { cin, file_no: fileNo, id } of found.byCin) if (cin) this.cins.set(cin, { fileNo, rowNo: null, id });
    const seen = new Set<string>();
    for (const r of [...found.byDate, ...found.bySkel]) {
      const c: Candidate = {
        id: r.id, fileNo: r.file_no, rowNo: null, birthDate: r.birth_date, cin: r.cin, sex: r.sex,
        firstNameAr: r.first_name_ar, lastNameAr: r.last_name_ar, firstNameLat: r.first_name_lat, lastNameLat: r.last_name_lat,
      };
      if (seen.has(r.file_no)) continue;
      seen.add(r.file_no);
      this.addCandidate(c);
    }
  }

  private addCandidate(c: Candidate) {
    if (c.birthDate) {
      const l = this.byBirth.get(c.birthDate as string);
      if (l) l.push(c);
      else this.byBirth.set(c.birthDate as string, [c]);
    }
    for (const s of nameSkeletons(c)) {
      const l = this.bySkel.get(s);
      if (l) l.push(c);
      else this.bySkel.set(s, [c]);
    }
  }

  /** The file (or earlier row of the list) with this CIN, if any. */
  cinTaken(cin: string): DuplicateHit | null {
    const c = this.cins.get(cin);
    return c ? hitOf(c) : null;
  }

  /** Every candidate for a row, best first: strong ones (they stop the row until someone decides) and weak ones. */
  candidates(p: ListRow): CandidateMatch[] {
    const pool = new Set<Candidate>();
    for (const d of strongBirthDates(p.birthDate)) for (const c of this.byBirth.get(d) ?? []) pool.add(c);
    for (const s of nameSkeletons(p)) for (const c of this.bySkel.get(s) ?? []) pool.add(c);
    const me = { ...p, cin: null };
    const out: CandidateMatch[] = [];
    for (const c of pool) {
      const m = comparePeople(me, { ...c, cin: null });
      if (!m) continue;
      out.push({
        hit: hitOf(c),
        match: m,
        person: {
          firstNameAr: c.firstNameAr ?? '', lastNameAr: c.lastNameAr ?? '', firstNameLat: c.firstNameLat ?? '', lastNameLat: c.lastNameLat ?? '',
          birthDate: (c.birthDate as string | null) ?? null, cin: c.cin ?? null,
        },
      });
    }
    return out.sort((a, b) => b.match.score - a.match.score || (a.hit.fileNo ?? '').localeCompare(b.hit.fileNo ?? ''));
  }

  /** The best strong candidate (same person by name and birth date), if any: what stops a row. */
  likelySamePerson(p: ListRow): DuplicateHit | null {
    const best = this.candidates(p).find((c) => c.match.level === 'strong');
    return best ? best.hit : null;
  }

  /** A row of the list accepted as new: later rows are compared with it too (its CIN kept to be shown beside them, never compared here). */
  add(rowNo: number, p: ListRow & { cin: string }) {
    this.cins.set(p.cin, { fileNo: null, rowNo, id: null });
    this.addCandidate({
      fileNo: null, id: null, rowNo, birthDate: p.birthDate, sex: p.sex ?? null, cin: p.cin,
      firstNameAr: p.firstNameAr, lastNameAr: p.lastNameAr, firstNameLat: p.firstNameLat, lastNameLat: p.lastNameLat,
    });
  }
}
