import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sqlite } from '../db/connection';
import { projectRoot } from '../paths';
import type { Seeder } from '../seed/seed';

/**
 * The report summaries (migrations 0014/0016) are kept by triggers, one file's path recomputed per written row: right
 * for the office's writes (a few rows a call), far too slow for a bulk load (the seed wrote 5,000 files in 3.5 min
 * instead of 13 s). A bulk writer runs inside `withSummariesRebuiltAfter`: the triggers are set aside (DDL is
 * transactional: a failure brings them back with the rollback), the rows are written, then the summaries are
 * rebuilt once by the migration's own fill statements and the triggers put back.
 */
const FILL_START = '-- One-time fill from the rows already there.';

function fillSql(migrationsDir: string): string {
  const text = readFileSync(join(migrationsDir, '0014_report_summaries.sql'), 'utf8').replace(/\r\n/g, '\n');
  const start = text.indexOf(FILL_START);
  const end = text.indexOf('\nCREATE TRIGGER', start);
  if (start < 0 || end < 0) throw new Error('report summaries: fill statements not found in migration 0014');
  return text.slice(start, end);
}

/** Runs `write` (inside the caller's transaction) with the summary triggers set aside, then rebuilds the summaries. */
export function withSummariesRebuiltAfter<T>(sqlite: Sqlite, write: () => T, migrationsDir = join(projectRoot(), 'migrations')): T {
  if (!sqlite.inTransaction) throw new Error('withSummariesRebuiltAfter runs inside a transaction');
  const triggers = sqlite
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_report\\_%' ESCAPE '\\'`)
    .all() as { name: string; sql: string }[];
  if (!triggers.length) return write();
  for (const t of triggers) sqlite.exec(`DROP TRIGGER "${t.name}"`);
  const out = write();
  sqlite.exec('DELETE FROM report_counts; DELETE FROM report_sessions;');
  sqlite.exec(fillSql(migrationsDir));
  for (const t of triggers) sqlite.exec(t.sql);
  return out;
}

/** A seeder whose rows are loaded with the summaries rebuilt once after it (run alone or inside seedDatabase). */
export function summariesAfter(seeder: Seeder): Seeder {
  return { ...seeder, run: (core, opts, rng) => withSummariesRebuiltAfter(core.sqlite, () => seeder.run(core, opts, rng)) };
}
