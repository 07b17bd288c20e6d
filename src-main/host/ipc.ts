/**
 * The Electron door into the core: one ipcMain.handle per bridge method (shared/api/bridge.ts).
 * Every handler first checks that the message comes from the app's own top-level frame
 * (jisr://app/…), then validates its arguments, and always answers with a Result — nothing is
 * thrown across IPC, so the page gets an error code it can translate.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { z } from 'zod';
import type { Core } from '../core/core';
import type { Logger } from '../core/context';
import { isMethodName } from '../shared/api/contract';
import { AppError, type Result } from '../shared/errors';
import { FILE_ID_PATTERN, IPC_CHANNELS } from '../preload/channels';
import { isAppUrl } from './security';
import type { Workstation } from '../net/workstation';

export interface IpcEventLike {
  senderFrame?: { url: string; parent: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface DialogLike<W> {
  showSaveDialog(window: W | null, options: { defaultPath?: string; filters?: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string }>;
  showOpenDialog(
    window: W | null,
    options: { properties: ('openFile' | 'multiSelections' | 'openDirectory' | 'createDirectory')[]; filters?: { name: string; extensions: string[] }[]; defaultPath?: string },
  ): Promise<{ canceled: boolean; filePaths: string[] }>;
}

export interface ShellLike {
  /** Resolves to '' on success, to an error message otherwise (Electron's shell.openPath). */
  openPath(path: string): Promise<string>;
}

export interface IpcDeps<W> {
  core: Pick<Core, 'call' | 'outbox'>;
  dialog: DialogLike<W>;
  shell: ShellLike;
  /** The window dialogs are attached to. */
  getWindow(): W | null;
  /** Where the save dialog starts (app.getPath('documents')). */
  documentsDir: string;
  logger: Logger;
  /** Largest file pickFiles reads into the outbox. */
  maxUploadBytes?: number;
  /**
   * The office's main PC (issue 17): while this installation is a paired workstation, calls, uploads and produced
   * files go to the main PC over the pinned connection (net/workstation.ts) instead of the local core.
   */
  workstation?: Workstation;
  /** Removable drives first, then drives, then home (core/files/folder-roots.ts): where the Save and folder dialogs start. */
  folderRoots?: () => { kind: string; path: string }[];
  /** Prints a PDF with the system's print dialog (Electron: a hidden window on the file, webContents.print). Resolves to '' or an error message. */
  printPdf?: (path: string) => Promise<string>;
}

/** Produced files the window may hand to the system viewer. Anything else must be saved first. */
export const OPENABLE_EXTENSIONS = new Set(['.pdf', '.xlsx', '.xls', '.csv', '.txt', '.json', '.png', '.jpg', '.jpeg']);

const FiltersSchema = z
  .array(
    z.object({
      name: z.string().min(1).max(100),
      extensions: z.array(z.string().regex(/^(\*|[A-Za-z0-9]{1,16})$/)).min(1).max(20),
    }),
  )
  .max(10);

/** True when the IPC message comes from the app's own top-level frame. */
export function isTrustedSender(event: IpcEventLike): boolean {
  const frame = event?.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null && frame.parent !== undefined) return false; // no sub-frames
  return isAppUrl(frame.url);
}

type Handler = (...args: unknown[]) => Promise<Result<unknown>>;

/**
 * Registers the bridge handlers (one per bridge method); returns a function that removes them.
 * `call` takes only method names of the contract and a session token; it can never act as the
 * CLI or any other actor (the core resolves the caller from the token).
 */
export function registerIpc<W>(ipcMain: IpcMainLike, deps: IpcDeps<W>): () => void {
  const maxUpload = deps.maxUploadBytes ?? 64 * 1024 * 1024;

  const guarded = (channel: string, fn: Handler) => {
    ipcMain.handle(channel, async (event, ...args) => {
      if (!isTrustedSender(event)) {
        deps.logger.warn('refused IPC from a foreign frame', { channel, url: String(event?.senderFrame?.url ?? '').slice(0, 200) });
        return { ok: false, error: { code: 'desktop.forbidden_sender', params: {} } };
      }
      try {
        return await fn(...args);
      } catch (e) {
        if (e instanceof AppError) return { ok: false, error: e.toPayload() };
        const ref = randomBytes(6).toString('hex');
        deps.logger.error('unexpected IPC error', { channel, ref, error: (e as Error)?.stack ?? String(e) });
        return { ok: false, error: { code: 'internal.unexpected', params: { ref } } };
      }
    });
  };

  const remote = () => deps.workstation?.remote ?? null;
  const sessionOf = (session: unknown): string | undefined => {
    if (session !== undefined && session !== null && typeof session !== 'string') throw new AppError('desktop.bad_request');
    return (session as string | null | undefined) ?? undefined;
  };

  /** A produced file: the local outbox, or — on a workstation — fetched from the main PC into it first. */
  const outboxFile = async (fileId: unknown, session: unknown) => {
    if (typeof fileId !== 'string' || !FILE_ID_PATTERN.test(fileId)) throw new AppError('file.not_found');
    const main = remote();
    if (main) {
      const r = await main.download(fileId, sessionOf(session));
      if (!r.ok) throw AppError.fromPayload(r.error);
      return deps.core.outbox.put(r.value.name, r.value.mime, r.value.data);
    }
    const f = deps.core.outbox.get(fileId);
    if (!f) throw new AppError('file.not_found');
    return f;
  };

  const removableFirst = () => {
    try {
      return deps.folderRoots?.().find((r) => r.kind === 'removable')?.path ?? null;
    } catch {
      return null;
    }
  };

  guarded(IPC_CHANNELS.printFile, async (fileId, session) => {
    const f = await outboxFile(fileId, session);
    if (extname(f.name).toLowerCase() !== '.pdf') throw new AppError('desktop.cannot_open_type', { ext: extname(f.name).toLowerCase() || '?' });
    if (!deps.printPdf) throw new AppError('desktop.open_failed', { detail: 'print' });
    const err = await deps.printPdf(f.path);
    if (err) throw new AppError('desktop.open_failed', { detail: err });
    return { ok: true, value: { printed: true } };
  });

  /** The system's folder dialog (the backup folder): the path goes back to the page, which gives it to the administrator's setting (checked by the core). */
  guarded(IPC_CHANNELS.pickFolder, async () => {
    const r = await deps.dialog.showOpenDialog(deps.getWindow(), { properties: ['openDirectory', 'createDirectory'], defaultPath: removableFirst() ?? deps.documentsDir });
    if (r.canceled || !r.filePaths[0]) return { ok: true, value: { folder: null } };
    return { ok: true, value: { folder: r.filePaths[0] } };
  });

  guarded(IPC_CHANNELS.call, async (method, input, session) => {
    if (!isMethodName(method)) return { ok: false, error: { code: 'api.unknown_method', params: { method: String(method).slice(0, 80) } } };
    const token = sessionOf(session);
    const main = remote();
    if (main) return main.call(method, input, token);
    return deps.core.call(method, input, { token });
  });

  guarded(IPC_CHANNELS.mainPc, async (request) => {
    if (!deps.workstation) throw new AppError('desktop.bad_request');
    return deps.workstation.handle(request);
  });

  guarded(IPC_CHANNELS.openFile, async (fileId, session) => {
    const f = await outboxFile(fileId, session);
    const ext = extname(f.name).toLowerCase();
    if (!OPENABLE_EXTENSIONS.has(ext)) throw new AppError('desktop.cannot_open_type', { ext: ext || '?' });
    const err = await deps.shell.openPath(f.path);
    if (err) throw new AppError('desktop.open_failed', { detail: err });
    return { ok: true, value: { opened: true as const } };
  });

  guarded(IPC_CHANNELS.saveFile, async (fileId, session) => {
    const f = await outboxFile(fileId, session);
    const ext = extname(f.name).replace(/^\./, '');
    // A plugged-in removable drive is offered first (the file for the region goes on a USB stick).
    const r = await deps.dialog.showSaveDialog(deps.getWindow(), {
      defaultPath: join(removableFirst() ?? deps.documentsDir, f.name),
      filters: ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : undefined,
    });
    if (r.canceled || !r.filePath) return { ok: true, value: { savedTo: null } };
    try {
      await copyFile(f.path, r.filePath);
    } catch (e) {
      throw new AppError('desktop.save_failed', { detail: (e as NodeJS.ErrnoException).code ?? String(e) });
    }
    return { ok: true, value: { savedTo: r.filePath } };
  });

  /** Files reach the outbox only for a logged-in user (as the web bridge's /api/upload), or on a fresh installation (restore with the recovery sheet). */
  const requireAuthSession = async (session: unknown) => {
    const me = typeof session === 'string' && session ? await deps.core.call('auth.me', {}, { token: session }) : null;
    if (me?.ok) return;
    const st = await deps.core.call('system.status', {});
    if (st.ok && st.value.office === null) return;
    if (!me) throw new AppError('auth.login_required', {});
    if (!me.ok) throw AppError.fromPayload(me.error);
  };

  /** An uploaded file into the outbox: the local one, or the main PC's on a workstation (its id is the main PC's). */
  const keep = async (name: string, data: Buffer, session: unknown) => {
    const main = remote();
    if (main) {
      const r = await main.upload(name, data, sessionOf(session));
      if (!r.ok) throw AppError.fromPayload(r.error);
      return r.value;
    }
    const f = deps.core.outbox.put(name, 'application/octet-stream', data);
    return { uploadId: f.id, name, size: f.size };
  };

  guarded(IPC_CHANNELS.pickFiles, async (rawFilters, multiple, session) => {
    const parsed = FiltersSchema.safeParse(rawFilters);
    if (!parsed.success) throw new AppError('desktop.bad_request');
    if (!remote()) await requireAuthSession(session);
    const r = await deps.dialog.showOpenDialog(deps.getWindow(), {
      properties: multiple === true ? ['openFile', 'multiSelections'] : ['openFile'],
      filters: parsed.data.length ? parsed.data : undefined,
    });
    if (r.canceled) return { ok: true, value: [] };
    const picked = multiple === true ? r.filePaths : r.filePaths.slice(0, 1);
    const uploads: { uploadId: string; name: string; size: number }[] = [];
    for (const path of picked) {
      const name = basename(path);
      let data: Buffer;
      try {
        const s = await stat(path);
        if (s.size > maxUpload) throw new AppError('desktop.file_too_large', { name, maxMb: Math.floor(maxUpload / (1024 * 1024)) });
        data = await readFile(path);
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw new AppError('desktop.read_failed', { name });
      }
      uploads.push(await keep(name, data, session));
    }
    return { ok: true, value: uploads };
  });

  guarded(IPC_CHANNELS.uploadFile, async (rawName, data, session) => {
    if (typeof rawName !== 'string' || !rawName || rawName.length > 255 || !(data instanceof Uint8Array)) throw new AppError('desktop.bad_request');
    // Only the last part of the name: it names a file in the outbox, never a path.
    const name = basename(rawName.replace(/\\/g, '/')) || 'upload.bin';
    if (data.byteLength > maxUpload) throw new AppError('desktop.file_too_large', { name, maxMb: Math.floor(maxUpload / (1024 * 1024)) });
    if (!remote()) await requireAuthSession(session);
    return { ok: true, value: await keep(name, Buffer.from(data.buffer, data.byteOffset, data.byteLength), session) };
  });

  return () => {
    for (const channel of Object.values(IPC_CHANNELS)) ipcMain.removeHandler(channel);
  };
}
