/**
 * The registry's duplicate rule, in bulk for an import: a row is a duplicate when its CIN is taken, or when a
 * file with the same birth date (or day and month swapped, a common keying slip) has a matching name
 * (compareNames, the registry's cross-script name comparison) with a score at or above BLOCKING_SCORE —
 * exactly the candidates that block applicants.create (core/applicants/duplicates.ts; name-only candidates
 * with another birth date are scored below the threshold there and never block).
 *
 * findDuplicates runs two queries per row; for a 10,000-row list against 100,000 files this index loads
 * the candidates of the file's birth dates once and keeps itself up to date with the rows being imported.
 */
import type { Sqlite } from '../../db/connection';
import { BLOCKING_SCORE } from '../../applicants/duplicates';
import { compareNames, swapDayMonth, type PersonName } from '../../../shared/normalize';

interface Candidate extends PersonName {
  fileNo: string;
  birthDate: string;
}

export class DuplicateIndex {
  private readonly cins = new Map<string, string>();
  private readonly byBirth = new Map<string, Candidate[]>();

  constructor(db: Sqlite, birthDates: Iterable<string>) {
    for (const r of db.prepare('SELECT cin, file_no FROM applicants WHERE cin IS NOT NULL').raw(true).iterate() as IterableIterator<[string, string]>) {
      this.cins.set(r[0], r[1]);
    }
    const dates = new Set<string>();
    for (const d of birthDates) {
      dates.add(d);
      const s = swapDayMonth(d);
      if (s) dates.add(s);
    }
    const q = db.prepare(
      `SELECT file_no, birth_date, first_name_ar, last_name_ar, first_name_lat, last_name_lat FROM applicants
        WHERE birth_date IN (SELECT value FROM json_each(?)) AND anonymised_at IS NULL`,
    );
    const list = [...dates];
    for (let i = 0; i < list.length; i += 500) {
      for (const r of q.all(JSON.stringify(list.slice(i, i + 500))) as {
        file_no: string;
        birth_date: string;
        first_name_ar: string;
        last_name_ar: string;
        first_name_lat: string;
        last_name_lat: string;
      }[]) {
        this.addCandidate({
          fileNo: r.file_no,
          birthDate: r.birth_date,
          firstNameAr: r.first_name_ar,
          lastNameAr: r.last_name_ar,
          firstNameLat: r.first_name_lat,
          lastNameLat: r.last_name_lat,
        });
      }
    }
  }

  private addCandidate(c: Candidate) {
    const l = this.byBirth.get(c.birthDate);
    if (l) l.push(c);
    else this.byBirth.set(c.birthDate, [c]);
  }

  /** The file number whose CIN is this one, if any. */
  cinTaken(cin: string): string | null {
    return this.cins.get(cin) ?? null;
  }

  /** The best blocking candidate (same person by name and birth date), if any. */
  likelySamePerson(p: PersonName & { birthDate: string }): string | null {
    let best: { fileNo: string; score: number } | null = null;
    const swapped = swapDayMonth(p.birthDate);
    for (const [date, factor] of [[p.birthDate, 1], [swapped, 0.9]] as const) {
      if (!date) continue;
      for (const c of this.byBirth.get(date) ?? []) {
        const m = compareNames(p, c);
        if (!m.match) continue;
        const score = m.score * factor;
        if (score >= BLOCKING_SCORE && (!best || score > best.score)) best = { fileNo: c.fileNo, score };
      }
    }
    return best?.fileNo ?? null;
  }

  /** A row just imported: later rows are compared with it too. */
  add(cin: string, fileNo: string, p: PersonName & { birthDate: string }) {
    this.cins.set(cin, fileNo);
    this.addCandidate({ ...p, fileNo });
  }
}
