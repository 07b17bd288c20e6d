import { sql, type Kysely } from 'kysely';
import type { ReadableDB, WritableDB } from '../../db/handles';
import { readQuery, writeQuery, type ReadQuery, type WriteQuery } from '../../db/query';

/**
 * The exchange's generic access to the synchronised tables of the registry (registry.ts). The engine copies tables
 * whose columns it learns from the database (PRAGMA table_info) at run time, so that a column added by a later
 * migration travels without a change here: no schema type can name those columns, so these statements are built
 * with Kysely's untyped builder (`Kysely<any>`, names still quoted by Kysely) or its `sql` tag, each compiled once
 * per table and column list (per part of a file), prepared once per connection. A row is passed as it is read from
 * the file: parameter `p[i]` is the row's i-th value.
 */

type AnyDB = Kysely<any>; // run-time table and column names (see above)
const untyped = (db: unknown) => db as AnyDB;
type Row = readonly unknown[];

const columnsQ = readQuery((_db, p: { table: string }) => sql<{ name: string }>`SELECT name FROM pragma_table_info(${p.table}) ORDER BY cid`);
/** The table's columns in their order (PRAGMA: the builder has no table_info). */
export function tableColumns(db: ReadableDB, table: string): string[] {
  return columnsQ.all(db, { table }).map((r) => r.name);
}

const typesQ = readQuery((_db, p: { table: string }) => sql<{ name: string; type: string }>`SELECT name, upper(type) AS type FROM pragma_table_info(${p.table})`);
/** Column name → declared type, upper case. */
export function columnTypes(db: ReadableDB, table: string): Map<string, string> {
  return new Map(typesQ.all(db, { table }).map((r) => [r.name, r.type]));
}

const tableSqlQ = readQuery((_db, p: { name: string }) => sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ${p.name}`);
export function tableExists(db: ReadableDB, table: string): boolean {
  return !!tableSqlQ.get(db, { name: table });
}
/** A rowid table (not WITHOUT ROWID): its rows can be read in rowid chunks. */
export function hasRowid(db: ReadableDB, table: string): boolean {
  const s = tableSqlQ.get(db, { name: table })?.sql;
  return !!s && !/\bWITHOUT\s+ROWID\b/i.test(s);
}

const tablesQ = readQuery(() => sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
export function tableNames(db: ReadableDB): string[] {
  return tablesQ.all(db).map((r) => r.name);
}

const countCache = new Map<string, ReadQuery<{ officeId: string }, { n: number }>>();
function cached<Q>(cache: Map<string, Q>, key: string, make: () => Q): Q {
  let q = cache.get(key);
  if (!q) cache.set(key, (q = make()));
  return q;
}

/** Rows of one office in a table. */
export function countOwned(db: ReadableDB, table: string, owner: string, officeId: string): number {
  const q = cached(countCache, `${table}\0${owner}`, () =>
    readQuery((db, p: { officeId: string }) =>
      untyped(db)
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(owner, '=', p.officeId),
    ),
  );
  return q.get(db, { officeId })?.n ?? 0;
}

/** Rows of a child table whose parent belongs to the office. */
export function countChildrenOwned(db: ReadableDB, child: { table: string; fk: string }, parent: { table: string; pk: string; owner: string }, officeId: string): number {
  const q = cached(countCache, `${child.table}\0${child.fk}\0${parent.table}\0${parent.pk}\0${parent.owner}`, () =>
    readQuery((db, p: { officeId: string }) =>
      untyped(db)
        .selectFrom(`${child.table} as c`)
        .innerJoin(`${parent.table} as p`, `p.${parent.pk}`, `c.${child.fk}`)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(`p.${parent.owner}`, '=', p.officeId),
    ),
  );
  return q.get(db, { officeId })?.n ?? 0;
}

/** The statements that apply a registry table's rows, for the column list of one part of a file. */
export interface RowStatements {
  /** INSERT OR IGNORE: 1 when the row was new. */
  insertOrIgnore(db: WritableDB, row: Row): number;
  /** A plain INSERT (throws the constraint that refused the row). */
  insert(db: WritableDB, row: Row): void;
  /** The owner and change number of the row held under this row's key. */
  held(db: ReadableDB, row: Row): { owner: string; cs: number } | undefined;
  /**
   * When the row held under this row's key was last written at its office (its `updated_at`), or null when the table
   * has no such column. Read only after the office restarted its numbering (a restored backup), see apply-roots.ts.
   */
  heldUpdatedAt(db: ReadableDB, row: Row): string | null;
  /**
   * Updates the columns whose value differs from the row held (the key is never written). Writing only those keeps
   * the work of an update to what changed: SQLite rewrites the entries of every index that names a column of the SET
   * list, and fires every `UPDATE OF` trigger naming one, whether or not its value changed (a region-sized applicants
   * table: 0.6 ms an update with every column set, 0.03 ms with the changed ones).
   */
  update(db: WritableDB, row: Row): void;
}

/** The same value as SQLite gives it back (a BLOB as a Buffer). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) === Number(b);
  return false;
}

export function rowStatements(table: string, columns: readonly string[], pk: readonly string[], owner: string): RowStatements {
  const pkIdx = pk.map((c) => columns.indexOf(c));
  const values = (p: Row) => Object.fromEntries(columns.map((c, i) => [c, p[i]]));
  const byKey = <Q extends { where: (...a: never[]) => Q }>(q: Q, p: Row): Q =>
    pk.reduce((acc, c, j) => (acc as unknown as { where(a: string, o: string, v: unknown): Q }).where(c, '=', p[pkIdx[j]]), q);
  const ins = writeQuery((db, p: Row) => untyped(db).insertInto(table).orIgnore().values(values(p)));
  const strict = writeQuery((db, p: Row) => untyped(db).insertInto(table).values(values(p)));
  const sel = readQuery((db, p: Row) => byKey(untyped(db).selectFrom(table).select([`${owner} as owner`, 'change_seq as cs']), p));
  const hasUpdatedAt = columns.includes('updated_at');
  const selAt = hasUpdatedAt ? readQuery((db, p: Row) => byKey(untyped(db).selectFrom(table).select(['updated_at as at']), p)) : null;
  const nonPk = columns.map((c, i) => i).filter((i) => !pkIdx.includes(i));
  const heldRow = readQuery((db, p: Row) => byKey(untyped(db).selectFrom(table).select(nonPk.map((i) => columns[i])), p));
  // One statement per set of changed columns (a month's file has a handful: a status move, a phone, a rename …).
  const updates = new Map<string, WriteQuery<Row, unknown>>();
  const updateOf = (changed: number[]) => {
    const key = changed.join(',');
    let q = updates.get(key);
    if (!q) updates.set(key, (q = writeQuery((db, p: Row) => byKey(untyped(db).updateTable(table).set(Object.fromEntries(changed.map((i) => [columns[i], p[i]]))), p))));
    return q;
  };
  return {
    insertOrIgnore: (db, row) => ins.run(db, row as never).changes,
    insert: (db, row) => void strict.run(db, row as never),
    held: (db, row) => sel.get(db, row as never) as { owner: string; cs: number } | undefined,
    heldUpdatedAt: (db, row) => ((selAt?.get(db, row as never) as { at: string | null } | undefined)?.at ?? null),
    update(db, row) {
      const held = heldRow.get(db, row as never) as Record<string, unknown> | undefined;
      const changed = held ? nonPk.filter((i) => !sameValue(held[columns[i]], row[i])) : nonPk;
      if (changed.length) updateOf(changed).run(db, row as never);
    },
  };
}

/**
 * Many rows in one statement: SQLite parses a batch from its JSON bytes (INSERT OR IGNORE … SELECT … FROM json_each),
 * one statement journal per batch; rows of another office or of another width are left out. Raw `sql`: the
 * `->>` operator and json_each have no builder form. Returns the rows inserted.
 */
export function batchInsert(table: string, columns: readonly string[], ownerIdx: number): (db: WritableDB, json: Buffer, officeId: string) => number {
  const q = writeQuery(
    (_db, p: { json: Buffer; officeId: string }) =>
      sql`INSERT OR IGNORE INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
          SELECT ${sql.join(columns.map((_, i) => sql`j.value ->> ${sql.lit(i)}`))} FROM json_each(CAST(${p.json} AS TEXT)) j
           WHERE json_array_length(j.value) = ${sql.lit(columns.length)} AND j.value ->> ${sql.lit(ownerIdx)} = ${p.officeId}`,
  );
  return (db, json, officeId) => q.run(db, { json, officeId }).changes;
}

/** Replaces a child table's rows: the rows of a parent go, the file's rows come. */
export function childStatements(table: string, columns: readonly string[], fk: string): { deleteFor(db: WritableDB, parentId: string): void; insert(db: WritableDB, row: Row): void } {
  const del = deleteByColumn(table, fk);
  const ins = writeQuery((db, p: Row) => untyped(db).insertInto(table).values(Object.fromEntries(columns.map((c, i) => [c, p[i]]))));
  return { deleteFor: (db, id) => del.run(db, { id }), insert: (db, row) => void ins.run(db, row as never) };
}

const deleteCache = new Map<string, WriteQuery<{ id: string }, unknown>>();
function deleteByColumn(table: string, column: string): WriteQuery<{ id: string }, unknown> {
  return cached(deleteCache, `${table}\0${column}`, () => writeQuery((db, p: { id: string }) => untyped(db).deleteFrom(table).where(column, '=', p.id)));
}
/** Deletes the rows whose column holds the value (a record by its key, the children of a parent). */
export function deleteWhere(db: WritableDB, table: string, column: string, id: string): void {
  deleteByColumn(table, column).run(db, { id });
}

const ownerCache = new Map<string, ReadQuery<{ id: string }, { owner: string }>>();
/** The office owning a record, by its single-column key. */
export function ownerOf(db: ReadableDB, table: string, pk: string, owner: string, id: string): string | undefined {
  const q = cached(ownerCache, `${table}\0${pk}\0${owner}`, () =>
    readQuery((db, p: { id: string }) => untyped(db).selectFrom(table).select(`${owner} as owner`).where(pk, '=', p.id)),
  );
  return q.get(db, { id })?.owner;
}

const savepoints = new Map<string, { open: WriteQuery<Record<never, never>, unknown>; rollback: WriteQuery<Record<never, never>, unknown>; release: WriteQuery<Record<never, never>, unknown> }>();
/**
 * A named savepoint inside the call's transaction (statements of their own: the builder has none). `keep(false)`
 * rolls back to it; either way it is released.
 */
export function savepoint(db: WritableDB, name: string): { close(keep: boolean): void } {
  const s = cached(savepoints, name, () => ({
    open: writeQuery(() => sql`SAVEPOINT ${sql.id(name)}`),
    rollback: writeQuery(() => sql`ROLLBACK TO ${sql.id(name)}`),
    release: writeQuery(() => sql`RELEASE ${sql.id(name)}`),
  }));
  s.open.run(db);
  return {
    close(keep) {
      if (!keep) s.rollback.run(db);
      s.release.run(db);
    },
  };
}
