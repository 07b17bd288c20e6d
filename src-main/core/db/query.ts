import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type Insertable,
  type Selectable,
  type Compilable,
  type RawBuilder,
  type SelectQueryBuilder,
} from 'kysely';
import type { RunResult, Statement } from 'better-sqlite3-multiple-ciphers';
import type { DB } from './schema';
import { connectionOf, type ReadableDB, type WritableDB } from './handles';
import { stmt } from './statements';

/**
 * The one data API of the core: Kysely's builder writes every statement (typed by core/db/schema*.ts, and a
 * PostgreSQL dialect stays within reach for a regional server), better-sqlite3 runs it synchronously, inside the
 * call's transaction, as a statement prepared once per connection.
 *
 * `qb` only builds and compiles (its driver never connects): queries are not executed through Kysely's async
 * executor, whose per-call overhead the hot paths (search, duplicate check, attendance) cannot afford.
 */
export const qb = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** A parameter's place in a query written once: `p.id` in the builder, `{ id }` when it runs. */
class Param {
  constructor(readonly name: string) {}
}

type Value = string | number | bigint | Buffer | null;
type Row<Q> = Q extends Compilable<infer O> ? O : Q extends RawBuilder<infer O> ? O : never;
type Buildable = Compilable<unknown> | RawBuilder<unknown>;

function toValue(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v as Value;
}

function compile(q: Buildable): CompiledQuery {
  // A query builder compiles itself; a raw `sql` template needs the builder for its dialect.
  return (q as { compile(db?: Kysely<DB>): CompiledQuery }).compile(qb);
}


const names = new Proxy({} as Record<string, Param>, { get: (_t, k) => new Param(String(k)) });

class Prepared<P, R> {
  private compiled: { sql: string; args: (Value | Param)[] } | null = null;
  constructor(
    private readonly build: (db: Kysely<DB>, p: P) => Buildable,
    private readonly mustRead: boolean,
  ) {}

  /** Compiled on first use, not at import: a module's queries cost nothing until they run (cold start). */
  private compiledQuery() {
    if (!this.compiled) {
      const c = compile(this.build(qb, names as unknown as P));
      this.compiled = { sql: c.sql, args: c.parameters.map((v) => (v instanceof Param ? v : toValue(v))) };
    }
    return this.compiled;
  }

  private statement(db: ReadableDB, params: unknown): { s: Statement<Value[], R>; args: Value[] } {
    const { sql, args } = this.compiledQuery();
    const values = args.map((a) => {
      if (!(a instanceof Param)) return a;
      const v = (params as Record<string, unknown> | undefined)?.[a.name];
      if (v === undefined) throw new Error(`query parameter "${a.name}" missing`);
      return toValue(v);
    });
    const s = stmt<Value[], R>(connectionOf(db), sql);
    // A read query must not write, whatever its text says (better-sqlite3 asks SQLite).
    if (this.mustRead && !s.readonly) throw new Error(`a read query writes: ${sql}`);
    return { s, args: values };
  }

  all(db: ReadableDB, params?: P): R[] {
    const { s, args } = this.statement(db, params);
    return s.all(...args);
  }
  get(db: ReadableDB, params?: P): R | undefined {
    const { s, args } = this.statement(db, params);
    return s.get(...args);
  }
  iterate(db: ReadableDB, params?: P): IterableIterator<R> {
    const { s, args } = this.statement(db, params);
    return s.iterate(...args);
  }
  column<V>(db: ReadableDB, params?: P): V[] {
    const { s, args } = this.statement(db, params);
    return s.pluck(true).all(...args) as unknown as V[];
  }
  run(db: WritableDB, params?: P): RunResult {
    const { s, args } = this.statement(db, params);
    return s.run(...args);
  }
  /** The SQL text (query-plan tests, logs). */
  sql(): string {
    return this.compiledQuery().sql;
  }
}

/** `[params]` when the query has parameters, nothing otherwise. */
type Args<P> = keyof P extends never ? [] : [params: P];

/** A query that reads: given a ReadableDB (a read method's handle) or a WritableDB. */
export interface ReadQuery<P, R> {
  all(db: ReadableDB, ...params: Args<P>): R[];
  get(db: ReadableDB, ...params: Args<P>): R | undefined;
  iterate(db: ReadableDB, ...params: Args<P>): IterableIterator<R>;
  /** The first column of each row (`select id …` → ids). */
  column<V = R[keyof R]>(db: ReadableDB, ...params: Args<P>): V[];
  sql(): string;
}

/** A query that writes: only a WritableDB (a write method's transaction) runs it. */
export interface WriteQuery<P, R> {
  run(db: WritableDB, ...params: Args<P>): RunResult;
  /** Rows of a `returning(…)` clause. */
  all(db: WritableDB, ...params: Args<P>): R[];
  get(db: WritableDB, ...params: Args<P>): R | undefined;
  sql(): string;
}

type Built<P, Q> = Q extends SelectQueryBuilder<DB, never, unknown> ? ReadQuery<P, Row<Q>> : WriteQuery<P, Row<Q>>;

/**
 * A statement written once with Kysely's builder, run many times: `p.<name>` marks a parameter.
 *
 *   const byId = query((db, p: { id: string }) => db.selectFrom('cohorts').selectAll().where('id', '=', p.id));
 *   byId.get(rdb, { id })
 *
 * A select gives a ReadQuery, an insert/update/delete a WriteQuery. A parameter cannot stand for a list: pass a
 * JSON text and read it with `json_each`. A raw `sql` template (what the builder cannot say: FTS5 MATCH, PRAGMA)
 * goes through `readQuery` or `writeQuery`, which say which it is.
 */
export function query<P = Record<never, never>, Q extends Compilable<unknown> = Compilable<unknown>>(
  build: (db: Kysely<DB>, p: P) => Q,
): Built<P, Q> {
  const p = new Prepared<P, Row<Q>>(build, false);
  return p as unknown as Built<P, Q>;
}

/** A read written as a raw `sql` template (or anything `query` cannot tell is a read); refused at run time if it writes. */
export function readQuery<P = Record<never, never>, Q extends Buildable = Buildable>(build: (db: Kysely<DB>, p: P) => Q): ReadQuery<P, Row<Q>> {
  return new Prepared<P, Row<Q>>(build, true) as unknown as ReadQuery<P, Row<Q>>;
}

/** A write written as a raw `sql` template. */
export function writeQuery<P = Record<never, never>, Q extends Buildable = Buildable>(build: (db: Kysely<DB>, p: P) => Q): WriteQuery<P, Row<Q>> {
  return new Prepared<P, Row<Q>>(build, false) as unknown as WriteQuery<P, Row<Q>>;
}

/**
 * An insert of a whole row, written once: `columns` names every column of the table (the compiler checks the list
 * against the table's interface), since the builder's `values(p)` cannot list the keys of a parameter object.
 * The row given when it runs must carry every listed column (a missing one would be written as NULL).
 */
export function insertRow<T extends keyof DB & string>(table: T, columns: Record<keyof DB[T] & string, true>): WriteQuery<Insertable<DB[T]>, never> {
  const names = Object.keys(columns);
  return query((db, p: Insertable<DB[T]>) =>
    db.insertInto(table).values(Object.fromEntries(names.map((c) => [c, (p as Record<string, unknown>)[c]])) as never),
  ) as unknown as WriteQuery<Insertable<DB[T]>, never>;
}

/** The values an `updateRow` statement takes: each listed column, as the table's rows hold it, and the row's id. */
export type RowUpdate<T extends keyof DB, C extends keyof DB[T]> = { [K in C]: K extends keyof Selectable<DB[T]> ? Selectable<DB[T]>[K] : never } & { id: string };

/**
 * An update of some columns of one row by its id, written once (the sibling of `insertRow`): `columns` names the
 * columns set, in that order (the compiler checks each against the table's interface), and the values given when it
 * runs must carry every one of them (a missing one would be written as NULL) and the row's `id`.
 *
 *   const setStatus = updateRow('applicants', { status: true, updated_at: true, change_seq: true });
 *   setStatus.run(db, { id, status, updated_at, change_seq });
 */
export function updateRow<T extends keyof DB & string, C extends keyof DB[T] & string>(table: T, columns: Record<C, true>): WriteQuery<RowUpdate<T, C>, never> {
  const names = Object.keys(columns);
  return query((db, p: Record<string, unknown>) =>
    // The table is a type parameter here: the builder is given it untyped, the signature above carries the types.
    (db as unknown as Kysely<any>)
      .updateTable(table as string)
      .set(Object.fromEntries(names.map((c) => [c, p[c]])) as never)
      .where('id', '=', p.id as string),
  ) as unknown as WriteQuery<RowUpdate<T, C>, never>;
}

/**
 * A query built at the call (optional filters), prepared once per SQL text and connection. A read refuses a
 * statement that writes, whatever its text (SQLite says: better-sqlite3's `readonly`), as `readQuery` does.
 */
function atCall<R>(db: ReadableDB, q: Buildable, mustRead: boolean): { s: Statement<Value[], R>; args: Value[] } {
  const c = compile(q);
  const s = stmt<Value[], R>(connectionOf(db), c.sql);
  if (mustRead && !s.readonly) throw new Error(`a read query writes: ${c.sql}`);
  return { s, args: c.parameters.map(toValue) };
}

export function all<Q extends Buildable>(db: ReadableDB, q: Q): Row<Q>[] {
  const { s, args } = atCall<Row<Q>>(db, q, true);
  return s.all(...args);
}
export function get<Q extends Buildable>(db: ReadableDB, q: Q): Row<Q> | undefined {
  const { s, args } = atCall<Row<Q>>(db, q, true);
  return s.get(...args);
}
export function iterate<Q extends Buildable>(db: ReadableDB, q: Q): IterableIterator<Row<Q>> {
  const { s, args } = atCall<Row<Q>>(db, q, true);
  return s.iterate(...args);
}
export function run(db: WritableDB, q: Buildable): RunResult {
  const { s, args } = atCall<unknown>(db, q, false);
  return s.run(...args);
}
