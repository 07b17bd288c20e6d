import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files';

export interface OutboxFile {
  id: string;
  name: string;
  mime: string;
  path: string;
  size: number;
}

/**
 * Files that methods produce (PDFs, workbooks, exchange files) wait here until a door
 * delivers them: the web bridge serves GET /api/files/:id, the window saves or opens them.
 * Ids are random, so a file cannot be guessed; the folder is removed when the core closes.
 */
export class Outbox {
  private readonly dir: string;
  private readonly files = new Map<string, OutboxFile>();
  constructor(dir = join(tmpdir(), `jisr-outbox-${process.pid}-${randomBytes(4).toString('hex')}`)) {
    this.dir = dir;
  }
  /** A path where a method may write a file before calling `adopt`. */
  reservePath(name: string): { id: string; path: string } {
    ensurePrivateDir(this.dir); // 0700: produced files and uploads are personal data
    const id = randomBytes(16).toString('base64url');
    // The shown name is kept apart (adopt); on disk, a short safe form of it (a 255-character Arabic name is
    // more than 255 bytes: too long for a file name).
    const safe = [...name.replace(/[^\p{L}\p{N}._-]+/gu, '_')].slice(-60).join('');
    return { id, path: join(this.dir, `${id}-${safe}`) };
  }
  adopt(id: string, path: string, name: string, mime: string, size: number): OutboxFile {
    const f = { id, name, mime, path, size };
    this.files.set(id, f);
    return f;
  }
  put(name: string, mime: string, data: Buffer): OutboxFile {
    const { id, path } = this.reservePath(name);
    writeFileSync(path, data, { mode: PRIVATE_FILE_MODE });
    return this.adopt(id, path, name, mime, data.length);
  }
  get(id: string): OutboxFile | undefined {
    const f = this.files.get(id);
    return f && existsSync(f.path) ? f : undefined;
  }
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
    this.files.clear();
  }
}
