import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/core';
import { FileKeyStore } from '../../src-main/core/db/encryption';
import { SafeStorageKeyStore, type SafeStorageLike } from '../../src-main/host/keystore';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'jisr-seal-'));
  dirs.push(d);
  return d;
}

/** Stands for Electron's safeStorage: sealed with a per-"user" mask, so another user cannot unseal it. */
function fakeSafeStorage(user: number, available = true): SafeStorageLike & { sealed: number } {
  const mask = (b: Buffer) => Buffer.from(b.map((x, i) => x ^ ((user * 31 + i * 7) & 0xff)));
  return {
    sealed: 0,
    isEncryptionAvailable: () => available,
    encryptString(plain: string) {
      this.sealed++;
      return Buffer.concat([Buffer.from(`DPAPI${user}:`), mask(Buffer.from(plain, 'utf8'))]);
    },
    decryptString(sealed: Buffer) {
      const head = `DPAPI${user}:`;
      if (!sealed.subarray(0, head.length).equals(Buffer.from(head))) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return mask(sealed.subarray(head.length)).toString('utf8');
    },
  };
}

describe('the window keeps the database key sealed by the operating system (safeStorage / DPAPI)', () => {
  it('seals a new database key beside the database, writes no key file, and reopens with it', async () => {
    const dir = tmp();
    const files = new FileKeyStore(tmp());
    const safe = fakeSafeStorage(1);
    const store = new SafeStorageKeyStore(safe, files);
    const dbPath = join(dir, 'jisr.db');
    const core = createCore({ dbPath, keyStore: store });
    expect(core.encrypted).toBe(true);
    await core.close();
    const sealed = store.sealedPath(dbPath);
    expect(existsSync(sealed)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(sealed).mode & 0o777).toBe(0o600);
    expect(files.load(dbPath)).toBeNull();
    const secret = store.load(dbPath)!;
    expect(readFileSync(sealed).includes(Buffer.from(secret.toString('base64')))).toBe(false);
    const again = createCore({ dbPath, keyStore: store });
    await again.close();
    // Another Windows user (or the folder copied to another PC) cannot unseal it: the recovery sheet is needed.
    expect(() => createCore({ dbPath, keyStore: new SafeStorageKeyStore(fakeSafeStorage(2), new FileKeyStore(tmp())) })).toThrow(
      expect.objectContaining({ code: 'db.key_missing' }),
    );
  });

  it('opens a database made by the CLI on this computer (its key file) and seals that key too; without a keyring it uses the key file', async () => {
    const dir = tmp();
    const files = new FileKeyStore(tmp());
    const dbPath = join(dir, 'jisr.db');
    await createCore({ dbPath, keyStore: files }).close();
    const safe = fakeSafeStorage(1);
    const store = new SafeStorageKeyStore(safe, files);
    await createCore({ dbPath, keyStore: store }).close();
    expect(existsSync(store.sealedPath(dbPath))).toBe(true);
    expect(store.load(dbPath)!.equals(files.load(dbPath)!)).toBe(true);

    const noKeyring = new SafeStorageKeyStore(fakeSafeStorage(1, false), files);
    const other = join(dir, 'other.db');
    await createCore({ dbPath: other, keyStore: noKeyring }).close();
    expect(existsSync(noKeyring.sealedPath(other))).toBe(false);
    expect(files.load(other)).not.toBeNull();
  });
});
