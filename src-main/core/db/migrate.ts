import { createHash } from 'node:crypto';
import { constants, copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/errors';
import type { Sqlite } from './connection';
import { applyKey, rotateCopies } from './encryption';
import { makePrivate } from '../files/private-files';

export interface MigrationFile {
  name: string; // e.g. 0001_foundation
  sql: string;
  checksum: string;
}

const FILE_RE = /^(\d{4})_[a-z0-9_]+\.sql$/;

export function loadMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new AppError('db.migrations_missing', { dir });
  const files = readdirSync(dir).filter((f) => FILE_RE.test(f)).sort();
  return files.map((f, i) => {
    const num = Number(f.slice(0, 4));
    if (num !== i + 1) throw new AppError('db.migrations_gap', { file: f, expected: i + 1 });
    const sql = readFileSync(join(dir, f), 'utf8');
    // Line endings are normalised so that a Windows checkout has the same checksum.
    const checksum = createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
    return { name: f.replace(/\.sql$/, ''), sql, checksum };
  });
}

export interface MigrateOptions {
  dir: string;
  /** Path of the database file, to copy it before migrating; absent for :memory:. */
  dbPath?: string;
  now: () => Date;
  /** Called with the path of the copy made before the first pending migration. */
  onBackup?: (path: string) => void;
  /** The database's secret (encryption at rest): the copy is checked to open with the same key. */
  secret?: Buffer | null;
  nativeBinding?: string;
}

export interface MigrateResult {
  applied: string[];
  pending: string[];
  backupPath: string | null;
  schemaVersion: string;
}

function ensureTable(db: Sqlite) {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
}

export function appliedMigrations(db: Sqlite): { name: string; checksum: string }[] {
  const exists = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
    .get();
  if (!exists) return [];
  return db.prepare(`SELECT name, checksum FROM schema_migrations ORDER BY name`).all() as {
    name: string;
    checksum: string;
  }[];
}

/**
 * A copy of an open database's file, made under its write lock and checked.
 *
 * The copy made before a migration was `VACUUM INTO`: it rebuilds every table and index into a new file (5.1 s for the
 * seeded 100,000-file province, growing with the data and its indexes). Copying the file's bytes costs what the disk
 * takes to copy them (a clone where the file system can make one), and the copy is the same file, pages encrypted
 * with the same key:
 * 1. the WAL is folded into the file (checkpoint, not waiting for readers), then the write lock is taken (BEGIN IMMEDIATE): no other
 *    connection can commit while the file is copied;
 * 2. the file is copied beside the target (`.part`), and the WAL too when it was not emptied (a reader held an older
 *    snapshot, or another connection committed before the lock): the copy's first opening folds it in, as SQLite
 *    recovers any WAL;
 * 3. the copy is opened with the database's key and checked: it reads, it has the same schema and applied migrations,
 *    and its size is its page count times its page size; only then is it renamed into place.
 * Throws (the lock released, the partial copy removed) when any step fails.
 */
export function copyDatabaseFile(db: Sqlite, dbPath: string, dest: string, o: { secret: Buffer | null; nativeBinding?: string }): void {
  const part = `${dest}.part`;
  const clean = () => {
    for (const f of [part, `${part}-wal`, `${part}-shm`, `${part}-journal`]) rmSync(f, { force: true });
  };
  clean();
  try {
    // Without waiting for readers (another window, the web bridge): what they still see stays in the WAL, copied below.
    const busy = Number(db.pragma('busy_timeout', { simple: true }));
    db.pragma('busy_timeout = 0');
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.pragma(`busy_timeout = ${busy}`);
    }
    db.exec('BEGIN IMMEDIATE');
    let expected: { schema: string; migrations: string };
    try {
      expected = copyFingerprint(db);
      copyFileSync(dbPath, part, constants.COPYFILE_FICLONE);
      const wal = `${dbPath}-wal`;
      if (existsSync(wal) && statSync(wal).size > 0) copyFileSync(wal, `${part}-wal`, constants.COPYFILE_FICLONE);
    } finally {
      db.exec('ROLLBACK');
    }
    makePrivate(part, `${part}-wal`);
    const copy = new Database(part, o.nativeBinding ? { nativeBinding: o.nativeBinding } : {});
    try {
      if (o.secret) applyKey(copy, o.secret);
      const got = copyFingerprint(copy);
      if (got.schema !== expected.schema || got.migrations !== expected.migrations) throw new Error('the copy differs from the database');
      copy.pragma('wal_checkpoint(TRUNCATE)');
      const pages = Number(copy.pragma('page_count', { simple: true })) * Number(copy.pragma('page_size', { simple: true }));
      if (statSync(part).size !== pages) throw new Error('the copy is incomplete');
    } finally {
      copy.close();
    }
    rmSync(`${part}-wal`, { force: true });
    rmSync(`${part}-shm`, { force: true });
    renameSync(part, dest);
  } catch (e) {
    clean();
    throw e;
  }
}

/** What the copy's check compares: the schema's text and the applied migrations. */
function copyFingerprint(db: Sqlite): { schema: string; migrations: string } {
  const schema = createHash('sha256')
    .update(JSON.stringify(db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').raw(true).all()))
    .digest('hex');
  return { schema, migrations: JSON.stringify(appliedMigrations(db)) };
}

/**
 * Applies pending migrations in order, each in its own transaction, recording each in
 * schema_migrations. Refuses a database newer than the app (it has migrations we do not know)
 * and one whose applied list is not a prefix of our files (a different history, or an edited file).
 * Before the first pending migration of a database that already holds data, the file is copied
 * (copyDatabaseFile, checked) beside itself, so a failed upgrade can always be rolled back by hand.
 */
export function migrate(db: Sqlite, opts: MigrateOptions): MigrateResult {
  const files = loadMigrations(opts.dir);
  const applied = appliedMigrations(db);

  if (applied.length > files.length) {
    const unknown = applied.slice(files.length).map((m) => m.name);
    throw new AppError('db.newer_than_app', { unknown, appVersion: files.at(-1)?.name ?? null });
  }
  applied.forEach((m, i) => {
    const f = files[i];
    if (f.name !== m.name) {
      throw new AppError('db.migrations_diverged', { applied: m.name, expected: f.name });
    }
    if (f.checksum !== m.checksum) {
      throw new AppError('db.migration_edited', { name: m.name });
    }
  });

  const pending = files.slice(applied.length);
  let backupPath: string | null = null;
  if (pending.length && opts.dbPath && opts.dbPath !== ':memory:' && applied.length > 0) {
    const stamp = opts.now().toISOString().replace(/[:.]/g, '-');
    backupPath = `${opts.dbPath}.before-${pending[0].name}-${stamp}.bak`;
    // The file copied as it is: an encrypted database's copy is encrypted with the same key; the newest 3 are kept.
    try {
      copyDatabaseFile(db, opts.dbPath, backupPath, { secret: opts.secret ?? null, nativeBinding: opts.nativeBinding });
    } catch (e) {
      // Nothing was migrated: without its copy, the database is left as it is.
      throw new AppError('db.migration_failed', { name: pending[0].name, detail: `copy before migrating: ${(e as Error).message}` });
    }
    rotateCopies(opts.dbPath, '.before-', 3);
    opts.onBackup?.(backupPath);
  }

  ensureTable(db);
  const record = db.prepare(`INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)`);
  for (const m of pending) {
    const run = db.transaction(() => {
      db.exec(m.sql);
      record.run(m.name, m.checksum, opts.now().toISOString());
    });
    try {
      run.immediate();
    } catch (e) {
      throw new AppError('db.migration_failed', { name: m.name, detail: (e as Error).message });
    }
  }
  return {
    applied: applied.map((m) => m.name),
    pending: pending.map((m) => m.name),
    backupPath,
    schemaVersion: files.at(-1)?.name ?? '',
  };
}
