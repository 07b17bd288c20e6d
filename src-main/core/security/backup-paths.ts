import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, openSync, readSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { BACKUP_EXTENSION, readBackupHeader } from './backup-format';
import { PRIVATE_FILE_MODE } from '../files/private-files';

/*
 * Where backups may be written (issue 16: a backup written over the live database destroyed it).
 *
 * - The backup folder is set by an administrator only, and checked: an absolute path to an existing folder
 *   we can write in, that is not the data folder (a backup beside the database protects nothing, and
 *   the database, its -wal and -shm live there).
 * - A backup is written to a new temporary file (O_EXCL: never through a planted file or link), fsynced, then
 *   renamed to its name. The name may only replace a file that is itself one of the app's backups.
 * - Nothing is ever written over the database or its -wal/-shm/-journal, whatever the path says
 *   (another spelling, a symbolic link, a hard link): the CLI's `backup --out` is checked the same way.
 * - Error messages carry the file name, never a path the caller did not give.
 */

const DB_SUFFIXES = ['', '-wal', '-shm', '-journal'];

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** Whether `target` is (or, by any spelling or link, points at) the database or one of its -wal/-shm/-journal files. */
export function isDatabaseFile(target: string, dbPath: string | undefined): boolean {
  if (!dbPath || dbPath === ':memory:') return false;
  const t = resolve(target);
  const tReal = join(real(dirname(t)), basename(t));
  for (const sfx of DB_SUFFIXES) {
    const d = resolve(dbPath + sfx);
    const dReal = join(real(dirname(d)), basename(d));
    if (t === d || tReal === dReal || real(t) === real(d) || sameFile(t, d)) return true;
  }
  return false;
}

/** The checks of a backup folder chosen by an administrator (it must already exist: a stick that is plugged in). */
export function checkBackupFolder(folder: string, dbPath: string | undefined): void {
  if (!isAbsolute(folder)) throw new AppError('backup.folder_not_absolute', { folder });
  let st;
  try {
    st = statSync(folder);
  } catch {
    throw new AppError('backup.folder_missing', { folder });
  }
  if (!st.isDirectory()) throw new AppError('backup.folder_not_a_folder', { folder });
  if (dbPath && dbPath !== ':memory:' && real(folder) === real(dirname(resolve(dbPath)))) {
    throw new AppError('backup.folder_is_data_folder', { folder });
  }
  const probe = join(folder, `.jisr-probe-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx', PRIVATE_FILE_MODE));
  } catch (e) {
    throw new AppError('backup.folder_not_writable', { folder, detail: (e as NodeJS.ErrnoException).code ?? 'error' });
  } finally {
    rmSync(probe, { force: true });
  }
}

/**
 * Whether a backup may be written at `path`: never the database; the folder must exist; the name must end in
 * .jisrbak; an existing file there must be a regular file that is one of the app's backups.
 * `shown` is how the file is named in an error (the caller's own path for the CLI, else the file name).
 */
export function checkBackupTarget(path: string, dbPath: string | undefined, shown: string = basename(path)): void {
  if (isDatabaseFile(path, dbPath)) throw new AppError('backup.out_is_database', { path: shown });
  if (extname(path).toLowerCase() !== BACKUP_EXTENSION) throw new AppError('backup.out_extension', { path: shown, extension: BACKUP_EXTENSION });
  try {
    if (!statSync(dirname(path)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new AppError('backup.folder_missing', { folder: shown === path ? dirname(path) : '—' });
  }
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return; // a new file
  }
  if (!st.isFile()) throw new AppError('backup.out_not_a_backup', { path: shown });
  if (!looksLikeBackup(path)) throw new AppError('backup.out_not_a_backup', { path: shown });
}

function looksLikeBackup(path: string): boolean {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(Math.min(statSync(path).size, 256 * 1024));
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n <= 0) break;
      off += n;
    }
    readBackupHeader(buf);
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** Writes every byte of `data` to an open file, fsyncs it and closes it (the file reaches the disk before a rename). */
export function writeAllSyncClose(fd: number, data: Buffer): void {
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a backup: a new private temporary file beside the target (created exclusively, so a planted file or
 * link is never written through), fsynced, then renamed to the target (rename replaces a name, it never
 * writes through a link). The target was checked with checkBackupTarget.
 */
export function writeBackupFile(path: string, data: Buffer): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  const fd = openSync(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    writeAllSyncClose(fd, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
