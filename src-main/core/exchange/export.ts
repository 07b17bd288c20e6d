import { AppError } from '../../shared/errors';
import type { JobHooks } from '../jobs/job-control';
import type { Sqlite } from '../db/connection';
import type { ReadableDB } from '../db/handles';
import type { Office } from '../db/schema';
import { keyFingerprint, signBytes } from '../crypto/keys';
import { buildInner, CHANGES_PART, FORMAT_VERSION, PartWriter, type Manifest, type PartInfo } from './file-format';
import type { ManifestAudit } from '../security/audit-chain-anchors';
import { exportSources } from './repo/sync-read.repo';

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
/** Parts being compressed while the next one is read. */
const PARTS_IN_FLIGHT = 2;

/**
 * Reads every row of this office changed in (from, to] — or all of them for a full snapshot — and the deletions,
 * anonymisations and closures of that range, compresses them table by table, and signs the manifest.
 * Reads only: the caller records the file in the history.
 */
export async function buildExportContent(dbIn: ReadableDB | Sqlite, input: BuildExportInput): Promise<{ manifest: Manifest; inner: Buffer }> {
  const db = dbIn as ReadableDB; // a handle, or the connection as a test holds it
  const { office, signal, onProgress } = input;
  if (!office.public_key) throw new AppError('exchange.no_signing_key');
  const ops: Record<string, number> = { delete: 0, anonymise: 0, close: 0 };
  const srcs = exportSources(db, office.id, input.from, input.to, input.type === 'full', CHANGES_PART, ops);
  let total = srcs.reduce((a, s) => a + s.estimate(db), 0);
  const counts: Record<string, number> = {};
  // Parts in file order; each is compressed while the next ones are read (at most PARTS_IN_FLIGHT at once).
  const parts: { table: string; writer: PartWriter; result: Promise<{ data: Buffer; rows: number; sha256: string }> }[] = [];
  let settled = 0;
  let done = 0;
  try {
    for (const s of srcs) {
      if (signal?.aborted) throw new AppError('exchange.cancelled');
      const rd = s.reader(db);
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
