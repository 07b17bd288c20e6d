/**
 * The matching engine (issue 13): one comparison of two people for every entry path — the registration form
 * (create and edit), the Excel import (against the registry and within the list), the region's cross-province review
 * — built on the cross-script name keys of shared/normalize (normalizeArabic / normalizeLatin / skeleton / the
 * first-name dictionary).
 *
 * Evidence:
 * - names: the best agreement over every pair of written forms (Arabic/Arabic, Latin/Latin, Arabic/Latin), first
 *   and family names possibly typed in each other's fields;
 * - birth date: the same day, one day apart, day and month swapped (strong); the same year only, one year apart,
 *   or unknown (weak);
 * - sex: two sexes make two people (Karim and Karima, twins in one family), unless everything else is identical.
 *
 * Each result has a score (0..1), a level — `strong` blocks a registration until someone decides, `weak` is shown
 * and does not block — and the reasons in words: codes with the names as written, translated by the screens
 * (src-renderer/i18n/matching.ts) and never shown as codes.
 */
import { parseDateInput, swapDayMonth } from '../normalize/dates';
import { normalizeCin } from '../normalize/cin';
import {
  canonicalFirstName, firstNameSimilarity, hasArabic, lastNameSimilarity, normalizeArabic, normalizeLatin,
  NAME_MATCH_THRESHOLD, type PersonName,
} from '../normalize/names';

export interface MatchPerson extends PersonName {
  sex?: 'F' | 'M' | null;
  /** YYYY-MM-DD, or anything parseDateInput reads (dd/mm/yyyy, Arabic-Indic digits, Excel serials). */
  birthDate?: string | number | null;
  cin?: string | null;
}

export type MatchLevel = 'strong' | 'weak';

/** One reason, as a code and the values it speaks of (names as written on each side, dates). */
export type MatchReason =
  | { code: 'same_cin'; a: string }
  | { code: 'birth_same'; a: string }
  | { code: 'birth_one_day' | 'birth_swapped' | 'birth_same_year' | 'birth_year_apart'; a: string; b: string }
  | { code: 'birth_unknown' }
  | { code: 'first_same' | 'first_variant' | 'first_partial' | 'family_same' | 'family_variant'; a: string; b: string }
  | { code: 'names_swapped' }
  | { code: 'sex_differs' };

export type MatchReasonCode = MatchReason['code'];

export interface PersonMatch {
  /** 0..1 */
  score: number;
  level: MatchLevel;
  reasons: MatchReason[];
}

/** Candidates at or above this score block a registration until someone decides (the registry's rule). */
export const STRONG_SCORE = 0.8;
/** Below this, not a candidate at all. */
export const WEAK_SCORE = 0.45;

type DateEvidence = { kind: 'same' | 'one_day' | 'swapped' | 'same_year' | 'year_apart' | 'unknown' | 'far'; factor: number };

const DAY = 86400000;

/** How two birth dates agree (both YYYY-MM-DD or null). */
export function compareBirthDates(a: string | null, b: string | null): DateEvidence {
  if (!a || !b) return { kind: 'unknown', factor: 0.7 };
  if (a === b) return { kind: 'same', factor: 1 };
  if (Math.abs(Date.parse(a) - Date.parse(b)) <= DAY) return { kind: 'one_day', factor: 0.92 };
  if (swapDayMonth(a) === b) return { kind: 'swapped', factor: 0.92 };
  const ya = Number(a.slice(0, 4));
  const yb = Number(b.slice(0, 4));
  if (ya === yb) return { kind: 'same_year', factor: 0.7 };
  if (Math.abs(ya - yb) === 1) return { kind: 'year_apart', factor: 0.6 };
  return { kind: 'far', factor: 0 };
}

/** The birth dates a strong candidate may have (for blocking on the birth_date index): same, ±1 day, swapped. */
export function strongBirthDates(iso: string): string[] {
  const t = Date.parse(iso + 'T00:00:00Z');
  const out = new Set([iso, new Date(t - DAY).toISOString().slice(0, 10), new Date(t + DAY).toISOString().slice(0, 10)]);
  const s = swapDayMonth(iso);
  if (s) out.add(s);
  return [...out];
}

/** The vowel a first name ends on, as heard: 'a' (فاطمة, Karima, Chaimae), 'c' (a consonant: كريم, Karim, Imane). */
function ending(name: string): 'a' | 'c' | 'v' | null {
  const t = name.trim();
  if (!t) return null;
  if (hasArabic(t)) {
    if (/ى[\u064B-\u065F]*$/.test(t)) return 'a'; // alif maqsura: بشرى, سلمى
    const n = normalizeArabic(t);
    const last = n.split(' ').pop() ?? '';
    if (/(ه|اء|ا|ي)$/.test(last) && last.length > 2) return /ي$/.test(last) ? 'v' : 'a';
    if (/و$/.test(last)) return 'v';
    return 'c';
  }
  const n = normalizeLatin(t);
  const last = n.split(' ').pop() ?? '';
  if (/(a|ah|ae|aa)$/.test(last)) return 'a';
  if (/[iouy]$/.test(last)) return 'v';
  return 'c';
}

function formsOf(p: PersonName): { first: string; last: string; script: 'ar' | 'lat' }[] {
  const out: { first: string; last: string; script: 'ar' | 'lat' }[] = [];
  if ((p.firstNameAr ?? '').trim() || (p.lastNameAr ?? '').trim()) out.push({ first: p.firstNameAr ?? '', last: p.lastNameAr ?? '', script: 'ar' });
  if ((p.firstNameLat ?? '').trim() || (p.lastNameLat ?? '').trim()) out.push({ first: p.firstNameLat ?? '', last: p.lastNameLat ?? '', script: 'lat' });
  return out;
}

/** Same text once normalised in its own script (case, accents, hyphens, hamza, harakat, tatweel …). */
function sameWritten(a: string, b: string): boolean {
  if (hasArabic(a) !== hasArabic(b)) return false;
  const k = (s: string) => (hasArabic(s) ? normalizeArabic(s) : normalizeLatin(s)).replace(/ /g, '');
  return k(a) === k(b);
}

/** Fatima vs Fatima Zahra: one first name is the first part of the other (a compound). */
function compoundPart(a: string, b: string): boolean {
  const ca = canonicalFirstName(a);
  const cb = canonicalFirstName(b);
  if (!ca || !cb || ca.length === cb.length) return false;
  const [s, l] = ca.length < cb.length ? [ca, cb] : [cb, ca];
  return s.every((x, i) => l[i] === x);
}

interface NameEvidence {
  first: number;
  last: number;
  swapped: boolean;
  fa: string;
  fb: string;
  la: string;
  lb: string;
  partial: boolean;
}

/** The best agreement of two people's names over their written forms. */
export function nameEvidence(a: PersonName, b: PersonName): NameEvidence | null {
  let best: (NameEvidence & { s: number }) | null = null;
  for (const x of formsOf(a)) {
    for (const y of formsOf(b)) {
      for (const swapped of [false, true]) {
        const yf = swapped ? y.last : y.first;
        const yl = swapped ? y.first : y.last;
        if (!x.first.trim() || !x.last.trim() || !yf.trim() || !yl.trim()) continue;
        // The family names first: when they do not agree, this pairing of forms is not a candidate.
        const l = lastNameSimilarity(x.last, yl);
        if (l < NAME_MATCH_THRESHOLD) continue;
        let f = firstNameSimilarity(x.first, yf);
        let partial = false;
        if (f < NAME_MATCH_THRESHOLD && compoundPart(x.first, yf)) partial = true;
        // Masculine and feminine of one name (Karim / Karima): the consonants agree, the ending does not.
        if (!swapped && f >= NAME_MATCH_THRESHOLD && !(canonicalFirstName(x.first) && canonicalFirstName(yf))) {
          const ea = ending(x.first);
          const eb = ending(yf);
          if (ea && eb && ((ea === 'a' && eb === 'c') || (ea === 'c' && eb === 'a'))) f = Math.min(f, 0.5);
        }
        const s = (partial ? 0.75 + l : f + l) / 2 - (swapped ? 0.05 : 0);
        if (!best || s > best.s) best = { s, first: f, last: l, swapped, fa: x.first, fb: yf, la: x.last, lb: yl, partial };
      }
    }
  }
  if (!best) return null;
  const { s: _s, ...rest } = best;
  return rest;
}

function birthOf(v: MatchPerson['birthDate']): string | null {
  if (v === undefined || v === null || v === '') return null;
  return parseDateInput(v);
}

/**
 * Compares a person being registered or imported (`a`) with a file (`b`). Null when they are not candidates
 * at all. The CIN is strong evidence on its own.
 */
export function comparePeople(a: MatchPerson, b: MatchPerson): PersonMatch | null {
  const reasons: MatchReason[] = [];
  const cinA = a.cin ? normalizeCin(a.cin) : '';
  if (cinA && b.cin && cinA === normalizeCin(b.cin)) return { score: 1, level: 'strong', reasons: [{ code: 'same_cin', a: cinA }] };

  // The birth dates first (cheap): years apart, not a candidate whatever the names.
  const da = birthOf(a.birthDate);
  const db = birthOf(b.birthDate);
  const d = compareBirthDates(da, db);
  if (d.kind === 'far') return null;

  const n = nameEvidence(a, b);
  if (!n) return null;
  const firstOk = n.first >= NAME_MATCH_THRESHOLD;
  const lastOk = n.last >= NAME_MATCH_THRESHOLD;
  if (!lastOk || !(firstOk || n.partial)) return null;

  const nameScore = n.partial ? (0.75 + n.last) / 2 : (n.first + n.last) / 2;
  let score = nameScore * d.factor * (n.swapped ? 0.95 : 1);
  const sexDiffers = Boolean(a.sex && b.sex && a.sex !== b.sex);
  const strongDate = d.kind === 'same' || d.kind === 'one_day' || d.kind === 'swapped';
  let level: MatchLevel = score >= STRONG_SCORE && strongDate && !n.partial ? 'strong' : 'weak';
  if (sexDiffers) {
    // Two sexes: another person, unless names and birth date are the very same (a slip in the sex field).
    if (!(d.kind === 'same' && sameWritten(n.fa, n.fb) && sameWritten(n.la, n.lb))) return null;
    level = 'weak';
  }
  if (level === 'weak') score = Math.min(score, STRONG_SCORE - 0.01);
  if (score < WEAK_SCORE) return null;

  if (d.kind === 'same') reasons.push({ code: 'birth_same', a: da! });
  else if (d.kind === 'one_day') reasons.push({ code: 'birth_one_day', a: da!, b: db! });
  else if (d.kind === 'swapped') reasons.push({ code: 'birth_swapped', a: da!, b: db! });
  else if (d.kind === 'same_year') reasons.push({ code: 'birth_same_year', a: da!, b: db! });
  else if (d.kind === 'year_apart') reasons.push({ code: 'birth_year_apart', a: da!, b: db! });
  else reasons.push({ code: 'birth_unknown' });
  if (n.partial) reasons.push({ code: 'first_partial', a: n.fa.trim(), b: n.fb.trim() });
  else reasons.push({ code: sameWritten(n.fa, n.fb) ? 'first_same' : 'first_variant', a: n.fa.trim(), b: n.fb.trim() });
  reasons.push({ code: sameWritten(n.la, n.lb) ? 'family_same' : 'family_variant', a: n.la.trim(), b: n.lb.trim() });
  if (n.swapped) reasons.push({ code: 'names_swapped' });
  if (sexDiffers) reasons.push({ code: 'sex_differs' });
  return { score: Math.round(score * 1000) / 1000, level, reasons };
}

// ---------------------------------------------------------------------------------------------
// A "full name" cell split into first and family names
// ---------------------------------------------------------------------------------------------

/** Words that belong with the word after them in a family name (أيت علي, Ben Moussa, El Idrissi, Ou Hammou). */
const PARTICLES = new Set(['ait', 'ayt', 'ben', 'bent', 'bint', 'ibn', 'bou', 'ou', 'el', 'al', 'abou', 'ايت', 'بن', 'بنت', 'ابن', 'بو', 'او', 'ابو']);
const particleKey = (w: string) => (hasArabic(w) ? normalizeArabic(w) : normalizeLatin(w));

/** The words of a name, a particle joined to the word after it ("أيت علي" is one family-name unit). */
function units(words: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < words.length; i++) {
    if (PARTICLES.has(particleKey(words[i])) && i + 1 < words.length) {
      out.push([words[i], words[i + 1]]);
      i++;
    } else out.push([words[i]]);
  }
  return out;
}

/**
 * Splits a full name into first and family names: lists write the family name first ("العلوي فاطمة الزهراء",
 * "ALAOUI Fatima Zahra") or last ("Fatima Zahra Alaoui"). The first-name dictionary decides where a compound
 * first name ends (فاطمة الزهراء, عبد الرحيم, Fatima Zahra, Mohamed Amine); without it, the family name is
 * taken first (the usual order of lists and ID cards), a particle kept with its word.
 */
export function splitFullName(full: string): { first: string; last: string } {
  const words = full.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  if (words.length < 2) return { first: '', last: words[0] ?? '' };
  const join = (ws: string[][]) => ws.flat().join(' ');
  const us = units(words);
  // Longest known first name at the end (family name first), then at the start (first name first).
  for (let k = us.length - 1; k >= 1; k--) {
    const tail = join(us.slice(us.length - k));
    if (canonicalFirstName(tail)) return { first: tail, last: join(us.slice(0, us.length - k)) };
  }
  for (let k = us.length - 1; k >= 1; k--) {
    const head = join(us.slice(0, k));
    if (canonicalFirstName(head)) return { first: head, last: join(us.slice(k)) };
  }
  return { first: join(us.slice(1)), last: join(us.slice(0, 1)) };
}
