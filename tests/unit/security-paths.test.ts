import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, cli, setupOffice, tempCore, userToken } from '../helpers/core';
import { runCli } from '../../src-main/cli/run-cli';
import { contract, METHOD_NAMES } from '../../src-main/shared/api/contract';
import { errorTemplate } from '../../src-main/shared/i18n/translate-error';
import { insertApplicant } from './security-fixtures';
import { openDatabaseFile } from '../../src-main/core/db/encryption';

/*
 * Issue 16, "Paths": no method reachable from the window or the web bridge takes a filesystem path from the
 * caller; the backup folder is the administrator's, checked; nothing ever writes over the database, its
 * -wal/-shm or a file that is not one of the app's backups — in the CLI too.
 */

const PASS = 'correct horse battery 42';
const cores: ReturnType<typeof tempCore>[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose().catch(() => undefined);
});

async function office() {
  const core = tempCore();
  cores.push(core);
  const { token: admin } = await setupOffice(core);
  for (let i = 0; i < 3; i++) insertApplicant(core, { last_name_lat: `Ouchen${i}` });
  const head = await userToken(core, admin, 'head1', 'office_head');
  const usb = join(core.dir, 'usb');
  mkdirSync(usb);
  await core.invoke('backup.updateSettings', { folder: usb, passphrase: PASS }, { token: admin });
  return { core, admin, head, usb };
}

function cliIO(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdin: async () => stdin, out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

/** The database file is whole: it opens, passes integrity_check and still holds its rows. */
function databaseIntact(dbPath: string, applicants = 3) {
  const db = openDatabaseFile(dbPath);
  try {
    expect(db.prepare('PRAGMA integrity_check').pluck().all()).toEqual(['ok']);
    expect(db.prepare('SELECT COUNT(*) FROM applicants').pluck().get()).toBe(applicants);
  } finally {
    db.close();
  }
}

describe('paths from the window and the web bridge', () => {
  it("an office head's backup.create over the live database is refused, and the database is whole", async () => {
    const { core, head } = await office();
    for (const outFile of [core.dbPath, `${core.dbPath}-wal`, '/tmp/anywhere.jisrbak']) {
      const r = await core.call('backup.create', { outFile }, { token: head });
      expect(r).toMatchObject({ ok: false, error: { code: 'api.cli_only', params: { field: 'outFile' } } });
    }
    const r = await core.call('backup.create', { folder: join(core.dir, 'elsewhere', 'deep') }, { token: head });
    expect(r).toMatchObject({ ok: false, error: { code: 'api.cli_only', params: { field: 'folder' } } });
    expect(existsSync(join(core.dir, 'elsewhere'))).toBe(false);
    // The configured folder still works, with the app's own name.
    const b = await core.invoke('backup.create', {}, { token: head });
    expect(b.fileName).toMatch(/^jisr-ERR-\d{8}T\d{6}Z-manual\.jisrbak$/);
    await core.close();
    databaseIntact(core.dbPath);
  });

  it('backup.check and backup.restore take a backup name or an upload, not a path: no file-existence oracle', async () => {
    const { core, head } = await office();
    for (const path of ['/etc/shadow', '/etc/hostname', join(core.dir, 'missing.jisrbak'), core.dbPath]) {
      for (const m of ['backup.check', 'backup.restore'] as const) {
        const r = await core.call(m, { path, passphrase: PASS }, { token: head });
        expect(r).toMatchObject({ ok: false, error: { code: 'api.cli_only' } });
        expect(JSON.stringify(r)).not.toContain(path);
      }
    }
    // A name that is not one of ours (a path in disguise) never reaches the disk.
    for (const name of ['../jisr.db', '/etc/shadow', 'jisr-ERR-20260101T000000Z-manual.jisrbak/../../jisr.db']) {
      expect(await core.call('backup.check', { name, passphrase: PASS }, { token: head })).toMatchObject({ ok: false, error: { code: 'validation.failed' } });
    }
    const missing = await core.call('backup.check', { name: 'jisr-ERR-20200101T000000Z-manual.jisrbak', passphrase: PASS }, { token: head });
    expect(missing).toMatchObject({ ok: false, error: { code: 'backup.not_found', params: { name: 'jisr-ERR-20200101T000000Z-manual.jisrbak' } } });
    expect(JSON.stringify(missing)).not.toContain(core.dir);
    // The folder's own backup, by name; an uploaded one, by id.
    const b = await core.invoke('backup.create', {}, { token: head });
    expect(await core.invoke('backup.check', { name: b.fileName, passphrase: PASS }, { token: head })).toMatchObject({ integrity: 'ok' });
    const up = core.outbox.put(b.fileName, 'application/octet-stream', readFileSync(b.path));
    expect(await core.invoke('backup.check', { uploadId: up.id, passphrase: PASS }, { token: head })).toMatchObject({ integrity: 'ok' });
    expect(await core.call('backup.check', { uploadId: 'no-such-upload-id', passphrase: PASS }, { token: head })).toMatchObject({ ok: false, error: { code: 'backup.upload_not_found' } });
  });

  it('backup.list takes no folder, and only an administrator sets the backup folder, which is checked', async () => {
    const { core, admin, head } = await office();
    expect(await core.call('backup.list', { folder: '/etc' }, { token: head })).toMatchObject({ ok: false, error: { code: 'api.cli_only' } });
    const other = join(core.dir, 'other-stick');
    mkdirSync(other);
    expect(await core.call('backup.updateSettings', { folder: other }, { token: head })).toMatchObject({ ok: false, error: { code: 'backup.folder_admin_only' } });
    // The office head still changes the rest (the folder unchanged is no change).
    expect(await core.invoke('backup.updateSettings', { keep: 4, folder: join(core.dir, 'usb') }, { token: head })).toMatchObject({ keep: 4 });
    const refused = async (folder: string, code: string) => {
      const r = await core.call('backup.updateSettings', { folder }, { token: admin });
      expect(r, folder).toMatchObject({ ok: false, error: { code } });
    };
    await refused('relative/folder', 'backup.folder_not_absolute');
    await refused(join(core.dir, 'not-there'), 'backup.folder_missing');
    expect(existsSync(join(core.dir, 'not-there'))).toBe(false); // never created
    await refused(core.dbPath, 'backup.folder_not_a_folder');
    await refused(core.dir, 'backup.folder_is_data_folder');
    symlinkSync(core.dir, join(core.dir, 'usb', 'link-to-data'));
    await refused(join(core.dir, 'usb', 'link-to-data'), 'backup.folder_is_data_folder');
    expect(await core.invoke('backup.updateSettings', { folder: other }, { token: admin })).toMatchObject({ folder: other });
  });

  it('imports and exchange files take uploads, not paths', async () => {
    const { core, admin } = await office();
    const agent = await userToken(core, admin, 'agent1', 'agent');
    expect(await core.call('imports.preview', { path: '/etc/passwd' }, { token: agent })).toMatchObject({ ok: false, error: { code: 'api.cli_only', params: { field: 'path' } } });
    expect(await core.call('exchange.loadReceipt', { path: '/etc/passwd' }, { token: admin })).toMatchObject({ ok: false, error: { code: 'api.cli_only' } });
    expect(await core.call('users.create', { username: 'quiet', displayName: 'Quiet', role: 'agent', password: 'quiet-pass-123', mustChange: false }, { token: admin })).toMatchObject({
      ok: false,
      error: { code: 'api.cli_only', params: { field: 'mustChange' } },
    });
  });

  it('every path-like input of the contract is the command line only (except the administrator’s backup folder)', () => {
    // (`dir` and `from` are sort directions and dates here, not paths.)
    const PATHLIKE = /^(path|paths|file|filePath|folder|directory|outFile|outDir|out|inFile|dest|destination|target)$/i;
    // audit.list's `file` is a search text (a file number, a name or a CIN), not a path.
    const ALLOWED = new Set(['backup.updateSettings:folder', 'audit.list:file']);
    type Def = { type: string; shape?: Record<string, unknown>; options?: unknown[]; innerType?: unknown; element?: unknown; in?: unknown; out?: unknown; left?: unknown; right?: unknown };
    const keys = (schema: unknown, out: Set<string>) => {
      const def = (schema as { _zod?: { def?: Def } })?._zod?.def;
      if (!def) return;
      if (def.type === 'object' && def.shape) {
        for (const [k, v] of Object.entries(def.shape)) {
          out.add(k);
          keys(v, out);
        }
      }
      for (const o of def.options ?? []) keys(o, out);
      for (const x of [def.innerType, def.element, def.in, def.out, def.left, def.right]) if (x) keys(x, out);
    };
    const offenders: string[] = [];
    for (const m of METHOD_NAMES) {
      const spec = contract[m];
      const found = new Set<string>();
      keys(spec.input, found);
      for (const k of found) {
        if (!PATHLIKE.test(k)) continue;
        if ((spec.cliOnly ?? []).includes(k) || ALLOWED.has(`${m}:${k}`)) continue;
        offenders.push(`${m}:${k}`);
      }
    }
    expect(offenders).toEqual([]);
    for (const code of ['api.cli_only', 'backup.folder_admin_only', 'backup.folder_is_data_folder', 'backup.out_is_database', 'backup.out_not_a_backup', 'backup.not_found']) {
      expect(errorTemplate(code, 'ar'), code).toBeTruthy();
      expect(errorTemplate(code, 'fr'), code).toBeTruthy();
    }
  });
});

describe('paths in the CLI (the administrator’s own tool: paths taken, dangerous ones refused)', () => {
  it('backup --out <the database> (or its -wal, -shm, a link to it, another spelling) is refused and the database is whole', async () => {
    const { core } = await office();
    const dbPath = core.dbPath;
    await core.close();
    const link = join(core.dir, 'innocent.jisrbak');
    symlinkSync(dbPath, link);
    for (const out of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, join(core.dir, 'usb', '..', 'jisr.db'), link]) {
      const io = cliIO();
      expect(await runCli(['backup', '--db', dbPath, '--out', out], { io: io.io }), out).toBe(1);
      expect(io.err.join('\n'), out).toContain('backup.out_is_database');
    }
    databaseIntact(dbPath);
  });

  it('backup --out refuses a file that is not one of the app’s backups, a foreign extension and a missing folder; replaces its own backup', async () => {
    const { core } = await office();
    const dbPath = core.dbPath;
    await core.close();
    const precious = join(core.dir, 'notes.jisrbak');
    writeFileSync(precious, 'not a backup: keep me');
    const cases: [string, string][] = [
      [precious, 'backup.out_not_a_backup'],
      [join(core.dir, 'bashrc'), 'backup.out_extension'],
      [join(core.dir, 'usb'), 'backup.out_extension'],
      [join(core.dir, 'no', 'such', 'folder', 'b.jisrbak'), 'backup.folder_missing'],
    ];
    for (const [out, code] of cases) {
      const io = cliIO();
      expect(await runCli(['backup', '--db', dbPath, '--out', out], { io: io.io }), out).toBe(1);
      expect(io.err.join('\n'), out).toContain(code);
    }
    expect(readFileSync(precious, 'utf8')).toBe('not a backup: keep me');
    expect(existsSync(join(core.dir, 'no'))).toBe(false);
    const mine = join(core.dir, 'mine.jisrbak');
    for (let i = 0; i < 2; i++) {
      const io = cliIO();
      expect(await runCli(['backup', '--db', dbPath, '--out', mine], { io: io.io })).toBe(0);
    }
    databaseIntact(dbPath);
  });

  it('a directory given to import or exchange import is a coded refusal, not a crash', async () => {
    const { core } = await office();
    const r = await core.call('imports.preview', { path: core.dir }, { actor: cli });
    expect(r).toMatchObject({ ok: false, error: { code: 'import.not_a_file' } });
    const x = await core.call('exchange.import', { files: [{ path: core.dir }], dryRun: true }, { actor: cli });
    // A province refuses exchange imports as a whole; the region would refuse this file with exchange.not_a_file.
    expect(x.ok ? x.value.results[0].error?.code : x.error.code).not.toBe('internal.unexpected');
    void ADMIN_PASSWORD;
  });
});
