// The desktop shell's wiring (host/app.ts) with a recording stand-in for Electron: single instance,
// sandbox, the window's session hardened, the core on the chosen database, start-up failures shown
// in Arabic or French, the core closed before quitting; and the application menu.
import { EventEmitter } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startApp, type HostElectron } from '../../src-main/host/app';
import { buildMenuTemplate, menuLanguage } from '../../src-main/host/menu';
import { parseHostArgs } from '../../src-main/host/args';
import { createHostLogger } from '../../src-main/host/logger';
import { IPC_CHANNELS } from '../../src-main/preload/channels';
import { APP_URL } from '../../src-main/host/security';
import { useSqliteAddonByDefault } from '../../src-main/host/native';
import { setupOffice } from '../helpers/core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'jisr-app-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fakeElectron(opts: { lock?: boolean; appPath?: string; userData: string; locale?: string; isPackaged?: boolean }) {
  const calls: { ev: string; args: unknown[] }[] = [];
  const rec = (ev: string, ...args: unknown[]) => calls.push({ ev, args });
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  const permission: { request?: (...a: any[]) => void; check?: (...a: any[]) => boolean } = {};
  const session = {
    webRequest: { onBeforeRequest: () => rec('onBeforeRequest'), onHeadersReceived: () => rec('onHeadersReceived') },
    setPermissionRequestHandler: (h: any) => (permission.request = h),
    setPermissionCheckHandler: (h: any) => (permission.check = h),
    setDevicePermissionHandler: () => {},
  };
  const windows: FakeWindow[] = [];
  class FakeContents extends EventEmitter {
    session = session;
    openHandler?: (d: { url: string }) => unknown;
    setWindowOpenHandler(h: (d: { url: string }) => unknown) {
      this.openHandler = h;
    }
  }
  class FakeWindow extends EventEmitter {
    webContents = new FakeContents();
    options: any;
    url?: string;
    focused = 0;
    constructor(o: unknown) {
      super();
      this.options = o;
      windows.push(this);
    }
    async loadURL(u: string) {
      this.url = u;
    }
    show() {
      rec('show');
    }
    isMinimized() {
      return true;
    }
    restore() {
      rec('restore');
    }
    focus() {
      this.focused++;
    }
  }
  const app = Object.assign(new EventEmitter(), {
    isPackaged: opts.isPackaged ?? true,
    requestSingleInstanceLock: () => opts.lock ?? true,
    enableSandbox: () => rec('enableSandbox'),
    setAppUserModelId: () => {},
    getPath: (n: string) => (n === 'userData' ? opts.userData : join(opts.userData, n)),
    getAppPath: () => opts.appPath ?? root,
    ready: false,
    // Like Electron, the locale is only available once the app is ready.
    getLocale: () => {
      if (!app.ready) throw new Error('app.getLocale() called before ready');
      return opts.locale ?? 'ar-MA';
    },
    getVersion: () => '0.1.0',
    whenReady: () => Promise.resolve().then(() => void (app.ready = true)),
    quit: vi.fn(() => {
      const e = { prevented: false, preventDefault() { this.prevented = true; } };
      app.emit('will-quit', e);
      rec(e.prevented ? 'quit-deferred' : 'quit');
    }),
    exit: vi.fn((code: number) => rec('exit', code)),
  });
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => rec('menu', m) },
    ipcMain: { handle: (ch: string, fn: any) => ipcHandlers.set(ch, fn), removeHandler: (ch: string) => ipcHandlers.delete(ch) },
    dialog: { showErrorBox: (t: string, m: string) => rec('errorBox', t, m) },
    shell: { openPath: async (p: string) => (rec('openPath', p), '') },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown) => rec('schemes', s),
      handle: (scheme: string, fn: (r: Request) => Promise<Response>) => rec('handle', scheme, fn),
    },
  } as unknown as HostElectron;
  return { electron, app, calls, ipcHandlers, windows, permission };
}

const silent = { info() {}, warn() {}, error() {} };
const appFrame = { senderFrame: { url: 'jisr://app/index.html', parent: null } };

describe('startApp', () => {
  it('quits at once when another instance holds the lock, without opening the database', async () => {
    const userData = tempDir();
    const f = fakeElectron({ lock: false, userData });
    const running = startApp(f.electron, { argv: [], env: {}, mainDir: '/x', logger: silent });
    await running.ready;
    expect(f.app.quit).toHaveBeenCalled();
    expect(running.core).toBeNull();
    expect(f.windows).toHaveLength(0);
    expect(f.calls.map((c) => c.ev)).not.toContain('enableSandbox');
  });

  it('opens the core on userData/jisr.db and one hardened window on jisr://app', async () => {
    const userData = tempDir();
    const f = fakeElectron({ userData });
    const running = startApp(f.electron, { argv: ['electron', '.'], env: {}, mainDir: '/app/dist-electron', logger: silent });
    await running.ready;
    expect(running.core!.dbPath).toBe(join(userData, 'jisr.db'));
    expect(running.core!.migration.schemaVersion).toBeTruthy();
    const ev = f.calls.map((c) => c.ev);
    expect(ev.indexOf('enableSandbox')).toBeLessThan(ev.indexOf('handle'));
    expect(f.calls.find((c) => c.ev === 'schemes')!.args[0]).toEqual([
      { scheme: 'jisr', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    expect(f.calls.find((c) => c.ev === 'handle')!.args[0]).toBe('jisr');
    expect(f.windows).toHaveLength(1);
    const w = f.windows[0];
    expect(w.url).toBe(APP_URL);
    expect(w.options.webPreferences).toMatchObject({ preload: join('/app/dist-electron', 'preload.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: false });
    // the window's session is the hardened one
    expect(ev).toContain('onBeforeRequest');
    expect(ev).toContain('onHeadersReceived');
    const cb = vi.fn();
    f.permission.request!(w.webContents, 'media', cb, {});
    expect(cb).toHaveBeenCalledWith(false);
    expect(w.webContents.openHandler!({ url: 'https://example.org' })).toEqual({ action: 'deny' });
    // shown when ready, focused when launched again
    w.emit('ready-to-show');
    expect(ev.concat(f.calls.map((c) => c.ev))).toContain('show');
    f.app.emit('second-instance');
    expect(w.focused).toBe(1);
    // the IPC door reaches this core
    expect([...f.ipcHandlers.keys()].sort()).toEqual(Object.values(IPC_CHANNELS).sort());
    const status = await f.ipcHandlers.get(IPC_CHANNELS.call)!(appFrame, 'system.status', {});
    expect(status).toMatchObject({ ok: true, value: { setupDone: false } });

    // quitting closes the core first, removes the IPC handlers, then quits for real
    const core = running.core!;
    f.app.quit();
    await vi.waitFor(() => expect(f.calls.filter((c) => c.ev === 'quit')).toHaveLength(1));
    expect(core.sqlite.open).toBe(false);
    expect(running.core).toBeNull();
    expect(f.ipcHandlers.size).toBe(0);
  });

  it('guards every WebContents the app creates, not only the window', async () => {
    const f = fakeElectron({ userData: tempDir() });
    const running = startApp(f.electron, { argv: [], env: {}, mainDir: '/x', logger: silent });
    await running.ready;
    const other = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    f.app.emit('web-contents-created', {}, other);
    expect(other.setWindowOpenHandler).toHaveBeenCalled();
    const e = { url: 'https://evil.example', defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    other.emit('will-navigate', e, e.url);
    expect(e.defaultPrevented).toBe(true);
    f.app.quit();
    await vi.waitFor(() => expect(running.core).toBeNull());
  });

  it('honours --db and, in development, the Electron build of better-sqlite3 named by JISR_NATIVE_BINDING', async () => {
    const dir = tempDir();
    const f = fakeElectron({ userData: join(dir, 'ud'), isPackaged: false });
    const dbPath = join(dir, 'elsewhere', 'office.db');
    const binding = join(root, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');
    const running = startApp(f.electron, { argv: ['electron', '.', '--db', dbPath], env: { JISR_NATIVE_BINDING: binding }, mainDir: '/x', logger: silent });
    await running.ready;
    expect(running.core!.dbPath).toBe(dbPath);
    f.app.quit();
    await vi.waitFor(() => expect(running.core).toBeNull());

    // Without --db, JISR_DATA_DIR (as for the CLI and the web bridge) before the user-data folder.
    const d = fakeElectron({ userData: join(dir, 'ud4') });
    const shared = startApp(d.electron, { argv: [], env: { JISR_DATA_DIR: join(dir, 'shared') }, mainDir: '/x', logger: silent });
    await shared.ready;
    expect(shared.core!.dbPath).toBe(join(dir, 'shared', 'jisr.db'));
    d.app.quit();
    await vi.waitFor(() => expect(shared.core).toBeNull());

    // The binding really is what better-sqlite3 loads: a file that is not an addon stops the start.
    const bogus = join(dir, 'not-an-addon.node');
    writeFileSync(bogus, 'nope');
    const g = fakeElectron({ userData: join(dir, 'ud2'), isPackaged: false });
    const failed = startApp(g.electron, { argv: [], env: { JISR_NATIVE_BINDING: bogus }, mainDir: '/x', logger: silent });
    await failed.ready;
    expect(failed.core).toBeNull();
    expect(g.calls.find((c) => c.ev === 'errorBox')).toBeTruthy();
    expect(g.app.exit).toHaveBeenCalledWith(1);

    // The packaged app ignores it: no variable or switch makes it load another addon.
    const h = fakeElectron({ userData: join(dir, 'ud3'), isPackaged: true });
    const packaged = startApp(h.electron, { argv: [`--native-binding=${bogus}`], env: { JISR_NATIVE_BINDING: bogus }, mainDir: '/x', logger: silent });
    await packaged.ready;
    expect(packaged.core).not.toBeNull();
    h.app.quit();
    await vi.waitFor(() => expect(packaged.core).toBeNull());
  });

  it('shows a translated error and exits when the database cannot be opened', async () => {
    const userData = tempDir();
    const emptyApp = tempDir(); // no migrations folder
    const f = fakeElectron({ userData, appPath: emptyApp, locale: 'ar-MA' });
    const running = startApp(f.electron, { argv: [], env: {}, mainDir: '/x', logger: silent });
    await running.ready;
    const box = f.calls.find((c) => c.ev === 'errorBox')!;
    expect(box.args[0]).toBe('جسر ديسك');
    expect(box.args[1]).toContain('تعذر تشغيل جسر ديسك');
    expect(box.args[1]).toContain('مجلد ملفات الترحيل غير موجود');
    expect(box.args[1]).toContain(join(userData, 'jisr.db'));
    expect(f.app.exit).toHaveBeenCalledWith(1);
    expect(f.windows).toHaveLength(0);

    const fr = fakeElectron({ userData, appPath: emptyApp, locale: 'fr-FR' });
    await startApp(fr.electron, { argv: [], env: {}, mainDir: '/x', logger: silent }).ready;
    expect(fr.calls.find((c) => c.ev === 'errorBox')!.args[1]).toContain('Jisr Desk n’a pas pu démarrer');
  });
});

describe('startApp and backups', () => {
  it('takes the exit backup before closing, and the start backup at the next start', async () => {
    const dir = tempDir();
    const folder = join(dir, 'usb');
    mkdirSync(folder); // the backup folder must exist (issue 16)
    const f = fakeElectron({ userData: join(dir, 'ud') });
    const first = startApp(f.electron, { argv: [], env: {}, mainDir: '/x', logger: silent });
    await first.ready;
    const { token } = await setupOffice(first.core!);
    await first.core!.invoke('backup.updateSettings', { folder, passphrase: 'une-phrase-secrete-2026', atStart: true, atExit: true, daily: false }, { token });
    f.app.quit();
    await vi.waitFor(() => expect(f.calls.filter((c) => c.ev === 'quit')).toHaveLength(1), { timeout: 20_000 });
    expect(readdirSync(folder).filter((n) => n.endsWith('-exit.jisrbak'))).toHaveLength(1);

    const g = fakeElectron({ userData: join(dir, 'ud') });
    const second = startApp(g.electron, { argv: [], env: {}, mainDir: '/x', logger: silent });
    await second.ready;
    await vi.waitFor(() => expect(readdirSync(folder).filter((n) => n.endsWith('-start.jisrbak'))).toHaveLength(1), { timeout: 20_000 });
    g.app.quit();
    await vi.waitFor(() => expect(second.core).toBeNull());
  }, 60_000);

  it('does not open a damaged database, and says so in the user’s language', async () => {
    const dir = tempDir();
    const userData = join(dir, 'ud');
    mkdirSync(userData, { recursive: true });
    // An SQLite header over garbage: a damaged database. (Bytes that are not even SQLite's header read as an
    // encrypted database, and without its key the message is db.key_missing: tests/unit/encryption.test.ts.)
    writeFileSync(join(userData, 'jisr.db'), Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(8176, 7)]));
    const f = fakeElectron({ userData, locale: 'fr-MA' });
    const running = startApp(f.electron, { argv: [], env: {}, mainDir: '/x', logger: silent });
    await running.ready;
    expect(running.core).toBeNull();
    expect(String(f.calls.find((c) => c.ev === 'errorBox')!.args[1])).toContain('La base de données est endommagée');
    expect(f.app.exit).toHaveBeenCalledWith(1);
    expect(f.windows).toHaveLength(0);
  });
});

describe('useSqliteAddonByDefault', () => {
  it('makes better-sqlite3’s default addon lookup answer with the given build, and can be undone', () => {
    const dir = tempDir();
    const fromBs = createRequire(createRequire(join(root, 'package.json')).resolve('better-sqlite3-multiple-ciphers'));
    const nodeBuild = fromBs('bindings')('better_sqlite3.node');
    const copy = join(dir, 'electron-build.node'); // stands for the Electron build kept apart
    copyFileSync(join(root, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node'), copy);
    const restore = useSqliteAddonByDefault(copy, root);
    try {
      const answered = fromBs('bindings')('better_sqlite3.node');
      expect(answered).toBe(fromBs(copy));
      expect(answered).not.toBe(nodeBuild);
      expect(fromBs('bindings')({ bindings: 'better_sqlite3.node' })).toBe(answered);
    } finally {
      restore();
    }
    expect(fromBs('bindings')('better_sqlite3.node')).toBe(nodeBuild);
    const bogus = join(dir, 'bogus.node');
    writeFileSync(bogus, 'nope');
    expect(() => useSqliteAddonByDefault(bogus, root)).toThrow();
    expect(fromBs('bindings')('better_sqlite3.node')).toBe(nodeBuild);
  });
});

describe('application menu', () => {
  const labelsOf = (items: MenuItemConstructorOptions[]): string[] =>
    items.flatMap((i) => [i.label ?? '', ...(Array.isArray(i.submenu) ? labelsOf(i.submenu) : [])]).filter(Boolean);
  const rolesOf = (items: MenuItemConstructorOptions[]): string[] =>
    items.flatMap((i) => [i.role ?? '', ...(Array.isArray(i.submenu) ? rolesOf(i.submenu) : [])]).filter(Boolean);
  const actions = { about: vi.fn(), openDataFolder: vi.fn() };

  it('is Arabic unless Windows is in French', () => {
    expect(menuLanguage('ar-MA')).toBe('ar');
    expect(menuLanguage('en-US')).toBe('ar');
    expect(menuLanguage(undefined)).toBe('ar');
    expect(menuLanguage('fr-FR')).toBe('fr');
    expect(menuLanguage('FR')).toBe('fr');
    expect(buildMenuTemplate('ar', actions, { devTools: false }).map((m) => m.label)).toEqual(['ملف', 'تحرير', 'عرض', 'مساعدة']);
    expect(buildMenuTemplate('fr', actions, { devTools: false }).map((m) => m.label)).toEqual(['Fichier', 'Édition', 'Affichage', 'Aide']);
    const ar = labelsOf(buildMenuTemplate('ar', actions, { devTools: true }));
    expect(ar.every((l) => /[\u0600-\u06FF]/.test(l))).toBe(true);
  });

  it('offers reload and DevTools only in development', () => {
    expect(rolesOf(buildMenuTemplate('fr', actions, { devTools: false }))).not.toEqual(expect.arrayContaining(['toggleDevTools']));
    expect(rolesOf(buildMenuTemplate('fr', actions, { devTools: false }))).not.toContain('reload');
    expect(rolesOf(buildMenuTemplate('fr', actions, { devTools: true }))).toEqual(expect.arrayContaining(['toggleDevTools', 'reload']));
    expect(rolesOf(buildMenuTemplate('ar', actions, { devTools: false }))).toEqual(expect.arrayContaining(['copy', 'paste', 'undo', 'quit']));
  });

  it('wires the data-folder and about items', () => {
    const items = buildMenuTemplate('fr', actions, { devTools: false });
    const file = items[0].submenu as MenuItemConstructorOptions[];
    (file[0].click as () => void)();
    expect(actions.openDataFolder).toHaveBeenCalledOnce();
    const help = items[3].submenu as MenuItemConstructorOptions[];
    (help[0].click as () => void)();
    expect(actions.about).toHaveBeenCalledOnce();
  });
});

describe('host arguments and log', () => {
  it('reads --db and the native binding, ignoring a binding that does not exist', () => {
    const dir = tempDir();
    const node = join(dir, 'better_sqlite3.node');
    writeFileSync(node, '');
    expect(parseHostArgs(['electron', '.', '--db', 'rel/x.db'], {})).toEqual({ dbPath: resolve('rel/x.db') });
    expect(parseHostArgs(['--db=/tmp/y.db', `--native-binding=${node}`], {})).toEqual({ dbPath: '/tmp/y.db', nativeBinding: node });
    expect(parseHostArgs([], { JISR_NATIVE_BINDING: node })).toEqual({ nativeBinding: node });
    expect(parseHostArgs([], { JISR_NATIVE_BINDING: join(dir, 'missing.node') })).toEqual({ missingNativeBinding: join(dir, 'missing.node') });
    expect(parseHostArgs(['--db'], {})).toEqual({});
    expect(parseHostArgs([], { JISR_DATA_DIR: 'data' })).toEqual({ dataDir: resolve('data') });
    expect(parseHostArgs([`--native-binding=${node}`], { JISR_NATIVE_BINDING: node }, { allowNativeBinding: false })).toEqual({});
  });

  it('writes JSON lines to the log file and never throws', () => {
    const dir = tempDir();
    const file = join(dir, 'logs', 'main.log');
    const log = createHostLogger(file, { now: () => new Date('2026-01-02T03:04:05Z') });
    log.warn('blocked navigation', { url: 'https://x' });
    log.error('boom', { ref: 'abc' });
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l: string) => JSON.parse(l));
    expect(lines).toEqual([
      { at: '2026-01-02T03:04:05.000Z', level: 'warn', msg: 'blocked navigation', url: 'https://x' },
      { at: '2026-01-02T03:04:05.000Z', level: 'error', msg: 'boom', ref: 'abc' },
    ]);
    mkdirSync(join(dir, 'ro'));
    const bad = createHostLogger(join(dir, 'ro')); // a directory: appending fails, silently
    expect(() => bad.error('x')).not.toThrow();
  });
});
