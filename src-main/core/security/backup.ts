import { createHash, createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/errors';
import type { Sqlite } from '../db/connection';
import { readable, type ReadableDB, type WritableDB } from '../db/handles';
import { storedAuditHead } from '../audit/audit.repo';
import { installation, installedOffice } from '../system/system.repo';
import { readSetting, removeSetting, writeSetting } from './security.repo';
import { loadMigrations } from '../db/migrate';
import { projectRoot } from '../paths';
import { BACKUP_EXTENSION, decryptBackup, encryptBackup, readBackupHeader, type BackupHeader, type BackupOpener } from './backup-format';
import { openDatabaseFile, replaceWithImage, rotateCopies, writeImageEncrypted, type KeyStore } from '../db/encryption';

/** How many restore copies (`<db>.replaced-…`) and migration copies (`<db>.before-…`) are kept. */
export const KEEP_DATABASE_COPIES = 3;
import { checkBackupTarget, writeAllSyncClose, writeBackupFile } from './backup-paths';
import { makePrivate } from '../files/private-files';

export type BackupTrigger = 'manual' | 'start' | 'exit' | 'daily' | 'cli' | 'before_restore';

export interface BackupConfig {
  /** The chosen folder (a USB stick, a network share); null until the office head picks one. */
  folder: string | null;
  /** How many automatic/manual backups of this office to keep in the folder (older ones are deleted). */
  keep: number;
  atStart: boolean;
  atExit: boolean;
  daily: boolean;
}

export const DEFAULT_BACKUP_CONFIG: BackupConfig = { folder: null, keep: 10, atStart: true, atExit: true, daily: true };

export function readBackupConfig(db: ReadableDB): BackupConfig {
  const value = readSetting(db, 'backup.config');
  if (value === undefined) return { ...DEFAULT_BACKUP_CONFIG };
  try {
    return { ...DEFAULT_BACKUP_CONFIG, ...(JSON.parse(value) as Partial<BackupConfig>) };
  } catch {
    return { ...DEFAULT_BACKUP_CONFIG };
  }
}

export function writeBackupConfig(db: WritableDB, c: BackupConfig): void {
  writeSetting(db, 'backup.config', JSON.stringify(c));
}

/*
 * The passphrase of automatic backups.
 *
 * Automatic backups (at start, at exit, daily) run without anyone typing a passphrase, so the passphrase is
 * kept in the database's settings, encrypted (AES-256-GCM) with a key derived (HKDF-SHA256) from the
 * office's private signing key, which lives in the same database. This is honest about what it protects:
 * the backup files on a USB stick that gets lost or copied are unreadable without the passphrase, and the
 * passphrase never appears in clear in the database or in a settings dump. It does NOT protect against
 * someone who holds the live database file: that person already holds every record (and the key).
 * The office head must write the passphrase down and keep it apart: restoring on a new computer needs it.
 */
function wrapKey(db: ReadableDB): Buffer {
  const inst = installation(db);
  if (!inst) throw new AppError('setup.required');
  return Buffer.from(hkdfSync('sha256', Buffer.from(inst.signing_key_pem), Buffer.from('jisr-backup-passphrase'), Buffer.from(inst.office_id), 32));
}

export function storePassphrase(db: WritableDB, passphrase: string | null): void {
  if (passphrase === null) {
    removeSetting(db, 'backup.passphrase');
    return;
  }
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', wrapKey(db), nonce);
  const ct = Buffer.concat([c.update(passphrase, 'utf8'), c.final()]);
  const value = JSON.stringify({ v: 1, nonce: nonce.toString('base64'), ct: ct.toString('base64'), tag: c.getAuthTag().toString('base64') });
  writeSetting(db, 'backup.passphrase', value);
}

export function storedPassphrase(db: ReadableDB): string | null {
  const value = readSetting(db, 'backup.passphrase');
  if (value === undefined) return null;
  try {
    const w = JSON.parse(value) as { nonce: string; ct: string; tag: string };
    const d = createDecipheriv('aes-256-gcm', wrapKey(db), Buffer.from(w.nonce, 'base64'));
    d.setAuthTag(Buffer.from(w.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(w.ct, 'base64')), d.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** `jisr-ERR-20261129T061500Z-daily.jisrbak`: sorts by time; the office code keeps offices apart in a shared folder. */
export function backupFileName(officeCode: string, at: Date, trigger: BackupTrigger): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return `jisr-${officeCode}-${stamp}-${trigger}${BACKUP_EXTENSION}`;
}

const NAME_RE = /^jisr-([A-Z]{3})-(\d{8}T\d{6}Z)-([a-z_]+)\.jisrbak$/;

/** Backup files of one office in a folder, newest first. */
export function listBackupFiles(folder: string, officeCode: string | null): { name: string; path: string; size: number; at: string }[] {
  if (!existsSync(folder)) return [];
  const out: { name: string; path: string; size: number; at: string }[] = [];
  for (const name of readdirSync(folder)) {
    const m = NAME_RE.exec(name);
    if (!m || (officeCode && m[1] !== officeCode)) continue;
    const path = join(folder, name);
    const s = m[2];
    out.push({
      name,
      path,
      size: statSync(path).size,
      at: `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

/** Reads the readable header of a backup file from its first bytes (no passphrase). */
export function readHeaderFromPath(path: string): BackupHeader {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(statSync(path).size, 256 * 1024));
    readSync(fd, buf, 0, buf.length, 0);
    return readBackupHeader(buf);
  } finally {
    closeSync(fd);
  }
}

function writeFileDurably(path: string, data: Buffer): void {
  const tmp = `${path}.partial`;
  writeAllSyncClose(openSync(tmp, 'w'), data);
  renameSync(tmp, path);
}

/**
 * Row counts of the main tables of a database (the open one, or a backup's image opened in memory). Raw SQL: the
 * table's name is the statement's subject, and an older backup may lack a table (sqlite_master says).
 */
export function tableCounts(sqlite: Sqlite): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ['applicants', 'users', 'audit_log', 'training_sessions', 'attendance', 'attestations']) {
    const exists = sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t);
    if (exists) out[t] = (sqlite.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n;
  }
  return out;
}

/**
 * Bytes 18–19 of the SQLite header say 2 for a WAL database; an in-memory copy cannot be opened in WAL
 * mode, so the image is stored as a rollback-journal database (1, 1). openSqlite switches a restored
 * file back to WAL when the core opens it.
 */
export function asRollbackImage(image: Buffer): Buffer {
  if (image.length >= 100 && image[18] === 2 && image[19] === 2) {
    image[18] = 1;
    image[19] = 1;
  }
  return image;
}


export interface BackupResult {
  path: string;
  fileName: string;
  size: number;
  sha256: string;
  at: string;
  durationMs: number;
  deleted: string[];
  header: BackupHeader;
}

export interface CreateBackupOptions {
  passphrase: string;
  /** Write into this folder with the standard name and rotate … */
  folder?: string;
  /** … or write exactly this file (no rotation). */
  outFile?: string;
  keep?: number;
  trigger: BackupTrigger;
  now: Date;
  appVersion: string;
  schemaVersion: string;
  /** The folder is the configured one: fail when it is absent (stick unplugged) instead of creating it. */
  mustExist?: boolean;
  /** Where to remember the last good backup for the start-up check (the database path). */
  dbPath?: string;
  /** The database's recovery secret: the backup then also opens with the recovery sheet (format version 2). */
  recoverySecret?: Buffer | null;
}

/**
 * A consistent snapshot of the open database (sqlite3_serialize reads every committed page under one
 * read transaction; WAL content included), checked with quick_check first so a damaged database never
 * pushes a good backup out of the rotation, compressed, encrypted, written durably (temp file, fsync,
 * rename), read back and compared, then older backups of this office beyond `keep` are deleted.
 */
export function createBackup(sqlite: Sqlite, o: CreateBackupOptions): BackupResult {
  const t0 = Date.now();
  // The connection itself, not a handle: PRAGMA quick_check and sqlite3_serialize are not queries of the schema.
  const check = sqlite.prepare('PRAGMA quick_check').pluck().all() as string[];
  if (check.length !== 1 || check[0] !== 'ok') throw new AppError('backup.source_damaged', { problems: check.slice(0, 5) });
  const office = installedOffice(readable(sqlite));
  const image = asRollbackImage(sqlite.serialize());
  const header: BackupHeader = {
    app: 'jisr-desk',
    createdAt: o.now.toISOString(),
    officeId: office?.id ?? null,
    officeSlug: office?.slug ?? null,
    officeCode: office?.code ?? null,
    schemaVersion: o.schemaVersion,
    appVersion: o.appVersion,
    trigger: o.trigger,
    dbSize: image.length,
    counts: tableCounts(sqlite),
    auditHead: storedAuditHead(readable(sqlite)),
  };
  const data = encryptBackup(image, header, o.passphrase, o.recoverySecret ?? null);
  let path: string;
  // How the file is named in an error: the CLI's own --out, else the file name (never a path the caller did not give).
  let shown: string;
  if (o.outFile) {
    path = resolve(o.outFile);
    shown = o.outFile;
  } else if (o.folder) {
    // The folder must be there: an absent USB stick must not turn into a folder on the local disk.
    if (!existsSync(o.folder)) throw new AppError('backup.folder_missing', { folder: o.folder });
    path = join(resolve(o.folder), backupFileName(office?.code ?? 'XXX', o.now, o.trigger));
    shown = basename(path);
  } else throw new AppError('backup.no_folder');
  // Never over the database, its -wal/-shm, or a file that is not one of the app's backups.
  checkBackupTarget(path, o.dbPath, shown);
  try {
    writeBackupFile(path, data);
  } catch (e) {
    throw new AppError('backup.write_failed', { path: shown, detail: (e as NodeJS.ErrnoException).code ?? 'error' });
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  const back = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (back !== sha256) throw new AppError('backup.write_failed', { path: shown, detail: 'read-back differs' });

  const deleted: string[] = [];
  if (!o.outFile && o.folder && office && o.keep && o.keep > 0) {
    for (const f of listBackupFiles(o.folder, office.code).slice(o.keep)) {
      rmSync(f.path, { force: true });
      deleted.push(f.name);
    }
  }
  if (o.dbPath && o.dbPath !== ':memory:') rememberGoodBackup(o.dbPath, { path, at: header.createdAt, sha256, folder: dirname(path) });
  return { path, fileName: basename(path), size: data.length, sha256, at: header.createdAt, durationMs: Date.now() - t0, deleted, header };
}

/* ---------- the start-up check and the way back to the last good backup ---------- */

interface BackupState {
  folder: string;
  lastGood: { path: string; at: string; sha256: string };
}

/** Beside the database, so that the start-up check can name the last good backup even when the database is unreadable. */
export function backupStatePath(dbPath: string): string {
  return `${dbPath}.backup-state.json`;
}

function rememberGoodBackup(dbPath: string, last: { path: string; at: string; sha256: string; folder: string }): void {
  try {
    const state: BackupState = { folder: last.folder, lastGood: { path: last.path, at: last.at, sha256: last.sha256 } };
    writeFileSync(backupStatePath(dbPath), JSON.stringify(state, null, 2), { mode: 0o600 });
    makePrivate(backupStatePath(dbPath));
  } catch {
    /* the backup itself succeeded; the hint is best-effort */
  }
}

export interface LastGoodBackup {
  path: string;
  at: string;
}

export function lastGoodBackup(dbPath: string): LastGoodBackup | null {
  let state: BackupState | null = null;
  try {
    state = JSON.parse(readFileSync(backupStatePath(dbPath), 'utf8')) as BackupState;
  } catch {
    return null;
  }
  if (state.lastGood && existsSync(state.lastGood.path)) return { path: state.lastGood.path, at: state.lastGood.at };
  // The remembered file is gone (rotated, stick replaced): the newest backup in the same folder.
  const newest = state.folder ? listBackupFiles(state.folder, null)[0] : undefined;
  return newest ? { path: newest.path, at: newest.at } : null;
}

export type StartCheck =
  | { ok: true; fresh: boolean; check: 'quick_check' | 'integrity_check' }
  | { ok: false; problems: string[]; lastGoodBackup: LastGoodBackup | null; restoreCommand: string | null };

/**
 * Run by the hosts before opening the core: `PRAGMA quick_check` (or the full integrity_check) on the
 * database file. On failure the answer names the last good backup and the command that restores it;
 * the host shows it (message `backup.database_damaged`) instead of opening a damaged database.
 */
export function checkDatabaseAtStart(dbPath: string, opts: { full?: boolean; keyStore?: KeyStore } = {}): StartCheck {
  const pragma = opts.full ? 'integrity_check' : 'quick_check';
  if (dbPath === ':memory:' || !existsSync(dbPath)) return { ok: true, fresh: true, check: pragma };
  let problems: string[];
  let db: Database.Database | null = null;
  try {
    db = openDatabaseFile(dbPath, { keyStore: opts.keyStore });
    problems = (db.prepare(`PRAGMA ${pragma}`).pluck().all() as string[]).filter((p) => p !== 'ok');
  } catch (e) {
    // An encrypted database whose key is not here is not damaged: the core says so (db.key_missing).
    if (e instanceof AppError && e.code === 'db.key_missing') return { ok: true, fresh: false, check: pragma };
    problems = [(e as Error).message];
  } finally {
    try {
      db?.close();
    } catch {
      /* already unusable */
    }
  }
  if (!problems.length) return { ok: true, fresh: false, check: pragma };
  const last = lastGoodBackup(dbPath);
  return {
    ok: false,
    problems: problems.slice(0, 20),
    lastGoodBackup: last,
    restoreCommand: last ? `npm run cli -- restore --db "${dbPath}" --from "${last.path}" --passphrase-stdin` : null,
  };
}

/** checkDatabaseAtStart for a door that must not open a damaged database: throws backup.database_damaged (naming the last good backup). */
export function refuseDamagedDatabase(dbPath: string, opts: { full?: boolean; keyStore?: KeyStore } = {}): Extract<StartCheck, { ok: true }> {
  const check = checkDatabaseAtStart(dbPath, opts);
  if (!check.ok) {
    throw new AppError('backup.database_damaged', {
      path: check.lastGoodBackup?.path ?? '—',
      at: check.lastGoodBackup?.at ?? '—',
      command: check.restoreCommand ?? '—',
      problems: check.problems,
    });
  }
  return check;
}

/* ---------- checking a backup file and restoring it ---------- */

export interface BackupInspection {
  header: BackupHeader;
  integrity: 'ok';
  officeId: string | null;
  sameOffice: boolean | null;
  schema: { applied: string[]; app: string[]; olderThanApp: boolean };
  counts: Record<string, number>;
}

/**
 * Decrypts (authenticates) a backup and checks the database inside: PRAGMA integrity_check, a Jisr
 * database (installation, schema_migrations), for the expected office, not newer than this app.
 * Everything happens in memory; nothing on disk is touched. Throws a coded AppError on any failure.
 */
export function inspectBackup(
  file: Buffer,
  passphrase: BackupOpener,
  opts: { expectOfficeId: string | null; migrationsDir?: string },
): { inspection: BackupInspection; dbImage: Buffer } {
  const { header, dbImage } = decryptBackup(file, passphrase);
  let mem: Database.Database;
  try {
    mem = new Database(asRollbackImage(dbImage));
  } catch {
    throw new AppError('backup.not_a_database');
  }
  try {
    let integrity: string[];
    try {
      integrity = mem.prepare('PRAGMA integrity_check').pluck().all() as string[];
    } catch (e) {
      throw new AppError('backup.integrity_failed', { problems: [(e as Error).message] });
    }
    if (integrity.length !== 1 || integrity[0] !== 'ok') throw new AppError('backup.integrity_failed', { problems: integrity.slice(0, 5) });
    const has = (t: string) => !!mem.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t);
    if (!has('schema_migrations') || !has('installation') || !has('audit_log')) throw new AppError('backup.not_jisr');
    // The backup's own database, opened in memory: read through the same repositories as the live one.
    const inst = installation(readable(mem));
    const officeId = inst?.office_id ?? null;
    const applied = (mem.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all() as string[]);
    const app = loadMigrations(opts.migrationsDir ?? join(projectRoot(), 'migrations')).map((m) => m.name);
    if (applied.length > app.length) throw new AppError('backup.newer_than_app', { backup: applied.at(-1), app: app.at(-1) });
    applied.forEach((name, i) => {
      if (app[i] !== name) throw new AppError('backup.not_jisr');
    });
    const sameOffice = opts.expectOfficeId ? officeId === opts.expectOfficeId : null;
    if (sameOffice === false) throw new AppError('backup.other_office', { backupOffice: header.officeSlug ?? officeId });
    const counts = tableCounts(mem);
    return {
      inspection: { header, integrity: 'ok', officeId, sameOffice, schema: { applied, app, olderThanApp: applied.length < app.length }, counts },
      dbImage,
    };
  } finally {
    mem.close();
  }
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Reads the office of a database file that is not open (null when unreadable or not set up). */
export function officeOfFile(dbPath: string, keyStore?: KeyStore): string | null {
  if (!existsSync(dbPath)) return null;
  let db: Database.Database | null = null;
  try {
    db = openDatabaseFile(dbPath, { readonly: true, keyStore });
    const r = installation(readable(db));
    return r?.office_id ?? null;
  } catch {
    return null;
  } finally {
    try {
      db?.close();
    } catch {
      /* ignore */
    }
  }
}

/**
 * Restores a checked database image over a database file that is NOT open (the CLI, a host before it
 * opens the core). The replaced files (database, -wal, -shm) are first copied to `<db>.replaced-<time>`;
 * the image is written beside the database, fsynced and renamed over it; stale -wal/-shm are removed
 * so SQLite cannot replay the old journal onto the restored file.
 * With the database's secret, the image is written encrypted (its pages are encrypted as they are written:
 * no clear copy on disk); the replaced copy is the encrypted file itself. Only the newest 3 copies are kept.
 */
export function restoreImageToFile(dbPath: string, dbImage: Buffer, now: Date, secret: Buffer | null = null): { replacedCopy: string | null } {
  let replacedCopy: string | null = null;
  if (existsSync(dbPath)) {
    replacedCopy = `${dbPath}.replaced-${stamp(now)}`;
    copyFileSync(dbPath, replacedCopy);
    for (const sfx of ['-wal', '-shm']) if (existsSync(dbPath + sfx)) copyFileSync(dbPath + sfx, replacedCopy + sfx);
    rotateCopies(dbPath, '.replaced-', KEEP_DATABASE_COPIES);
  }
  const tmp = `${dbPath}.restoring`;
  if (secret) writeImageEncrypted(asRollbackImage(Buffer.from(dbImage)), tmp, secret);
  else writeFileDurably(tmp, dbImage);
  for (const sfx of ['-wal', '-shm']) rmSync(dbPath + sfx, { force: true });
  renameSync(tmp, dbPath);
  return { replacedCopy };
}

/**
 * Restores a checked image into the database the core has open, without closing it: the SQLite backup
 * API copies every page of the image into the live file under a write lock (the core's connection is
 * idle: calls run one at a time). A copy of the replaced database (VACUUM INTO) is kept first.
 * An encrypted database (`secret`) is refilled through a connection that holds its key, in one transaction
 * (the backup API would write clear pages); its VACUUM INTO copy is encrypted with the same key.
 */
export async function restoreImageLive(sqlite: Sqlite, dbPath: string, dbImage: Buffer, now: Date, secret: Buffer | null = null): Promise<{ replacedCopy: string }> {
  const replacedCopy = `${dbPath}.replaced-${stamp(now)}`;
  try {
    sqlite.prepare('VACUUM INTO ?').run(replacedCopy);
  } catch {
    // A damaged live database may refuse VACUUM: keep its raw bytes instead.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(dbPath, replacedCopy);
  }
  rotateCopies(dbPath, '.replaced-', KEEP_DATABASE_COPIES);
  if (secret) {
    replaceWithImage(asRollbackImage(Buffer.from(dbImage)), dbPath, secret);
    return { replacedCopy };
  }
  const src = new Database(dbImage);
  try {
    await src.backup(dbPath);
  } finally {
    src.close();
  }
  return { replacedCopy };
}
