import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/core';
import { copyDatabaseFile, loadMigrations, migrate } from '../../src-main/core/db/migrate';
import { projectRoot } from '../../src-main/core/paths';
import { AppError } from '../../src-main/shared/errors';
import { databaseFileState, FileKeyStore, newSecret, openDatabaseFile } from '../../src-main/core/db/encryption';
import { openSqlite } from '../../src-main/core/db/connection';

const realDir = join(projectRoot(), 'migrations');
const dirs: string[] = [];
function tmp() {
  const d = mkdtempSync(join(tmpdir(), 'jisr-mig-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? e.code : `not AppError: ${String(e)}`;
  }
  return 'no error';
}

const now = () => new Date('2026-11-29T10:00:00Z');

describe('migrations', () => {
  it('applies every file in order on a fresh database, records them, and sets WAL and foreign keys', async () => {
    const dir = tmp();
    const core = createCore({ dbPath: join(dir, 'a.db'), clock: now });
    const files = loadMigrations(realDir);
    expect(core.migration.pending).toEqual(files.map((f) => f.name));
    const rows = core.sqlite.prepare('SELECT name, checksum FROM schema_migrations ORDER BY name').all() as { name: string; checksum: string }[];
    expect(rows.map((r) => r.name)).toEqual(files.map((f) => f.name));
    expect(rows.map((r) => r.checksum)).toEqual(files.map((f) => f.checksum));
    expect(core.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(core.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    await core.close();
  });

  it('loads the region, its 5 provinces and 125 communes with official codes, names and type', async () => {
    const core = createCore({ dbPath: ':memory:' });
    const db = core.sqlite;
    expect(db.prepare('SELECT code, name_fr, name_ar FROM regions').all()).toEqual([{ code: '08', name_fr: 'Drâa-Tafilalet', name_ar: 'درعة-تافيلالت' }]);
    const provinces = db.prepare('SELECT code, slug, (SELECT count(*) FROM communes c WHERE c.province_code = p.code) n FROM provinces p ORDER BY code').all();
    expect(provinces).toEqual([
      { code: '08.201', slug: 'errachidia', n: 29 },
      { code: '08.363', slug: 'midelt', n: 29 },
      { code: '08.401', slug: 'ouarzazate', n: 17 },
      { code: '08.577', slug: 'tinghir', n: 25 },
      { code: '08.587', slug: 'zagora', n: 25 },
    ]);
    expect(db.prepare("SELECT count(*) n FROM communes WHERE type = 'urbaine'").get()).toEqual({ n: 17 });
    expect(db.prepare("SELECT count(*) n FROM communes WHERE type = 'rurale'").get()).toEqual({ n: 108 });
    expect(db.prepare("SELECT name_fr, name_ar, type, code_digits FROM communes WHERE code = '08.201.01.05'").get()).toEqual({
      name_fr: 'Errachidia',
      name_ar: 'الرشيدية',
      type: 'urbaine',
      code_digits: '082010105',
    });
    await core.close();
  });

  it('is idempotent: reopening applies nothing and makes no copy', async () => {
    const dir = tmp();
    const path = join(dir, 'a.db');
    await createCore({ dbPath: path, clock: now }).close();
    const again = createCore({ dbPath: path, clock: now });
    expect(again.migration.pending).toEqual([]);
    expect(again.migration.backupPath).toBeNull();
    await again.close();
  });

  it('copies the database file before running a new migration, and the copy is the old database', async () => {
    const dir = tmp();
    const migDir = join(dir, 'migrations');
    cpSync(realDir, migDir, { recursive: true });
    const path = join(dir, 'a.db');
    const first = createCore({ dbPath: path, clock: now, migrationsDir: migDir });
    first.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('marker', '1')").run();
    await first.close();
    const n = readdirSync(migDir).filter((f) => f.endsWith('.sql')).length;
    writeFileSync(join(migDir, `${String(n + 1).padStart(4, '0')}_extra.sql`), 'CREATE TABLE extra (x INTEGER) STRICT;');
    const second = createCore({ dbPath: path, clock: now, migrationsDir: migDir });
    expect(second.migration.pending).toEqual([`${String(n + 1).padStart(4, '0')}_extra`]);
    const copy = second.migration.backupPath!;
    expect(copy).toContain('.before-');
    expect(existsSync(copy)).toBe(true);
    await second.close();
    // The copy is encrypted with the database's own key (nothing in clear beside the database).
    expect(databaseFileState(copy)).toBe('encrypted');
    const old = openDatabaseFile(copy, { readonly: true, secret: new FileKeyStore().load(path)! });
    expect(old.prepare("SELECT value FROM settings WHERE key = 'marker'").get()).toEqual({ value: '1' });
    expect(old.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'extra'").get()).toEqual({ n: 0 });
    old.close();
  });

  it('0017: the programme\'s age range becomes 18 to 70 where it was still the old default 55, not where the office chose another', async () => {
    const dir = tmp();
    const migDir = join(dir, 'migrations');
    cpSync(realDir, migDir, { recursive: true });
    rmSync(join(migDir, '0017_age_range_70.sql'));
    for (const f of readdirSync(migDir)) if (f > '0017') rmSync(join(migDir, f));
    const maxOf = (c: ReturnType<typeof createCore>) => c.sqlite.prepare("SELECT value FROM settings WHERE key = 'registry.age_max'").pluck().get();
    // Two offices made before the migration: one on the default, one whose head chose 60.
    const onDefault = join(dir, 'default.db');
    const chose = join(dir, 'chose.db');
    for (const [path, value] of [[onDefault, null], [chose, '60']] as const) {
      const c = createCore({ dbPath: path, clock: now, migrationsDir: migDir });
      expect(maxOf(c)).toBe('55');
      if (value) c.sqlite.prepare("UPDATE settings SET value = ? WHERE key = 'registry.age_max'").run(value);
      await c.close();
    }
    for (const [path, expected] of [[onDefault, '70'], [chose, '60']] as const) {
      const c = createCore({ dbPath: path, clock: now });
      expect(c.migration.pending).toContain('0017_age_range_70');
      expect(maxOf(c)).toBe(expected);
      expect(c.sqlite.prepare("SELECT value FROM settings WHERE key = 'registry.age_min'").pluck().get()).toBe('18');
      await c.close();
    }
    // A new office: 18 to 70.
    const fresh = createCore({ dbPath: ':memory:', clock: now });
    expect(maxOf(fresh)).toBe('70');
    await fresh.close();
  });

  it('refuses a database newer than the app', () => {
    const db = new Database(':memory:');
    migrate(db, { dir: realDir, now });
    db.prepare("INSERT INTO schema_migrations VALUES ('9999_future', 'x', 'now')").run();
    expect(codeOf(() => migrate(db, { dir: realDir, now }))).toBe('db.newer_than_app');
  });

  it('refuses a database whose applied migrations are not a prefix of the files', () => {
    const db = new Database(':memory:');
    migrate(db, { dir: realDir, now });
    db.prepare("UPDATE schema_migrations SET name = '0002_other' WHERE name = '0002_territories'").run();
    expect(codeOf(() => migrate(db, { dir: realDir, now }))).toBe('db.migrations_diverged');
  });

  it('refuses a database when an applied migration file was edited since', () => {
    const dir = tmp();
    cpSync(realDir, dir, { recursive: true });
    const db = new Database(':memory:');
    migrate(db, { dir, now });
    writeFileSync(join(dir, '0001_foundation.sql'), '-- edited\n', { flag: 'a' });
    expect(codeOf(() => migrate(db, { dir, now }))).toBe('db.migration_edited');
  });

  it('a failing migration leaves the database as it was (its transaction is rolled back)', () => {
    const dir = tmp();
    cpSync(realDir, dir, { recursive: true });
    const db = new Database(':memory:');
    migrate(db, { dir, now });
    const n = readdirSync(dir).filter((f) => f.endsWith('.sql')).length;
    const name = `${String(n + 1).padStart(4, '0')}_broken`;
    writeFileSync(join(dir, `${name}.sql`), 'CREATE TABLE half (x INTEGER);\nINSERT INTO no_such_table VALUES (1);');
    expect(codeOf(() => migrate(db, { dir, now }))).toBe('db.migration_failed');
    expect(db.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) n FROM schema_migrations WHERE name = ?').get(name)).toEqual({ n: 0 });
  });

  it('refuses a gap in the numbering of the files', () => {
    const dir = tmp();
    cpSync(realDir, dir, { recursive: true });
    writeFileSync(join(dir, '0099_far.sql'), 'SELECT 1;');
    expect(codeOf(() => loadMigrations(dir))).toBe('db.migrations_gap');
  });
});

describe('the copy made before a migration (a file copy under the write lock, checked)', () => {
  const counts = (db: Database.Database) => db.prepare("SELECT value FROM settings WHERE key LIKE 'marker%' ORDER BY key").pluck().all();

  it('holds what another connection committed but could not yet fold into the file (its WAL is copied too)', () => {
    const dir = tmp();
    const path = join(dir, 'a.db');
    const db = openSqlite(path);
    migrate(db, { dir: realDir, now });
    db.prepare("INSERT INTO settings (key, value) VALUES ('marker1', '1')").run();
    // A reader on an old snapshot: the checkpoint cannot fold the next commit into the file, it stays in the WAL.
    const reader = openSqlite(path);
    reader.exec('BEGIN');
    expect(counts(reader)).toEqual(['1']);
    db.prepare("INSERT INTO settings (key, value) VALUES ('marker2', '2')").run();
    const dest = join(dir, 'a.copy');
    copyDatabaseFile(db, path, dest, { secret: null });
    reader.exec('ROLLBACK');
    reader.close();
    expect(readdirSync(dir).filter((f) => f.startsWith('a.copy'))).toEqual(['a.copy']);
    const copy = new Database(dest, { readonly: true });
    expect(counts(copy)).toEqual(['1', '2']);
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    // The database itself is unchanged and writable again (the lock was released).
    db.prepare("INSERT INTO settings (key, value) VALUES ('marker3', '3')").run();
    expect(counts(db)).toEqual(['1', '2', '3']);
    db.close();
  });

  it('of an encrypted database is encrypted with the same key, and one that does not open with the key is refused and removed', () => {
    const dir = tmp();
    const path = join(dir, 'e.db');
    const secret = newSecret();
    const db = openSqlite(path, { secret });
    migrate(db, { dir: realDir, now });
    db.prepare("INSERT INTO settings (key, value) VALUES ('marker1', '1')").run();
    const dest = join(dir, 'e.copy');
    copyDatabaseFile(db, path, dest, { secret });
    expect(databaseFileState(dest)).toBe('encrypted');
    const copy = openDatabaseFile(dest, { readonly: true, secret });
    expect(counts(copy)).toEqual(['1']);
    copy.close();
    // Checked with another key: the copy is refused, nothing is left beside the database.
    const wrong = join(dir, 'e.wrong');
    expect(() => copyDatabaseFile(db, path, wrong, { secret: newSecret() })).toThrow(expect.objectContaining({ code: 'db.key_wrong' }));
    expect(readdirSync(dir).filter((f) => f.startsWith('e.wrong'))).toEqual([]);
    db.close();
  });

  it('when the copy cannot be made, no migration runs: the database stays as it was', () => {
    const dir = tmp();
    const migDir = join(dir, 'migrations');
    cpSync(realDir, migDir, { recursive: true });
    const path = join(dir, 'a.db');
    const db = openSqlite(path);
    migrate(db, { dir: migDir, now, dbPath: path });
    const n = readdirSync(migDir).filter((f) => f.endsWith('.sql')).length;
    const name = `${String(n + 1).padStart(4, '0')}_extra`;
    writeFileSync(join(migDir, `${name}.sql`), 'CREATE TABLE extra (x INTEGER) STRICT;');
    // The database named by a path that is not its file: the copy fails.
    expect(codeOf(() => migrate(db, { dir: migDir, now, dbPath: join(dir, 'missing', 'a.db') }))).toBe('db.migration_failed');
    expect(db.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'extra'").get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) n FROM schema_migrations WHERE name = ?').get(name)).toEqual({ n: 0 });
    // With its copy, the same migration runs.
    const r = migrate(db, { dir: migDir, now, dbPath: path });
    expect(r.pending).toEqual([name]);
    expect(existsSync(r.backupPath!)).toBe(true);
    const old = new Database(r.backupPath!, { readonly: true });
    expect(old.prepare("SELECT count(*) n FROM sqlite_master WHERE name = 'extra'").get()).toEqual({ n: 0 });
    old.close();
    db.close();
  });
});
