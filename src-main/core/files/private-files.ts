import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';

/*
 * Private files (issue 16): the data folder, the database and its -wal/-shm, backups, logs, the outbox and key
 * files are readable by the user who runs the app only — 0700 folders, 0600 files — on Linux and macOS.
 * On Windows the modes mean nothing: the window's data folder is in the user's own profile.
 */

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const POSIX = process.platform !== 'win32';

/**
 * Creates the folder (and its missing parents) 0700, and narrows an existing one to 0700 when it is plainly the
 * app's own: owned by this user, not a shared sticky folder (/tmp), not the home folder itself.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!POSIX) return;
  try {
    const st = statSync(dir);
    const ours = typeof process.getuid !== 'function' || st.uid === process.getuid();
    const shared = (st.mode & 0o1000) !== 0 || resolve(dir) === resolve(homedir()) || resolve(dir) === '/';
    if (ours && !shared && (st.mode & 0o777) !== PRIVATE_DIR_MODE) chmodSync(dir, PRIVATE_DIR_MODE);
  } catch {
    /* a folder we do not own (e.g. a shared mount): its files stay 0600 */
  }
}

/** The data folder (0700) before the database is opened. */
export function prepareDataFolder(dbPath: string): void {
  if (dbPath === ':memory:') return;
  ensurePrivateDir(dirname(resolve(dbPath)));
}

/** Narrows existing files to 0600 (missing ones are skipped). */
export function makePrivate(...paths: string[]): void {
  if (!POSIX) return;
  for (const p of paths) {
    try {
      if (existsSync(p) && (statSync(p).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(p, PRIVATE_FILE_MODE);
    } catch {
      /* not ours to change */
    }
  }
}

/** The database file and the files SQLite keeps beside it. */
export function databaseFiles(dbPath: string): string[] {
  return ['', '-wal', '-shm', '-journal'].map((s) => dbPath + s);
}
