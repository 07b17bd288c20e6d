import type { MethodInput, MethodName, MethodOutput } from '../../src-main/shared/api/contract';
import type { JisrBridge } from '../../src-main/shared/api/bridge';
import type { ErrorPayload, Result } from '../../src-main/shared/errors';

declare global {
  interface Window {
    jisr?: JisrBridge;
  }
}

/** A coded failure returned by the backend (or by the transport), translated in the UI. */
export class ApiError extends Error {
  readonly code: string;
  readonly params: Record<string, unknown>;
  constructor(payload: ErrorPayload) {
    super(payload.code);
    this.name = 'ApiError';
    this.code = payload.code;
    this.params = payload.params ?? {};
  }
  get payload(): ErrorPayload {
    return { code: this.code, params: this.params };
  }
  /** Field-level messages of a `validation.failed` error: path → message code. */
  fieldIssues(): Record<string, string> {
    const out: Record<string, string> = {};
    if (this.code !== 'validation.failed' || !Array.isArray(this.params.issues)) return out;
    for (const i of this.params.issues as { path: string; message: string }[]) {
      if (!(i.path in out)) out[i.path] = i.message;
    }
    return out;
  }
}

type Transport = (method: string, input: unknown, session: string | null) => Promise<Result<unknown>>;

const KEY_STORAGE = 'jisr.key';
const SESSION_STORAGE = 'jisr.session';

/** The per-start token of the web bridge: the `k` query parameter of the printed URL, kept for the tab. */
function readWebKey(): string | null {
  const url = new URL(window.location.href);
  const k = url.searchParams.get('k');
  if (k) {
    sessionStorage.setItem(KEY_STORAGE, k);
    // Keep the key out of the address bar (history, screenshots); the tab remembers it.
    url.searchParams.delete('k');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return k;
  }
  return sessionStorage.getItem(KEY_STORAGE);
}

function httpTransport(): Transport {
  const key = readWebKey();
  return async (method, input, session) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key) headers['x-jisr-key'] = key;
    if (session) headers.authorization = `Bearer ${session}`;
    let res: Response;
    try {
      res = await fetch('./api/call', { method: 'POST', headers, body: JSON.stringify({ method, input }) });
    } catch {
      return { ok: false, error: { code: 'ui.network' } };
    }
    try {
      return (await res.json()) as Result<unknown>;
    } catch {
      return { ok: false, error: { code: 'ui.network' } };
    }
  };
}

function electronTransport(bridge: JisrBridge): Transport {
  return (method, input, session) => bridge.call(method, input, session ?? undefined);
}

type Listener = (err: ApiError) => void;

/**
 * The one door from the renderer to the backend: `api.call('feature.method', input)`, typed from the
 * contract; resolves with the method's value or throws an ApiError with the code and parameters.
 * Electron: through `window.jisr` (the preload); a browser: POST /api/call on the loopback web bridge.
 */
class ApiClient {
  private transport: Transport;
  private session: string | null;
  private key: string | null = null;
  private sessionListeners = new Set<Listener>();
  readonly kind: 'electron' | 'http';

  constructor() {
    const bridge = typeof window !== 'undefined' ? window.jisr : undefined;
    if (bridge) {
      this.kind = 'electron';
      this.transport = electronTransport(bridge);
    } else {
      this.kind = 'http';
      this.transport = httpTransport();
      this.key = sessionStorage.getItem(KEY_STORAGE);
    }
    this.session = sessionStorage.getItem(SESSION_STORAGE);
  }

  /** `silent`: a lost session is not announced (the caller handles it). */
  async call<M extends MethodName>(method: M, input: MethodInput<M>, opts: { silent?: boolean } = {}): Promise<MethodOutput<M>> {
    const result = await this.transport(method, input ?? {}, this.session);
    if (result.ok) return result.value as MethodOutput<M>;
    const err = new ApiError(result.error);
    if (!opts.silent && (err.code === 'auth.session_expired' || (err.code === 'auth.login_required' && this.session))) {
      this.setSession(null);
      for (const l of this.sessionListeners) l(err);
    }
    throw err;
  }

  get sessionToken(): string | null {
    return this.session;
  }

  setSession(token: string | null) {
    this.session = token;
    if (token) sessionStorage.setItem(SESSION_STORAGE, token);
    else sessionStorage.removeItem(SESSION_STORAGE);
  }

  /** Called when the backend says the session is gone (expired, account deactivated). */
  onSessionLost(l: Listener): () => void {
    this.sessionListeners.add(l);
    return () => this.sessionListeners.delete(l);
  }

  /** URL of a file produced by a method (web bridge only). */
  fileUrl(fileId: string, inline = false): string {
    const k = encodeURIComponent(this.key ?? '');
    return `./api/files/${encodeURIComponent(fileId)}?k=${k}${inline ? '&inline=1' : ''}`;
  }

  /** Saves a produced file: the Save dialog in Electron, a download in a browser. */
  async saveFile(fileId: string, name?: string): Promise<void> {
    if (window.jisr) {
      const r = await window.jisr.saveFile(fileId);
      if (!r.ok) throw new ApiError(r.error);
      return;
    }
    const a = document.createElement('a');
    a.href = this.fileUrl(fileId);
    if (name) a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  /** Opens a produced file for viewing or printing (system viewer in Electron, a new tab in a browser). */
  async openFile(fileId: string): Promise<void> {
    if (window.jisr) {
      const r = await window.jisr.openFile(fileId);
      if (!r.ok) throw new ApiError(r.error);
      return;
    }
    window.open(this.fileUrl(fileId, true), '_blank', 'noopener');
  }

  /**
   * Asks for files to import: the system's open dialog in Electron (the main process reads them into the outbox),
   * null in a browser, where the page's own file input is used instead (then `upload`).
   */
  async pickFiles(filters: { name: string; extensions: string[] }[], multiple: boolean): Promise<{ uploadId: string; name: string; size: number }[] | null> {
    if (!window.jisr) return null;
    const r = await window.jisr.pickFiles(filters, multiple, this.session ?? undefined);
    if (!r.ok) throw new ApiError(r.error);
    return r.value;
  }

  /** Uploads a file the page holds (file input, dropped file) for an import method; returns its upload id. */
  async upload(file: File): Promise<{ uploadId: string; name: string; size: number }> {
    if (window.jisr) {
      const r = await window.jisr.uploadFile(file.name, new Uint8Array(await file.arrayBuffer()), this.session ?? undefined);
      if (!r.ok) throw new ApiError(r.error);
      return r.value;
    }
    const headers: Record<string, string> = { 'x-jisr-filename': encodeURIComponent(file.name) };
    if (this.key) headers['x-jisr-key'] = this.key;
    if (this.session) headers.authorization = `Bearer ${this.session}`;
    const res = await fetch('./api/upload', { method: 'POST', headers, body: file });
    const r = (await res.json()) as Result<{ uploadId: string; name: string; size: number }>;
    if (!r.ok) throw new ApiError(r.error);
    return r.value;
  }
}

export const api = new ApiClient();

/** Anything thrown → an ApiError (unexpected exceptions become `internal.unexpected`). */
export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  console.error(e);
  return new ApiError({ code: 'internal.unexpected', params: { ref: 'ui' } });
}
