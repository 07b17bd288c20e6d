import { createHash } from 'node:crypto';
import { createGzip, gunzipSync, type ZlibOptions } from 'node:zlib';
import { AppError } from '../../shared/errors';
import { open, seal, type Sealed } from './crypto';
import type { ManifestAudit } from '../security/audit-chain-anchors';

/**
 * The exchange file (`jisr-<office>-<NNNNNN>.jisrx`):
 *
 *   outer  = "JISRX\0" · u16 format version · u32 header length · header (JSON) · ciphertext · GCM tag (16 bytes)
 *   header = {alg, office, fileSeq, recipient (fingerprint of the region's X25519 key), epk, salt, iv}   (AAD)
 *   inner  = u32 manifest length · manifest (JSON) · u16 signature length · Ed25519 signature of the manifest · parts
 *   part   = gzip of lines: the first line is the JSON array of column names, then one JSON array per row.
 *
 * The manifest carries the office, the file numbers, the change range, the counts and the sha256 of every part,
 * so the signature over the manifest covers the whole payload. The inner content is what the province keeps
 * (to make the file again, encrypted anew); the sha256 of the manifest identifies the content at the region (replays).
 */

export const FORMAT_VERSION = 1;
export const MAGIC = Buffer.from('JISRX\0', 'latin1');
export const FILE_EXT = '.jisrx';
const ALG = 'X25519-HKDF-SHA256-AES-256-GCM';

export interface OuterHeader extends Sealed {
  alg: string;
  office: string;
  fileSeq: number;
  recipient: string;
  /** Length of the ciphertext: a shorter file was truncated. */
  size: number;
}

export interface PartInfo {
  /** A synchronised table, a child table, or `_changes` (deletions, anonymisations, closures). */
  table: string;
  rows: number;
  offset: number;
  length: number;
  sha256: string;
}

export interface Manifest {
  kind: 'jisr-exchange';
  format: number;
  office: { id: string; slug: string; code: string; fingerprint: string };
  fileSeq: number;
  prevFileSeq: number;
  type: 'delta' | 'full';
  changeSeq: { from: number; to: number };
  counts: Record<string, number>;
  createdAt: string;
  appVersion: string;
  schemaVersion: string;
  parts: PartInfo[];
  /** The head of the office's audit chain, and earlier heads as they stand now (issue 16: the anchored audit trail). */
  audit?: ManifestAudit;
}

export const CHANGES_PART = '_changes';

export function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}

export function exchangeFileName(slug: string, fileSeq: number): string {
  return `jisr-${slug}-${String(fileSeq).padStart(6, '0')}${FILE_EXT}`;
}

/** JSON for a SQLite value: BLOBs as {"$b": base64}. */
function encodeValue(_k: string, v: unknown): unknown {
  if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data)) {
    return { $b: Buffer.from((v as { data: number[] }).data).toString('base64') };
  }
  if (typeof v === 'bigint') return Number(v);
  return v;
}

export function decodeRow(row: unknown[]): unknown[] {
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v !== null && typeof v === 'object') {
      const b = (v as { $b?: string }).$b;
      if (typeof b !== 'string') throw new AppError('exchange.corrupt', { part: 'row' });
      row[i] = Buffer.from(b, 'base64');
    }
  }
  return row;
}

/** Rows with a Buffer need the replacer; most rows do not, and plain JSON.stringify is much faster. */
export function rowJson(row: unknown[]): string {
  for (const v of row) if (v !== null && typeof v === 'object') return JSON.stringify(row, encodeValue);
  return JSON.stringify(row);
}

/** Input held for the compressor before the reader waits: the reader and the compressor work at the same time. */
const GZIP_BUFFERED = 16 << 20;

/**
 * Compresses one part as its rows arrive (gzip level 1: about three times faster than the default for a file
 * 15–20 % larger). The compression runs on libuv's thread pool while the caller reads and serialises the next
 * rows: writes are only awaited when 16 MB wait for the compressor, and the output comes back in 1 MB chunks (each
 * chunk is a round trip through the main thread, which is busy reading). The sha256 is computed as the chunks come.
 */
export class PartWriter {
  rows = 0;
  private readonly gz = createGzip({ level: 1, memLevel: 9, chunkSize: 1 << 20, writableHighWaterMark: GZIP_BUFFERED } as ZlibOptions);
  private readonly out: Buffer[] = [];
  private readonly hash = createHash('sha256');
  private readonly finished: Promise<void>;

  constructor(columns: string[]) {
    this.gz.on('data', (c: Buffer) => {
      this.out.push(c);
      this.hash.update(c);
    });
    this.finished = new Promise<void>((resolve, reject) => {
      this.gz.on('end', resolve);
      this.gz.on('error', reject);
    });
    this.finished.catch(() => {}); // observed by end(); a destroyed writer is never awaited
    this.gz.write(JSON.stringify(columns) + '\n');
  }

  /** `text`: whole lines (each ending with a newline), `rows` of them. */
  async write(text: Buffer | string, rows: number): Promise<void> {
    this.rows += rows;
    if (!this.gz.write(text)) await Promise.race([new Promise((res) => this.gz.once('drain', res)), this.finished]);
  }

  /** One row given as an array (values as SQLite returns them). */
  rowLine(row: unknown[]): string {
    return rowJson(row) + '\n';
  }

  async end(): Promise<{ data: Buffer; rows: number; sha256: string }> {
    this.gz.end();
    await this.finished;
    return { data: Buffer.concat(this.out), rows: this.rows, sha256: this.hash.digest('hex') };
  }

  destroy(): void {
    this.gz.destroy();
  }
}

/** A batch of a part's lines as one JSON array (UTF-8 bytes, for SQLite's json_each), and the lines themselves. */
export interface LineBatch {
  json: Buffer;
  count: number;
  lines(): string[];
}

/** Decompresses a part (after checking its checksum); its rows are parsed one at a time as they are read. */
export function openPart(
  inner: Buffer,
  partsStart: number,
  p: PartInfo,
  maxBytes: number,
): { columns: string[]; rows(): Generator<unknown[]>; batches(size: number): Generator<LineBatch> } {
  const start = partsStart + p.offset;
  if (!Number.isInteger(p.offset) || !Number.isInteger(p.length) || p.offset < 0 || p.length < 0 || start + p.length > inner.length) {
    throw new AppError('exchange.corrupt', { part: p.table });
  }
  const raw = inner.subarray(start, start + p.length);
  if (sha256(raw) !== p.sha256) throw new AppError('exchange.corrupt', { part: p.table });
  let buf: Buffer;
  try {
    buf = gunzipSync(raw, { maxOutputLength: Math.min(Math.max(maxBytes * 8, 64 << 20), 0x1fffffe8) });
  } catch {
    throw new AppError('exchange.corrupt', { part: p.table });
  }
  const NL = 0x0a;
  const first = buf.indexOf(NL);
  if (first < 0) throw new AppError('exchange.corrupt', { part: p.table });
  const columns = parseLine(buf.toString('utf8', 0, first)) as string[];
  if (!columns.every((c) => typeof c === 'string')) throw new AppError('exchange.corrupt', { part: p.table });
  // Every line ends with a newline; a JSON line holds none (JSON escapes it, and no UTF-8 sequence contains 0x0A).
  return {
    columns,
    *rows() {
      const text = buf.toString('utf8', first + 1);
      let pos = -1;
      let count = 0;
      for (;;) {
        const next = text.indexOf('\n', pos + 1);
        if (next < 0) break;
        const row = decodeRow(parseLine(text.slice(pos + 1, next)) as unknown[]);
        if (row.length !== columns.length) throw new AppError('exchange.corrupt', { part: p.table });
        yield row;
        count++;
        pos = next;
      }
      if (count !== p.rows) throw new AppError('exchange.corrupt', { part: p.table });
    },
    /**
     * The lines `size` at a time, each batch as the bytes of one JSON array (the newlines become commas), never
     * decoded to JavaScript strings unless `lines()` is asked for.
     */
    *batches(size: number) {
      let pos = first + 1;
      let count = 0;
      for (;;) {
        let end = pos;
        let n = 0;
        while (n < size) {
          const nl = buf.indexOf(NL, end);
          if (nl < 0) break;
          end = nl + 1;
          n++;
        }
        if (n === 0) break;
        const json = Buffer.allocUnsafe(end - pos + 1);
        json[0] = 0x5b; // [
        buf.copy(json, 1, pos, end);
        for (let i = json.indexOf(NL, 1); i >= 0; i = json.indexOf(NL, i + 1)) json[i] = 0x2c; // ,
        json[json.length - 1] = 0x5d; // ] in place of the last line's comma
        const from = pos;
        const to = end;
        yield { json, count: n, lines: () => buf.toString('utf8', from, to - 1).split('\n') };
        count += n;
        pos = end;
      }
      if (count !== p.rows) throw new AppError('exchange.corrupt', { part: p.table });
    },
  };
}

export function parseLine(s: string): unknown {
  try {
    const v = JSON.parse(s);
    if (!Array.isArray(v)) throw new Error('not an array');
    return v;
  } catch {
    throw new AppError('exchange.corrupt', { part: 'row' });
  }
}

/** Lays the parts after the manifest and signature. */
export function buildInner(manifest: Manifest, parts: Buffer[], sign: (m: Buffer) => Buffer): Buffer {
  const m = Buffer.from(JSON.stringify(manifest), 'utf8');
  const sig = sign(m);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(m.length);
  const sl = Buffer.alloc(2);
  sl.writeUInt16BE(sig.length);
  return Buffer.concat([head, m, sl, sig, ...parts]);
}

export interface ParsedInner {
  manifest: Manifest;
  manifestBytes: Buffer;
  signature: Buffer;
  partsStart: number;
}

export function parseInner(inner: Buffer): ParsedInner {
  if (inner.length < 6) throw new AppError('exchange.corrupt', { part: 'manifest' });
  const ml = inner.readUInt32BE(0);
  if (4 + ml + 2 > inner.length) throw new AppError('exchange.corrupt', { part: 'manifest' });
  const manifestBytes = inner.subarray(4, 4 + ml);
  const sl = inner.readUInt16BE(4 + ml);
  const sigStart = 4 + ml + 2;
  if (sigStart + sl > inner.length) throw new AppError('exchange.corrupt', { part: 'signature' });
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
  } catch {
    throw new AppError('exchange.corrupt', { part: 'manifest' });
  }
  if (manifest?.kind !== 'jisr-exchange' || !Array.isArray(manifest.parts)) throw new AppError('exchange.corrupt', { part: 'manifest' });
  return { manifest, manifestBytes, signature: inner.subarray(sigStart, sigStart + sl), partsStart: sigStart + sl };
}

/** Encrypts the inner content to the region's key and lays out the outer file. */
export function sealFile(inner: Buffer, recipientPublicPem: string, recipientFingerprint: string, office: string, fileSeq: number): Buffer {
  const { ciphertext, tag, header } = seal(recipientPublicPem, inner, (p) => {
    const h: OuterHeader = { alg: ALG, office, fileSeq, recipient: recipientFingerprint, size: inner.length, ...p };
    return outerPrefix(Buffer.from(JSON.stringify(h), 'utf8'));
  });
  return Buffer.concat([header, ciphertext, tag]);
}

function outerPrefix(headerJson: Buffer): Buffer {
  const v = Buffer.alloc(6);
  v.writeUInt16BE(FORMAT_VERSION, 0);
  v.writeUInt32BE(headerJson.length, 2);
  return Buffer.concat([MAGIC, v, headerJson]);
}

export interface PeekedFile {
  version: number;
  header: OuterHeader;
  /** magic · version · length · header: the AAD. */
  prefix: Buffer;
}

/** Reads the clear header (office, file number, recipient) without decrypting: sorting and early refusals. */
export function peekFile(data: Buffer, maxBytes: number): PeekedFile {
  if (data.length > maxBytes) throw new AppError('exchange.too_large', { size: data.length, max: maxBytes });
  if (data.length < MAGIC.length + 6) {
    const n = Math.min(data.length, MAGIC.length);
    if (n > 0 && MAGIC.subarray(0, n).equals(data.subarray(0, n))) throw new AppError('exchange.truncated');
    throw new AppError('exchange.not_exchange_file');
  }
  if (!data.subarray(0, MAGIC.length).equals(MAGIC)) throw new AppError('exchange.not_exchange_file');
  const version = data.readUInt16BE(MAGIC.length);
  if (version > FORMAT_VERSION) throw new AppError('exchange.newer_format', { version, supported: FORMAT_VERSION });
  if (version < 1) throw new AppError('exchange.not_exchange_file');
  const hl = data.readUInt32BE(MAGIC.length + 2);
  const hStart = MAGIC.length + 6;
  if (hStart + hl + 16 > data.length) throw new AppError('exchange.truncated');
  let header: OuterHeader;
  try {
    header = JSON.parse(data.subarray(hStart, hStart + hl).toString('utf8')) as OuterHeader;
  } catch {
    throw new AppError('exchange.corrupt', { part: 'header' });
  }
  if (header?.alg !== ALG || typeof header.office !== 'string' || !Number.isInteger(header.fileSeq) || typeof header.recipient !== 'string' || !Number.isInteger(header.size)) {
    throw new AppError('exchange.corrupt', { part: 'header' });
  }
  const body = data.length - hStart - hl;
  if (body < header.size + 16) throw new AppError('exchange.truncated');
  if (body > header.size + 16) throw new AppError('exchange.corrupt', { part: 'length' });
  return { version, header, prefix: data.subarray(0, hStart + hl) };
}

/** The office and file number from the first bytes of a file (for sorting files before importing them), or null. */
export function peekOrder(prefix: Buffer): { office: string; fileSeq: number } | null {
  try {
    if (prefix.length < MAGIC.length + 6 || !prefix.subarray(0, MAGIC.length).equals(MAGIC)) return null;
    const hl = prefix.readUInt32BE(MAGIC.length + 2);
    const h = JSON.parse(prefix.subarray(MAGIC.length + 6, MAGIC.length + 6 + hl).toString('utf8')) as OuterHeader;
    return typeof h.office === 'string' && Number.isInteger(h.fileSeq) ? { office: h.office, fileSeq: h.fileSeq } : null;
  } catch {
    return null;
  }
}

/** Decrypts a file with this installation's X25519 private key. */
export function openFile(data: Buffer, peeked: PeekedFile, privatePem: string): Buffer {
  const body = data.subarray(peeked.prefix.length);
  if (body.length < 16) throw new AppError('exchange.truncated');
  return open(privatePem, peeked.header, peeked.prefix, body.subarray(0, body.length - 16), body.subarray(body.length - 16));
}
