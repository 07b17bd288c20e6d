/**
 * Many rows in one INSERT statement, for the import of a legacy list (10,000 people at once).
 *
 * The search index (FTS5 trigram, applicants_fts) is kept in step by an AFTER INSERT trigger on applicants
 * (migration 0003). FTS5 writes its pending terms to disk at every statement savepoint, so one INSERT per row
 * writes one tiny index segment per row and keeps merging them: on a 100,000-file registry that is about
 * 0.2 ms a row, most of the cost of an import. Staged in a temporary table and moved with one INSERT … SELECT,
 * the rows go through the very same trigger, constraints, foreign keys and indexes, but the index is written once.
 * The other tables of an import (status_history, import_rows) take the same path: one statement, not 10,000.
 *
 * SQL text on the connection: a TEMP table made for the rows' columns (DDL) and an INSERT … SELECT of whatever
 * columns the rows have, which Kysely's builder cannot type; the repositories of these tables are its only callers
 * (applicants.repo insertApplicantsBulk / insertStatusHistoryBulk, import.repo insertImportRows).
 */
import { connectionOf, type WritableDB } from '../../db/handles';

const STAGE = 'import_stage';
const TABLES = new Set(['applicants', 'status_history', 'import_rows']);

export function insertRowsBulk<T extends object>(db: WritableDB, table: 'applicants' | 'status_history' | 'import_rows', rows: readonly T[]): void {
  if (!rows.length) return;
  const sqlite = connectionOf(db);
  if (!TABLES.has(table)) throw new Error(`bulk insert into ${table}`);
  const cols = Object.keys(rows[0]) as (keyof T & string)[];
  for (const c of cols) if (!/^[a-z_][a-z0-9_]*$/.test(c)) throw new Error(`unexpected ${table} column ${c}`);
  const list = cols.join(', ');
  // Untyped columns: the values reach the STRICT table exactly as bound, as a direct INSERT would give them.
  sqlite.exec(`DROP TABLE IF EXISTS temp.${STAGE}; CREATE TEMP TABLE ${STAGE} (${list})`);
  try {
    // Positional parameters: binding 50 named ones looks each name up in the row object.
    const put = sqlite.prepare(`INSERT INTO temp.${STAGE} (${list}) VALUES (${cols.map(() => '?').join(', ')})`);
    for (const r of rows) put.run(cols.map((c) => r[c]));
    sqlite.prepare(`INSERT INTO main.${table} (${list}) SELECT ${list} FROM temp.${STAGE} ORDER BY rowid`).run();
  } finally {
    sqlite.exec(`DROP TABLE IF EXISTS temp.${STAGE}`);
  }
}
