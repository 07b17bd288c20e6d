import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/core';
import { listFolderRoots, resolveUnderRoot, type FolderRoot } from '../../src-main/core/files/folder-roots';
import { setupOffice, userToken } from '../helpers/core';

/**
 * The backup folder chosen without typing a path (issue 15): the web bridge's folder browser lists the folders
 * under the machine's roots (removable drives first, then home); the administrator picks one by the root's id
 * and folder names; the backend resolves it inside the root and checks it as before (exists, writable, not the
 * data folder). "Back up now" says why it cannot run.
 */
describe('backup folder browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jisr-browse-'));
  const stick = join(dir, 'media', 'KINGSTON');
  const home = join(dir, 'home');
  const roots: FolderRoot[] = [
    { id: 'removable:KINGSTON', kind: 'removable', name: 'KINGSTON', path: stick },
    { id: 'home', kind: 'home', name: '', path: home },
  ];
  let core: Core;
  let admin: string;
  let head: string;

  beforeAll(async () => {
    for (const d of [join(stick, 'Sauvegardes'), join(stick, '.hidden'), join(home, 'Documents')]) mkdirSync(d, { recursive: true });
    symlinkSync(dir, join(home, 'escape'));
    core = createCore({ dbPath: join(home, 'data', 'jisr.db'), folderRoots: () => roots });
    admin = (await setupOffice(core)).token;
    head = await userToken(core, admin, 'head', 'office_head');
  });
  afterAll(async () => {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the roots, removable first, then the folders under one (no hidden ones, names only)', async () => {
    const top = await core.invoke('backup.browseFolders', {}, { token: admin });
    expect(top.roots.map((r) => r.kind)).toEqual(['removable', 'home']);
    expect(top.at).toBeNull();
    const inStick = await core.invoke('backup.browseFolders', { at: { root: 'removable:KINGSTON', rel: [] } }, { token: admin });
    expect(inStick.folders).toEqual(['Sauvegardes']);
    expect(inStick.at?.shown).toBe(stick);
    const inHome = await core.invoke('backup.browseFolders', { at: { root: 'home', rel: [] } }, { token: admin });
    expect(inHome.folders).toEqual(['data', 'Documents', 'escape'].sort((a, b) => a.localeCompare(b)));
  });

  it('refuses a way out of the roots: "..", a path, a link leading outside, an unknown root', async () => {
    const refused = async (at: unknown, code: string) => {
      const r = await core.call('backup.browseFolders', { at }, { token: admin });
      expect(r, JSON.stringify(at)).toMatchObject({ ok: false, error: { code } });
    };
    await refused({ root: 'home', rel: ['..'] }, 'validation.failed');
    await refused({ root: 'home', rel: ['Documents/../..'] }, 'validation.failed');
    await refused({ root: 'home', rel: ['/etc'] }, 'validation.failed');
    await refused({ root: 'home', rel: ['escape'] }, 'backup.browse_not_found');
    await refused({ root: 'removable:OTHER', rel: [] }, 'backup.browse_not_found');
    await refused({ root: 'home', rel: ['missing'] }, 'backup.browse_not_found');
    expect(() => resolveUnderRoot(roots, 'home', ['escape', 'media'])).toThrow();
  });

  it('only the administrator browses and chooses; the choice is checked as a typed folder was', async () => {
    expect(await core.call('backup.browseFolders', {}, { token: head })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    expect(await core.call('backup.updateSettings', { folderRef: { root: 'removable:KINGSTON', rel: ['Sauvegardes'] } }, { token: head })).toMatchObject({
      ok: false,
      error: { code: 'backup.folder_admin_only' },
    });
    // The data folder stays refused, chosen through the browser too.
    expect(await core.call('backup.updateSettings', { folderRef: { root: 'home', rel: ['data'] } }, { token: admin })).toMatchObject({
      ok: false,
      error: { code: 'backup.folder_is_data_folder' },
    });
    const s = await core.invoke('backup.updateSettings', { folderRef: { root: 'removable:KINGSTON', rel: ['Sauvegardes'] } }, { token: admin });
    expect(s.folder).toBe(join(stick, 'Sauvegardes'));
  });

  it('"back up now" says why it cannot run: no passphrase, then the stick unplugged; null when it can', async () => {
    expect((await core.invoke('backup.settings', {}, { token: head })).cannotBackUp).toEqual({ code: 'backup.passphrase_missing' });
    await core.invoke('backup.updateSettings', { passphrase: 'a long passphrase 2026' }, { token: head });
    expect((await core.invoke('backup.settings', {}, { token: head })).cannotBackUp).toBeNull();
    rmSync(join(stick, 'Sauvegardes'), { recursive: true });
    expect((await core.invoke('backup.settings', {}, { token: head })).cannotBackUp).toMatchObject({ code: 'backup.folder_missing' });
  });

  it('the machine roots: the home folder is always there, last', () => {
    const r = listFolderRoots({ platform: 'linux', home, user: 'nobody-here' });
    expect(r).toEqual([{ id: 'home', kind: 'home', name: '', path: home }]);
  });
});
