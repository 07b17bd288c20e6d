import { sql } from 'kysely';
import type { ReadableDB, WritableDB } from '../db/handles';
import { query, readQuery, writeQuery } from '../db/query';
import { rowStatements, type RowStatements } from '../exchange/repo/sync-tables.repo';
import { SEARCH_TEXT_SQL } from './matching-keys';

/**
 * The applicant rows of the region's consolidation (core/exchange import): written here, by the applicants feature,
 * as a province's file carries them. The file names the columns (read from the province's database, so a column
 * added by a later migration travels too), hence the exchange's run-time statements for that column list.
 */

/** Statements applying applicant rows with these columns (values in the same order). */
export function applicantRowStatements(columns: readonly string[]): RowStatements {
  return rowStatements('applicants', columns, ['id'], 'office_id');
}

/** An applicant row with its CIN left out (another office's record holds the CIN): inserted, or updated when `update`. */
export function writeApplicantWithoutCin(db: WritableDB, statements: RowStatements, columns: readonly string[], row: readonly unknown[], update: boolean): void {
  const copy = [...row];
  copy[columns.indexOf('cin')] = null;
  if (update) statements.update(db, copy);
  else statements.insert(db, copy);
}

const deleteSituations = query((db, p: { id: string }) => db.deleteFrom('applicant_situations').where('applicant_id', '=', p.id));
const deleteDisabilities = query((db, p: { id: string }) => db.deleteFrom('applicant_disabilities').where('applicant_id', '=', p.id));
const deleteOne = query((db, p: { id: string }) => db.deleteFrom('applicants').where('id', '=', p.id));
/** A deletion the owning office sent: the applicant and her situations and disabilities. */
export function deleteApplicantAndDetails(db: WritableDB, id: string): void {
  deleteSituations.run(db, { id });
  deleteDisabilities.run(db, { id });
  deleteOne.run(db, { id });
}

const otherCin = query((db, p: { cin: string; id: string }) =>
  db.selectFrom('applicants').select(['id', 'office_id', 'birth_date']).where('cin', '=', p.cin).where('id', '<>', p.id),
);
/** Another record holding this CIN (the CIN is unique among the rows stored). */
export function applicantOtherCin(db: ReadableDB, cin: string, id: string): { id: string; office_id: string; birth_date: string | null } | undefined {
  return otherCin.get(db, { cin, id });
}

/** What the region's same-person check compares of a file: her names in both scripts, birth date, sex and CIN. */
export interface ApplicantIdentity {
  first_name_ar: string;
  last_name_ar: string;
  first_name_lat: string;
  last_name_lat: string;
  sex: string | null;
  birth_date: string | null;
  cin: string | null;
}
const identity = query((db, p: { id: string }) =>
  db
    .selectFrom('applicants as a')
    .leftJoin('exchange_cin_aside as x', 'x.applicant_id', 'a.id')
    .select(['a.first_name_ar', 'a.last_name_ar', 'a.first_name_lat', 'a.last_name_lat', 'a.sex', 'a.birth_date', sql<string | null>`COALESCE(a.cin, x.cin)`.as('cin')])
    .where('a.id', '=', p.id),
);
/** The identity of a file as the region holds it (its CIN kept aside included), before a province's update of it. */
export function applicantIdentity(db: ReadableDB, id: string): ApplicantIdentity | undefined {
  return identity.get(db, { id }) as ApplicantIdentity | undefined;
}

const otherOffice = query((db, p: { officeId: string }) => db.selectFrom('applicants').select('id').where('office_id', '<>', p.officeId).limit(1));
/** Whether the database holds applicants of another office than this one. */
export function hasApplicantsOfOtherOffices(db: ReadableDB, officeId: string): boolean {
  return !!otherOffice.get(db, { officeId });
}

// The search index's trigger and tables: raw `sql` (sqlite_master, DDL, the FTS5 table have no builder form).
const triggerSql = readQuery(() => sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'applicants_search_ai'`);
const searchTable = readQuery(() => sql<{ one: number }>`SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'applicant_search'`);
const dropTrigger = writeQuery(() => sql`DROP TRIGGER applicants_search_ai`);
const maxSearchRowid = readQuery(() => sql<{ m: number }>`SELECT coalesce(max(rowid), 0) AS m FROM applicant_search`);
const dropStale = writeQuery((_db, p: { id: string }) => sql<{ rowid: number }>`DELETE FROM applicant_search WHERE applicant_id = ${p.id} RETURNING rowid`);
const dropFts = writeQuery((_db, p: { rowid: number }) => sql`DELETE FROM applicants_fts WHERE rowid = ${p.rowid}`);
// (raw: the table type lists its rowid as a column to give)
const addSearch = writeQuery((_db, p: { id: string }) => sql`INSERT INTO applicant_search (applicant_id) VALUES (${p.id})`);
const fillFts = writeQuery(
  (_db, p: { from: number }) =>
    sql`INSERT INTO applicants_fts (rowid, names)
        SELECT s.rowid, ${sql.raw(SEARCH_TEXT_SQL('a'))} FROM applicant_search s JOIN applicants a ON a.id = s.applicant_id WHERE s.rowid > ${p.from}`,
);

/**
 * The search index of many applicants inserted at once is filled in one pass after them rather than by the
 * applicants_search_ai trigger row by row: that trigger's DELETE on the FTS5 table makes FTS5 flush a segment per
 * row (about 70 % of the time of a first import). The trigger is dropped until `finish` and made again from its
 * stored SQL; DDL is transactional, so a rollback (a refused, cancelled or killed import, a dry run) gets it back.
 * `finish` does for the inserted rows exactly what the trigger would have done, in the same order (the same
 * applicant_search rowids). Null when there is no such trigger or index.
 */
export function deferSearchIndex(db: WritableDB): { inserted(id: string): void; finish(): void } | null {
  const trigger = triggerSql.get(db)?.sql;
  if (!trigger || !searchTable.get(db)) return null;
  dropTrigger.run(db);
  const ids: string[] = [];
  return {
    inserted: (id) => void ids.push(id),
    finish() {
      const from = maxSearchRowid.get(db)?.m ?? 0;
      for (const id of ids) {
        const old = dropStale.get(db, { id })?.rowid;
        if (old !== undefined) dropFts.run(db, { rowid: old });
        addSearch.run(db, { id });
      }
      fillFts.run(db, { from });
      writeQuery(() => sql.raw(trigger)).run(db); // the trigger as it was stored
    },
  };
}
