/**
 * The window's security settings, written against the few Electron methods they use so that
 * tests/unit/electron-security.test.ts can check them with recording fakes (Electron cannot run here).
 *
 * Where the renderer comes from: a privileged custom scheme, `jisr://app/`, served by protocol.ts
 * from dist/renderer. Chosen over file:// because
 *  - the page gets a real, single origin, so the CSP's 'self' means "the app" and not "any file on disk";
 *  - the handler only serves files inside dist/renderer (no path escapes), with the CSP header set on
 *    every response by us — Chromium does not run webRequest header hooks for file:// or custom schemes;
 *  - the file:// extra-privileges fuse can then be switched off in the packaged app (electron-builder.yml).
 */
import { CSP } from '../shared/csp';

export const APP_SCHEME = 'jisr';
export const APP_HOST = 'app';
/** The URL the window loads. */
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True for URLs of the app itself (jisr://app/...). Anything else is foreign. */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    // WHATWG gives custom schemes an opaque origin ("null"), so compare scheme and host.
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
  } catch {
    return false;
  }
}

export interface MainWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  autoHideMenuBar: boolean;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    experimentalFeatures: false;
    navigateOnDragDrop: false;
    safeDialogs: true;
    spellcheck: false;
    devTools: boolean;
  };
}

/** Options of the one BrowserWindow. DevTools only in development (never in the packaged app). */
export function createMainWindowOptions(preloadPath: string, opts: { devTools?: boolean } = {}): MainWindowOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 1000,
    minHeight: 640,
    show: false, // shown on ready-to-show, no white flash
    title: 'Jisr Desk',
    backgroundColor: '#ffffff',
    autoHideMenuBar: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: opts.devTools === true,
    },
  };
}

/** Schemes a page of the app may load anything from. Everything else (http, https, file, ws…) is cancelled. */
const LOADABLE = new Set([`${APP_SCHEME}:`, 'data:', 'blob:']);

export function isLoadableUrl(url: string, devTools: boolean): boolean {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return false;
  }
  if (protocol === `${APP_SCHEME}:`) return isAppUrl(url);
  if (LOADABLE.has(protocol)) return true;
  return devTools && (protocol === 'devtools:' || protocol === 'chrome-extension:');
}

/** Response headers every page of the app carries. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

type Headers = Record<string, string[] | string>;

/** Replaces any CSP the response carried (whatever its case) by ours. */
export function withSecurityHeaders(headers: Headers | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const ours = securityHeaders();
  const ourKeys = new Set(Object.keys(ours).map((k) => k.toLowerCase()));
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (ourKeys.has(k.toLowerCase())) continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  for (const [k, v] of Object.entries(ours)) out[k] = [v];
  return out;
}

/** The part of Electron's Session this module uses. */
export interface SessionLike {
  webRequest: {
    onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void): void;
    onHeadersReceived(
      listener: (
        details: { url: string; responseHeaders?: Record<string, string[]> },
        callback: (response: { cancel?: boolean; responseHeaders?: Record<string, string[] | string> }) => void,
      ) => void,
    ): void;
  };
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean): void;
  setDevicePermissionHandler?(handler: (details: unknown) => boolean): void;
}

interface NavEvent {
  preventDefault(): void;
  url?: string;
}

/** The part of Electron's WebContents this module uses. */
export interface WebContentsLike {
  on(event: 'will-navigate', listener: (event: NavEvent, url?: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: NavEvent, url?: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: NavEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
}

export interface SecurityLog {
  warn(msg: string, data?: Record<string, unknown>): void;
}

const noLog: SecurityLog = { warn() {} };

function shortUrl(url: string | undefined): string {
  return String(url ?? '').slice(0, 200);
}

/**
 * Guards one WebContents: no navigation away from the app (a link, a redirect, a script setting
 * location), no new windows (window.open, target=_blank — denied, not opened in a browser: the app
 * has nothing to show outside itself), no <webview>.
 */
const guarded = new WeakSet<object>();

export function guardWebContents(contents: WebContentsLike, log: SecurityLog = noLog): void {
  if (guarded.has(contents)) return; // idempotent: app-wide hook and window setup may both call it
  guarded.add(contents);
  const stayInApp = (kind: string) => (event: NavEvent, url?: string) => {
    const target = url ?? event.url;
    if (!isAppUrl(target)) {
      event.preventDefault();
      log.warn(`blocked ${kind}`, { url: shortUrl(target) });
    }
  };
  contents.on('will-navigate', stayInApp('navigation'));
  contents.on('will-redirect', stayInApp('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('blocked webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('blocked new window', { url: shortUrl(url) });
    return { action: 'deny' };
  });
}

/**
 * Installs the session-wide rules and guards the window's contents:
 *  - every request to anything but the app (http, https, file, ws…) is cancelled: no remote content;
 *  - every response that goes through the network stack gets our CSP (the jisr:// handler sets it too);
 *  - every permission request (camera, microphone, geolocation, notifications, USB, HID…) is refused.
 */
export function installSecurityHandlers(
  session: SessionLike,
  contents: WebContentsLike,
  opts: { devTools?: boolean; log?: SecurityLog } = {},
): void {
  const log = opts.log ?? noLog;
  const devTools = opts.devTools === true;
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isLoadableUrl(details.url, devTools);
    if (!allowed) log.warn('blocked request', { url: shortUrl(details.url) });
    callback({ cancel: !allowed });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders) });
  });
  session.setPermissionRequestHandler((_wc, permission, callback) => {
    log.warn('denied permission', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
  guardWebContents(contents, log);
}
