/**
 * The Excel import's repository: its tables import_batches (one row per imported list) and import_rows (each row of
 * a list and the file it created or was attached to). Database handle first; statements through core/db/query.ts.
 * The applicants themselves are written by the applicants feature (applicants.service writeNewApplicants).
 */
import { sql, type Selectable } from 'kysely';
import type { ImportBatchesTable, ImportRowsTable } from '../../db/schema-reports';
import type { ReadableDB, WritableDB } from '../../db/handles';
import { query, insertRow } from '../../db/query';
import { insertRowsBulk } from '../../applicants/repo/bulk-insert';

export type ImportBatchRow = Selectable<ImportBatchesTable>;
export type ImportRowRow = Selectable<ImportRowsTable>;

const insertBatchQ = insertRow('import_batches', {
  id: true,
  office_id: true,
  file_name: true,
  file_hash: true,
  rows_total: true,
  rows_created: true,
  rows_duplicate: true,
  rows_invalid: true,
  mapping_json: true,
  imported_at: true,
  imported_by: true,
});

export function insertBatch(db: WritableDB, row: ImportBatchRow): void {
  insertBatchQ.run(db, row);
}

/** A list's rows and their files, in one statement (thousands at once, see applicants/repo/bulk-insert.ts). */
export function insertImportRows(db: WritableDB, rows: readonly ImportRowRow[]): void {
  insertRowsBulk(db, 'import_rows', rows);
}

const filesOfRowHashes = query((db, p: { hashes: string }) =>
  db
    .selectFrom('import_rows as r')
    .innerJoin('applicants as a', 'a.id', 'r.applicant_id')
    .select(['r.row_hash', 'a.file_no'])
    .where('r.row_hash', 'in', (eb) => eb.selectFrom(sql<{ value: string }>`json_each(${p.hashes})`.as('j')).select('j.value')),
);

/** Rows of earlier imports with these hashes → the file each created (one query for the whole list). */
export function importedFiles(db: ReadableDB, hashes: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of filesOfRowHashes.all(db, { hashes: JSON.stringify([...new Set(hashes)]) })) if (!out.has(r.row_hash)) out.set(r.row_hash, r.file_no);
  return out;
}
