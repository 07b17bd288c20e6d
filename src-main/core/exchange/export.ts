import { AppError } from '../../shared/errors';
import type { JobHooks } from '../jobs/job-control';
import type { Sqlite } from '../db/connection';
import { connectionOf, type ReadableDB } from '../db/handles';
import type { Office } from '../db/schema';
import { keyFingerprint, signBytes } from '../crypto/keys';
import { buildInner, CHANGES_PART, FORMAT_VERSION, PartWriter, rowJson, type Manifest, type PartInfo } from './file-format';
import type { ManifestAudit } from '../security/audit-chain-anchors';
import { q, SYNC_TABLES, tableColumns, tableExists } from './registry';

export interface ExchangeProgress {
  phase: 'export' | 'import';
  table: string;
  done: number;
  total: number;
}

export interface BuildExportInput extends JobHooks {
  office: Office;
  signingKeyPem: string;
  fileSeq: number;
  prevFileSeq: number;
  type: 'delta' | 'full';
  /** Exclusive lower bound of change_seq (0 for a full snapshot). */
  from: number;
  /** Inclusive upper bound of change_seq. */
  to: number;
  createdAt: string;
  appVersion: string;
  schemaVersion: string;
  /** The audit chain's head and checkpoints (manifestAudit), signed with the rest of the manifest. */
  audit?: ManifestAudit;
}

/** Rows per part: bounds memory at both ends and gives progress steps. */
const PART_ROWS = 200_000;
/** Rows read at a time (a divisor of PART_ROWS): one progress step, one check for cancellation. */
const CHUNK_ROWS = 20_000;
/** A batch of rows serialised in JavaScript is handed to the compressor from this size on. */
const BATCH_CHARS = 4 << 20;
/** Parts being compressed while the next one is read. */
const PARTS_IN_FLIGHT = 2;

/**
 * How a table's rows are read:
 * - `chunks`: SQLite writes the rows as JSON lines, CHUNK_ROWS at a time in rowid order, into one BLOB per chunk
 *   (no JavaScript value per row, no UTF-8 round trip): a full snapshot of a rowid table of TEXT, INTEGER and REAL
 *   columns; the rows with a REAL value set follow as `lines` (`restSql`).
 * - `lines`: SQLite writes each row as a JSON array; REAL columns come last in the part (the importer maps columns
 *   by name) and are added by JavaScript, because SQLite prints 15 significant digits and the values must
 *   arrive unchanged.
 * - `rows`: JavaScript arrays serialised by JSON.stringify (BLOB columns, the changes part).
 */
interface Source {
  table: string;
  /** The column names in the order of the part's lines. */
  columns: string[];
  mode: 'chunks' | 'lines' | 'rows';
  /** chunks: parameters (after rowid, ...params, limit); lines: [json, ...reals] per row; rows: raw arrays. */
  sql: string;
  /** chunks of a table with REAL columns: the rows where one of them is set, read as `lines` after the chunks. */
  restSql?: string;
  params: unknown[];
  reals: number;
  /** A cheap estimate of the rows (progress only). */
  estimateSql: string | null;
  estimateParams: unknown[];
  onRow?: (row: unknown[]) => void;
}

function columnTypes(db: Sqlite, table: string): Map<string, string> {
  const rows = db.prepare(`SELECT name, upper(type) AS type FROM pragma_table_info(?)`).all(table) as { name: string; type: string }[];
  return new Map(rows.map((r) => [r.name, r.type]));
}

function hasRowid(db: Sqlite, table: string): boolean {
  const sql = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck().get(table) as string | undefined;
  return !!sql && !/\bWITHOUT\s+ROWID\b/i.test(sql);
}

/**
 * The reading plan of one table: `from` names the table read (alias `t`) and `where` its rows; `chunked`: a full
 * snapshot, which may be read in rowid chunks.
 */
function plan(db: Sqlite, table: string, columns: string[], from: string, where: string, params: unknown[], chunked: boolean, estimateSql: string | null, estimateParams: unknown[]): Source {
  const types = columnTypes(db, table);
  const col = (c: string) => `t.${q(c)}`;
  const plain = columns.filter((c) => types.get(c) === 'TEXT' || types.get(c) === 'INTEGER');
  const reals = columns.filter((c) => types.get(c) === 'REAL');
  const base = { table, params, estimateSql, estimateParams };
  if (plain.length + reals.length < columns.length || plain.length === 0) {
    // BLOB columns, or types SQLite's JSON would not keep exactly: JavaScript serialises each row.
    return { ...base, columns, mode: 'rows', reals: 0, sql: `SELECT ${columns.map(col).join(', ')} FROM ${from} WHERE ${where}` };
  }
  const lines = (w: string) => `SELECT json_array(${plain.map(col).join(', ')}) ${reals.map((c) => `, ${col(c)}`).join('')} FROM ${from} WHERE ${w}`;
  if (chunked && hasRowid(db, table)) {
    // Rows whose REAL columns are all NULL (most of them) are written by SQLite; the others follow as `lines`.
    const realsNull = reals.map((c) => `${col(c)} IS NULL`).join(' AND ');
    return {
      ...base,
      columns: [...plain, ...reals],
      mode: 'chunks',
      reals: reals.length,
      sql: `SELECT max(r) AS last, count(*) AS n, CAST(group_concat(j, char(10)) || char(10) AS BLOB) AS text
              FROM (SELECT t.rowid AS r, json_array(${[...plain, ...reals].map(col).join(', ')}) AS j FROM ${from}
                     WHERE t.rowid > ? AND ${where}${reals.length ? ` AND ${realsNull}` : ''} ORDER BY t.rowid LIMIT ?)`,
      restSql: reals.length ? lines(`${where} AND NOT (${realsNull})`) : undefined,
      estimateSql: `SELECT coalesce(max(rowid), 0) FROM ${q(table)}`,
      estimateParams: [],
    };
  }
  return { ...base, columns: [...plain, ...reals], mode: 'lines', reals: reals.length, sql: lines(where) };
}

/** What to read for each registry table (and its children) within the change range. */
function sources(db: Sqlite, office: Office, from: number, to: number, full: boolean, ops: Record<string, number>): Source[] {
  const out: Source[] = [];
  // A full snapshot takes every row of the office, including rows bulk-loaded without a change number.
  // No ORDER BY beyond the table's own order (a sort of a million rows costs more than the rest of the read);
  // a file made again reuses the stored content, so the order need not be reproducible.
  for (const t of SYNC_TABLES) {
    if (!tableExists(db, t.table)) continue;
    const omit = new Set(t.omit ?? []);
    const columns = tableColumns(db, t.table).filter((c) => !omit.has(c));
    // Full: `+` keeps the planner off an index on the owner, so chunks are read in rowid order without a sort
    // (at a province every row is the office's).
    const where = full ? `+t.${q(t.owner)} = ?` : `t.${q(t.owner)} = ? AND t.change_seq > ? AND t.change_seq <= ?`;
    const params = full ? [office.id] : [office.id, from, to];
    out.push(
      plan(db, t.table, columns, `${q(t.table)} t`, where, params, full, full ? `SELECT COUNT(*) FROM ${q(t.table)}` : `SELECT COUNT(*) FROM ${q(t.table)} WHERE change_seq > ?`, full ? [] : [from]),
    );
    for (const c of t.children ?? []) {
      if (!tableExists(db, c.table)) continue;
      const pw = full ? `p.${q(t.owner)} = ?` : `p.${q(t.owner)} = ? AND p.change_seq > ? AND p.change_seq <= ?`;
      // CROSS JOIN: the child is the outer loop (its rowid order), the parent is looked up by its key.
      out.push(
        plan(db, c.table, tableColumns(db, c.table), `${q(c.table)} t CROSS JOIN ${q(t.table)} p ON p.${q(t.pk[0])} = t.${q(c.fk)}`, pw, params, full, full ? `SELECT COUNT(*) FROM ${q(c.table)}` : null, []),
      );
    }
  }
  const entities = SYNC_TABLES.map((t) => t.table);
  const cw = `op IN ('delete', 'anonymise', 'close') AND seq > ? AND seq <= ? AND office_id = ? AND entity IN (${entities.map(() => '?').join(', ')})`;
  out.push({
    table: CHANGES_PART,
    columns: ['seq', 'entity', 'entity_id', 'op', 'at'],
    mode: 'rows',
    reals: 0,
    sql: `SELECT seq, entity, entity_id, op, at FROM change_log WHERE ${cw} ORDER BY seq`,
    params: [from, to, office.id, ...entities],
    estimateSql: null,
    estimateParams: [],
    onRow: (r) => ops[r[3] as string]++,
  });
  return out;
}

interface Piece {
  text: Buffer | string;
  rows: number;
}

type Reader = { next(limit: number): Piece | null; close(): void };

/** Reads a source a piece at a time (at most `limit` rows per piece); `close` releases the statement. */
function reader(db: Sqlite, s: Source): Reader {
  if (s.mode !== 'chunks') return lineReader(db, s.sql, s.params, s.mode, s.reals, s.onRow);
  const st = db.prepare(s.sql);
  let after = 0;
  let rest: Reader | null = null;
  return {
    next(limit) {
      if (rest) return rest.next(limit);
      const r = st.get(after, ...s.params, limit) as { last: number | null; n: number; text: Buffer | null };
      if (r.n && r.last !== null && r.text) {
        after = r.last;
        return { text: r.text, rows: r.n };
      }
      if (!s.restSql) return null;
      rest = lineReader(db, s.restSql, s.params, 'lines', s.reals);
      return rest.next(limit);
    },
    close() {
      rest?.close();
    },
  };
}

function lineReader(db: Sqlite, sql: string, params: unknown[], mode: 'lines' | 'rows', reals: number, onRow?: (row: unknown[]) => void): Reader {
  const st = db.prepare(sql);
  const it = (mode === 'lines' && reals === 0 ? st.pluck().iterate(...params) : st.raw(true).iterate(...params)) as IterableIterator<unknown[] | string>;
  const line: (r: unknown[] | string) => string =
    mode === 'rows'
      ? (r) => {
          onRow?.(r as unknown[]);
          return rowJson(r as unknown[]);
        }
      : reals === 0
        ? (r) => r as string
        : (r) => {
            const a = r as unknown[];
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
 * Reads every row of this office changed in (from, to] — or all of them for a full snapshot — and the deletions,
 * anonymisations and closures of that range, compresses them table by table, and signs the manifest.
 * Reads only: the caller records the file in the history.
 */
export async function buildExportContent(dbIn: ReadableDB | Sqlite, input: BuildExportInput): Promise<{ manifest: Manifest; inner: Buffer }> {
  const db = connectionOf(dbIn as ReadableDB); // see `reader`: the export's reading statements run on the connection
  const { office, signal, onProgress } = input;
  if (!office.public_key) throw new AppError('exchange.no_signing_key');
  const ops: Record<string, number> = { delete: 0, anonymise: 0, close: 0 };
  const srcs = sources(db, office, input.from, input.to, input.type === 'full', ops);
  let total = srcs.reduce((a, s) => a + (s.estimateSql ? ((db.prepare(s.estimateSql).pluck().get(...s.estimateParams) as number) ?? 0) : 0), 0);
  const counts: Record<string, number> = {};
  // Parts in file order; each is compressed while the next ones are read (at most PARTS_IN_FLIGHT at once).
  const parts: { table: string; writer: PartWriter; result: Promise<{ data: Buffer; rows: number; sha256: string }> }[] = [];
  let settled = 0;
  let done = 0;
  try {
    for (const s of srcs) {
      if (signal?.aborted) throw new AppError('exchange.cancelled');
      const rd = reader(db, s);
      let tableRows = 0;
      try {
        // A table with no rows still gets one (empty) part, so the file says which columns it knows.
        for (let exhausted = false; !exhausted; ) {
          const writer = new PartWriter(s.columns);
          let inPart = 0;
          try {
            while (inPart < PART_ROWS) {
              const piece = rd.next(Math.min(CHUNK_ROWS, PART_ROWS - inPart));
              if (!piece) {
                exhausted = true;
                break;
              }
              inPart += piece.rows;
              done += piece.rows;
              await writer.write(piece.text, piece.rows);
              total = Math.max(total, done);
              onProgress?.({ phase: 'export', table: s.table, done, total });
              // A turn of the event loop after every piece, signal or not: the compressor's callbacks run there
              // (each hands it the next buffered piece), so it works while SQLite reads the next rows.
              await new Promise((r) => setImmediate(r));
              if (signal?.aborted) throw new AppError('exchange.cancelled');
            }
          } catch (e) {
            writer.destroy();
            throw e;
          }
          if (inPart === 0 && tableRows > 0) {
            writer.destroy(); // the previous part ended exactly on the last row
            break;
          }
          tableRows += inPart;
          const result = writer.end();
          result.catch(() => {}); // awaited below, in order
          parts.push({ table: s.table, writer, result });
          while (parts.length - settled > PARTS_IN_FLIGHT) await parts[settled++].result;
        }
      } finally {
        rd.close();
      }
      if (s.table === CHANGES_PART) {
        for (const op of Object.keys(ops)) counts[`changes.${op}`] = ops[op];
      } else counts[s.table] = tableRows;
    }
  } catch (e) {
    for (const p of parts.slice(settled)) p.writer.destroy();
    throw e;
  }
  const infos: PartInfo[] = [];
  const datas: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const { data, rows, sha256 } = await p.result;
    infos.push({ table: p.table, rows, offset, length: data.length, sha256 });
    datas.push(data);
    offset += data.length;
  }
  onProgress?.({ phase: 'export', table: CHANGES_PART, done, total: done });
  const manifest: Manifest = {
    kind: 'jisr-exchange',
    format: FORMAT_VERSION,
    office: { id: office.id, slug: office.slug, code: office.code, fingerprint: keyFingerprint(office.public_key) },
    fileSeq: input.fileSeq,
    prevFileSeq: input.prevFileSeq,
    type: input.type,
    changeSeq: { from: input.from, to: input.to },
    counts,
    createdAt: input.createdAt,
    appVersion: input.appVersion,
    schemaVersion: input.schemaVersion,
    parts: infos,
    ...(input.audit ? { audit: input.audit } : {}),
  };
  const inner = buildInner(manifest, datas, (m) => signBytes(input.signingKeyPem, m));
  return { manifest, inner };
}
