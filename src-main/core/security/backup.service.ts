import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { BackupCheck, BackupFileInfo, BackupSettingsInfo } from '../../shared/api/security.contract';
import type { MethodName, MethodParsed } from '../../shared/api/contract';
import { actorName, type ReadContext, type WriteContext } from '../context';
import { migrate } from '../db/migrate';
import { projectRoot } from '../paths';
import {
  createBackup,
  inspectBackup,
  listBackupFiles,
  readBackupConfig,
  readHeaderFromPath,
  restoreImageLive,
  storedPassphrase,
  storePassphrase,
  writeBackupConfig,
  type BackupConfig,
  type BackupInspection,
} from './backup';
import { appendAuditOutsideCall, inOwnTransaction, outsideCall, writableOutsideCall } from './direct-audit';
import { connectionOf } from '../db/handles';
import { insertBackupRun, lastBackupRun, recentBackupRuns } from './security.repo';
import { checkBackupFolder } from './backup-paths';
import { listSubfolders, resolveUnderRoot } from '../files/folder-roots';

/**
 * The rules of the backups: their settings, a backup made and recorded, the folder's list, a backup checked or
 * restored (backup.handlers.ts binds these functions; the files are written by backup.ts, the rows by security.repo.ts).
 */

type In<M extends MethodName> = MethodParsed<M>;

const AUTOMATIC = new Set(['start', 'exit', 'daily']);
export const SCHEDULER_NAME = 'system:backup-scheduler';

/** Why "back up now" cannot run, in the order a person fixes it: the folder, the passphrase, the folder plugged in and writable. */
function cannotBackUp(ctx: ReadContext, cfg: BackupConfig, hasPassphrase: boolean): BackupSettingsInfo['cannotBackUp'] {
  if (!cfg.folder) return { code: 'backup.no_folder' };
  if (!hasPassphrase) return { code: 'backup.passphrase_missing' };
  try {
    checkBackupFolder(cfg.folder, ctx.services.dbPath);
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, params: e.params };
    throw e;
  }
  return null;
}

function settingsInfo(ctx: ReadContext, cfg: BackupConfig = readBackupConfig(ctx.db)): BackupSettingsInfo {
  const last = lastBackupRun(ctx.db);
  const hasPassphrase = storedPassphrase(ctx.db) !== null;
  return {
    folder: cfg.folder,
    cannotBackUp: cannotBackUp(ctx, cfg, hasPassphrase),
    keep: cfg.keep,
    atStart: cfg.atStart,
    atExit: cfg.atExit,
    daily: cfg.daily,
    hasPassphrase,
    lastBackup: last ? { at: last.at, fileName: last.file_name, ok: last.ok === 1, trigger: last.trigger } : null,
  };
}

/**
 * The bytes of the backup a call names: one of the configured folder's backups by name, an upload, or (the
 * command line only: the dispatcher refuses `path` from the other doors) a path on this machine.
 */
export function readBackupSource(ctx: ReadContext, src: { name?: string; uploadId?: string; path?: string }): { bytes: Buffer; name: string } {
  if (src.path !== undefined) {
    const path = src.path;
    try {
      if (!statSync(path).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      return { bytes: readFileSync(path), name: basename(path) };
    } catch (e) {
      throw new AppError('backup.file_unreadable', { path, detail: (e as NodeJS.ErrnoException).code ?? 'error' });
    }
  }
  if (src.uploadId !== undefined) {
    const f = ctx.services.outbox.get(src.uploadId);
    if (!f) throw new AppError('backup.upload_not_found');
    return { bytes: readFileSync(f.path), name: f.name };
  }
  const name = src.name!;
  const folder = readBackupConfig(ctx.db).folder;
  const office = ctx.office();
  // Only a file the folder's listing holds: the name is one of ours (checked by the contract), never a path.
  const f = folder ? listBackupFiles(folder, office?.code ?? null).find((x) => x.name === name) : undefined;
  if (!f) throw new AppError('backup.not_found', { name });
  try {
    return { bytes: readFileSync(f.path), name };
  } catch (e) {
    throw new AppError('backup.file_unreadable', { path: name, detail: (e as NodeJS.ErrnoException).code ?? 'error' });
  }
}

function toCheck(i: BackupInspection): BackupCheck {
  return {
    createdAt: i.header.createdAt,
    officeSlug: i.header.officeSlug,
    schemaVersion: i.header.schemaVersion,
    appVersion: i.header.appVersion,
    sameOffice: i.sameOffice,
    olderThanApp: i.schema.olderThanApp,
    integrity: i.integrity,
    counts: i.counts,
  };
}

export function settings(_input: In<'backup.settings'>, ctx: ReadContext) {
  ctx.requireOffice();
  return settingsInfo(ctx);
}

/** The folder browser (web bridge): the roots, and the folders under the one named by a root's id and folder names. */
export function browseFolders({ at }: In<'backup.browseFolders'>, ctx: ReadContext) {
  const roots = ctx.services.folderRoots();
  const listed = roots.map((r) => ({ id: r.id, kind: r.kind, name: r.name }));
  if (!at) return { roots: listed, at: null, folders: [] };
  const { path } = resolveUnderRoot(roots, at.root, at.rel);
  return { roots: listed, at: { root: at.root, rel: at.rel, shown: path }, folders: listSubfolders(path) };
}

export function updateSettings(input: In<'backup.updateSettings'>, ctx: WriteContext) {
  ctx.requireOffice();
  const before = readBackupConfig(ctx.db);
  let chosen = input.folder;
  if (input.folderRef) {
    // The folder browser's choice (web bridge): a root and folder names, resolved here and kept inside the root.
    if (ctx.role !== 'admin') throw new AppError('backup.folder_admin_only');
    chosen = resolveUnderRoot(ctx.services.folderRoots(), input.folderRef.root, input.folderRef.rel).path;
  }
  const next: BackupConfig = {
    folder: chosen === undefined ? before.folder : chosen,
    keep: input.keep ?? before.keep,
    atStart: input.atStart ?? before.atStart,
    atExit: input.atExit ?? before.atExit,
    daily: input.daily ?? before.daily,
  };
  if (chosen !== undefined && chosen !== before.folder) {
    // Where backups go is the administrator's choice only; the folder must exist, be writable, not be the data folder.
    if (ctx.role !== 'admin') throw new AppError('backup.folder_admin_only');
    if (next.folder) checkBackupFolder(next.folder, ctx.services.dbPath);
  }
  const changes: Record<string, [unknown, unknown]> = {};
  for (const k of Object.keys(next) as (keyof BackupConfig)[]) if (before[k] !== next[k]) changes[k] = [before[k], next[k]];
  writeBackupConfig(ctx.db, next);
  if (input.passphrase !== undefined) {
    const had = storedPassphrase(ctx.db) !== null;
    storePassphrase(ctx.db, input.passphrase);
    changes.passphrase = [had ? 'set' : null, had ? 'changed' : 'set']; // never the passphrase itself
  }
  ctx.audit({ entity: 'settings', entityId: 'backup.config', changes });
  return settingsInfo(ctx, next);
}

export function create(input: In<'backup.create'>, ctx: ReadContext) {
  ctx.requireOffice();
  const cfg = readBackupConfig(ctx.db);
  // Only the trusted in-process doors (CLI, the hosts' scheduler) may name an automatic trigger.
  const trigger = ctx.actor.kind === 'cli' ? input.trigger : 'manual';
  const system = AUTOMATIC.has(trigger) ? SCHEDULER_NAME : undefined;
  const passphrase = input.passphrase ?? storedPassphrase(ctx.db);
  if (!passphrase) throw new AppError('backup.passphrase_missing');
  const folder = input.outFile ? undefined : (input.folder ?? cfg.folder ?? undefined);
  if (!input.outFile && !folder) throw new AppError('backup.no_folder');
  const t0 = Date.now();
  const runBy = system ?? actorName(ctx.actor);
  // write: false (the snapshot is taken outside any transaction): the run and its audit row are written here.
  const wdb = writableOutsideCall(ctx);
  const recordRun = (r: { fileName: string | null; size: number | null; sha256: string | null; ok: boolean; error: string | null; at: string; folder: string }) => {
    inOwnTransaction(wdb, () => {
      insertBackupRun(wdb, {
        id: ctx.newId(),
        at: r.at,
        trigger,
        folder: r.folder,
        file_name: r.fileName,
        size: r.size,
        sha256: r.sha256,
        ok: r.ok ? 1 : 0,
        error: r.error,
        duration_ms: Date.now() - t0,
        actor_name: runBy,
      });
      appendAuditOutsideCall(
        wdb,
        outsideCall(ctx),
        [{ entity: 'backup', entityId: r.fileName ?? undefined, changes: { backup: [null, r.ok ? 'ok' : 'failed'], trigger: [null, trigger], ...(r.error ? { error: [null, r.error] } : {}) } }],
        { system },
      );
    });
  };
  const now = ctx.clock();
  let res;
  try {
    // The connection itself: the backup serialises the database (sqlite3_serialize), not a query.
    res = createBackup(connectionOf(ctx.db), {
      passphrase,
      folder,
      outFile: input.outFile,
      keep: cfg.keep,
      trigger,
      now,
      appVersion: ctx.services.appVersion,
      schemaVersion: ctx.services.schemaVersion,
      dbPath: ctx.services.dbPath,
      // The backup also opens with the recovery sheet (the office safe's 12 words).
      recoverySecret: ctx.services.databaseSecret,
    });
  } catch (e) {
    const code = e instanceof AppError ? e.code : 'internal.unexpected';
    recordRun({ fileName: null, size: null, sha256: null, ok: false, error: code, at: now.toISOString(), folder: folder ?? input.outFile ?? '' });
    throw e;
  }
  recordRun({ fileName: res.fileName, size: res.size, sha256: res.sha256, ok: true, error: null, at: res.at, folder: folder ?? res.path.slice(0, -res.fileName.length - 1) });
  return { path: res.path, fileName: res.fileName, size: res.size, sha256: res.sha256, at: res.at, durationMs: res.durationMs, deleted: res.deleted };
}

export function list(input: In<'backup.list'>, ctx: ReadContext) {
  const office = ctx.requireOffice();
  const folder = input.folder ?? readBackupConfig(ctx.db).folder;
  const files: BackupFileInfo[] = (folder ? listBackupFiles(folder, office.code) : []).map((f) => {
    try {
      const h = readHeaderFromPath(f.path);
      return { ...f, trigger: h.trigger, officeSlug: h.officeSlug, schemaVersion: h.schemaVersion, counts: h.counts, readable: true };
    } catch {
      return { ...f, trigger: null, officeSlug: null, schemaVersion: null, counts: null, readable: false };
    }
  });
  const runs = recentBackupRuns(ctx.db).map((r) => ({
    id: r.id,
    at: r.at,
    trigger: r.trigger,
    folder: r.folder,
    fileName: r.file_name,
    size: r.size,
    ok: r.ok === 1,
    error: r.error,
    durationMs: r.duration_ms,
    actorName: r.actor_name,
  }));
  return { folder, files, runs };
}

export function check(input: In<'backup.check'>, ctx: ReadContext) {
  const office = ctx.office();
  const { inspection } = inspectBackup(readBackupSource(ctx, input).bytes, input.passphrase, { expectOfficeId: office?.id ?? null });
  return toCheck(inspection);
}

export async function restore(input: In<'backup.restore'>, ctx: ReadContext) {
  const dbPath = ctx.services.dbPath;
  if (dbPath === ':memory:') throw new AppError('backup.restore_memory');
  const office = ctx.office();
  // 1. Everything is checked in memory before anything on disk changes.
  const source = readBackupSource(ctx, input);
  const { inspection, dbImage } = inspectBackup(source.bytes, input.passphrase, { expectOfficeId: office?.id ?? null });
  // 2. A copy of the current database is kept, then the pages are replaced.
  // The connection itself: its pages are replaced (backup API) and the schema migrated, outside any transaction.
  const sqlite = connectionOf(ctx.db);
  const { replacedCopy } = await restoreImageLive(sqlite, dbPath, dbImage, ctx.clock(), ctx.services.databaseSecret);
  // 3. An older backup is brought up to this app's schema.
  const m = migrate(sqlite, { dir: join(projectRoot(), 'migrations'), now: ctx.clock });
  ctx.services.resetOfficeCache();
  // 4. The restore is recorded in the restored database's own chain (write: false: through the handle taken for it).
  appendAuditOutsideCall(writableOutsideCall(ctx), outsideCall(ctx), [
    {
      entity: 'backup',
      entityId: source.name,
      changes: { restore: [null, 'ok'], backup_created_at: [null, inspection.header.createdAt], replaced_copy: [null, replacedCopy] },
    },
  ]);
  return { ...toCheck(inspection), replacedCopy, migrated: m.pending };
}
