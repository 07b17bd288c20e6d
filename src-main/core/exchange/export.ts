import { AppError } from '../../shared/errors';
import type { Sqlite } from '../db/connection';
import type { Office } from '../db/schema';
import { keyFingerprint, signBytes } from '../crypto/keys';
import { buildInner, CHANGES_PART, FORMAT_VERSION, gzipPart, sha256, type Manifest, type PartInfo } from './file-format';
import { q, SYNC_TABLES, tableColumns, tableExists } from './registry';

export interface ExchangeProgress {
  phase: 'export' | 'import';
  table: string;
  done: number;
  total: number;
}

export interface JobControl {
  signal?: AbortSignal;
  onProgress?: (p: ExchangeProgress) => void;
}

export interface BuildExportInput extends JobControl {
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
}

/** Rows per part: bounds memory at both ends and gives progress steps. */
const PART_ROWS = 200_000;

interface Source {
  table: string;
  columns: string[];
  sql: string;
  params: unknown[];
  /** A cheap estimate of the rows (progress only): a count the indexes answer without reading the rows. */
  estimateSql: string | null;
  estimateParams: unknown[];
  /** SQLite writes each row as JSON itself (about twice as fast as JS arrays + JSON.stringify). */
  sqlJson: boolean;
}

/**
 * Whether SQLite may serialise this table's rows: not with BLOB columns (json_array refuses them) nor REAL ones
 * (SQLite prints 15 significant digits, JavaScript the shortest exact form; the values must arrive unchanged).
 */
function sqlJsonOk(db: Sqlite, table: string): boolean {
  const types = db.prepare(`SELECT upper(type) FROM pragma_table_info(?)`).pluck().all(table) as string[];
  return types.every((t) => t === 'TEXT' || t === 'INTEGER');
}

function selectList(columns: string[], prefix: string, json: boolean): string {
  const cols = columns.map((c) => `${prefix}${q(c)}`).join(', ');
  return json ? `json_array(${cols})` : cols;
}

/** What to read for each registry table (and its children) within the change range. */
function sources(db: Sqlite, office: Office, from: number, to: number, full: boolean): Source[] {
  const out: Source[] = [];
  // A full snapshot takes every row of the office, including rows bulk-loaded without a change number.
  for (const t of SYNC_TABLES) {
    if (!tableExists(db, t.table)) continue;
    const omit = new Set(t.omit ?? []);
    const columns = tableColumns(db, t.table).filter((c) => !omit.has(c));
    const where = full ? `${q(t.owner)} = ?` : `${q(t.owner)} = ? AND change_seq > ? AND change_seq <= ?`;
    const params = full ? [office.id] : [office.id, from, to];
    out.push({
      table: t.table,
      columns,
      // No ORDER BY: the table's own order (a sort of a million rows costs more than the rest of the read);
      // a file made again reuses the stored content, so the order need not be reproducible.
      sql: `SELECT ${selectList(columns, '', sqlJsonOk(db, t.table))} FROM ${q(t.table)} WHERE ${where}`,
      sqlJson: sqlJsonOk(db, t.table),
      params,
      estimateSql: full ? `SELECT COUNT(*) FROM ${q(t.table)}` : `SELECT COUNT(*) FROM ${q(t.table)} WHERE change_seq > ?`,
      estimateParams: full ? [] : [from],
    });
    for (const c of t.children ?? []) {
      if (!tableExists(db, c.table)) continue;
      const cc = tableColumns(db, c.table);
      const pw = full ? `p.${q(t.owner)} = ?` : `p.${q(t.owner)} = ? AND p.change_seq > ? AND p.change_seq <= ?`;
      out.push({
        table: c.table,
        columns: cc,
        sqlJson: sqlJsonOk(db, c.table),
        sql: `SELECT ${selectList(cc, 'c.', sqlJsonOk(db, c.table))} FROM ${q(c.table)} c JOIN ${q(t.table)} p ON p.${q(t.pk[0])} = c.${q(c.fk)} WHERE ${pw}`,
        params,
        estimateSql: full ? `SELECT COUNT(*) FROM ${q(c.table)}` : null,
        estimateParams: [],
      });
    }
  }
  const entities = SYNC_TABLES.map((t) => t.table);
  const cw = `op IN ('delete', 'anonymise', 'close') AND seq > ? AND seq <= ? AND office_id = ? AND entity IN (${entities.map(() => '?').join(', ')})`;
  out.push({
    table: CHANGES_PART,
    columns: ['seq', 'entity', 'entity_id', 'op', 'at'],
    sql: `SELECT seq, entity, entity_id, op, at FROM change_log WHERE ${cw} ORDER BY seq`,
    params: [from, to, office.id, ...entities],
    estimateSql: null,
    estimateParams: [],
    sqlJson: false,
  });
  return out;
}

/**
 * Reads every row of this office changed in (from, to] — or all of them for a full snapshot — and the deletions,
 * anonymisations and closures of that range, compresses them table by table, and signs the manifest.
 * Reads only: the caller records the file in the history.
 */
export async function buildExportContent(db: Sqlite, input: BuildExportInput): Promise<{ manifest: Manifest; inner: Buffer }> {
  const { office, signal, onProgress } = input;
  if (!office.public_key) throw new AppError('exchange.no_signing_key');
  const srcs = sources(db, office, input.from, input.to, input.type === 'full');
  let total = srcs.reduce((a, s) => a + (s.estimateSql ? ((db.prepare(s.estimateSql).pluck().get(...s.estimateParams) as number) ?? 0) : 0), 0);
  const ops: Record<string, number> = { delete: 0, anonymise: 0, close: 0 };
  const parts: Buffer[] = [];
  const infos: PartInfo[] = [];
  const counts: Record<string, number> = {};
  let offset = 0;
  let done = 0;
  for (const s of srcs) {
    if (signal?.aborted) throw new AppError('exchange.cancelled');
    const st = db.prepare(s.sql);
    const it = (s.sqlJson ? st.pluck().iterate(...s.params) : st.raw(true).iterate(...s.params)) as IterableIterator<unknown[] | string>;
    let tableRows = 0;
    let exhausted = false;
    try {
      // A table with no rows still gets one (empty) part, so the file says which columns it knows.
      do {
        let inPart = 0;
        const chunk: Iterable<unknown[] | string> = {
          [Symbol.iterator]: () => ({
            next: () => {
              if (inPart >= PART_ROWS) return { done: true, value: undefined };
              const r = it.next();
              if (r.done) {
                exhausted = true;
                return { done: true, value: undefined };
              }
              inPart++;
              if (s.table === CHANGES_PART) ops[(r.value as unknown[])[3] as string]++;
              return r;
            },
          }),
        };
        const base = done;
        const { data, rows } = await gzipPart(s.columns, chunk, {
          signal,
          onRows: (n) => {
            total = Math.max(total, base + n);
            onProgress?.({ phase: 'export', table: s.table, done: base + n, total });
          },
        });
        done += rows;
        tableRows += rows;
        if (rows === 0 && tableRows > 0) break; // the previous part ended exactly on the last row
        infos.push({ table: s.table, rows, offset, length: data.length, sha256: sha256(data) });
        parts.push(data);
        offset += data.length;
      } while (!exhausted);
    } finally {
      it.return?.();
    }
    if (s.table === CHANGES_PART) {
      for (const op of Object.keys(ops)) counts[`changes.${op}`] = ops[op];
    } else counts[s.table] = tableRows;
  }
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
  };
  const inner = buildInner(manifest, parts, (m) => signBytes(input.signingKeyPem, m));
  return { manifest, inner };
}
