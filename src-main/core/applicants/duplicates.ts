/**
 * Likely duplicates: the same CIN anywhere, or the same person by name (across scripts and spellings), birth date and
 * sex — the matching engine (shared/matching comparePeople) decides, with a score, a level and the reasons in words.
 *
 * Blocking keeps it fast at 100,000 files: candidates are the files born on the same day, one day apart or with day
 * and month swapped (the dates a strong candidate may have, on the birth_date index), plus the files whose name
 * skeleton is the same and whose birth year is close or unknown (weak candidates: shown, never blocking).
 */
import type { ReadableDB } from '../db/handles';
import type { DuplicateCandidate, DuplicateCheckResult } from '../../shared/api/applicants.contract';
import { nameSkeletons, type PersonName } from '../../shared/normalize/names';
import { normalizeCin } from '../../shared/normalize/cin';
import { parseDateInput } from '../../shared/normalize/dates';
import { comparePeople, strongBirthDates, STRONG_SCORE, type PersonMatch } from '../../shared/matching';
import { candidateFields, candidatesByBirthDates, candidatesBySkeleton, findByCin, pairDecision, candidateById, type CandidateRow } from './applicants.repo';

export interface DuplicateQuery extends PersonName {
  cin?: string | null;
  birthDate?: string | number | null;
  sex?: 'F' | 'M' | null;
  excludeId?: string | null;
}

/** Candidates with at least this score block a registration (unless staff confirmed they are other people). */
export const BLOCKING_SCORE = STRONG_SCORE;
const MAX_CANDIDATES = 10;

function toCandidate(r: CandidateRow, m: PersonMatch, reason: DuplicateCandidate['reason'], decision: DuplicateCandidate['decision']): DuplicateCandidate {
  return {
    ...candidateFields(r),
    sex: r.sex,
    score: m.score,
    level: m.level,
    reasons: m.reasons,
    reason,
    decision,
  };
}

export function rowPerson(r: Pick<CandidateRow, 'first_name_ar' | 'last_name_ar' | 'first_name_lat' | 'last_name_lat' | 'sex' | 'birth_date'> & { cin?: string | null }) {
  return {
    firstNameAr: r.first_name_ar,
    lastNameAr: r.last_name_ar,
    firstNameLat: r.first_name_lat,
    lastNameLat: r.last_name_lat,
    sex: r.sex,
    birthDate: r.birth_date,
    cin: r.cin ?? null,
  };
}

function hasName(p: PersonName): boolean {
  return Boolean(((p.firstNameAr ?? '').trim() && (p.lastNameAr ?? '').trim()) || ((p.firstNameLat ?? '').trim() && (p.lastNameLat ?? '').trim()));
}

export function findDuplicates(db: ReadableDB, q: DuplicateQuery): DuplicateCheckResult {
  const exclude = q.excludeId ?? null;
  const found = new Map<string, DuplicateCandidate>();
  const add = (c: DuplicateCandidate) => {
    const prev = found.get(c.id);
    if (!prev || prev.score < c.score) found.set(c.id, c);
  };
  const decisionFor = (otherId: string) => (exclude ? pairDecision(db, exclude, otherId) : null);

  let cinTaken: DuplicateCheckResult['cinTaken'] = null;
  const cin = q.cin ? normalizeCin(q.cin) : '';
  if (cin) {
    const hit = findByCin(db, cin);
    if (hit && hit.id !== exclude) {
      cinTaken = { id: hit.id, fileNo: hit.file_no };
      const row = candidateById(db, hit.id);
      if (row) add(toCandidate(row, { score: 1, level: 'strong', reasons: [{ code: 'same_cin', a: cin }] }, 'cin', decisionFor(hit.id)));
    }
  }

  const birth = q.birthDate !== undefined && q.birthDate !== null && q.birthDate !== '' ? parseDateInput(q.birthDate) : null;
  const me = { ...q, cin: null, birthDate: birth };
  if (hasName(q)) {
    if (birth) {
      for (const r of candidatesByBirthDates(db, strongBirthDates(birth))) {
        if (r.id === exclude) continue;
        const m = comparePeople(me, rowPerson(r));
        if (m) add(toCandidate(r, m, m.level === 'strong' ? 'name_birth' : 'name', decisionFor(r.id)));
      }
    }
    // Same name skeleton, birth year close (or unknown): weak candidates, shown.
    const skels = nameSkeletons(q);
    const year = birth ? Number(birth.slice(0, 4)) : null;
    const from = year ? `${year - 1}-01-01` : '0000-01-01';
    const to = year ? `${year + 1}-12-31` : '9999-12-31';
    for (const r of candidatesBySkeleton(db, skels, from, to)) {
      if (r.id === exclude || found.has(r.id)) continue;
      const m = comparePeople(me, rowPerson(r));
      if (m) add(toCandidate(r, m, m.level === 'strong' ? 'name_birth' : 'name', decisionFor(r.id)));
    }
  }

  const candidates = [...found.values()].sort((a, b) => b.score - a.score || a.fileNo.localeCompare(b.fileNo)).slice(0, MAX_CANDIDATES);
  return { cinTaken, candidates };
}
