// The window's security settings, checked without Electron: the host code takes Electron's
// objects as parameters, and these tests pass recording fakes.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CSP } from '../../src-main/shared/csp';
import { CSP as WEB_CSP } from '../../src-main/web/server';
import { BRIDGE_KEYS } from '../../src-main/shared/api/bridge';
import { Outbox } from '../../src-main/core/files/outbox';
import type { Core } from '../../src-main/core/core';
import { translateError } from '../../src-main/shared/i18n/translate-error';
import {
  APP_URL,
  createMainWindowOptions,
  guardWebContents,
  installSecurityHandlers,
  isAppUrl,
  type SessionLike,
  type WebContentsLike,
} from '../../src-main/host/security';
import { createAppProtocolHandler } from '../../src-main/host/protocol';
import { registerIpc, isTrustedSender, type IpcEventLike, type IpcMainLike } from '../../src-main/host/ipc';
import { buildPreloadApi } from '../../src-main/preload/api';
import { IPC_CHANNELS } from '../../src-main/preload/channels';

// ---------- recording fakes ----------

function fakeSession() {
  const rec: {
    beforeRequest?: Parameters<SessionLike['webRequest']['onBeforeRequest']>[0];
    headersReceived?: Parameters<SessionLike['webRequest']['onHeadersReceived']>[0];
    permissionRequest?: Parameters<SessionLike['setPermissionRequestHandler']>[0];
    permissionCheck?: Parameters<SessionLike['setPermissionCheckHandler']>[0];
    deviceCheck?: (d: unknown) => boolean;
  } = {};
  const session: SessionLike = {
    webRequest: {
      onBeforeRequest: (l) => void (rec.beforeRequest = l),
      onHeadersReceived: (l) => void (rec.headersReceived = l),
    },
    setPermissionRequestHandler: (h) => void (rec.permissionRequest = h),
    setPermissionCheckHandler: (h) => void (rec.permissionCheck = h),
    setDevicePermissionHandler: (h) => void (rec.deviceCheck = h),
  };
  return { session, rec };
}

type Listener = (...args: any[]) => void;
function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const contents = {
    on(event: string, l: Listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), l]);
      return contents;
    },
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      openHandler = h;
    },
  };
  /** Emits like Electron 45: an event object carrying `url`, plus the (deprecated) url argument. */
  const emit = (event: string, url?: string, legacyArg = true) => {
    const e = { url, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    for (const l of listeners.get(event) ?? []) (legacyArg ? l(e, url) : l(e));
    return e.defaultPrevented;
  };
  return { contents: contents as unknown as WebContentsLike, emit, listeners, windowOpen: (url: string) => openHandler!({ url }) };
}

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name, values] as [string, string[]];
      }),
  );
}

// ---------- window options ----------

describe('main window options', () => {
  it('isolate and sandbox the renderer, without Node, with web security and no webview', () => {
    const o = createMainWindowOptions('/app/dist-electron/preload.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/app/dist-electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    });
    expect(o.show).toBe(false);
  });

  it('enable DevTools only when asked (development), never by default', () => {
    expect(createMainWindowOptions('p').webPreferences.devTools).toBe(false);
    expect(createMainWindowOptions('p', { devTools: false }).webPreferences.devTools).toBe(false);
    expect(createMainWindowOptions('p', { devTools: true }).webPreferences.devTools).toBe(true);
  });
});

// ---------- CSP ----------

describe('content security policy', () => {
  const d = directives(CSP);

  it('is the one the web bridge serves', () => {
    expect(WEB_CSP).toBe(CSP);
  });

  it('allows scripts from the app only: no eval, no inline script, no remote origin', () => {
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(CSP).not.toMatch(/unsafe-eval|wasm-unsafe-eval|strict-dynamic/);
    for (const [name, values] of d) {
      for (const v of values) {
        expect(v, `${name} ${v}`).not.toMatch(/^(\*|https?:|wss?:|ftp:|file:|\*\.)/);
        expect(v, `${name} ${v}`).not.toMatch(/\.[a-z]{2,}(:\d+)?$/i); // no host names
      }
    }
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('forbids plugins, framing, base rewriting and form posts', () => {
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
  });
});

// ---------- session and navigation ----------

describe('installSecurityHandlers', () => {
  const setup = (devTools = false) => {
    const s = fakeSession();
    const c = fakeContents();
    const warnings: string[] = [];
    installSecurityHandlers(s.session, c.contents, { devTools, log: { warn: (m) => warnings.push(m) } });
    return { ...s, ...c, warnings };
  };

  it('sets the CSP on every response, replacing one a response brought', () => {
    const { rec } = setup();
    let out: { responseHeaders?: Record<string, string[] | string> } | undefined;
    rec.headersReceived!(
      { url: 'https://example.org/', responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } },
      (r) => void (out = r),
    );
    const h = out!.responseHeaders!;
    const csp = Object.entries(h).filter(([k]) => k.toLowerCase() === 'content-security-policy');
    expect(csp).toEqual([['Content-Security-Policy', [CSP]]]);
    expect(h['Content-Type']).toEqual(['text/html']);
    expect(h['X-Content-Type-Options']).toEqual(['nosniff']);

    rec.headersReceived!({ url: 'jisr://app/index.html' }, (r) => void (out = r));
    expect(out!.responseHeaders!['Content-Security-Policy']).toEqual([CSP]);
  });

  it('cancels every request that is not the app: no remote content, no local files', () => {
    const { rec, warnings } = setup();
    const cancelled = (url: string) => {
      let r: { cancel?: boolean } | undefined;
      rec.beforeRequest!({ url }, (x) => void (r = x));
      return r!.cancel;
    };
    expect(cancelled('jisr://app/index.html')).toBe(false);
    expect(cancelled('jisr://app/assets/index-abc.js')).toBe(false);
    expect(cancelled('data:image/png;base64,iVBORw0KGgo=')).toBe(false);
    expect(cancelled('blob:jisr://app/0b6f')).toBe(false);
    expect(cancelled('https://fonts.googleapis.com/css')).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/api/call')).toBe(true);
    expect(cancelled('file:///C:/Windows/win.ini')).toBe(true);
    expect(cancelled('wss://example.org/socket')).toBe(true);
    expect(cancelled('jisr://other-host/index.html')).toBe(true);
    expect(cancelled('devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(cancelled('not a url')).toBe(true);
    expect(warnings.filter((w) => w === 'blocked request').length).toBe(7);
  });

  it('lets DevTools load its own pages only in development', () => {
    const { rec } = setup(true);
    let r: { cancel?: boolean } | undefined;
    rec.beforeRequest!({ url: 'devtools://devtools/bundled/inspector.html' }, (x) => void (r = x));
    expect(r!.cancel).toBe(false);
    rec.beforeRequest!({ url: 'https://example.org/' }, (x) => void (r = x));
    expect(r!.cancel).toBe(true);
  });

  it('prevents navigation and redirects to another origin, allows the app’s own routes', () => {
    const { emit } = setup();
    expect(emit('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(emit('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(emit('will-navigate', 'jisr://evil/index.html')).toBe(true);
    expect(emit('will-navigate', 'jisr://user:pw@app/index.html')).toBe(true);
    expect(emit('will-navigate', undefined)).toBe(true);
    expect(emit('will-navigate', 'jisr://app/index.html#/applicants')).toBe(false);
    // Electron 45 passes the URL on the event; the positional argument is deprecated.
    expect(emit('will-navigate', 'https://evil.example/', false)).toBe(true);
    expect(emit('will-navigate', 'jisr://app/index.html', false)).toBe(false);
    expect(emit('will-redirect', 'https://evil.example/')).toBe(true);
    expect(emit('will-redirect', 'jisr://app/index.html')).toBe(false);
  });

  it('denies every new window, the app’s own URL included, and every <webview>', () => {
    const { windowOpen, emit } = setup();
    expect(windowOpen('https://example.org/')).toEqual({ action: 'deny' });
    expect(windowOpen('jisr://app/index.html')).toEqual({ action: 'deny' });
    expect(windowOpen('file:///C:/')).toEqual({ action: 'deny' });
    expect(emit('will-attach-webview')).toBe(true);
  });

  it('refuses every permission request and check', () => {
    const { rec } = setup();
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'usb', 'openExternal', 'fullscreen']) {
      const cb = vi.fn();
      rec.permissionRequest!({}, p, cb, {});
      expect(cb).toHaveBeenCalledWith(false);
      expect(rec.permissionCheck!({}, p, 'jisr://app', {})).toBe(false);
    }
    expect(rec.deviceCheck!({ deviceType: 'usb' })).toBe(false);
  });

  it('guards a WebContents once, however many times it is asked', () => {
    const c = fakeContents();
    guardWebContents(c.contents);
    guardWebContents(c.contents);
    expect(c.listeners.get('will-navigate')).toHaveLength(1);
  });

  it('recognises the app URL strictly', () => {
    expect(isAppUrl(APP_URL)).toBe(true);
    expect(isAppUrl('jisr://app')).toBe(true);
    expect(isAppUrl('jisr://app.evil/')).toBe(false);
    // Chromium canonicalises jisr://app URLs to lower case before Electron reports them; a host that
    // is not exactly 'app' is refused (fail closed).
    expect(isAppUrl('jisr://APP/index.html')).toBe(false);
    expect(isAppUrl('https://app/')).toBe(false);
    expect(isAppUrl('')).toBe(false);
    expect(isAppUrl(null)).toBe(false);
  });
});

// ---------- the jisr:// protocol ----------

describe('jisr:// protocol handler', () => {
  let dir: string;
  let root: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jisr-proto-'));
    root = join(dir, 'renderer');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const get = (url: string, method = 'GET') => createAppProtocolHandler(root)(new Request(url, { method }));

  it('serves the renderer with the CSP header', async () => {
    const r = await get('jisr://app/index.html');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.headers.get('content-security-policy')).toBe(CSP);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await r.text()).toContain('id="root"');
    const js = await get('jisr://app/assets/app.js');
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('content-security-policy')).toBe(CSP);
  });

  it('answers client-side routes with index.html and a missing asset with 404', async () => {
    expect(await (await get('jisr://app/applicants/42')).text()).toContain('id="root"');
    expect((await get('jisr://app/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside the renderer folder', async () => {
    const escaped = await get('jisr://app/..%2f..%2fsecret.txt');
    expect(escaped.status).toBe(403);
    const dotted = await get('jisr://app/../secret.txt'); // the URL parser already drops the ..
    expect(await dotted.text()).not.toContain('secret');
    expect((await get('jisr://app/%2e%2e/secret.txt')).status).not.toBe(200);
  });

  it('serves only GET/HEAD on its own host', async () => {
    expect((await get('jisr://other/index.html')).status).toBe(404);
    expect((await get('jisr://app/index.html', 'POST')).status).toBe(405);
    const head = await get('jisr://app/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

// ---------- the preload ----------

describe('preload bridge', () => {
  function recordingIpc(answer: (channel: string, args: unknown[]) => unknown = () => ({ ok: true, value: 'v' })) {
    const calls: { channel: string; args: unknown[] }[] = [];
    return {
      calls,
      ipc: {
        invoke: async (channel: string, ...args: unknown[]) => {
          calls.push({ channel, args });
          return answer(channel, args);
        },
      },
    };
  }

  it('exposes exactly the bridge methods, frozen, and no way to IPC', () => {
    const { ipc } = recordingIpc();
    const api = buildPreloadApi(ipc);
    expect(Object.getOwnPropertyNames(api)).toEqual([...BRIDGE_KEYS]);
    expect(Object.getOwnPropertySymbols(api)).toEqual([]);
    expect(Object.isFrozen(api)).toBe(true);
    for (const k of BRIDGE_KEYS) expect(typeof api[k]).toBe('function');
    expect('invoke' in api || 'send' in api || 'ipcRenderer' in api || 'on' in api).toBe(false);
  });

  it('refuses method names outside the contract without sending anything', async () => {
    const { ipc, calls } = recordingIpc();
    const api = buildPreloadApi(ipc);
    for (const bad of ['nope.method', 'constructor', '__proto__', 'toString', '', 42 as unknown as string]) {
      const r = await api.call(bad, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'api.unknown_method' } });
    }
    expect(await api.call('system.status', {}, 7 as unknown as string)).toMatchObject({ ok: false, error: { code: 'desktop.bad_request' } });
    expect(await api.openFile('../../etc/passwd')).toMatchObject({ ok: false, error: { code: 'file.not_found' } });
    expect(await api.saveFile({} as unknown as string)).toMatchObject({ ok: false, error: { code: 'file.not_found' } });
    expect(await api.pickFiles('x' as never, false)).toMatchObject({ ok: false, error: { code: 'desktop.bad_request' } });
    expect(await api.uploadFile('x.csv', 'AB' as never, 'tok')).toMatchObject({ ok: false, error: { code: 'desktop.bad_request' } });
    expect(await api.uploadFile('', new Uint8Array(1), 'tok')).toMatchObject({ ok: false, error: { code: 'desktop.bad_request' } });
    expect(await api.uploadFile('x.csv', new Uint8Array(1), 5 as never)).toMatchObject({ ok: false, error: { code: 'desktop.bad_request' } });
    expect(calls).toEqual([]);
  });

  it('sends contract calls on their own channel and returns the main process’s Result', async () => {
    const { ipc, calls } = recordingIpc();
    const api = buildPreloadApi(ipc);
    expect(await api.call('system.status', { a: 1 }, 'tok')).toEqual({ ok: true, value: 'v' });
    await api.openFile('abc_DEF-123');
    await api.saveFile('abc', 'tok');
    await api.pickFiles([{ name: 'Excel', extensions: ['xlsx'] }], true, 'tok');
    await api.uploadFile('liste.csv', new Uint8Array([65, 66]), 'tok');
    await api.mainPc({ action: 'status' });
    expect(await api.mainPc('status' as never)).toMatchObject({ ok: false, error: { code: 'desktop.bad_request' } });
    expect(calls).toEqual([
      { channel: IPC_CHANNELS.call, args: ['system.status', { a: 1 }, 'tok'] },
      { channel: IPC_CHANNELS.openFile, args: ['abc_DEF-123', undefined] },
      { channel: IPC_CHANNELS.saveFile, args: ['abc', 'tok'] },
      { channel: IPC_CHANNELS.pickFiles, args: [[{ name: 'Excel', extensions: ['xlsx'] }], true, 'tok'] },
      { channel: IPC_CHANNELS.uploadFile, args: ['liste.csv', new Uint8Array([65, 66]), 'tok'] },
      { channel: IPC_CHANNELS.mainPc, args: [{ action: 'status' }] },
    ]);
  });

  it('turns a failed or malformed IPC answer into a Result, never a rejection', async () => {
    const failing = buildPreloadApi({ invoke: async () => Promise.reject(new Error('main process gone')) });
    expect(await failing.call('system.status', {})).toEqual({ ok: false, error: { code: 'desktop.ipc_failed', params: {} } });
    const odd = buildPreloadApi({ invoke: async () => 'not a result' });
    expect(await odd.saveFile('abc')).toMatchObject({ ok: false, error: { code: 'desktop.ipc_failed' } });
  });

  it('preload.ts puts the bridge on window.jisr and nothing else', async () => {
    vi.resetModules();
    const exposed: [string, unknown][] = [];
    const ipcRenderer = { invoke: vi.fn(async () => ({ ok: true, value: null })), send: vi.fn(), on: vi.fn() };
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
      ipcRenderer,
    }));
    await import('../../src-main/preload/preload');
    vi.doUnmock('electron');
    expect(exposed.map(([k]) => k)).toEqual(['jisr']);
    const api = exposed[0][1] as Record<string, unknown>;
    expect(Object.keys(api)).toEqual([...BRIDGE_KEYS]);
    expect(Object.values(api)).not.toContain(ipcRenderer);
    expect(Object.values(api)).not.toContain(ipcRenderer.invoke);
  });
});

// ---------- the IPC door ----------

describe('registerIpc', () => {
  let dir: string;
  let outbox: Outbox;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jisr-ipc-'));
    outbox = new Outbox(join(dir, 'outbox'));
  });
  afterAll(() => {
    outbox.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const appFrame: IpcEventLike = { senderFrame: { url: 'jisr://app/index.html#/applicants', parent: null } };

  function setup(
    opts: {
      core?: Partial<Pick<Core, 'call'>>;
      savePath?: string | null;
      openPaths?: string[];
      maxUploadBytes?: number;
      folderRoots?: () => { kind: string; path: string }[];
      printPdf?: (path: string) => Promise<string>;
    } = {},
  ) {
    const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();
    const removed: string[] = [];
    const ipcMain: IpcMainLike = {
      handle: (ch, l) => void handlers.set(ch, l),
      removeHandler: (ch) => void removed.push(ch),
    };
    const coreCalls: unknown[][] = [];
    const core = {
      call: opts.core?.call ?? (async (...args: unknown[]) => (coreCalls.push(args), { ok: true, value: { called: args[0] } })),
      outbox,
    } as unknown as Pick<Core, 'call' | 'outbox'>;
    const opened: string[] = [];
    const dialogs: unknown[] = [];
    const errors: unknown[] = [];
    const unregister = registerIpc<string>(ipcMain, {
      core,
      getWindow: () => 'the-window',
      documentsDir: join(dir, 'Documents'),
      logger: { info() {}, warn() {}, error: (m, d) => void errors.push([m, d]) },
      maxUploadBytes: opts.maxUploadBytes,
      folderRoots: opts.folderRoots,
      printPdf: opts.printPdf,
      shell: { openPath: async (p) => (opened.push(p), '') },
      dialog: {
        showSaveDialog: async (w, o) => {
          dialogs.push(['save', w, o]);
          return opts.savePath === null ? { canceled: true } : { canceled: false, filePath: opts.savePath };
        },
        showOpenDialog: async (w, o) => {
          dialogs.push(['open', w, o]);
          return opts.openPaths ? { canceled: false, filePaths: opts.openPaths } : { canceled: true, filePaths: [] };
        },
      },
    });
    const invoke = (channel: string, event: IpcEventLike, ...args: unknown[]) => handlers.get(channel)!(event, ...args);
    return { handlers, removed, unregister, coreCalls, opened, dialogs, errors, invoke };
  }

  it('registers one handler per bridge method and removes them all', () => {
    const s = setup();
    expect([...s.handlers.keys()].sort()).toEqual(Object.values(IPC_CHANNELS).sort());
    s.unregister();
    expect(s.removed.sort()).toEqual(Object.values(IPC_CHANNELS).sort());
  });

  it('refuses every call from a foreign frame, a sub-frame or a destroyed frame', async () => {
    const s = setup();
    const foreign: IpcEventLike[] = [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'file:///C:/x.html', parent: null } },
      { senderFrame: { url: 'jisr://app/index.html', parent: { url: 'jisr://app/' } } },
      { senderFrame: { url: 'jisr://evil/index.html', parent: null } },
      { senderFrame: null },
      {},
    ];
    for (const ev of foreign) {
      expect(isTrustedSender(ev)).toBe(false);
      for (const ch of Object.values(IPC_CHANNELS)) {
        expect(await s.invoke(ch, ev, 'system.status', {})).toEqual({ ok: false, error: { code: 'desktop.forbidden_sender', params: {} } });
      }
    }
    expect(s.coreCalls).toEqual([]);
    expect(s.dialogs).toEqual([]);
    expect(s.opened).toEqual([]);
    expect(translateError({ code: 'desktop.forbidden_sender' }, 'fr')).toMatch(/refusée/);
    expect(translateError({ code: 'desktop.forbidden_sender' }, 'ar')).toMatch(/مرفوض/);
  });

  it('passes contract calls from the app frame to the core with the session token only', async () => {
    const s = setup();
    expect(await s.invoke(IPC_CHANNELS.call, appFrame, 'system.status', { x: 1 }, 'tok')).toEqual({ ok: true, value: { called: 'system.status' } });
    expect(s.coreCalls).toEqual([['system.status', { x: 1 }, { token: 'tok' }]]);
    expect(await s.invoke(IPC_CHANNELS.call, appFrame, 'nope.nope', {})).toMatchObject({ ok: false, error: { code: 'api.unknown_method' } });
    expect(await s.invoke(IPC_CHANNELS.call, appFrame, 'system.status', {}, { kind: 'cli' })).toMatchObject({ ok: false, error: { code: 'desktop.bad_request' } });
    expect(s.coreCalls).toHaveLength(1);
  });

  it('never throws across IPC: an unexpected error becomes internal.unexpected with a reference', async () => {
    const s = setup({ core: { call: async () => Promise.reject(new Error('boom')) } });
    const r = (await s.invoke(IPC_CHANNELS.call, appFrame, 'system.status', {})) as { ok: false; error: { code: string; params: { ref: string } } };
    expect(r.ok).toBe(false);
    expect(r.error.code).toBe('internal.unexpected');
    expect(r.error.params.ref).toMatch(/^[0-9a-f]{12}$/);
    expect(JSON.stringify(s.errors)).toContain('boom');
  });

  it('opens produced documents in the system viewer, refuses other file types and unknown ids', async () => {
    const s = setup();
    const pdf = outbox.put('attestation.pdf', 'application/pdf', Buffer.from('%PDF-1.7'));
    const exe = outbox.put('tool.exe', 'application/octet-stream', Buffer.from('MZ'));
    expect(await s.invoke(IPC_CHANNELS.openFile, appFrame, pdf.id)).toEqual({ ok: true, value: { opened: true } });
    expect(s.opened).toEqual([pdf.path]);
    expect(await s.invoke(IPC_CHANNELS.openFile, appFrame, exe.id)).toMatchObject({ ok: false, error: { code: 'desktop.cannot_open_type', params: { ext: '.exe' } } });
    expect(await s.invoke(IPC_CHANNELS.openFile, appFrame, 'unknownid')).toMatchObject({ ok: false, error: { code: 'file.not_found' } });
    expect(await s.invoke(IPC_CHANNELS.openFile, appFrame, '../../x')).toMatchObject({ ok: false, error: { code: 'file.not_found' } });
    expect(s.opened).toEqual([pdf.path]);
  });

  it('prints a produced PDF with the print dialog (only a PDF, only a known id)', async () => {
    const printed: string[] = [];
    const s = setup({ printPdf: async (p) => (printed.push(p), '') });
    const pdf = outbox.put('attestation.pdf', 'application/pdf', Buffer.from('%PDF-1.7'));
    const xlsx = outbox.put('liste.xlsx', 'application/octet-stream', Buffer.from('PK'));
    expect(await s.invoke(IPC_CHANNELS.printFile, appFrame, pdf.id)).toEqual({ ok: true, value: { printed: true } });
    expect(printed).toEqual([pdf.path]);
    expect(await s.invoke(IPC_CHANNELS.printFile, appFrame, xlsx.id)).toMatchObject({ ok: false, error: { code: 'desktop.cannot_open_type' } });
    expect(await s.invoke(IPC_CHANNELS.printFile, appFrame, '../x')).toMatchObject({ ok: false, error: { code: 'file.not_found' } });
    const failing = setup({ printPdf: async () => 'no printer' });
    expect(await failing.invoke(IPC_CHANNELS.printFile, appFrame, pdf.id)).toMatchObject({ ok: false, error: { code: 'desktop.open_failed', params: { detail: 'no printer' } } });
  });

  it('offers a plugged-in removable drive first in the Save and folder dialogs', async () => {
    const f = outbox.put('jisr-errachidia-000001.jisrx', 'application/octet-stream', Buffer.from('x'));
    const stick = join(dir, 'media', 'KINGSTON');
    const roots = () => [
      { kind: 'removable', path: stick },
      { kind: 'home', path: join(dir, 'home') },
    ];
    const s = setup({ savePath: null, folderRoots: roots, openPaths: [join(dir, 'chosen-folder')] });
    await s.invoke(IPC_CHANNELS.saveFile, appFrame, f.id);
    expect(s.dialogs[0]).toMatchObject(['save', 'the-window', { defaultPath: join(stick, 'jisr-errachidia-000001.jisrx') }]);
    expect(await s.invoke(IPC_CHANNELS.pickFolder, appFrame)).toEqual({ ok: true, value: { folder: join(dir, 'chosen-folder') } });
    expect(s.dialogs[1]).toEqual(['open', 'the-window', { properties: ['openDirectory', 'createDirectory'], defaultPath: stick }]);
    const cancelled = setup({});
    expect(await cancelled.invoke(IPC_CHANNELS.pickFolder, appFrame)).toEqual({ ok: true, value: { folder: null } });
  });

  it('saves a produced file where the user chooses, or nothing when cancelled', async () => {
    const target = join(dir, 'chosen.xlsx');
    const f = outbox.put('rapport.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', Buffer.from('PK-data'));
    const s = setup({ savePath: target });
    expect(await s.invoke(IPC_CHANNELS.saveFile, appFrame, f.id)).toEqual({ ok: true, value: { savedTo: target } });
    expect(readFileSync(target, 'utf8')).toBe('PK-data');
    expect(s.dialogs[0]).toEqual(['save', 'the-window', { defaultPath: join(dir, 'Documents', 'rapport.xlsx'), filters: [{ name: 'XLSX', extensions: ['xlsx'] }] }]);
    const cancelled = setup({ savePath: null });
    expect(await cancelled.invoke(IPC_CHANNELS.saveFile, appFrame, f.id)).toEqual({ ok: true, value: { savedTo: null } });
    const bad = setup({ savePath: join(dir, 'no-such-dir', 'x.xlsx') });
    expect(await bad.invoke(IPC_CHANNELS.saveFile, appFrame, f.id)).toMatchObject({ ok: false, error: { code: 'desktop.save_failed' } });
  });

  it('uploads picked files to the outbox and returns their upload ids', async () => {
    const a = join(dir, 'liste.xlsx');
    const b = join(dir, 'echange.jisr');
    writeFileSync(a, 'AAAA');
    writeFileSync(b, 'BB');
    const s = setup({ openPaths: [a, b] });
    const r = (await s.invoke(IPC_CHANNELS.pickFiles, appFrame, [{ name: 'Excel', extensions: ['xlsx'] }], true, 'tok')) as {
      ok: true;
      value: { uploadId: string; name: string; size: number }[];
    };
    expect(r.ok).toBe(true);
    expect(r.value.map((u) => [u.name, u.size])).toEqual([
      ['liste.xlsx', 4],
      ['echange.jisr', 2],
    ]);
    expect(readFileSync(outbox.get(r.value[0].uploadId)!.path, 'utf8')).toBe('AAAA');
    expect(s.dialogs[0]).toEqual(['open', 'the-window', { properties: ['openFile', 'multiSelections'], filters: [{ name: 'Excel', extensions: ['xlsx'] }] }]);

    const single = setup({ openPaths: [a, b] });
    const one = (await single.invoke(IPC_CHANNELS.pickFiles, appFrame, [], false, 'tok')) as { value: unknown[] };
    expect(one.value).toHaveLength(1);

    expect(await setup().invoke(IPC_CHANNELS.pickFiles, appFrame, [], true, 'tok')).toEqual({ ok: true, value: [] }); // cancelled
    expect(await setup({ openPaths: [a] }).invoke(IPC_CHANNELS.pickFiles, appFrame, [{ name: 'x', extensions: ['../*'] }], false, 'tok')).toMatchObject({
      ok: false,
      error: { code: 'desktop.bad_request' },
    });
    expect(await setup({ openPaths: [a], maxUploadBytes: 3 }).invoke(IPC_CHANNELS.pickFiles, appFrame, [], false, 'tok')).toMatchObject({
      ok: false,
      error: { code: 'desktop.file_too_large', params: { name: 'liste.xlsx' } },
    });
    expect(await setup({ openPaths: [join(dir, 'gone.xlsx')] }).invoke(IPC_CHANNELS.pickFiles, appFrame, [], false, 'tok')).toMatchObject({
      ok: false,
      error: { code: 'desktop.read_failed' },
    });
    expect(existsSync(a)).toBe(true);
  });

  it('reads files into the outbox only for a logged-in session: no dialog is shown otherwise', async () => {
    const a = join(dir, 'liste2.xlsx');
    writeFileSync(a, 'AAAA');
    const s = setup({ openPaths: [a] });
    expect(await s.invoke(IPC_CHANNELS.pickFiles, appFrame, [], false)).toMatchObject({ ok: false, error: { code: 'auth.login_required' } });
    expect(await s.invoke(IPC_CHANNELS.uploadFile, appFrame, 'a.csv', new Uint8Array([1]))).toMatchObject({ ok: false, error: { code: 'auth.login_required' } });
    expect(s.dialogs).toEqual([]);
    // An expired session: the core's answer to auth.me is passed on.
    const expired = setup({ openPaths: [a], core: { call: (async () => ({ ok: false, error: { code: 'auth.session_expired', params: {} } })) as never } });
    expect(await expired.invoke(IPC_CHANNELS.pickFiles, appFrame, [], false, 'old')).toMatchObject({ ok: false, error: { code: 'auth.session_expired' } });
    expect(await expired.invoke(IPC_CHANNELS.uploadFile, appFrame, 'a.csv', new Uint8Array([1]), 'old')).toMatchObject({ ok: false, error: { code: 'auth.session_expired' } });
    expect(expired.dialogs).toEqual([]);
  });

  it('uploads bytes the page holds (a dropped file) under their base name, within the size limit', async () => {
    const s = setup();
    const r = (await s.invoke(IPC_CHANNELS.uploadFile, appFrame, '..\\..\\evil/liste.csv', new Uint8Array([65, 66, 67]), 'tok')) as { ok: true; value: { uploadId: string; name: string; size: number } };
    expect(r).toMatchObject({ ok: true, value: { name: 'liste.csv', size: 3 } });
    expect(readFileSync(outbox.get(r.value.uploadId)!.path, 'utf8')).toBe('ABC');
    expect(s.coreCalls).toEqual([['auth.me', {}, { token: 'tok' }]]);
    expect(await setup({ maxUploadBytes: 2 }).invoke(IPC_CHANNELS.uploadFile, appFrame, 'big.csv', new Uint8Array(3), 'tok')).toMatchObject({
      ok: false,
      error: { code: 'desktop.file_too_large', params: { name: 'big.csv' } },
    });
    expect(await s.invoke(IPC_CHANNELS.uploadFile, appFrame, 'x.csv', 'not bytes', 'tok')).toMatchObject({ ok: false, error: { code: 'desktop.bad_request' } });
  });
});
