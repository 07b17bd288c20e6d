/**
 * The window's KeyStore: the database's secret sealed with Electron's safeStorage (DPAPI on Windows, the
 * Keychain on macOS, the desktop keyring on Linux), kept beside the database as `<db>.key-sealed` (0600).
 * A sealed key is useless on another computer or to another Windows user; copying the data folder does not
 * carry a readable key.
 *
 * A database made by the CLI or the web bridge on this computer has a key file (FileKeyStore) instead: the
 * window reads it once and seals it too. The window never writes a key file itself: for the CLI or the web
 * bridge to open the window's database, an administrator types the recovery sheet's words once
 * (`npm run cli -- recovery unlock-db`). When safeStorage is not available (a Linux session without a
 * keyring), the key file is used, as for the CLI.
 */
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { FileKeyStore, SECRET_BYTES, type KeyStore } from '../core/db/encryption';

/** The part of Electron's safeStorage this uses (tests pass a stand-in). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

export class SafeStorageKeyStore implements KeyStore {
  readonly kind = 'os';
  constructor(
    private readonly safe: SafeStorageLike,
    private readonly files: KeyStore = new FileKeyStore(),
  ) {}

  sealedPath(dbPath: string): string {
    return `${dbPath}.key-sealed`;
  }

  load(dbPath: string): Buffer | null {
    const p = this.sealedPath(dbPath);
    if (existsSync(p) && this.safe.isEncryptionAvailable()) {
      try {
        const s = Buffer.from(this.safe.decryptString(readFileSync(p)), 'base64');
        if (s.length === SECRET_BYTES) return s;
      } catch {
        /* sealed by another user or computer: fall back to a key file, else the recovery sheet */
      }
    }
    const fromFile = this.files.load(dbPath);
    if (fromFile && this.safe.isEncryptionAvailable()) this.seal(dbPath, fromFile);
    return fromFile;
  }

  save(dbPath: string, secret: Buffer): void {
    if (!this.safe.isEncryptionAvailable()) return this.files.save(dbPath, secret);
    this.seal(dbPath, secret);
  }

  remove(dbPath: string): void {
    rmSync(this.sealedPath(dbPath), { force: true });
  }

  private seal(dbPath: string, secret: Buffer): void {
    const p = this.sealedPath(dbPath);
    const tmp = `${p}.tmp`;
    writeFileSync(tmp, this.safe.encryptString(secret.toString('base64')), { mode: 0o600 });
    if (process.platform !== 'win32') chmodSync(tmp, 0o600);
    renameSync(tmp, p);
  }
}
