/**
 * What the preload puts on window.jisr: the JisrBridge and nothing else. Built from an
 * `invoke` function so tests can drive it without Electron. Each method sends on its own channel;
 * nothing here lets the page choose a channel or reach ipcRenderer.
 */
import { BRIDGE_KEYS, type JisrBridge } from '../shared/api/bridge';
// In the bundled preload, scripts/build-electron.mjs replaces this module by the contract's list of
// method names (same isMethodName, without zod and the schemas).
import { isMethodName } from '../shared/api/contract';
import type { Result } from '../shared/errors';
import { FILE_ID_PATTERN, IPC_CHANNELS } from './channels';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
}

const refuse = (code: string, params: Record<string, unknown> = {}): Promise<Result<never>> =>
  Promise.resolve({ ok: false, error: { code, params } });

function isResult(v: unknown): v is Result<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}

export function buildPreloadApi(ipc: IpcRendererLike): JisrBridge {
  // The main process answers with Result objects; a rejected invoke (main process gone, handler
  // missing) becomes a Result too, so the page never sees an exception from the bridge.
  const send = async <T>(channel: string, ...args: unknown[]): Promise<Result<T>> => {
    try {
      const r = await ipc.invoke(channel, ...args);
      return isResult(r) ? (r as Result<T>) : { ok: false, error: { code: 'desktop.ipc_failed', params: {} } };
    } catch {
      return { ok: false, error: { code: 'desktop.ipc_failed', params: {} } };
    }
  };
  const api: JisrBridge = {
    call(method, input, session) {
      if (!isMethodName(method)) return refuse('api.unknown_method', { method: String(method).slice(0, 80) });
      if (session !== undefined && session !== null && typeof session !== 'string') return refuse('desktop.bad_request');
      return send(IPC_CHANNELS.call, method, input, session ?? undefined);
    },
    openFile(fileId, session) {
      if (typeof fileId !== 'string' || !FILE_ID_PATTERN.test(fileId)) return refuse('file.not_found');
      if (session !== undefined && session !== null && typeof session !== 'string') return refuse('desktop.bad_request');
      return send(IPC_CHANNELS.openFile, fileId, session ?? undefined);
    },
    saveFile(fileId, session) {
      if (typeof fileId !== 'string' || !FILE_ID_PATTERN.test(fileId)) return refuse('file.not_found');
      if (session !== undefined && session !== null && typeof session !== 'string') return refuse('desktop.bad_request');
      return send(IPC_CHANNELS.saveFile, fileId, session ?? undefined);
    },
    pickFiles(filters, multiple, session) {
      if (!Array.isArray(filters)) return refuse('desktop.bad_request');
      if (session !== undefined && session !== null && typeof session !== 'string') return refuse('desktop.bad_request');
      return send(IPC_CHANNELS.pickFiles, filters, multiple === true, session ?? undefined);
    },
    uploadFile(name, data, session) {
      if (typeof name !== 'string' || name.length === 0 || name.length > 255 || !(data instanceof Uint8Array)) return refuse('desktop.bad_request');
      if (session !== undefined && session !== null && typeof session !== 'string') return refuse('desktop.bad_request');
      return send(IPC_CHANNELS.uploadFile, name, data, session ?? undefined);
    },
    mainPc(request) {
      if (typeof request !== 'object' || request === null || Array.isArray(request)) return refuse('desktop.bad_request');
      return send(IPC_CHANNELS.mainPc, request);
    },
    printFile(fileId, session) {
      if (typeof fileId !== 'string' || !FILE_ID_PATTERN.test(fileId)) return refuse('file.not_found');
      if (session !== undefined && session !== null && typeof session !== 'string') return refuse('desktop.bad_request');
      return send(IPC_CHANNELS.printFile, fileId, session ?? undefined);
    },
    pickFolder() {
      return send(IPC_CHANNELS.pickFolder);
    },
  };
  // Same keys as the interface, in the declared order, and frozen.
  const ordered = Object.fromEntries(BRIDGE_KEYS.map((k) => [k, api[k]])) as unknown as JisrBridge;
  return Object.freeze(ordered);
}
