import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setupOffice, tempCore, cli } from '../helpers/core';
import { createCore } from '../../src-main/core/core';
import { runCli } from '../../src-main/cli/run-cli';
import { verifyAudit } from '../../src-main/core/audit/audit.repo';
import { checkDatabaseAtStart, createBackup, inspectBackup } from '../../src-main/core/security/backup';
import { readBackupHeader } from '../../src-main/core/security/backup-format';
import { BackupScheduler } from '../../src-main/core/security/scheduler';
import { insertApplicant } from './security-fixtures';
import { copyDatabaseKey } from '../helpers/keys';
import { databaseFileState } from '../../src-main/core/db/encryption';

const PASS = 'correct horse battery 42';
const cores: ReturnType<typeof tempCore>[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose().catch(() => undefined);
});

function count(core: { sqlite: import('better-sqlite3-multiple-ciphers').Database }, sql = 'SELECT COUNT(*) FROM applicants'): number {
  return core.sqlite.prepare(sql).pluck().get() as number;
}

async function officeWithBackups(opts: { clock?: () => Date; keep?: number } = {}) {
  const core = tempCore({ clock: opts.clock });
  cores.push(core);
  const { token } = await setupOffice(core);
  for (let i = 0; i < 3; i++) insertApplicant(core, { last_name_lat: `Ouchen${i}` });
  const folder = join(core.dir, 'usb');
  mkdirSync(folder); // the stick is plugged in: the folder must exist
  await core.invoke('backup.updateSettings', { folder, passphrase: PASS, ...(opts.keep ? { keep: opts.keep } : {}) }, { token });
  return { core, token, folder };
}

function cliIO(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdin: async () => stdin, out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

/** Overwrites `pages` whole pages in the middle of a database file with garbage. */
function damageMiddle(path: string, pages = 6) {
  const size = statSync(path).size;
  const pageSize = 4096;
  const start = Math.floor(size / 2 / pageSize) * pageSize - Math.floor(pages / 2) * pageSize;
  const fd = openSync(path, 'r+');
  const junk = Buffer.alloc(pages * pageSize);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 131 + 17) & 0xff;
  writeSync(fd, junk, 0, junk.length, start);
  closeSync(fd);
}

describe('encrypted backups', () => {
  it('writes an authenticated, encrypted file: no clear text, readable header, wrong passphrase refused', async () => {
    const { core, token, folder } = await officeWithBackups();
    const b = await core.invoke('backup.create', {}, { token });
    expect(existsSync(b.path)).toBe(true);
    expect(b.path.startsWith(folder)).toBe(true);
    expect(b.fileName).toMatch(/^jisr-ERR-\d{8}T\d{6}Z-manual\.jisrbak$/);
    const bytes = readFileSync(b.path);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    expect(bytes.includes(Buffer.from('Ouchen1'))).toBe(false);
    expect(readBackupHeader(bytes)).toMatchObject({ app: 'jisr-desk', officeSlug: 'errachidia', counts: { applicants: 3 } });
    // The passphrase is stored wrapped, never in clear.
    const stored = core.sqlite.prepare(`SELECT value FROM settings WHERE key = 'backup.passphrase'`).pluck().get() as string;
    expect(stored).not.toContain(PASS);
    expect(await core.invoke('backup.check', { name: b.fileName, passphrase: PASS }, { token })).toMatchObject({ integrity: 'ok', sameOffice: true, counts: { applicants: 3 } });
    expect(await core.call('backup.check', { name: b.fileName, passphrase: 'not the passphrase' }, { token })).toMatchObject({
      ok: false,
      error: { code: 'backup.wrong_passphrase_or_damaged' },
    });
    // One flipped byte anywhere (header, body, tag) fails authentication.
    for (const at of [20, 60, Math.floor(bytes.length / 2), bytes.length - 3]) {
      const bad = Buffer.from(bytes);
      bad[at] ^= 0x01;
      const up = core.outbox.put(`bad-${at}.jisrbak`, 'application/octet-stream', bad);
      const r = await core.call('backup.check', { uploadId: up.id, passphrase: PASS }, { token });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['backup.wrong_passphrase_or_damaged', 'backup.damaged', 'backup.not_a_backup']).toContain(r.error.code);
    }
    const runs = await core.invoke('backup.list', {}, { token });
    expect(runs.files.map((f) => f.name)).toEqual([b.fileName]);
    expect(runs.runs[0]).toMatchObject({ ok: true, trigger: 'manual', actorName: 'admin' });
  });

  it('backup → damage the database → the start check fails and names the backup → CLI restore → data back', async () => {
    const { core, token } = await officeWithBackups();
    const b = await core.invoke('backup.create', {}, { token });
    const dbPath = core.dbPath;
    const before = count(core);
    const names = core.sqlite.prepare('SELECT last_name_lat FROM applicants ORDER BY id').pluck().all();
    await core.close();

    expect(checkDatabaseAtStart(dbPath)).toMatchObject({ ok: true });
    damageMiddle(dbPath);
    const check = checkDatabaseAtStart(dbPath, { full: true });
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.length).toBeGreaterThan(0);
    expect(check.lastGoodBackup?.path).toBe(b.path);
    expect(check.restoreCommand).toContain('restore --db');

    const dbCheck = cliIO();
    expect(await runCli(['db', 'check', '--db', dbPath], { io: dbCheck.io })).toBe(1);
    expect(dbCheck.err.join('\n')).toContain('backup.database_damaged');

    const r = cliIO(PASS + '\n');
    const code = await runCli(['restore', '--db', dbPath, '--from', b.path, '--passphrase-stdin'], { io: r.io });
    expect(r.err).toEqual([]);
    expect(code).toBe(0);
    const out = JSON.parse(r.out[0]);
    expect(existsSync(out.replacedCopy)).toBe(true);
    expect(checkDatabaseAtStart(dbPath, { full: true })).toMatchObject({ ok: true });

    const again = createCore({ dbPath });
    try {
      expect(count(again)).toBe(before);
      expect(again.sqlite.prepare('SELECT last_name_lat FROM applicants ORDER BY id').pluck().all()).toEqual(names);
      const last = again.sqlite.prepare('SELECT actor_kind, actor_name, method FROM audit_log ORDER BY id DESC LIMIT 1').get();
      expect(last).toMatchObject({ actor_kind: 'cli', method: 'backup.restore' });
      expect(verifyAudit(again.sqlite).ok).toBe(true);
    } finally {
      await again.close();
    }
  });

  it('refuses a wrong passphrase or a damaged backup before touching the live database', async () => {
    const { core, token } = await officeWithBackups();
    const b = await core.invoke('backup.create', {}, { token });
    insertApplicant(core, { last_name_lat: 'AfterBackup' });
    const files = () => readdirSync(core.dir).sort();
    const beforeFiles = files();
    const r = await core.call('backup.restore', { name: b.fileName, passphrase: 'wrong passphrase!' }, { token });
    expect(r).toMatchObject({ ok: false, error: { code: 'backup.wrong_passphrase_or_damaged' } });
    const damaged = Buffer.from(readFileSync(b.path));
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    writeFileSync(join(core.dir, 'damaged.jisrbak'), damaged);
    const r2 = await core.call('backup.restore', { path: join(core.dir, 'damaged.jisrbak'), passphrase: PASS }, { actor: cli });
    expect(r2).toMatchObject({ ok: false, error: { code: 'backup.wrong_passphrase_or_damaged' } });
    expect(count(core)).toBe(4);
    expect(files()).toEqual([...beforeFiles, 'damaged.jisrbak'].sort()); // no replaced copy: nothing was replaced
    // The CLI refuses too, and leaves the file alone.
    await core.close();
    const size = statSync(core.dbPath).size;
    const io = cliIO('wrong passphrase!\n');
    expect(await runCli(['restore', '--db', core.dbPath, '--from', b.path, '--passphrase-stdin'], { io: io.io })).toBe(1);
    expect(io.err.join('')).toContain('backup.wrong_passphrase_or_damaged');
    expect(statSync(core.dbPath).size).toBe(size);
    expect(readdirSync(core.dir).some((f) => f.includes('.replaced-'))).toBe(false);
  });

  it('restores from the API into the open database, keeps the replaced copy and records the restore', async () => {
    const { core, token } = await officeWithBackups();
    const b = await core.invoke('backup.create', {}, { token });
    insertApplicant(core, { last_name_lat: 'AfterBackup' });
    expect(count(core)).toBe(4);
    const res = await core.invoke('backup.restore', { name: b.fileName, passphrase: PASS }, { token });
    expect(res).toMatchObject({ integrity: 'ok', sameOffice: true, counts: { applicants: 3 } });
    expect(count(core)).toBe(3);
    expect(count(core, `SELECT COUNT(*) FROM applicants WHERE last_name_lat = 'AfterBackup'`)).toBe(0);
    // The replaced database is kept and still holds the row added after the backup.
    // It is encrypted like the database, with the database's key.
    expect(databaseFileState(res.replacedCopy)).toBe('encrypted');
    copyDatabaseKey(core.dbPath, res.replacedCopy);
    const kept = createCore({ dbPath: res.replacedCopy });
    try {
      expect(count(kept, `SELECT COUNT(*) FROM applicants WHERE last_name_lat = 'AfterBackup'`)).toBe(1);
    } finally {
      await kept.close();
    }
    // The same session goes on working; the restore is in the restored database's audit chain.
    const list = await core.invoke('audit.list', { method: 'backup.restore' }, { token });
    expect(list.items[0]).toMatchObject({ actorName: 'admin', actorKind: 'user', entity: 'backup' });
    expect(verifyAudit(core.sqlite).ok).toBe(true);
  });

  it("refuses another office's backup and a backup newer than the app", async () => {
    const { core, token } = await officeWithBackups();
    const other = tempCore();
    cores.push(other);
    const o = await setupOffice(other, 'tinghir');
    mkdirSync(join(other.dir, 'usb'));
    await other.invoke('backup.updateSettings', { folder: join(other.dir, 'usb'), passphrase: PASS }, { token: o.token });
    const ob = await other.invoke('backup.create', {}, { token: o.token });
    const upload = core.outbox.put(ob.fileName, 'application/octet-stream', readFileSync(ob.path));
    expect(await core.call('backup.restore', { uploadId: upload.id, passphrase: PASS }, { token })).toMatchObject({
      ok: false,
      error: { code: 'backup.other_office' },
    });
    // A database that knows a migration this app does not have.
    core.sqlite.prepare(`INSERT INTO schema_migrations (name, checksum, applied_at) VALUES ('9999_future', 'x', '2030-01-01')`).run();
    const future = createBackup(core.sqlite, { passphrase: PASS, outFile: join(core.dir, 'future.jisrbak'), trigger: 'manual', now: new Date(), appVersion: 'x', schemaVersion: 'x' });
    expect(() => inspectBackup(readFileSync(future.path), PASS, { expectOfficeId: null })).toThrow(/backup.newer_than_app/);
    expect(count(core)).toBe(3);
  });

  it('rotates: keeps the N most recent backups of this office', async () => {
    let t = Date.parse('2026-11-01T08:00:00Z');
    const { core, token, folder } = await officeWithBackups({ clock: () => new Date(t), keep: 3 });
    writeFileSync(join(folder, 'jisr-TIN-20200101T000000Z-manual.jisrbak'), 'another office, left alone');
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      t += 3600_000;
      made.push((await core.invoke('backup.create', {}, { token })).fileName);
    }
    const left = readdirSync(folder).filter((f) => f.startsWith('jisr-ERR-')).sort();
    expect(left).toEqual(made.slice(2).sort());
    expect(existsSync(join(folder, 'jisr-TIN-20200101T000000Z-manual.jisrbak'))).toBe(true);
  });

  it('takes automatic backups at start, daily and at exit, recorded as the system', async () => {
    let t = Date.parse('2026-11-01T08:00:00Z');
    const { core, folder } = await officeWithBackups({ clock: () => new Date(t) });
    const s = new BackupScheduler(core, { checkEveryMs: 3600_000 });
    expect((await s.atStart())?.ok).toBe(true);
    t += 3600_000;
    expect(await s.tick()).toBeNull(); // the last one is less than a day old
    t += 24 * 3600_000;
    expect((await s.tick())?.ok).toBe(true);
    s.startDaily();
    expect((await s.atExit())?.ok).toBe(true);
    const triggers = readdirSync(folder).map((f) => /-(\w+)\.jisrbak$/.exec(f)?.[1]).sort();
    expect(triggers).toEqual(['daily', 'exit', 'start']);
    const rows = core.sqlite.prepare(`SELECT actor_kind, actor_name FROM audit_log WHERE method = 'backup.create'`).all();
    expect(rows).toEqual(Array(3).fill({ actor_kind: 'system', actor_name: 'system:backup-scheduler' }));
    expect(verifyAudit(core.sqlite).ok).toBe(true);
  });

  it('an unplugged stick is a recorded failure, not a folder created on the local disk', async () => {
    const { core, token, folder } = await officeWithBackups();
    rmSync(folder, { recursive: true, force: true });
    expect(await core.call('backup.create', {}, { token })).toMatchObject({ ok: false, error: { code: 'backup.folder_missing' } });
    expect(existsSync(folder)).toBe(false);
    const s = new BackupScheduler(core);
    expect(await s.atStart()).toEqual({ ok: false, error: 'backup.folder_missing' });
    const runs = (await core.invoke('backup.list', {}, { token })).runs;
    expect(runs.map((r) => [r.ok, r.error])).toEqual([
      [false, 'backup.folder_missing'],
      [false, 'backup.folder_missing'],
    ]);
    expect((await core.invoke('backup.settings', {}, { token })).lastBackup).toMatchObject({ ok: false });
  });

  it('does nothing automatically until a folder and a passphrase are set', async () => {
    const core = tempCore();
    cores.push(core);
    await setupOffice(core);
    const s = new BackupScheduler(core);
    expect(await s.atStart()).toBeNull();
    expect(await s.tick()).toBeNull();
    expect(await s.atExit()).toBeNull();
  });

  it('CLI backup writes --out with the stored or a given passphrase and is audited as cli', async () => {
    const { core } = await officeWithBackups();
    const dbPath = core.dbPath;
    await core.close();
    const out = join(core.dir, 'by-hand.jisrbak');
    const io = cliIO();
    expect(await runCli(['backup', '--db', dbPath, '--out', out], { io: io.io })).toBe(0);
    expect(JSON.parse(io.out[0])).toMatchObject({ path: out });
    const io2 = cliIO('another passphrase 9\n');
    const out2 = join(core.dir, 'by-hand-2.jisrbak');
    expect(await runCli(['backup', '--db', dbPath, '--out', out2, '--passphrase-stdin'], { io: io2.io })).toBe(0);
    expect(() => inspectBackup(readFileSync(out2), PASS, { expectOfficeId: null })).toThrow(/backup.wrong_passphrase_or_damaged/);
    expect(inspectBackup(readFileSync(out2), 'another passphrase 9', { expectOfficeId: null }).inspection.counts.applicants).toBe(3);
    const again = createCore({ dbPath });
    try {
      const rows = again.sqlite.prepare(`SELECT actor_kind, actor_name FROM audit_log WHERE method = 'backup.create'`).all() as { actor_kind: string; actor_name: string }[];
      expect(rows.length).toBe(2);
      for (const r of rows) {
        expect(r.actor_kind).toBe('cli');
        expect(r.actor_name).toMatch(/^cli:/);
      }
    } finally {
      await again.close();
    }
    void cli;
  });
});
