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

// ---------------------------------------------------------------------------------------------
// The office network (issue 17): the page is served by the main PC's HTTPS listener to a paired workstation.
// ---------------------------------------------------------------------------------------------

/** The workstation's own credential, received at pairing (kept by this browser for this address). */
export interface DeviceCredential {
  deviceId: string;
  secret: string;
  fingerprint: string;
  name: string;
}
const DEVICE_STORAGE = 'jisr.device';

/** Served by the office listener (HTTPS, never the loopback web bridge nor the window). */
export function isOfficeNetwork(): boolean {
  return typeof window !== 'undefined' && !window.jisr && window.location.protocol === 'https:';
}

export function readDevice(): DeviceCredential | null {
  try {
    const d = JSON.parse(localStorage.getItem(DEVICE_STORAGE) ?? 'null') as DeviceCredential | null;
    return d && typeof d.deviceId === 'string' && typeof d.secret === 'string' ? d : null;
  } catch {
    return null;
  }
}

const b64url = (b: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
function fromB64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The device's signature headers of one request (HMAC-SHA256; see src-main/net/office-server.ts). */
export async function deviceHeaders(d: DeviceCredential, path: string, body: Uint8Array): Promise<Record<string, string>> {
  const ts = String(Date.now());
  const nonce = b64url(crypto.getRandomValues(new Uint8Array(18)).buffer as ArrayBuffer);
  const bodyHash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', body as BufferSource))].map((x) => x.toString(16).padStart(2, '0')).join('');
  const key = await crypto.subtle.importKey('raw', fromB64url(d.secret) as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`POST\n${path}\n${ts}\n${nonce}\n${bodyHash}`));
  return { 'x-jisr-device': d.deviceId, 'x-jisr-ts': ts, 'x-jisr-nonce': nonce, 'x-jisr-sig': b64url(sig) };
}

function httpTransport(): Transport {
  const key = readWebKey();
  const office = isOfficeNetwork();
  return async (method, input, session) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key) headers['x-jisr-key'] = key;
    if (session) headers.authorization = `Bearer ${session}`;
    const body = JSON.stringify({ method, input });
    if (office) {
      const d = readDevice();
      if (!d) return { ok: false, error: { code: 'network.unpaired' } };
      Object.assign(headers, await deviceHeaders(d, '/api/call', new TextEncoder().encode(body)));
    }
    let res: Response;
    try {
      res = await fetch('./api/call', { method: 'POST', headers, body });
    } catch {
      // The office's main PC off or out of reach: said plainly; the screen keeps what was typed.
      return { ok: false, error: { code: office ? 'network.main_pc_unreachable' : 'ui.network' } };
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

/** This installation: it holds the office's data ('local'), or it is a workstation of the main PC ('client'). */
export interface MainPcStatus {
  mode: 'local' | 'client';
  address: string | null;
  fingerprint: string | null;
  name: string | null;
}
export type MainPcRequest =
  | { action: 'status' }
  | { action: 'probe'; address: string }
  | { action: 'pair'; address: string; fingerprint: string; code: string; name: string }
  | { action: 'forget' };

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
    throw this.refused(result.error, opts);
  }

  /**
   * A refusal from the backend (a call's, or the live refresh's event stream's): a workstation no longer paired
   * and a lost session are announced (the pairing screen, the login screen) as for any call. Returns the error.
   */
  refused(payload: ErrorPayload, opts: { silent?: boolean } = {}): ApiError {
    const err = new ApiError(payload);
    if (err.code === 'network.device_revoked' || err.code === 'network.unpaired') {
      // This workstation is no longer paired: its credential is forgotten, the pairing screen comes back.
      if (readDevice()) localStorage.removeItem(DEVICE_STORAGE);
      for (const l of this.deviceListeners) l(err);
    }
    if (!opts.silent && (err.code === 'auth.session_expired' || (err.code === 'auth.login_required' && this.session))) {
      this.setSession(null);
      for (const l of this.sessionListeners) l(err);
    }
    return err;
  }

  get sessionToken(): string | null {
    return this.session;
  }

  setSession(token: string | null) {
    const changed = token !== this.session;
    this.session = token;
    if (token) sessionStorage.setItem(SESSION_STORAGE, token);
    else sessionStorage.removeItem(SESSION_STORAGE);
    if (changed) for (const l of this.sessionChangeListeners) l();
  }

  private sessionChangeListeners = new Set<() => void>();
  /** Called when the session changes (login, logout, lost): the live refresh's stream reopens with the new one. */
  onSessionChanged(l: () => void): () => void {
    this.sessionChangeListeners.add(l);
    return () => this.sessionChangeListeners.delete(l);
  }

  /**
   * Opens the live refresh's event stream (POST /api/events; src-main/web/events.ts) with the same credentials as a
   * call — the bridge's key and the session in headers, the device's signature on the office network — or null
   * where there is none (the window: its changes come by the slow poll of lib/live.ts). The caller reads the body.
   */
  async openEvents(after: number | null, signal: AbortSignal): Promise<Response | null> {
    if (this.kind !== 'http' || !this.session) return null;
    const body = JSON.stringify({ after });
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${this.session}` };
    if (this.key) headers['x-jisr-key'] = this.key;
    if (isOfficeNetwork()) {
      const d = readDevice();
      if (!d) return null;
      Object.assign(headers, await deviceHeaders(d, '/api/events', new TextEncoder().encode(body)));
    }
    return fetch('./api/events', { method: 'POST', headers, body, signal, cache: 'no-store' });
  }

  /** True when this installation is a workstation of the office's main PC (set at boot from `mainPc({action:'status'})`). */
  workstation = false;

  private deviceListeners = new Set<Listener>();
  /** Called when the main PC says this workstation is not (or no longer) paired. */
  onDeviceLost(l: Listener): () => void {
    this.deviceListeners.add(l);
    return () => this.deviceListeners.delete(l);
  }

  /** Pairs this browser with the office's main PC (the code the administrator shows); keeps the credential. */
  async pair(code: string, name: string): Promise<DeviceCredential> {
    let res: Response;
    try {
      res = await fetch('./pair', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name }) });
    } catch {
      throw new ApiError({ code: 'network.main_pc_unreachable' });
    }
    const r = (await res.json()) as Result<{ deviceId: string; secret: string; fingerprint: string }>;
    if (!r.ok) throw new ApiError(r.error);
    const d: DeviceCredential = { ...r.value, name };
    localStorage.setItem(DEVICE_STORAGE, JSON.stringify(d));
    return d;
  }

  /**
   * The office's main PC, asked of the host (the window's main process, or the loopback web bridge): whether this
   * installation is a workstation of it, and at first run the certificate's fingerprint (probe) and the pairing.
   */
  async mainPc(request: { action: 'status' } | { action: 'forget' } | { action: 'pair'; address: string; fingerprint: string; code: string; name: string }): Promise<MainPcStatus>;
  async mainPc(request: { action: 'probe'; address: string }): Promise<{ address: string; fingerprint: string }>;
  async mainPc(request: MainPcRequest): Promise<unknown> {
    let r: Result<unknown>;
    if (window.jisr) r = await window.jisr.mainPc(request);
    else if (isOfficeNetwork()) r = { ok: true, value: { mode: 'local', address: null, fingerprint: null, name: null } };
    else {
      try {
        const res = await fetch('./api/main-pc', { method: 'POST', headers: { 'content-type': 'application/json', ...(this.key ? { 'x-jisr-key': this.key } : {}) }, body: JSON.stringify(request) });
        r = (await res.json()) as Result<unknown>;
      } catch {
        r = { ok: false, error: { code: 'ui.network' } };
      }
    }
    if (!r.ok) throw new ApiError(r.error);
    return r.value;
  }

  /** Called when the backend says the session is gone (expired, account deactivated). */
  onSessionLost(l: Listener): () => void {
    this.sessionListeners.add(l);
    return () => this.sessionListeners.delete(l);
  }

  /**
   * URL of a file produced by a method (in a browser). Where the file is fetched with the session — the office
   * network, and the bridge of a workstation (which fetches it from the main PC) — the address carries a single-use
   * ticket of a minute asked for by a call with the session in its headers, never the session itself.
   */
  async fileUrl(fileId: string, inline = false): Promise<string> {
    const id = encodeURIComponent(fileId);
    const tail = inline ? '&inline=1' : '';
    const office = isOfficeNetwork();
    if (!office && !(this.session && this.workstation)) return `./api/files/${id}?k=${encodeURIComponent(this.key ?? '')}${tail}`;
    const body = JSON.stringify({ fileId });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.key) headers['x-jisr-key'] = this.key;
    if (this.session) headers.authorization = `Bearer ${this.session}`;
    if (office) {
      const d = readDevice();
      if (!d) throw new ApiError({ code: 'network.unpaired' });
      Object.assign(headers, await deviceHeaders(d, '/api/file-ticket', new TextEncoder().encode(body)));
    }
    let r: Result<{ ticket: string }>;
    try {
      r = (await (await fetch('./api/file-ticket', { method: 'POST', headers, body })).json()) as Result<{ ticket: string }>;
    } catch {
      throw new ApiError({ code: office ? 'network.main_pc_unreachable' : 'ui.network' });
    }
    if (!r.ok) throw new ApiError(r.error);
    const t = `t=${encodeURIComponent(r.value.ticket)}`;
    return office ? `./api/files/${id}?${t}${tail}` : `./api/files/${id}?k=${encodeURIComponent(this.key ?? '')}&${t}${tail}`;
  }

  /**
   * Saves a produced file: the system's Save dialog in Electron (removable drives offered first), a download
   * through the session in a browser. Says what happened: `saved`, `cancelled` (the dialog closed) or `downloaded`.
   */
  async saveFile(fileId: string, name?: string): Promise<'saved' | 'cancelled' | 'downloaded'> {
    if (window.jisr) {
      const r = await window.jisr.saveFile(fileId, this.session ?? undefined);
      if (!r.ok) throw new ApiError(r.error);
      return r.value.savedTo ? 'saved' : 'cancelled';
    }
    const a = document.createElement('a');
    a.href = await this.fileUrl(fileId);
    if (name) a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    return 'downloaded';
  }

  /** Opens a produced file for viewing or printing (system viewer in Electron, a new tab in a browser). */
  async openFile(fileId: string): Promise<void> {
    if (window.jisr) {
      const r = await window.jisr.openFile(fileId, this.session ?? undefined);
      if (!r.ok) throw new ApiError(r.error);
      return;
    }
    window.open(await this.fileUrl(fileId, true), '_blank', 'noopener');
  }

  /**
   * Prints a produced PDF: the system's print dialog in the window; in a browser the PDF is loaded in a hidden
   * frame of the page and the browser's print dialog opened on it.
   */
  async printFile(fileId: string): Promise<void> {
    if (window.jisr) {
      const r = await window.jisr.printFile(fileId, this.session ?? undefined);
      if (!r.ok) throw new ApiError(r.error);
      return;
    }
    document.querySelectorAll('iframe[data-print-frame]').forEach((f) => f.remove());
    const src = await this.fileUrl(fileId, true);
    const fallback = await this.fileUrl(fileId, true).catch(() => src);
    const frame = document.createElement('iframe');
    frame.dataset.printFrame = fileId;
    frame.title = 'print';
    frame.setAttribute('aria-hidden', 'true');
    frame.style.cssText = 'position:fixed;inset-inline-start:-10000px;width:800px;height:600px;border:0;';
    frame.addEventListener('load', () => {
      try {
        frame.contentWindow?.focus();
        frame.contentWindow?.print();
      } catch {
        // The browser refused to print from the frame: the PDF opens in a tab, where its viewer prints.
        window.open(fallback, '_blank', 'noopener');
      }
    });
    frame.src = src;
    document.body.appendChild(frame);
  }

  /** The system's folder dialog in the window (removable drives first); null in a browser, which uses the folder browser. */
  async pickFolder(): Promise<{ folder: string | null } | null> {
    if (!window.jisr) return null;
    const r = await window.jisr.pickFolder();
    if (!r.ok) throw new ApiError(r.error);
    return r.value;
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
    let body: Blob | Uint8Array = file;
    if (isOfficeNetwork()) {
      const d = readDevice();
      if (!d) throw new ApiError({ code: 'network.unpaired' });
      body = new Uint8Array(await file.arrayBuffer());
      Object.assign(headers, await deviceHeaders(d, '/api/upload', body));
    }
    let res: Response;
    try {
      res = await fetch('./api/upload', { method: 'POST', headers, body: body as BodyInit });
    } catch {
      throw new ApiError({ code: isOfficeNetwork() ? 'network.main_pc_unreachable' : 'ui.network' });
    }
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
