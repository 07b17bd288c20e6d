/**
 * Many applicants in one INSERT statement.
 *
 * The search index (FTS5 trigram, applicants_fts) is kept in step by an AFTER INSERT trigger on applicants
 * (migration 0003). FTS5 writes its pending terms to disk at every statement savepoint, so one INSERT per row
 * writes one tiny index segment per row and keeps merging them: on a 100,000-file registry that is about
 * 0.2 ms a row, most of the cost of an import. Staged in a temporary table and moved with one INSERT … SELECT,
 * the rows go through the very same trigger, constraints, foreign keys and indexes, but the index is written once.
 */
import type { Sqlite } from '../../db/connection';
import type { ApplicantRow } from '../../applicants/applicants.repo';

const STAGE = 'import_applicants_stage';

export function insertApplicantsBulk(sqlite: Sqlite, rows: readonly ApplicantRow[]): void {
  if (!rows.length) return;
  const cols = Object.keys(rows[0]);
  for (const c of cols) if (!/^[a-z_][a-z0-9_]*$/.test(c)) throw new Error(`unexpected applicants column ${c}`);
  const list = cols.join(', ');
  // Untyped columns: the values reach applicants (STRICT) exactly as bound, as a direct INSERT would give them.
  sqlite.exec(`DROP TABLE IF EXISTS temp.${STAGE}; CREATE TEMP TABLE ${STAGE} (${list})`);
  try {
    // Positional parameters: binding 50 named ones looks each name up in the row object.
    const put = sqlite.prepare(`INSERT INTO temp.${STAGE} (${list}) VALUES (${cols.map(() => '?').join(', ')})`);
    const keys = cols as (keyof ApplicantRow)[];
    for (const r of rows) put.run(keys.map((c) => r[c]));
    sqlite.prepare(`INSERT INTO main.applicants (${list}) SELECT ${list} FROM temp.${STAGE} ORDER BY rowid`).run();
  } finally {
    sqlite.exec(`DROP TABLE IF EXISTS temp.${STAGE}`);
  }
}
