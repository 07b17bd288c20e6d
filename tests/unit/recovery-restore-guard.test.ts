import { afterEach, describe, expect, it } from 'vitest';
import { setupOffice, tempCore } from '../helpers/core';
import { secretToWords, wordsToSecret } from '../../src-main/core/security/recovery';
import { RECOVERY_WORDS } from '../../src-main/core/security/recovery-words';
import { FileKeyStore } from '../../src-main/core/db/encryption';
import { randomBytes } from 'node:crypto';

/*
 * Issue 16: `recovery.restoreBackup` is public only while no office is set up, and wrong words are slowed like a
 * login (5 in 15 minutes, then refused until the window passes), whatever is wrong with them.
 */
const cores: ReturnType<typeof tempCore>[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose().catch(() => undefined);
});

describe('recovery.restoreBackup, the public restore of a fresh installation', () => {
  it('is refused once an office is set up, before the words or the upload are looked at', async () => {
    const core = tempCore();
    cores.push(core);
    await setupOffice(core);
    const words = secretToWords(randomBytes(16)).join(' ');
    await expect(core.invoke('recovery.restoreBackup', { uploadId: 'x'.repeat(12), words })).rejects.toMatchObject({ code: 'recovery.database_exists' });
    // Even with the database's own words.
    const own = secretToWords(new FileKeyStore().load(core.dbPath)!).join(' ');
    await expect(core.invoke('recovery.restoreBackup', { uploadId: 'x'.repeat(12), words: own })).rejects.toMatchObject({ code: 'recovery.database_exists' });
  });

  it('five wrong tries (bad checksum, unknown word, a key that opens nothing) then refused for 15 minutes', async () => {
    let now = Date.parse('2026-11-20T10:00:00Z');
    const core = tempCore({ clock: () => new Date(now) });
    cores.push(core);
    const good = secretToWords(randomBytes(16));
    // A last word that breaks the 4-bit checksum (1 in 16 would pass it: take one that does not).
    const badChecksum = RECOVERY_WORDS.map((w) => [...good.slice(0, 11), w].join(' ')).find((t) => {
      try {
        wordsToSecret(t);
        return false;
      } catch {
        return true;
      }
    })!;
    const unknown = [...good.slice(0, 11), 'zzzzzz'].join(' ');
    for (let i = 0; i < 5; i++) {
      await expect(core.invoke('recovery.restoreBackup', { uploadId: 'x'.repeat(12), words: i % 2 ? unknown : badChecksum })).rejects.toMatchObject({
        code: expect.stringMatching(/^recovery\.words_(checksum|invalid)$|^backup\./),
      });
    }
    await expect(core.invoke('recovery.restoreBackup', { uploadId: 'x'.repeat(12), words: good.join(' ') })).rejects.toMatchObject({ code: 'recovery.too_many_attempts' });
    now += 16 * 60_000;
    // After the window: looked at again (the upload does not exist here).
    await expect(core.invoke('recovery.restoreBackup', { uploadId: 'x'.repeat(12), words: good.join(' ') })).rejects.not.toMatchObject({ code: 'recovery.too_many_attempts' });
  });
});
