/**
 * The registry's duplicate rule, in bulk for an import: a row is a duplicate when its CIN is taken, or when a
 * file with the same birth date (or day and month swapped, a common keying slip) has a matching name
 * (compareNames, the registry's cross-script name comparison) with a score at or above BLOCKING_SCORE —
 * exactly the candidates that block applicants.create (core/applicants/duplicates.ts; name-only candidates
 * with another birth date are scored below the threshold there and never block).
 *
 * findDuplicates runs two queries per row; for a 10,000-row list against 100,000 files this index loads, in
 * two queries, the registry's files with the list's CINs and those born on the list's birth dates, and keeps
 * itself up to date with the rows of the list accepted so far (a later row is compared with them too).
 */
import type { Sqlite } from '../../db/connection';
import { BLOCKING_SCORE } from '../../applicants/duplicates';
import { compareNames, swapDayMonth, type PersonName } from '../../../shared/normalize';

interface Candidate extends PersonName {
  /** The registry's file, or null for a row of this list (not yet a file). */
  fileNo: string | null;
  /** The list's row, for a row of this list. */
  rowNo: number | null;
  birthDate: string;
}

/** Where a duplicate is: a file of the registry, or an earlier row of the same list. */
export type DuplicateHit = { fileNo: string; rowNo: null } | { fileNo: null; rowNo: number };

const hitOf = (c: { fileNo: string | null; rowNo: number | null }): DuplicateHit =>
  c.fileNo !== null ? { fileNo: c.fileNo, rowNo: null } : { fileNo: null, rowNo: c.rowNo! };

export class DuplicateIndex {
  private readonly cins = new Map<string, { fileNo: string | null; rowNo: number | null }>();
  private readonly byBirth = new Map<string, Candidate[]>();

  /** `rows`: the CIN and birth date of every valid row of the list. */
  constructor(db: Sqlite, rows: Iterable<{ cin: string; birthDate: string }>) {
    const cins = new Set<string>();
    const dates = new Set<string>();
    for (const r of rows) {
      if (r.cin) cins.add(r.cin);
      dates.add(r.birthDate);
      const s = swapDayMonth(r.birthDate);
      if (s) dates.add(s);
    }
    // Only the list's CINs (through the UNIQUE index), not every CIN of the registry.
    const byCin = db.prepare('SELECT cin, file_no FROM applicants WHERE cin IN (SELECT value FROM json_each(?))').raw(true);
    for (const [cin, fileNo] of byCin.all(JSON.stringify([...cins])) as [string, string][]) this.cins.set(cin, { fileNo, rowNo: null });
    const byDate = db
      .prepare(
        `SELECT file_no, birth_date, first_name_ar, last_name_ar, first_name_lat, last_name_lat FROM applicants
          WHERE birth_date IN (SELECT value FROM json_each(?)) AND anonymised_at IS NULL`,
      )
      .raw(true);
    for (const r of byDate.all(JSON.stringify([...dates])) as [string, string, string, string, string, string][]) {
      this.addCandidate({ fileNo: r[0], rowNo: null, birthDate: r[1], firstNameAr: r[2], lastNameAr: r[3], firstNameLat: r[4], lastNameLat: r[5] });
    }
  }

  private addCandidate(c: Candidate) {
    const l = this.byBirth.get(c.birthDate);
    if (l) l.push(c);
    else this.byBirth.set(c.birthDate, [c]);
  }

  /** The file (or earlier row of the list) with this CIN, if any. */
  cinTaken(cin: string): DuplicateHit | null {
    const c = this.cins.get(cin);
    return c ? hitOf(c) : null;
  }

  /** The best blocking candidate (same person by name and birth date), if any. */
  likelySamePerson(p: PersonName & { birthDate: string }): DuplicateHit | null {
    let best: { c: Candidate; score: number } | null = null;
    const swapped = swapDayMonth(p.birthDate);
    for (const [date, factor] of [[p.birthDate, 1], [swapped, 0.9]] as const) {
      if (!date) continue;
      for (const c of this.byBirth.get(date) ?? []) {
        const m = compareNames(p, c);
        if (!m.match) continue;
        const score = m.score * factor;
        if (score >= BLOCKING_SCORE && (!best || score > best.score)) best = { c, score };
      }
    }
    return best ? hitOf(best.c) : null;
  }

  /** A row of the list accepted as new: later rows are compared with it too. */
  add(rowNo: number, p: PersonName & { cin: string; birthDate: string }) {
    this.cins.set(p.cin, { fileNo: null, rowNo });
    this.addCandidate({
      fileNo: null,
      rowNo,
      birthDate: p.birthDate,
      firstNameAr: p.firstNameAr,
      lastNameAr: p.lastNameAr,
      firstNameLat: p.firstNameLat,
      lastNameLat: p.lastNameLat,
    });
  }
}
