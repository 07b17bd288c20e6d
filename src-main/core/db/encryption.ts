/**
 * The database encrypted at rest (SQLite3 Multiple Ciphers, ChaCha20-Poly1305, through
 * better-sqlite3-multiple-ciphers).
 *
 * Each database has its own random 128-bit secret. The SQLite key is derived from it (HKDF-SHA256, given to
 * SQLite as a raw 256-bit key: no slow key derivation at every open). The secret is:
 *   - sealed by the operating system where the app runs, through a KeyStore: Electron's safeStorage (DPAPI on
 *     Windows) for the window (src-main/host/keystore.ts); a key file readable only by this user for the CLI
 *     and the web bridge (FileKeyStore: 0600 in a 0700 folder in the user's profile, NOT beside the database,
 *     so a copied data folder carries no key);
 *   - printed once as 12 words on the recovery sheet (recovery.ts), which opens the database or a backup on
 *     another computer and lets an administrator back in.
 */
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/errors';

type Sqlite = Database.Database;

export const SECRET_BYTES = 16;

/** Where a database's secret is kept, sealed by the operating system. The three doors share this interface. */
export interface KeyStore {
  /** 'file' (CLI, web bridge) or 'os' (the window's safeStorage). */
  readonly kind: string;
  /** The secret of this database, or null when this store does not hold it. */
  load(dbPath: string): Buffer | null;
  save(dbPath: string, secret: Buffer): void;
  remove(dbPath: string): void;
}

/** The folder of the CLI's and web bridge's key files: in the user's profile, apart from the data folder. */
export function defaultKeyDir(): string {
  if (process.env.JISR_KEY_DIR) return process.env.JISR_KEY_DIR;
  if (process.platform === 'win32') return join(process.env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Jisr Desk Keys');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Jisr Desk Keys');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jisr-desk-keys');
}

/** The database's absolute path with its folder's symbolic links resolved (the key store's name for it). */
export function canonicalDbPath(dbPath: string): string {
  const abs = resolve(dbPath);
  try {
    return join(realpathSync(dirname(abs)), basename(abs));
  } catch {
    return abs;
  }
}

/** A key file per database: `<sha256 of its path>.key`, JSON {v, database, secret}. */
export class FileKeyStore implements KeyStore {
  readonly kind = 'file';
  constructor(readonly dir: string = defaultKeyDir()) {}

  fileFor(dbPath: string): string {
    return join(this.dir, `${createHash('sha256').update(canonicalDbPath(dbPath)).digest('hex').slice(0, 32)}.key`);
  }

  load(dbPath: string): Buffer | null {
    const f = this.fileFor(dbPath);
    if (!existsSync(f)) return null;
    try {
      const j = JSON.parse(readFileSync(f, 'utf8')) as { v: number; secret: string };
      const s = Buffer.from(j.secret, 'base64');
      return s.length === SECRET_BYTES ? s : null;
    } catch {
      return null;
    }
  }

  save(dbPath: string, secret: Buffer): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') chmodSync(this.dir, 0o700);
    const f = this.fileFor(dbPath);
    const tmp = `${f}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ v: 1, database: canonicalDbPath(dbPath), secret: secret.toString('base64') }), { mode: 0o600 });
    if (process.platform !== 'win32') chmodSync(tmp, 0o600);
    renameSync(tmp, f);
  }

  remove(dbPath: string): void {
    rmSync(this.fileFor(dbPath), { force: true });
  }
}

/** The SQLite key of a secret: a raw 256-bit key (`x'…'`), so SQLite runs no key derivation at each open. */
export function sqliteKey(secret: Buffer): string {
  const k = Buffer.from(hkdfSync('sha256', secret, Buffer.from('jisr-desk'), Buffer.from('database-key-v1'), 32));
  return `x'${k.toString('hex')}'`;
}

export function newSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/** Gives an open connection its key; checks it by reading the schema (a wrong key reads as "not a database"). */
export function applyKey(db: Sqlite, secret: Buffer): void {
  db.pragma(`key = "${sqliteKey(secret)}"`);
  try {
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_NOTADB') throw new AppError('db.key_wrong');
    throw e;
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** 'absent' (no file or an empty one), 'plain' (an unencrypted SQLite file) or 'encrypted'. */
export function databaseFileState(dbPath: string): 'absent' | 'plain' | 'encrypted' {
  if (dbPath === ':memory:' || !existsSync(dbPath) || statSync(dbPath).size === 0) return 'absent';
  const fd = openSync(dbPath, 'r');
  try {
    const b = Buffer.alloc(16);
    readSync(fd, b, 0, 16, 0);
    return b.equals(SQLITE_MAGIC) ? 'plain' : 'encrypted';
  } finally {
    closeSync(fd);
  }
}

export interface OpenFileOptions {
  keyStore?: KeyStore;
  readonly?: boolean;
  /** The secret, when the caller has it already (recovery words). */
  secret?: Buffer;
  nativeBinding?: string;
}

/**
 * Opens a Jisr database file that the core has not opened (start-up check, a restore's office check, tests):
 * an unencrypted file as it is, an encrypted one with its key from the store. Throws db.key_missing when the
 * store does not hold the key of an encrypted file.
 */
export function openDatabaseFile(dbPath: string, o: OpenFileOptions = {}): Sqlite {
  const state = databaseFileState(dbPath);
  const db = new Database(dbPath, {
    ...(o.nativeBinding ? { nativeBinding: o.nativeBinding } : {}),
    ...(o.readonly ? { readonly: true, fileMustExist: true } : {}),
  });
  if (state === 'encrypted') {
    const secret = o.secret ?? (o.keyStore ?? new FileKeyStore()).load(dbPath);
    if (!secret) {
      db.close();
      throw new AppError('db.key_missing');
    }
    try {
      applyKey(db, secret);
    } catch (e) {
      db.close();
      throw e;
    }
  }
  return db;
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Row counts of every table (shadow tables included): two databases with the same content give the same map. */
export function contentFingerprint(db: Sqlite, schema = 'main'): Record<string, number> {
  const out: Record<string, number> = {};
  const names = db.prepare(`SELECT name FROM "${schema}".sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`).pluck().all() as string[];
  for (const n of names) out[n] = (db.prepare(`SELECT COUNT(*) AS n FROM "${schema}"."${n}"`).get() as { n: number }).n;
  return out;
}

function quickCheck(db: Sqlite): string[] {
  return (db.prepare('PRAGMA quick_check').pluck().all() as string[]).filter((p) => p !== 'ok');
}

/**
 * Converts an unencrypted database (made by an older version) to an encrypted one, in place:
 * 1. a copy (VACUUM INTO `<db>.before-encryption-<time>.bak`), checked (quick_check, same row counts);
 * 2. the file is re-keyed by SQLite3 Multiple Ciphers (one transaction: a crash leaves the old file whole);
 * 3. the encrypted file is opened with its key and checked against the copy; only then is the copy removed.
 * On any failure the copy stays, and db.encryption_failed names it.
 */
export function encryptPlainDatabase(dbPath: string, secret: Buffer, o: { now: Date; nativeBinding?: string }): { checkedCopy: string } {
  const copy = `${dbPath}.before-encryption-${stamp(o.now)}.bak`;
  const open = (key?: Buffer) => {
    const db = new Database(dbPath, o.nativeBinding ? { nativeBinding: o.nativeBinding } : {});
    if (key) applyKey(db, key);
    return db;
  };
  let before: Record<string, number>;
  let db = open();
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const problems = quickCheck(db);
    if (problems.length) throw new AppError('backup.source_damaged', { problems: problems.slice(0, 5) });
    before = contentFingerprint(db);
    rmSync(copy, { force: true });
    db.prepare('VACUUM INTO ?').run(copy);
  } finally {
    db.close();
  }
  const fail = (detail: string): never => {
    throw new AppError('db.encryption_failed', { copy, detail });
  };
  const c = new Database(copy, { readonly: true, fileMustExist: true });
  try {
    if (quickCheck(c).length || JSON.stringify(contentFingerprint(c)) !== JSON.stringify(before)) fail('the copy differs from the database');
  } finally {
    c.close();
  }
  db = open();
  try {
    db.pragma('journal_mode = DELETE'); // SQLite3 Multiple Ciphers re-keys only outside WAL mode
    db.pragma(`rekey = "${sqliteKey(secret)}"`);
  } catch (e) {
    if (e instanceof AppError) throw e;
    fail((e as Error).message);
  } finally {
    db.close();
  }
  if (databaseFileState(dbPath) !== 'encrypted') fail('the file is still readable without its key');
  db = open(secret);
  try {
    if (quickCheck(db).length || JSON.stringify(contentFingerprint(db)) !== JSON.stringify(before)) fail('the encrypted database differs from the copy');
  } finally {
    db.close();
  }
  rmSync(copy, { force: true });
  return { checkedCopy: copy };
}

/**
 * Keeps the newest `keep` copies `<db><infix>…` (migration copies `.before-`, restore copies `.replaced-`)
 * and deletes the older ones with their -wal/-shm. Their names end with a UTC time stamp, so they sort by time.
 */
export function rotateCopies(dbPath: string, infix: string, keep = 3): string[] {
  const dir = dirname(dbPath);
  const prefix = basename(dbPath) + infix;
  if (!existsSync(dir)) return [];
  const copies = readdirSync(dir)
    .filter((n) => n.startsWith(prefix) && !n.endsWith('-wal') && !n.endsWith('-shm') && !n.endsWith('.partial'))
    .sort((a, b) => copyTime(b).localeCompare(copyTime(a)) || b.localeCompare(a));
  const deleted: string[] = [];
  for (const n of copies.slice(keep)) {
    for (const sfx of ['', '-wal', '-shm']) rmSync(join(dir, n + sfx), { force: true });
    deleted.push(n);
  }
  return deleted;
}

/** The time stamp in a copy's name (2026-11-29T06-15-00-000Z or 20261129T061500Z), comparable as text. */
function copyTime(name: string): string {
  const m = /(\d{4})-?(\d{2})-?(\d{2})T(\d{2})-?(\d{2})-?(\d{2})/.exec(name);
  return m ? m.slice(1).join('') : '';
}

/* ---------- writing a plain database image into an encrypted database ---------- */

interface SchemaObject {
  type: string;
  name: string;
  sql: string;
}

function qualify(sql: string, schema: string): string {
  return sql.replace(/^(\s*CREATE\s+(?:UNIQUE\s+|VIRTUAL\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?)/i, `$1"${schema}".`);
}

/**
 * Copies the whole schema and content of database `from` into database `to` of the same connection (the
 * target attached with its key: its pages are encrypted as they are written). With `replace`, the target's
 * own objects are dropped first. Runs in one transaction; triggers are created after the rows, so none fires.
 */
export function copyDatabaseInto(conn: Sqlite, from: string, to: string, o: { replace?: boolean } = {}): void {
  const list = (schema: string) =>
    conn.prepare(`SELECT type, name, sql FROM "${schema}".sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid`).all() as SchemaObject[];
  const objs = list(from);
  const isVirtual = (o2: SchemaObject) => o2.type === 'table' && /^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(o2.sql);
  const virtuals = objs.filter(isVirtual).map((v) => v.name);
  const isShadow = (n: string) => virtuals.some((v) => n.startsWith(`${v}_`));
  const fk = conn.pragma('foreign_keys', { simple: true });
  conn.pragma('foreign_keys = OFF');
  // The full-text index is contentless (it cannot be rebuilt from itself): its shadow tables are copied as
  // they are, which SQLite's defensive mode (better-sqlite3's default) refuses; lifted for this copy only.
  conn.unsafeMode(true);
  try {
    conn.transaction(() => {
      if (o.replace) {
        const old = list(to);
        const oldVirtual = old.filter(isVirtual).map((v) => v.name);
        for (const t of ['trigger', 'view'] as const) for (const x of old.filter((y) => y.type === t)) conn.exec(`DROP ${t.toUpperCase()} IF EXISTS "${to}"."${x.name}"`);
        for (const v of oldVirtual) conn.exec(`DROP TABLE IF EXISTS "${to}"."${v}"`);
        for (const x of old.filter((y) => y.type === 'table' && !isVirtual(y) && !oldVirtual.some((v) => y.name.startsWith(`${v}_`)))) {
          conn.exec(`DROP TABLE IF EXISTS "${to}"."${x.name}"`);
        }
        if (conn.prepare(`SELECT 1 FROM "${to}".sqlite_master WHERE name = 'sqlite_sequence'`).get()) conn.exec(`DELETE FROM "${to}".sqlite_sequence`);
      }
      const tables = objs.filter((x) => x.type === 'table' && !isVirtual(x) && !isShadow(x.name));
      for (const t of tables) conn.exec(qualify(t.sql, to));
      for (const v of objs.filter(isVirtual)) conn.exec(qualify(v.sql, to));
      for (const t of objs.filter((x) => x.type === 'table' && !isVirtual(x))) {
        if (isShadow(t.name)) conn.exec(`DELETE FROM "${to}"."${t.name}"`);
        conn.exec(`INSERT INTO "${to}"."${t.name}" SELECT * FROM "${from}"."${t.name}"`);
      }
      if (conn.prepare(`SELECT 1 FROM "${from}".sqlite_master WHERE name = 'sqlite_sequence'`).get()) {
        conn.exec(`DELETE FROM "${to}".sqlite_sequence`);
        conn.exec(`INSERT INTO "${to}".sqlite_sequence SELECT * FROM "${from}".sqlite_sequence`);
      }
      for (const x of objs.filter((y) => y.type === 'index' || y.type === 'view' || y.type === 'trigger')) conn.exec(qualify(x.sql, to));
      conn.pragma(`"${to}".user_version = ${Number(conn.pragma(`"${from}".user_version`, { simple: true })) | 0}`);
    })();
  } finally {
    conn.unsafeMode(false);
    conn.pragma(`foreign_keys = ${fk ? 'ON' : 'OFF'}`);
  }
}

/** Writes a plain database image (from a backup) as a new encrypted file, never as clear pages on disk. */
export function writeImageEncrypted(image: Buffer, path: string, secret: Buffer): void {
  rmSync(path, { force: true });
  const mem = new Database(image);
  try {
    mem.prepare('ATTACH DATABASE ? AS enc KEY ?').run(path, sqliteKey(secret));
    copyDatabaseInto(mem, 'main', 'enc');
    mem.exec('DETACH DATABASE enc');
  } finally {
    mem.close();
  }
  if (process.platform !== 'win32') chmodSync(path, 0o600);
}

/** Replaces the content of an open encrypted database file with a plain image, in one transaction (live restore). */
export function replaceWithImage(image: Buffer, dbPath: string, secret: Buffer | null): void {
  const mem = new Database(image);
  try {
    mem.prepare('ATTACH DATABASE ? AS live KEY ?').run(dbPath, secret ? sqliteKey(secret) : '');
    copyDatabaseInto(mem, 'main', 'live', { replace: true });
    mem.exec('DETACH DATABASE live');
  } finally {
    mem.close();
  }
}

/**
 * The secret to open a database file with, made and kept on first use. A new database gets a new random secret
 * (saved in the key store before the file exists); an unencrypted one (older version) is converted after a
 * verified copy; an encrypted one needs its secret in the store (db.key_missing otherwise: the recovery sheet's
 * words put it back, `npm run cli -- recovery unlock-db`). `encrypt: false` (bench baseline only) leaves a new or
 * unencrypted file as it is.
 */
export function prepareDatabaseSecret(
  dbPath: string,
  keyStore: KeyStore,
  o: { encrypt?: boolean; now: Date; nativeBinding?: string; onConverted?: (copy: string) => void },
): Buffer | null {
  if (dbPath === ':memory:') return null;
  const loadOrRefuse = () => {
    const s = keyStore.load(dbPath);
    if (!s) throw new AppError('db.key_missing');
    return s;
  };
  if (databaseFileState(dbPath) === 'encrypted') return loadOrRefuse();
  if (o.encrypt === false) return null;
  // Several processes may open a new or old database at once (window, web bridge, CLI): one makes the key.
  return withFileLock(`${dbPath}.keylock`, () => {
    const state = databaseFileState(dbPath);
    if (state === 'encrypted') return loadOrRefuse();
    const s = state === 'plain' ? (keyStore.load(dbPath) ?? newSecret()) : newSecret();
    keyStore.save(dbPath, s); // before the file is encrypted: a crash in between must not lose the key
    if (state === 'plain') {
      const { checkedCopy } = encryptPlainDatabase(dbPath, s, { now: o.now, nativeBinding: o.nativeBinding });
      o.onConverted?.(checkedCopy);
    } else {
      // The new file is written (encrypted, WAL) before the lock is let go: the next process finds it encrypted.
      const db = new Database(dbPath, o.nativeBinding ? { nativeBinding: o.nativeBinding } : {});
      try {
        applyKey(db, s);
        db.pragma('journal_mode = WAL');
      } finally {
        db.close();
      }
    }
    return s;
  });
}

/** Runs fn holding an exclusive lock file (waits up to 60 s; a lock older than 2 minutes is a crashed holder's). */
function withFileLock<T>(lock: string, fn: () => T): T {
  const wait = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new AppError('db.encryption_failed', { copy: '—', detail: 'another process holds the key lock' });
      Atomics.wait(wait, 0, 0, 50);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}
