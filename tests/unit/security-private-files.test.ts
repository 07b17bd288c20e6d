import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/core';
import { createHostLogger } from '../../src-main/host/logger';
import { backupStatePath } from '../../src-main/core/security/backup';
import { setupOffice } from '../helpers/core';

/* Issue 16, "Private files": data folder, database, WAL, backups, logs and outbox 0700/0600 on Linux and macOS. */

const mode = (p: string) => statSync(p).mode & 0o777;
const dirs: string[] = [];
const cores: Core[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.close().catch(() => undefined);
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function tmp() {
  const d = mkdtempSync(join(tmpdir(), 'jisr-modes-'));
  dirs.push(d);
  chmodSync(d, 0o755); // as a world-readable parent would be
  return d;
}

describe.skipIf(process.platform === 'win32')('private files', () => {
  it('the data folder is 0700; the database, its -wal and -shm 0600, even under a permissive umask', async () => {
    const old = process.umask(0o022);
    try {
      const root = tmp();
      const dbPath = join(root, 'Jisr Desk', 'jisr.db');
      const core = createCore({ dbPath });
      cores.push(core);
      const { token } = await setupOffice(core);
      expect(mode(join(root, 'Jisr Desk'))).toBe(0o700);
      for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
        expect(existsSync(f), f).toBe(true);
        expect(mode(f), f).toBe(0o600);
      }
      // Backups (and the note of the last good one beside the database) are 0600 too.
      const usb = join(root, 'usb');
      mkdirSync(usb, { mode: 0o755 });
      await core.invoke('backup.updateSettings', { folder: usb, passphrase: 'private files 2026' }, { token });
      const b = await core.invoke('backup.create', {}, { token });
      expect(mode(b.path)).toBe(0o600);
      expect(mode(backupStatePath(dbPath))).toBe(0o600);
      // The outbox (uploads, produced PDFs and workbooks) is a 0700 folder, its files 0600.
      const up = core.outbox.put('liste.xlsx', 'application/octet-stream', Buffer.from('x'));
      expect(mode(up.path)).toBe(0o600);
      expect(mode(join(up.path, '..'))).toBe(0o700);
    } finally {
      process.umask(old);
    }
  });

  it('an existing data folder and database left world-readable by an older release are narrowed at start', async () => {
    const root = tmp();
    const data = join(root, 'data');
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    const dbPath = join(data, 'jisr.db');
    const first = createCore({ dbPath });
    await first.close();
    chmodSync(dbPath, 0o644);
    const again = createCore({ dbPath });
    cores.push(again);
    expect(mode(data)).toBe(0o700);
    expect(mode(dbPath)).toBe(0o600);
    // A shared sticky folder such as /tmp is never narrowed.
    expect(statSync(tmpdir()).mode & 0o1000).not.toBe(0);
  });

  it('the log of the window is 0600 in a 0700 folder', () => {
    const root = tmp();
    const file = join(root, 'logs', 'main.log');
    const log = createHostLogger(file);
    log.info('started', {});
    expect(mode(join(root, 'logs'))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    writeFileSync(join(root, 'old.log'), 'x', { mode: 0o644 });
    const log2 = createHostLogger(join(root, 'old.log'));
    log2.info('again', {});
    expect(mode(join(root, 'old.log'))).toBe(0o600);
  });
});
