import type { Sqlite } from './connection';

declare const readBrand: unique symbol;
declare const writeBrand: unique symbol;

/**
 * The database as a read method sees it: queries of `core/db/query.ts` can read through it, nothing can write
 * (a `.run(…)` or a write query given a ReadableDB does not compile). Opaque: no `prepare`/`exec` on it, so SQL
 * goes through the repositories' compiled queries (Signal Desktop's ReadableDB/WritableDB, by type only).
 */
export type ReadableDB = { readonly [readBrand]: true };

/** The database inside a write method's transaction (BEGIN IMMEDIATE, see core.ts): reads and writes. */
export type WritableDB = ReadableDB & { readonly [writeBrand]: true };

/** Brands a connection; only the dispatcher, migrations, the seed and tests make handles. */
export function readable(sqlite: Sqlite): ReadableDB {
  return sqlite as unknown as ReadableDB;
}
export function writable(sqlite: Sqlite): WritableDB {
  return sqlite as unknown as WritableDB;
}

/**
 * The connection behind a handle, for what is not a query of the schema: PRAGMAs, the encryption key, the backup
 * API, DDL. Each use says why beside it; a repository's rows never go through it.
 */
export function connectionOf(db: ReadableDB): Sqlite {
  return db as unknown as Sqlite;
}
