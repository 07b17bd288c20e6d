/**
 * The registry search's statements (search.ts decides which rows a query and filters select, and their order).
 *
 * FTS5 MATCH has no place in Kysely's builder: the index's statements are `sql` templates, compiled once. The list's
 * count and page are written at the call from the match's FROM and WHERE (optional filters, the same text the
 * exported beneficiary list reads) and run through core/db/query.ts, prepared once per text and connection.
 */
import { CompiledQuery, sql, type Compilable } from 'kysely';
import type { ReadableDB } from '../../db/handles';
import { all, get, readQuery, query } from '../../db/query';
import { CANDIDATE_COLUMNS, CANDIDATE_SELECT, type CandidateRow } from '../applicants.repo';
import { SEARCH_TEXT_SQL } from '../matching-keys';

/** SQL text and its positional parameters (search.ts matchSql). */
export interface Where {
  sql: string[];
  params: unknown[];
}

/** A statement written at the call: its text and parameters as they are. */
function text<R>(sqlText: string, params: readonly unknown[]): Compilable<R> {
  return { compile: () => CompiledQuery.raw(sqlText, [...params]) as CompiledQuery<R> };
}

const whereSql = (where: Where) => (where.sql.length ? `WHERE ${where.sql.join(' AND ')}` : '');

/** How many rows a match selects. */
export function countMatches(db: ReadableDB, from: string, where: Where): number {
  return get(db, text<{ n: number }>(`SELECT count(*) AS n FROM ${from} ${whereSql(where)}`, where.params))!.n;
}

/** One page of a match's rows, in the given order, with the list's columns. */
export function pageMatches(db: ReadableDB, from: string, where: Where, order: string, orderParams: readonly unknown[], limit: number, offset: number): CandidateRow[] {
  return all(
    db,
    text<CandidateRow>(
      `SELECT ${CANDIDATE_COLUMNS} FROM ${from} LEFT JOIN communes c ON c.code = a.commune_code ${whereSql(where)}
       ORDER BY ${order} LIMIT ? OFFSET ?`,
      [...where.params, ...orderParams, limit, offset],
    ),
  );
}

const ftsCount = readQuery((_db, p: { q: string }) => sql<{ n: number }>`SELECT count(*) AS n FROM applicants_fts f WHERE f.names MATCH ${p.q}`);
const ftsPage = readQuery((_db, p: { q: string; limit: number; offset: number }) =>
  sql<{ rowid: number }>`SELECT rowid FROM applicants_fts f WHERE f.names MATCH ${p.q} ORDER BY rowid DESC LIMIT ${p.limit} OFFSET ${p.offset}`,
);
const ftsAll = readQuery((_db, p: { q: string }) => sql<{ rowid: number }>`SELECT rowid FROM applicants_fts f WHERE f.names MATCH ${p.q} ORDER BY rowid DESC`);

/** How many files an FTS5 query matches. */
export function countFts(db: ReadableDB, q: string): number {
  return ftsCount.get(db, { q })!.n;
}

/** A page of an FTS5 query's rowids, newest first. */
export function pageFts(db: ReadableDB, q: string, limit: number, offset: number): number[] {
  return ftsPage.column<number>(db, { q, limit, offset });
}

/** Every rowid an FTS5 query matches, newest first, read lazily (the caller stops at its page's end: `break` closes it). */
export function iterateFts(db: ReadableDB, q: string): IterableIterator<{ rowid: number }> {
  return ftsAll.iterate(db, { q });
}

// The text the index holds for each of these index rows (the index is contentless: the same expression as its
// triggers, read from the files), so that the search can sort a few matches into its groups itself.
const textsOf = readQuery((_db, p: { rowids: string }) =>
  sql<{ rowid: number; text: string }>`SELECT s.rowid AS rowid, ${sql.raw(SEARCH_TEXT_SQL('a'))} AS text
    FROM applicant_search s JOIN applicants a ON a.id = s.applicant_id
    WHERE s.rowid IN (SELECT value FROM json_each(${p.rowids}))`,
);

/** The indexed text of these index rowids. */
export function textsOfFtsRowids(db: ReadableDB, rowids: readonly number[]): Map<number, string> {
  return new Map(textsOf.all(db, { rowids: JSON.stringify(rowids) }).map((r) => [r.rowid, r.text]));
}

// From the index's rowids to the files (applicant_search first: the rowids are its primary key).
const rowsOfFtsRowids = query((db, p: { rowids: string }) =>
  db
    .selectFrom('applicant_search as s')
    .innerJoin('applicants as a', 'a.id', 's.applicant_id')
    .leftJoin('communes as c', 'c.code', 'a.commune_code')
    .select(['s.rowid as fts_rowid', ...CANDIDATE_SELECT])
    .where('s.rowid', 'in', (eb) => eb.selectFrom(sql<{ value: number }>`json_each(${p.rowids})`.as('j')).select('j.value')),
);

/** The list rows of these index rowids, in their order. */
export function rowsByFtsRowids(db: ReadableDB, rowids: number[]): CandidateRow[] {
  if (!rowids.length) return [];
  const found = rowsOfFtsRowids.all(db, { rowids: JSON.stringify(rowids) });
  const byRowid = new Map(found.map((r) => [r.fts_rowid, r]));
  return rowids.map((r) => byRowid.get(r)).filter((r): r is NonNullable<typeof r> => Boolean(r));
}
