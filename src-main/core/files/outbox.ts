import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
    mkdirSync(this.dir, { recursive: true });
    const id = randomBytes(16).toString('base64url');
    return { id, path: join(this.dir, `${id}-${name.replace(/[^\p{L}\p{N}._-]+/gu, '_')}`) };
  }
  adopt(id: string, path: string, name: string, mime: string, size: number): OutboxFile {
    const f = { id, name, mime, path, size };
    this.files.set(id, f);
    return f;
  }
  put(name: string, mime: string, data: Buffer): OutboxFile {
    const { id, path } = this.reservePath(name);
    writeFileSync(path, data);
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
