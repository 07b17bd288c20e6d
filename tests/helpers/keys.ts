import { FileKeyStore } from '../../src-main/core/db/encryption';

/**
 * A database file copied elsewhere cannot be opened without its key (that is the point of encryption at rest):
 * a test that copies one on purpose gives the copy the original's key, as the recovery sheet would.
 */
export function copyDatabaseKey(fromDbPath: string, toDbPath: string): void {
  const store = new FileKeyStore();
  const secret = store.load(fromDbPath);
  if (!secret) throw new Error(`no key for ${fromDbPath}`);
  store.save(toDbPath, secret);
}
