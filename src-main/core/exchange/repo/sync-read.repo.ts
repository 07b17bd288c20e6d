import { sql, type RawBuilder } from 'kysely';
import type { ReadableDB } from '../../db/handles';
import { readQuery, type ReadQuery } from '../../db/query';
import { rowJson } from '../file-format';
import { SYNC_TABLES } from '../registry';
import { columnTypes, hasRowid, tableColumns, tableExists } from './sync-tables.repo';

/**
 * What an export reads: the rows of the registry's tables owned by the office (changed in a range, or all of them
 * for a full snapshot) and the deletions, anonymisations and closures of change_log, as JSON lines. The tables'
 * columns are learned at run time (PRAGMA table_info), and SQLite itself writes most rows as JSON (json_array,
 * group_concat): raw `sql` templates, names quoted by Kysely (`sql.table`, `sql.ref`), parameters named.
 *
 * How a table's rows are read:
 * - `chunks`: SQLite writes the rows as JSON lines, at most `limit` rows at a time in rowid order, into one BLOB per
 *   chunk (no JavaScript value per row, no UTF-8 round trip): a full snapshot of a rowid table of TEXT, INTEGER and
 *   REAL columns; the rows with a REAL value set follow as `lines`.
 * - `lines`: SQLite writes each row as a JSON array; REAL columns come last in the part (the importer maps columns
 *   by name) and are added by JavaScript, because SQLite prints 15 significant digits and the values must
 *   arrive unchanged.
 * - `rows`: JavaScript arrays serialised by JSON.stringify (BLOB columns, the changes part).
 */

export const CHANGES_ENTITY_OPS = ['delete', 'anonymise', 'close'] as const;

/** A piece of a part: JSON lines and their number. */
export interface Piece {
  text: Buffer | string;
  rows: number;
}
/** Reads a source a piece at a time (at most `limit` rows per piece); `close` releases the statement. */
export type Reader = { next(limit: number): Piece | null; close(): void };

export interface Source {
  table: string;
  /** The column names in the order of the part's lines. */
  columns: string[];
  /** A cheap estimate of the rows (progress only). */
  estimate(db: ReadableDB): number;
  reader(db: ReadableDB): Reader;
}

/** The range read: the office's rows, changed in (from, to] unless a full snapshot. */
interface Range {
  office: string;
  from: number;
  to: number;
}

/** A batch of rows serialised in JavaScript is handed to the compressor from this size on. */
const BATCH_CHARS = 4 << 20;

type Sql = RawBuilder<unknown>;
const ref = (alias: string, c: string) => sql.ref(`${alias}.${c}`);
const list = (xs: Sql[]) => sql.join(xs);

const estimateCache = new Map<string, ReadQuery<Range, { n: number }>>();
function estimateQuery(key: string, build: (p: Range) => Sql): (db: ReadableDB, r: Range) => number {
  let q = estimateCache.get(key);
  if (!q) estimateCache.set(key, (q = readQuery((_db, p: Range) => build(p) as RawBuilder<{ n: number }>)));
  const query = q;
  return (db, r) => query.get(db, r)?.n ?? 0;
}

/**
 * The reading plan of one table: `from` names the table read (alias `t`) and `where` its rows; `chunked`: a full
 * snapshot, which may be read in rowid chunks.
 */
function plan(
  db: ReadableDB,
  table: string,
  columns: string[],
  from: Sql,
  where: (p: Range) => Sql,
  range: Range,
  chunked: boolean,
  estimate: ((db: ReadableDB) => number) | null,
): Source {
  const types = columnTypes(db, table);
  const col = (c: string) => ref('t', c);
  const plain = columns.filter((c) => types.get(c) === 'TEXT' || types.get(c) === 'INTEGER');
  const reals = columns.filter((c) => types.get(c) === 'REAL');
  const est = estimate ?? (() => 0);
  if (plain.length + reals.length < columns.length || plain.length === 0) {
    // BLOB columns, or types SQLite's JSON would not keep exactly: JavaScript serialises each row.
    const q = readQuery((_db, p: Range) => sql<Record<string, unknown>>`SELECT ${list(columns.map(col))} FROM ${from} WHERE ${where(p)}`);
    return { table, columns, estimate: est, reader: (db) => lineReader(q.iterate(db, range), 'rows', 0) };
  }
  const lines = (w: (p: Range) => Sql) =>
    readQuery(
      (_db, p: Range) =>
        sql<Record<string, unknown>>`SELECT json_array(${list(plain.map(col))}) AS __line ${sql.join(
          reals.map((c) => sql`, ${col(c)}`),
          sql``,
        )} FROM ${from} WHERE ${w(p)}`,
    );
  const ordered = [...plain, ...reals];
  if (chunked && hasRowid(db, table)) {
    // Rows whose REAL columns are all NULL (most of them) are written by SQLite; the others follow as `lines`.
    const realsNull = reals.length ? sql.join(reals.map((c) => sql`${col(c)} IS NULL`), sql` AND `) : null;
    const chunk = readQuery(
      (_db, p: Range & { after: number; limit: number }) =>
        sql<{ last: number | null; n: number; text: Buffer | null }>`SELECT max(r) AS last, count(*) AS n, CAST(group_concat(j, char(10)) || char(10) AS BLOB) AS text
              FROM (SELECT t.rowid AS r, json_array(${list(ordered.map(col))}) AS j FROM ${from}
                     WHERE t.rowid > ${p.after} AND ${where(p)}${realsNull ? sql` AND ${realsNull}` : sql``} ORDER BY t.rowid LIMIT ${p.limit})`,
    );
    const rest = realsNull ? lines((p) => sql`${where(p)} AND NOT (${realsNull})`) : null;
    const maxRowid = estimateQuery(`max\0${table}`, () => sql`SELECT coalesce(max(rowid), 0) AS n FROM ${sql.table(table)}`);
    return {
      table,
      columns: ordered,
      estimate: (db) => maxRowid(db, range),
      reader: (db) => {
        let after = 0;
        let restReader: Reader | null = null;
        return {
          next(limit) {
            if (restReader) return restReader.next(limit);
            const r = chunk.get(db, { ...range, after, limit });
            if (r && r.n && r.last !== null && r.text) {
              after = r.last;
              return { text: r.text, rows: r.n };
            }
            if (!rest) return null;
            restReader = lineReader(rest.iterate(db, range), 'lines', reals.length);
            return restReader.next(limit);
          },
          close() {
            restReader?.close();
          },
        };
      },
    };
  }
  const q = lines(where);
  return { table, columns: ordered, estimate: est, reader: (db) => lineReader(q.iterate(db, range), 'lines', reals.length) };
}

function lineReader(it: IterableIterator<Record<string, unknown>>, mode: 'lines' | 'rows', reals: number, onRow?: (row: unknown[]) => void): Reader {
  const line: (r: Record<string, unknown>) => string =
    mode === 'rows'
      ? (r) => {
          const a = Object.values(r);
          onRow?.(a);
          return rowJson(a);
        }
      : reals === 0
        ? (r) => r.__line as string
        : (r) => {
            const a = Object.values(r);
            let j = (a[0] as string).slice(0, -1);
            for (let i = 1; i < a.length; i++) j += `,${JSON.stringify(a[i] ?? null)}`;
            return j + ']';
          };
  let ended = false;
  return {
    next(limit) {
      if (ended) return null;
      let text = '';
      let rows = 0;
      while (rows < limit && text.length < BATCH_CHARS) {
        const r = it.next();
        if (r.done) {
          ended = true;
          break;
        }
        text += line(r.value) + '\n';
        rows++;
      }
      return rows ? { text, rows } : null;
    },
    close() {
      it.return?.();
    },
  };
}

/**
 * What to read for each registry table (and its children) within the change range, then the changes part.
 * `ops` counts the changes part's operations as they are read.
 */
export function exportSources(db: ReadableDB, office: string, from: number, to: number, full: boolean, changesPart: string, ops: Record<string, number>): Source[] {
  const out: Source[] = [];
  const range: Range = { office, from, to };
  // A full snapshot takes every row of the office, including rows bulk-loaded without a change number.
  // No ORDER BY beyond the table's own order (a sort of a million rows costs more than the rest of the read);
  // a file made again reuses the stored content, so the order need not be reproducible.
  for (const t of SYNC_TABLES) {
    if (!tableExists(db, t.table)) continue;
    const omit = new Set(t.omit ?? []);
    const columns = tableColumns(db, t.table).filter((c) => !omit.has(c));
    // Full: `+` keeps the planner off an index on the owner, so chunks are read in rowid order without a sort
    // (at a province every row is the office's).
    const owned = (alias: string, plus: boolean) => (p: Range) =>
      full ? (plus ? sql`+${ref(alias, t.owner)} = ${p.office}` : sql`${ref(alias, t.owner)} = ${p.office}`) : sql`${ref(alias, t.owner)} = ${p.office} AND ${ref(alias, 'change_seq')} > ${p.from} AND ${ref(alias, 'change_seq')} <= ${p.to}`;
    const count = full
      ? estimateQuery(`count\0${t.table}`, () => sql`SELECT COUNT(*) AS n FROM ${sql.table(t.table)}`)
      : estimateQuery(`since\0${t.table}`, (p) => sql`SELECT COUNT(*) AS n FROM ${sql.table(t.table)} WHERE change_seq > ${p.from}`);
    out.push(plan(db, t.table, columns, sql`${sql.table(t.table)} t`, owned('t', true), range, full, (db) => count(db, range)));
    for (const c of t.children ?? []) {
      if (!tableExists(db, c.table)) continue;
      const childCount = full ? estimateQuery(`count\0${c.table}`, () => sql`SELECT COUNT(*) AS n FROM ${sql.table(c.table)}`) : null;
      // CROSS JOIN: the child is the outer loop (its rowid order), the parent is looked up by its key.
      const joined = sql`${sql.table(c.table)} t CROSS JOIN ${sql.table(t.table)} p ON ${ref('p', t.pk[0])} = ${ref('t', c.fk)}`;
      out.push(plan(db, c.table, tableColumns(db, c.table), joined, owned('p', false), range, full, childCount && ((db) => childCount(db, range))));
    }
  }
  const entities = SYNC_TABLES.map((t) => t.table);
  const changes = readQuery(
    (_db, p: Range) =>
      sql<Record<string, unknown>>`SELECT seq, entity, entity_id, op, at FROM change_log
        WHERE op IN (${list(CHANGES_ENTITY_OPS.map((o) => sql.lit(o)))}) AND seq > ${p.from} AND seq <= ${p.to} AND office_id = ${p.office}
          AND entity IN (${list(entities.map((e) => sql.lit(e)))}) ORDER BY seq`,
  );
  out.push({
    table: changesPart,
    columns: ['seq', 'entity', 'entity_id', 'op', 'at'],
    estimate: () => 0,
    reader: (db) => lineReader(changes.iterate(db, range), 'rows', 0, (r) => ops[r[3] as string]++),
  });
  return out;
}
