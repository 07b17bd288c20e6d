/**
 * Likely duplicates: the same CIN anywhere, or the same person by name (across scripts and spellings) and date of birth.
 *
 * Blocking keeps it fast at 100,000 files: candidates are the files born on the same day (or with day and month
 * swapped, a common slip), plus the files whose name skeleton is the same and whose birth year is close; then every
 * candidate is scored in TypeScript with `compareNames` (shared/normalize).
 */
import type { Sqlite } from '../db/connection';
import type { DuplicateCandidate, DuplicateCheckResult } from '../../shared/api/applicants.contract';
import { compareNames, nameSkeletons, type PersonName } from '../../shared/normalize/names';
import { normalizeCin } from '../../shared/normalize/cin';
import { parseDateInput, swapDayMonth } from '../../shared/normalize/dates';
import { candidateFields, candidatesByBirthDates, candidatesBySkeleton, findByCin, pairDecision, candidateById, type CandidateRow } from './applicants.repo';

export interface DuplicateQuery extends PersonName {
  cin?: string | null;
  birthDate?: string | number | null;
  excludeId?: string | null;
}

/** Candidates with at least this score block a registration (unless staff confirmed they are other people). */
export const BLOCKING_SCORE = 0.8;
const MAX_CANDIDATES = 10;

function toCandidate(r: CandidateRow, score: number, reason: DuplicateCandidate['reason'], decision: DuplicateCandidate['decision']): DuplicateCandidate {
  return {
    ...candidateFields(r),
    score: Math.round(score * 1000) / 1000,
    reason,
    decision,
  };
}

function rowName(r: CandidateRow): PersonName {
  return { firstNameAr: r.first_name_ar, lastNameAr: r.last_name_ar, firstNameLat: r.first_name_lat, lastNameLat: r.last_name_lat };
}

function hasName(p: PersonName): boolean {
  return Boolean(((p.firstNameAr ?? '').trim() && (p.lastNameAr ?? '').trim()) || ((p.firstNameLat ?? '').trim() && (p.lastNameLat ?? '').trim()));
}

export function findDuplicates(sqlite: Sqlite, q: DuplicateQuery): DuplicateCheckResult {
  const exclude = q.excludeId ?? null;
  const found = new Map<string, DuplicateCandidate>();
  const add = (c: DuplicateCandidate) => {
    const prev = found.get(c.id);
    if (!prev || prev.score < c.score) found.set(c.id, c);
  };
  const decisionFor = (otherId: string) => (exclude ? pairDecision(sqlite, exclude, otherId) : null);

  let cinTaken: DuplicateCheckResult['cinTaken'] = null;
  const cin = q.cin ? normalizeCin(q.cin) : '';
  if (cin) {
    const hit = findByCin(sqlite, cin);
    if (hit && hit.id !== exclude) {
      cinTaken = { id: hit.id, fileNo: hit.file_no };
      const row = candidateById(sqlite, hit.id);
      if (row) add(toCandidate(row, 1, 'cin', decisionFor(hit.id)));
    }
  }

  const birth = q.birthDate !== undefined && q.birthDate !== null && q.birthDate !== '' ? parseDateInput(q.birthDate) : null;
  if (hasName(q)) {
    if (birth) {
      const swapped = swapDayMonth(birth);
      for (const r of candidatesByBirthDates(sqlite, swapped ? [birth, swapped] : [birth])) {
        if (r.id === exclude) continue;
        const m = compareNames(q, rowName(r));
        if (!m.match) continue;
        const score = r.birth_date === birth ? m.score : m.score * 0.9;
        add(toCandidate(r, score, 'name_birth', decisionFor(r.id)));
      }
    }
    // Same name skeleton, birth year close (or unknown): shown, weaker.
    const skels = nameSkeletons(q);
    const year = birth ? Number(birth.slice(0, 4)) : null;
    const from = year ? `${year - 1}-01-01` : '0000-01-01';
    const to = year ? `${year + 1}-12-31` : '9999-12-31';
    for (const r of candidatesBySkeleton(sqlite, skels, from, to)) {
      if (r.id === exclude || found.has(r.id)) continue;
      const m = compareNames(q, rowName(r));
      if (!m.match) continue;
      add(toCandidate(r, m.score * (birth ? 0.7 : 0.75), 'name', decisionFor(r.id)));
    }
  }

  const candidates = [...found.values()].sort((a, b) => b.score - a.score || a.fileNo.localeCompare(b.fileNo)).slice(0, MAX_CANDIDATES);
  return { cinTaken, candidates };
}
