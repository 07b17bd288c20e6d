import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { sqliteKey } from '../db/encryption';
import { makePrivate } from '../files/private-files';
import { projectRoot } from '../paths';
import type { KeyStore } from '../db/encryption';
import { lastGoodBackup, refuseDamagedDatabase, type StartCheck } from './backup';

/**
 * The start-up integrity check of the window and the web bridge (issue 16), moved off the first answer (issue 19).
 *
 * `PRAGMA quick_check` reads every page of the file: 10 s at the 1.2 GB province, 31 s at the 0.91 GB region, before
 * anything was shown. Now:
 * - `core.close()` writes a **clean-close record** beside the database (`<db>.clean-close.json`: the file's size,
 *   modification time in nanoseconds and a hash of its first page) once the last connection has folded its WAL in;
 *   `createCore` removes it as soon as the file is open, so it exists only between a clean close and the next open.
 * - At start the host asks `closedCleanly(dbPath)`: when the record matches the file (no crash since, no copy from
 *   elsewhere, no write by something else — any of which changes the size, the time or the first page, or leaves a
 *   WAL behind) the check is skipped: the file is as SQLite left it after checking its own close.
 * - Otherwise the core is opened at once and the check runs in a worker thread (`checkInBackground`): the window and
 *   its first answers do not wait. Until it has answered, and if it finds damage, the core says so in
 *   `system.status` (`databaseCheck`); a damaged database refuses every write with `backup.database_damaged` (the
 *   last good backup and the command that restores it) and the host tells the user.
 * The full check still runs in every backup (backup.ts createBackup) and in `npm run cli -- check-db`.
 */

export type DatabaseCheckState = 'not_needed' | 'running' | 'ok' | 'damaged';

/** Where the core keeps what the start-up check found (core.ts): read by system.status, enforced on writes. */
export interface DatabaseHealth {
  state: DatabaseCheckState;
  /** Set when damaged: the error every write gets. */
  damage: AppError | null;
}

interface CleanCloseRecord {
  v: 1;
  size: number;
  mtimeNs: string;
  head: string;
  closedAt: string;
}

export const cleanClosePath = (dbPath: string) => `${dbPath}.clean-close.json`;

const HEAD_BYTES = 4096;

function fileStamp(dbPath: string): Omit<CleanCloseRecord, 'v' | 'closedAt'> {
  const st = statSync(dbPath, { bigint: true });
  const fd = openSync(dbPath, 'r');
  try {
    const b = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, b, 0, HEAD_BYTES, 0);
    return { size: Number(st.size), mtimeNs: String(st.mtimeNs), head: createHash('sha256').update(b.subarray(0, n)).digest('hex') };
  } finally {
    closeSync(fd);
  }
}

/** A WAL with content beside the file: another connection is still open, or a process died with it. */
function walPending(dbPath: string): boolean {
  try {
    return statSync(`${dbPath}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * Called by core.close() after the connection is closed: records the file as this clean close left it. Nothing is
 * recorded while another connection keeps a WAL (its own close records it), nor for an in-memory database.
 */
export function recordCleanClose(dbPath: string, now: Date): void {
  if (dbPath === ':memory:' || !existsSync(dbPath) || walPending(dbPath)) return;
  try {
    const rec: CleanCloseRecord = { v: 1, ...fileStamp(dbPath), closedAt: now.toISOString() };
    writeFileSync(cleanClosePath(dbPath), JSON.stringify(rec), { mode: 0o600 });
    makePrivate(cleanClosePath(dbPath));
  } catch {
    /* best effort: without the record the next start checks the file */
  }
}

/** Called by createCore once the file is open: from now on a crash must not find a clean-close record. */
export function forgetCleanClose(dbPath: string): void {
  if (dbPath === ':memory:') return;
  rmSync(cleanClosePath(dbPath), { force: true });
}

/** Whether the database was closed cleanly and not touched since (read before createCore, which removes the record). */
export function closedCleanly(dbPath: string): boolean {
  if (dbPath === ':memory:' || !existsSync(dbPath)) return true; // a new database: nothing to check
  let rec: CleanCloseRecord;
  try {
    rec = JSON.parse(readFileSync(cleanClosePath(dbPath), 'utf8')) as CleanCloseRecord;
  } catch {
    return false;
  }
  if (rec.v !== 1 || walPending(dbPath)) return false;
  try {
    const now = fileStamp(dbPath);
    return now.size === rec.size && now.mtimeNs === rec.mtimeNs && now.head === rec.head;
  } catch {
    return false;
  }
}

/**
 * What the window and the web bridge run to open their core: whether the last close was clean (read before the open,
 * which removes the record), then the open itself. A file that cannot even be opened after an unclean close is checked
 * at once, so that a damaged database is reported as such (backup.database_damaged, the last good backup named)
 * rather than as the open's raw error.
 */
export function openAfterCleanCloseCheck<C>(dbPath: string, open: () => C, o: { keyStore?: KeyStore } = {}): { core: C; clean: boolean } {
  const clean = closedCleanly(dbPath);
  try {
    return { core: open(), clean };
  } catch (e) {
    if (!clean) refuseDamagedDatabase(dbPath, o);
    throw e;
  }
}

/** The check itself: PRAGMA quick_check's problems (empty when the file is sound). */
export type RunCheck = (dbPath: string, o: { secret: Buffer | null; nativeBinding?: string }) => Promise<string[]>;

// The worker's code (CommonJS, evaluated): it opens its own read-only connection and reports quick_check's lines.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let db;
try {
  const Database = require(workerData.module);
  db = new Database(workerData.dbPath, { readonly: true, fileMustExist: true, ...(workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {}) });
  if (workerData.key) db.pragma('key = "' + workerData.key + '"');
  const lines = db.prepare('PRAGMA quick_check').pluck().all();
  parentPort.postMessage({ problems: lines.filter((l) => l !== 'ok') });
} catch (e) {
  parentPort.postMessage({ problems: [String((e && e.message) || e)] });
} finally {
  try { db && db.close(); } catch {}
}
`;

/** PRAGMA quick_check in a worker thread: the main thread (the window's calls) keeps answering meanwhile. */
export const quickCheckInWorker: RunCheck = (dbPath, o) =>
  new Promise((resolve) => {
    const module = createRequire(join(projectRoot(), 'package.json')).resolve('better-sqlite3-multiple-ciphers');
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module, dbPath, nativeBinding: o.nativeBinding, key: o.secret ? sqliteKey(o.secret) : null },
    });
    let done = false;
    const finish = (problems: string[]) => {
      if (done) return;
      done = true;
      resolve(problems);
      void w.terminate();
    };
    w.once('message', (m: { problems: string[] }) => finish(m.problems));
    w.once('error', (e) => finish([String(e?.message ?? e)]));
    w.once('exit', (code) => finish(code === 0 ? [] : [`check stopped (${code})`]));
  });

/** The error a damaged database's writes get, naming the last good backup (as checkDatabaseAtStart's refusal does). */
export function damageError(dbPath: string, problems: string[]): AppError {
  const last = lastGoodBackup(dbPath);
  const command = last ? `npm run cli -- restore --db "${dbPath}" --from "${last.path}" --passphrase-stdin` : null;
  return new AppError('backup.database_damaged', { path: last?.path ?? '—', at: last?.at ?? '—', command: command ?? '—', problems: problems.slice(0, 20) });
}

export interface BackgroundCheckTarget {
  dbPath: string;
  /** The database's secret (the worker opens its own connection with it). */
  databaseSecret: Buffer | null;
  health: DatabaseHealth;
}

/**
 * Starts the check after the core is open when the last close was not clean; resolves with what it found (also
 * recorded in `health`: system.status reports it and a damaged database refuses writes). `onDamaged` tells the user.
 */
export function checkInBackground(
  target: BackgroundCheckTarget,
  o: { clean: boolean; nativeBinding?: string; run?: RunCheck; onDamaged?: (e: AppError, check: Extract<StartCheck, { ok: false }>) => void },
): Promise<StartCheck> {
  if (o.clean) {
    target.health.state = 'not_needed';
    return Promise.resolve({ ok: true, fresh: false, check: 'quick_check' });
  }
  target.health.state = 'running';
  const run = o.run ?? quickCheckInWorker;
  return run(target.dbPath, { secret: target.databaseSecret, nativeBinding: o.nativeBinding }).then(
    (problems): StartCheck => {
      if (!problems.length) {
        target.health.state = 'ok';
        return { ok: true, fresh: false, check: 'quick_check' };
      }
      const e = damageError(target.dbPath, problems);
      target.health.state = 'damaged';
      target.health.damage = e;
      const last = lastGoodBackup(target.dbPath);
      const check: Extract<StartCheck, { ok: false }> = {
        ok: false,
        problems: problems.slice(0, 20),
        lastGoodBackup: last,
        restoreCommand: last ? String(e.params.command) : null,
      };
      o.onDamaged?.(e, check);
      return check;
    },
  );
}
