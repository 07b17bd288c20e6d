// The start-up integrity check off the first answer (issue 19, security/start-check.ts): a cleanly closed database is
// not checked; after an unclean close the core answers while quick_check runs in a worker thread; a damaged file is
// still reported (writes refused with the last good backup named), and one that cannot be opened is not opened.
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/core';
import { cleanClosePath, closedCleanly, openAfterCleanCloseCheck, quickCheckInWorker, type RunCheck } from '../../src-main/core/security/start-check';
import { cli, setupOffice } from '../helpers/core';
import { insertApplicant } from './security-fixtures';

const dirs: string[] = [];
const open: Core[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close().catch(() => undefined);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dbFile() {
  const d = mkdtempSync(join(tmpdir(), 'jisr-start-'));
  dirs.push(d);
  return join(d, 'jisr.db');
}

/** An office with a few files, closed cleanly. */
async function closedOffice(): Promise<string> {
  const dbPath = dbFile();
  const core = createCore({ dbPath });
  await setupOffice(core);
  for (let i = 0; i < 200; i++) insertApplicant(core, { last_name_lat: `Ouchen${i}` });
  await core.close();
  return dbPath;
}

/** A check that counts its runs and answers when told. */
function heldCheck() {
  const runs: string[] = [];
  let answer!: (problems: string[]) => void;
  const run: RunCheck = (dbPath) => {
    runs.push(dbPath);
    return new Promise((r) => (answer = r));
  };
  return { run, runs, answer: (p: string[]) => answer(p) };
}

function startCore(dbPath: string) {
  const r = openAfterCleanCloseCheck(dbPath, () => createCore({ dbPath }));
  open.push(r.core);
  return r;
}

describe('the start-up integrity check', () => {
  it('is skipped after a clean close; the record goes as soon as the file is open', async () => {
    const dbPath = await closedOffice();
    expect(existsSync(cleanClosePath(dbPath))).toBe(true);
    expect(closedCleanly(dbPath)).toBe(true);
    const { core, clean } = startCore(dbPath);
    expect(clean).toBe(true);
    // Open: a crash now must find no record.
    expect(existsSync(cleanClosePath(dbPath))).toBe(false);
    const check = heldCheck();
    expect(await core.checkInBackground({ clean, run: check.run })).toMatchObject({ ok: true });
    expect(check.runs).toEqual([]);
    expect((await core.invoke('system.status', {})).databaseCheck).toBe('not_needed');
  });

  it('after an unclean close, runs in the background while the core answers', async () => {
    const dbPath = await closedOffice();
    // A process that opened the file and died: its open removed the record and its WAL is still there.
    const crashed = createCore({ dbPath });
    open.push(crashed);
    insertApplicant(crashed, { last_name_lat: 'Crash' });
    expect(statSync(`${dbPath}-wal`).size).toBeGreaterThan(0);
    expect(closedCleanly(dbPath)).toBe(false);

    const { core, clean } = startCore(dbPath);
    expect(clean).toBe(false);
    const check = heldCheck();
    const done = core.checkInBackground({ clean, run: check.run });
    expect(check.runs).toEqual([dbPath]);
    // The check has not answered: the core does.
    expect((await core.invoke('system.status', {})).databaseCheck).toBe('running');
    expect((await core.invoke('territories.provinces', {}, { actor: cli })).length).toBe(5);
    expect(core.sqlite.prepare("SELECT count(*) FROM applicants WHERE last_name_lat = 'Crash'").pluck().get()).toBe(1);
    check.answer([]);
    expect(await done).toMatchObject({ ok: true });
    expect((await core.invoke('system.status', {})).databaseCheck).toBe('ok');
  });

  it('a close while the check still runs is not recorded as clean: the next start checks again', async () => {
    const dbPath = await closedOffice();
    rmSync(cleanClosePath(dbPath)); // as after a crash
    const { core, clean } = startCore(dbPath);
    void core.checkInBackground({ clean, run: heldCheck().run });
    await open.pop()!.close();
    expect(existsSync(cleanClosePath(dbPath))).toBe(false);
    expect(closedCleanly(dbPath)).toBe(false);
  });

  it('the worker thread checks the encrypted file with its key and finds it sound', async () => {
    const dbPath = await closedOffice();
    writeFileSync(cleanClosePath(dbPath), '{}'); // a record that does not match
    const { core, clean } = startCore(dbPath);
    expect(clean).toBe(false);
    expect(core.encrypted).toBe(true);
    expect(await core.checkInBackground({ clean })).toMatchObject({ ok: true });
  });

  it('a damaged file is still reported: told to the user, writes refused (naming the last good backup)', async () => {
    const dbPath = await closedOffice();
    // Leaf pages of the registry's table overwritten (a disk fault): the file still opens (the start reads the schema,
    // the migrations and the settings, not the files), its b-tree does not read.
    const probe = createCore({ dbPath });
    const pageSize = probe.sqlite.pragma('page_size', { simple: true }) as number;
    const leaves = probe.sqlite.prepare("SELECT pageno FROM dbstat WHERE name = 'applicants' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[];
    await probe.close();
    expect(leaves.length).toBeGreaterThan(2);
    const fd = openSync(dbPath, 'r+');
    const junk = Buffer.alloc(pageSize, 0x5a);
    for (const p of leaves.slice(1, 3)) writeSync(fd, junk, 0, pageSize, (p - 1) * pageSize);
    closeSync(fd);
    expect(closedCleanly(dbPath)).toBe(false);

    const { core, clean } = startCore(dbPath);
    const told: string[] = [];
    const r = await core.checkInBackground({ clean, run: quickCheckInWorker, onDamaged: (e) => told.push(e.code) });
    expect(r.ok).toBe(false);
    expect(told).toEqual(['backup.database_damaged']);
    expect((await core.invoke('system.status', {})).databaseCheck).toBe('damaged');
    const write = await core.call('settings.update', { nameAr: 'مكتب', nameFr: 'Bureau', signatoryTitleAr: 'المدير', signatoryTitleFr: 'Le directeur' }, { actor: cli });
    expect(write).toMatchObject({ ok: false, error: { code: 'backup.database_damaged' } });
    // A damaged database's close is not recorded as clean: the next start checks it again.
    await open.pop()!.close();
    expect(closedCleanly(dbPath)).toBe(false);
  });

  it('a file that cannot even be opened is checked at once and not opened', async () => {
    const dbPath = await closedOffice();
    rmSync(dbPath);
    rmSync(cleanClosePath(dbPath), { force: true });
    writeFileSync(dbPath, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(8176, 7)]));
    expect(() => startCore(dbPath)).toThrow(expect.objectContaining({ code: 'backup.database_damaged' }));
  });
});
