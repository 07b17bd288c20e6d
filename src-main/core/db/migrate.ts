import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { Sqlite } from './connection';
import { rotateCopies } from './encryption';

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
 * Applies pending migrations in order, each in its own transaction, recording each in
 * schema_migrations. Refuses a database newer than the app (it has migrations we do not know)
 * and one whose applied list is not a prefix of our files (a different history, or an edited file).
 * Before the first pending migration of a database that already holds data, the file is copied
 * (VACUUM INTO) beside itself, so a failed upgrade can always be rolled back by hand.
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
    // An encrypted database's VACUUM INTO copy is encrypted with the same key; the newest 3 copies are kept.
    db.prepare('VACUUM INTO ?').run(backupPath);
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
