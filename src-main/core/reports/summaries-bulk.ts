import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sqlite } from '../db/connection';
import { projectRoot } from '../paths';

/**
 * The report summaries (migrations 0014/0016) are kept by triggers, one file's path recomputed per written row: right
 * for the office's writes (a few rows a call), far too slow for a bulk load (the seed wrote 5,000 files in 3.5 min
 * instead of 13 s; a province's full exchange file took 125 s into an empty region and 528 s into one holding a
 * province). A bulk writer runs inside `withSummariesRebuiltAfter`: the triggers are set aside (DDL is transactional:
 * a failure brings them back with the rollback of the caller's transaction or savepoint), the rows are written, then
 * the summaries are rebuilt once by the migration's own fill statements and the triggers put back.
 *
 * `offices` limits the rebuild to those offices' summary rows: the exchange import writes only rows of the sending
 * office (any other owner is refused, `exchange.foreign_rows`), and every summary row is keyed by the office of the
 * file or session it counts, so the other provinces' rows need not be recomputed (a full file at the region costs a
 * province's rebuild, not the region's).
 */
const FILL_START = '-- One-time fill from the rows already there.';

let fillCache: { dir: string; sql: string } | null = null;
function fillSql(migrationsDir: string): string {
  if (fillCache?.dir === migrationsDir) return fillCache.sql;
  const text = readFileSync(join(migrationsDir, '0014_report_summaries.sql'), 'utf8').replace(/\r\n/g, '\n');
  const start = text.indexOf(FILL_START);
  const end = text.indexOf('\nCREATE TRIGGER', start);
  if (start < 0 || end < 0) throw new Error('report summaries: fill statements not found in migration 0014');
  fillCache = { dir: migrationsDir, sql: text.slice(start, end) };
  return fillCache.sql;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The fill statements limited to the files and sessions of `offices`: each place the migration reads the files, their
 * history or the sessions gets the office condition. Every replacement must happen exactly as often as the migration
 * has that place (checked: a changed migration text fails loudly here, not silently with a wider or narrower fill).
 */
export function scopedFillSql(fill: string, offices: string[]): string {
  const inList = `(${offices.map(quote).join(', ')})`;
  let out = fill;
  const swap = (from: RegExp, to: string, times: number) => {
    const n = out.match(from)?.length ?? 0;
    if (n !== times) throw new Error(`report summaries: ${String(from)} found ${n} times in the fill, expected ${times}`);
    out = out.replace(from, to);
  };
  // The registration breakdowns (files, situations, disabilities): their "WHERE 1" placeholders.
  swap(/ WHERE 1\b/g, ` WHERE a.office_id IN ${inList}`, 9);
  // The path's candidate months (files, then their history) and the files' first month.
  swap(/FROM applicants a\n/g, `FROM applicants a WHERE a.office_id IN ${inList}\n`, 2);
  swap(/FROM status_history h\) c;/g, `FROM status_history h WHERE h.applicant_id IN (SELECT id FROM applicants WHERE office_id IN ${inList})) c;`, 1);
  swap(/FROM applicants a;/g, `FROM applicants a WHERE a.office_id IN ${inList};`, 1);
  // The sessions.
  swap(/ AND 1\)/g, ` AND s.office_id IN ${inList})`, 1);
  return out;
}

/**
 * The per-session attendance counts of the month view (migration 0020, session_counts), rebuilt from the attendance
 * rows: all of them, or those of `offices`' sessions (the same statement as the migration's fill).
 */
export function sessionCountsFillSql(offices?: string[]): string {
  const scope = offices ? ` WHERE session_id IN (SELECT id FROM training_sessions WHERE office_id IN (${offices.map(quote).join(', ')}))` : '';
  return `DELETE FROM session_counts${scope};
INSERT INTO session_counts (session_id, present, absent, excused)
SELECT session_id, sum(status = 'present'), sum(status = 'absent'), sum(status = 'excused') FROM attendance${scope} GROUP BY session_id;`;
}

function reportTriggers(sqlite: Sqlite): { name: string; sql: string }[] {
  return sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_report\\_%' ESCAPE '\\'`)
    .all() as { name: string; sql: string }[];
}

export interface SummariesScope {
  /** Only these offices' summary rows are rebuilt (every written row belongs to one of them). Default: all. */
  offices?: string[];
  migrationsDir?: string;
}

/**
 * Sets the summary triggers aside (inside the caller's transaction); the returned function rebuilds the summaries
 * and puts the triggers back. Null when they are already aside (an outer bulk writer rebuilds them).
 */
export function setSummariesAside(sqlite: Sqlite, scope: SummariesScope = {}): (() => void) | null {
  if (!sqlite.inTransaction) throw new Error('the report summaries are set aside inside a transaction');
  const triggers = reportTriggers(sqlite);
  if (!triggers.length) return null;
  const fill = fillSql(scope.migrationsDir ?? join(projectRoot(), 'migrations'));
  const offices = scope.offices;
  const sql = offices ? scopedFillSql(fill, offices) : fill;
  for (const t of triggers) sqlite.exec(`DROP TRIGGER "${t.name}"`);
  return () => {
    if (offices) {
      const del = sqlite.prepare('DELETE FROM report_counts WHERE office_id = ?');
      const delS = sqlite.prepare('DELETE FROM report_sessions WHERE office_id = ?');
      for (const o of offices) {
        del.run(o);
        delS.run(o);
      }
    } else sqlite.exec('DELETE FROM report_counts; DELETE FROM report_sessions;');
    sqlite.exec(sql);
    if (triggers.some((t) => t.name.startsWith('attendance_report_counts_'))) sqlite.exec(sessionCountsFillSql(offices));
    for (const t of triggers) sqlite.exec(t.sql);
  };
}

/** Below this many rows of files or path steps, a writer always keeps the triggers. */
export const BULK_SUMMARY_MIN_ROWS = 2_000;

/**
 * Whether rebuilding an office's summaries after a write costs less than the triggers would. Measured on a
 * 20,000-file province (CPU time): the triggers cost about 0.35 ms per file registered or moved along the path (its
 * history row included), the office's rebuild about 0.08 ms per file it holds. So from a quarter of the office's
 * files on (a month's exchange file — a few thousand such rows against 100,000 files — keeps the triggers; a list of
 * 30,000 women imported from Excel into that province, or any full file, is rebuilt).
 */
export function rebuildPays(pathRows: number, officeFiles: () => number): boolean {
  return pathRows >= BULK_SUMMARY_MIN_ROWS && pathRows * 4 >= officeFiles();
}

/** Runs `write` (inside the caller's transaction) with the summary triggers set aside, then rebuilds the summaries. */
export function withSummariesRebuiltAfter<T>(sqlite: Sqlite, write: () => T, scope: SummariesScope = {}): T {
  const rebuild = setSummariesAside(sqlite, scope);
  const out = write();
  rebuild?.();
  return out;
}

/** The same for an asynchronous writer (the exchange import awaits between batches, inside its savepoint). */
export async function withSummariesRebuiltAfterAsync<T>(sqlite: Sqlite, write: () => Promise<T>, scope: SummariesScope = {}): Promise<T> {
  const rebuild = setSummariesAside(sqlite, scope);
  const out = await write();
  rebuild?.();
  return out;
}

/**
 * A seeder whose rows are loaded with the summaries rebuilt once after it (run alone or inside seedDatabase). Typed by shape,
 * not by seed/seed's Seeder: importing the seed module from here closes a cycle handlers → exchange import → here → seed → core.
 */
export function summariesAfter<S extends { run(core: { sqlite: Sqlite }, ...rest: never[]): Record<string, number> }>(seeder: S): S {
  return { ...seeder, run: (core, opts, rng) => withSummariesRebuiltAfter(core.sqlite, () => seeder.run(core, opts, rng)) };
}

/**
 * Set-based equivalents of a table's summary triggers on INSERT, for a batch of new rows written by one statement (the
 * exchange import's bulk path). The attendance triggers (migrations 0016 and 0020) add one row's presence to its
 * session's counts and to its month's session totals, with two upserts and a join each: 1.1 s of CPU for the 22,000
 * attendance rows of a province's monthly file at the full-size region. For a batch the triggers are set aside, the
 * rows written, then the same sums added in two grouped statements over the rows the batch wrote (rowid above the
 * table's largest before it), and the triggers put back. Inside the caller's savepoint: a batch rolled back brings
 * the triggers back with it. Null when the table has no such triggers here (set aside by an outer bulk writer, whose
 * rebuild counts the rows).
 */
export interface BatchSummaries {
  /** Before the batch's statement: the triggers set aside. */
  before(): void;
  /** After it, when every row of the batch was written: the sums added, the triggers back. */
  after(): void;
}

const BATCH_TRIGGERS: Record<string, { triggers: string[]; sums: string[] }> = {
  attendance: {
    triggers: ['attendance_report_ai', 'attendance_report_counts_ai'],
    sums: [
      `INSERT INTO report_sessions (month, office_id, topic_code, organisation_id, sessions, minutes, present, recorded)
  SELECT substr(s.date, 1, 7), s.office_id, s.topic_code, s.organisation_id, 0, 0, SUM(t.status = 'present'), COUNT(*)
    FROM attendance t JOIN training_sessions s ON s.id = t.session_id JOIN organisations g ON g.id = s.organisation_id
   WHERE t.rowid > ? AND s.cancelled_at IS NULL
   GROUP BY substr(s.date, 1, 7), s.office_id, s.topic_code, s.organisation_id
  ON CONFLICT (month, office_id, topic_code, organisation_id) DO UPDATE SET present = present + excluded.present, recorded = recorded + excluded.recorded`,
      `INSERT INTO session_counts (session_id, present, absent, excused)
  SELECT session_id, SUM(status = 'present'), SUM(status = 'absent'), SUM(status = 'excused') FROM attendance NOT INDEXED WHERE rowid > ? GROUP BY session_id
  ON CONFLICT (session_id) DO UPDATE SET present = present + excluded.present, absent = absent + excluded.absent, excused = excused + excluded.excused`,
    ],
  },
};

/** The grouped statements of a table's batch sums (their plans are pinned in tests/unit/query-plans.test.ts). */
export function batchSummaryStatements(table: string): readonly string[] {
  return BATCH_TRIGGERS[table]?.sums ?? [];
}

export function batchSummaries(sqlite: Sqlite, table: string): BatchSummaries | null {
  const plan = BATCH_TRIGGERS[table];
  if (!plan) return null;
  const found = sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name IN (${plan.triggers.map(() => '?').join(', ')})`)
    .all(table, ...plan.triggers) as { name: string; sql: string }[];
  // Both or none: one without the other would be counted twice or not at all.
  if (found.length !== plan.triggers.length) return null;
  let from = 0;
  return {
    before() {
      from = (sqlite.prepare(`SELECT COALESCE(MAX(rowid), 0) FROM "${table}"`).pluck().get() as number) ?? 0;
      for (const t of found) sqlite.exec(`DROP TRIGGER "${t.name}"`);
    },
    after() {
      for (const s of plan.sums) sqlite.prepare(s).run(from);
      for (const t of found) sqlite.exec(t.sql);
    },
  };
}
