// The Electron build artefacts, checked without Electron: the esbuild bundles (the preload requires
// nothing but 'electron'; the main bundle runs under Node with a stand-in 'electron' module),
// electron-builder.yml (through electron-builder's own loader and schema), and `npm start`
// failing clearly where Electron's binary is absent.
import { spawnSync } from 'node:child_process';
import { builtinModules, createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_KEYS } from '../../src-main/shared/api/bridge';
import { METHOD_NAMES } from '../../src-main/shared/api/contract';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const requireFromRoot = createRequire(join(root, 'package.json'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Built under node_modules/.cache so core/paths.ts finds the project root from the bundle, as it
// does from dist-electron/ (which this test leaves alone).
const outDir = join(root, 'node_modules', '.cache', 'jisr-electron-test', 'dist-electron');
let built: { main: string; preload: string; mainBytes: number; preloadBytes: number; methodNames: string[] };

const importScript = async (name: string) => import(pathToFileURL(join(root, 'scripts', name)).href);

function requiredIds(code: string): string[] {
  return [...new Set([...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]))].sort();
}

beforeAll(async () => {
  const { buildElectron } = await importScript('build-electron.mjs');
  built = await buildElectron({ outDir, quiet: true });
}, 60_000);

afterAll(() => rmSync(dirname(outDir), { recursive: true, force: true }));

describe('scripts/build-electron.mjs', () => {
  it('writes main.cjs and preload.cjs where package.json "main" expects them', () => {
    expect(existsSync(built.main)).toBe(true);
    expect(existsSync(built.preload)).toBe(true);
    expect(pkg.main).toBe('dist-electron/main.cjs');
    expect(built.mainBytes).toBeGreaterThan(10_000);
  });

  it('bundles the preload into one file that requires nothing but electron', () => {
    const code = readFileSync(built.preload, 'utf8');
    expect(requiredIds(code)).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s*\(/); // no dynamic import either
  });

  it('gives the preload the contract’s method names, not the contract (no zod in the page’s isolated world)', () => {
    expect(built.methodNames).toEqual([...METHOD_NAMES].sort());
    const code = readFileSync(built.preload, 'utf8');
    for (const m of METHOD_NAMES) expect(code).toContain(JSON.stringify(m));
    expect(code).not.toMatch(/zod|safeParse/);
    expect(built.preloadBytes).toBeLessThan(32 * 1024);
  });

  it('runs the bundled preload in a bare context (as sandboxed) and exposes only window.jisr', async () => {
    const code = readFileSync(built.preload, 'utf8');
    const required: string[] = [];
    const exposed: [string, Record<string, unknown>][] = [];
    const sent: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push([key, api]) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => {
          sent.push(args);
          return { ok: true, value: 'pong' };
        },
      },
    };
    const sandboxRequire = (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${id}`);
    };
    // A fresh V8 context without Node's globals (no process, Buffer, require): what a sandboxed
    // preload may count on is the web platform plus the require above.
    const context = vm.createContext({ console, setTimeout, clearTimeout, queueMicrotask, URL, TextEncoder, TextDecoder });
    const module = { exports: {} };
    vm.runInContext(`(function (require, module, exports) {${code}\n})`, context)(sandboxRequire, module, module.exports);
    expect(required).toEqual(['electron']);
    expect(exposed.map(([k]) => k)).toEqual(['jisr']);
    const api = exposed[0][1] as { call: (m: string, i: unknown) => Promise<unknown> };
    expect(Object.keys(api)).toEqual([...BRIDGE_KEYS]);
    expect(JSON.parse(JSON.stringify(await api.call('system.status', {})))).toEqual({ ok: true, value: 'pong' });
    expect(JSON.parse(JSON.stringify(await api.call('shell.exec', {})))).toMatchObject({ ok: false, error: { code: 'api.unknown_method' } });
    expect(JSON.parse(JSON.stringify(await api.call('hasOwnProperty', {})))).toMatchObject({ ok: false, error: { code: 'api.unknown_method' } });
    expect(sent).toEqual([['jisr:call', 'system.status', {}, undefined]]);
    for (const m of METHOD_NAMES) await api.call(m, {});
    expect(sent).toHaveLength(1 + METHOD_NAMES.length);
  });

  it('keeps only Node built-ins, electron and production dependencies outside the main bundle', () => {
    const ids = requiredIds(readFileSync(built.main, 'utf8'));
    const builtins = new Set(builtinModules);
    const prod = new Set(Object.keys(pkg.dependencies));
    const packageOf = (id: string) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0]);
    const offenders = ids.filter((id) => !(id === 'electron' || id.startsWith('node:') || builtins.has(id) || prod.has(packageOf(id))));
    // A devDependency required here would be missing from the installer (electron-builder packs production deps only).
    expect(offenders).toEqual([]);
    expect(ids).toContain('electron');
    expect(ids).toContain('better-sqlite3-multiple-ciphers');
    expect(ids).not.toContain('better-sqlite3');
  });

  it('runs the bundled main process under Node with a stand-in electron: core, hardened window, IPC, clean quit', () => {
    const work = mkdtempSync(join(tmpdir(), 'jisr-main-bundle-'));
    try {
      const hook = join(work, 'fake-electron.cjs');
      writeFileSync(hook, FAKE_ELECTRON);
      const dbPath = join(work, 'custom', 'office.db');
      const r = spawnSync(process.execPath, ['-r', hook, built.main, '--db', dbPath], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, FAKE_USERDATA: join(work, 'userData'), FAKE_APPPATH: root, JISR_NATIVE_BINDING: '' },
      });
      const events = r.stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { ev: string; [k: string]: unknown });
      expect(r.status, r.stderr).toBe(0);
      const names = events.map((e) => e.ev);
      expect(names).toEqual(['lock', 'enableSandbox', 'schemes', 'handle', 'menu', 'window', 'loadURL', 'ipc', 'quit-deferred', 'quit']);
      const schemes = events.find((e) => e.ev === 'schemes')!.schemes as { scheme: string; privileges: Record<string, boolean> }[];
      expect(schemes).toEqual([{ scheme: 'jisr', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
      const win = events.find((e) => e.ev === 'window')!;
      expect(win.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: false });
      expect(String((win.webPreferences as { preload: string }).preload)).toBe(join(dirname(built.main), 'preload.cjs'));
      expect(events.find((e) => e.ev === 'loadURL')!.url).toBe('jisr://app/index.html');
      expect(events.find((e) => e.ev === 'ipc')!.result).toMatchObject({ ok: true, value: { setupDone: false } });
      expect(events.find((e) => e.ev === 'menu')!.labels).toEqual(['Fichier', 'Édition', 'Affichage', 'Aide']);
      expect(existsSync(dbPath)).toBe(true); // --db was honoured
      expect(existsSync(dbPath + '-wal')).toBe(false); // the core was closed (WAL checkpointed) before quitting
      expect(existsSync(join(work, 'userData', 'logs', 'main.log'))).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('the bundled main process in development (npm start)', () => {
  it('opens every SQLite connection with the Electron build named by JISR_NATIVE_BINDING, never the Node build', () => {
    const work = mkdtempSync(join(tmpdir(), 'jisr-main-dev-'));
    try {
      const hook = join(work, 'fake-electron.cjs');
      writeFileSync(hook, FAKE_ELECTRON);
      // Stands for build/electron-native/…/better_sqlite3.node (here a copy of the Node build, which Node can load).
      const electronBuild = join(work, 'electron-native', 'better_sqlite3.node');
      mkdirSync(dirname(electronBuild));
      writeFileSync(electronBuild, readFileSync(join(root, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node')));
      const dbPath = join(work, 'dev.db');
      // An existing database, so the start-up integrity check opens it too.
      spawnSync(process.execPath, ['-e', `new (require('better-sqlite3-multiple-ciphers'))(${JSON.stringify(dbPath)}).exec('create table t(x)')`], { cwd: root });
      const r = spawnSync(process.execPath, ['-r', hook, built.main, '--db', dbPath], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, FAKE_DEV: '1', FAKE_USERDATA: join(work, 'userData'), FAKE_APPPATH: root, JISR_NATIVE_BINDING: electronBuild },
      });
      expect(r.status, r.stderr).toBe(0);
      const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      expect(events.find((e) => e.ev === 'window').webPreferences.devTools).toBe(true);
      expect(events.find((e) => e.ev === 'ipc').result).toMatchObject({ ok: true });
      expect(events.find((e) => e.ev === 'addons').loaded).toEqual([electronBuild]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('electron-builder.yml', () => {
  const appBuilder = (p: string) => requireFromRoot(`app-builder-lib/out/${p}`);
  const debugLogger = () => new (requireFromRoot('builder-util').DebugLogger)(false);

  it('loads and passes electron-builder’s own schema validation', async () => {
    const { getConfig, validateConfiguration } = appBuilder('util/config/config.js');
    const config = await getConfig(root, null, null);
    await validateConfiguration(config, debugLogger());
    expect(config.appId).toBe('ma.gov.jisr.desk');
    expect(config.productName).toBe('Jisr Desk');
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3-multiple-ciphers/**');
    expect(config.npmRebuild).toBe(true);
    const files: string[] = config.files.flatMap((f: string | { filter: string[] }) => (typeof f === 'string' ? [f] : f.filter));
    for (const f of ['package.json', 'dist/renderer/**', 'dist-electron/**', 'migrations/**', 'templates/**']) expect(files).toContain(f);
    for (const dir of ['migrations', 'templates']) expect(existsSync(join(root, dir))).toBe(true);
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true, grantFileProtocolExtraPrivileges: false });
  });

  it('builds a per-user NSIS installer in Arabic and French that keeps the data on uninstall', async () => {
    const { getConfig } = appBuilder('util/config/config.js');
    const { LangConfigurator, createAddLangsMacro } = appBuilder('targets/nsis/nsisLang.js');
    const { nsis } = await getConfig(root, null, null);
    expect(nsis.oneClick === true ? nsis.perMachine : false).toBe(false);
    expect(nsis.deleteAppDataOnUninstall).toBe(false);
    const langs = new LangConfigurator(nsis);
    expect(langs.isMultiLang).toBe(true);
    expect(langs.langs).toEqual(['ar_SA', 'fr_FR']);
    const macros: Record<string, string[]> = {};
    createAddLangsMacro({ macro: (name: string, lines: string[]) => (macros[name] = lines) }, langs);
    expect(macros.addLangs).toEqual(['!insertmacro MUI_LANGUAGE "Arabic"', '!insertmacro MUI_LANGUAGE "French"']);
    expect(nsis.language).toBe('1025'); // Arabic LCID
  });

  it('is really validated: a misspelt option is refused', async () => {
    const { validateConfiguration } = appBuilder('util/config/config.js');
    const yaml = requireFromRoot('js-yaml');
    const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
    config.nsis = { ...config.nsis, perMachin: false };
    await expect(validateConfiguration(config, debugLogger())).rejects.toThrow(/configuration\.nsis/);
  });

  it('package.json scripts: dist gives Node its better-sqlite3 back, nothing downloads at install', () => {
    expect(pkg.scripts.dist).toMatch(/electron-builder --win nsis/);
    expect(pkg.scripts.dist).toMatch(/&& npm rebuild better-sqlite3-multiple-ciphers$/);
    expect(pkg.scripts.postinstall ?? '').not.toMatch(/install-app-deps|electron-rebuild/);
    expect(pkg.scripts.start).toBe('node scripts/start-electron.mjs');
    expect(pkg.scripts['build:electron']).toBe('node scripts/build-electron.mjs');
  });
});

describe('scripts/start-electron.mjs', () => {
  it('fails with a clear message, not a stack trace, when Electron’s binary is absent', async () => {
    const { locateElectron } = await importScript('start-electron.mjs');
    if (locateElectron().path) return; // a machine with Electron installed: nothing to check here
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'start-electron.mjs')], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Electron's binary is not installed");
    expect(r.stderr).toContain('Node ≥ 22.12');
    expect(r.stderr).toContain('node node_modules/electron/install.js');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('finds Electron’s binary from path.txt without downloading it', async () => {
    const { locateElectron } = await importScript('start-electron.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'jisr-electron-pkg-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{"name":"electron","version":"45.3.4"}');
      expect(locateElectron(dir, {}).missing).toMatch(/path\.txt/);
      writeFileSync(join(dir, 'path.txt'), 'electron.exe');
      expect(locateElectron(dir, {}).missing).toMatch(/does not exist/);
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'electron.exe'), '');
      expect(locateElectron(dir, {})).toEqual({ path: join(dir, 'dist', 'electron.exe') });
      expect(locateElectron(dir, { ELECTRON_OVERRIDE_DIST_PATH: join(dir, 'nowhere') }).missing).toMatch(/ELECTRON_OVERRIDE_DIST_PATH/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds better-sqlite3 for Electron in its own folder, never in node_modules', async () => {
    const { electronNativePaths, nodeIsRecentEnough } = await importScript('start-electron.mjs');
    const p = electronNativePaths({ electronVersion: '45.3.4', platform: 'win32', arch: 'x64' });
    const bs = JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3-multiple-ciphers', 'package.json'), 'utf8')).version;
    expect(p.dir).toBe(join(root, 'build', 'electron-native', `better-sqlite3-multiple-ciphers-${bs}-electron-45.3.4-win32-x64`));
    expect(p.binding).toBe(join(p.dir, 'build', 'Release', 'better_sqlite3.node'));
    expect(p.dir.startsWith(join(root, 'node_modules'))).toBe(false);
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toMatch(/^build\/electron-native\/$/m);
    expect(nodeIsRecentEnough('22.12.0')).toBe(true);
    expect(nodeIsRecentEnough('24.1.0')).toBe(true);
    expect(nodeIsRecentEnough('22.11.9')).toBe(false);
    expect(nodeIsRecentEnough('20.19.0')).toBe(false);
  });
});

/** A stand-in for the 'electron' module, loaded with `node -r` before the bundled main.cjs. */
const FAKE_ELECTRON = String.raw`
const Module = require('node:module');
const { EventEmitter } = require('node:events');
const { join } = require('node:path');
const out = (e) => process.stdout.write(JSON.stringify(e) + '\n');
const handlers = new Map();
const session = {
  webRequest: { onBeforeRequest() {}, onHeadersReceived() {} },
  setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, setDevicePermissionHandler() {},
};
const app = new EventEmitter();
Object.assign(app, {
  isPackaged: process.env.FAKE_DEV !== '1',
  requestSingleInstanceLock() { out({ ev: 'lock' }); return true; },
  enableSandbox() { out({ ev: 'enableSandbox' }); },
  setAppUserModelId() {},
  getPath: (name) => join(process.env.FAKE_USERDATA, name === 'userData' ? '' : name),
  getAppPath: () => process.env.FAKE_APPPATH,
  getLocale: () => 'fr-MA',
  getVersion: () => '0.1.0',
  whenReady: () => Promise.resolve(),
  quit() {
    const e = { prevented: false, preventDefault() { this.prevented = true; } };
    app.emit('will-quit', e);
    if (e.prevented) { out({ ev: 'quit-deferred' }); return; }
    out({ ev: 'quit' });
    process.exit(0);
  },
  exit(code) { out({ ev: 'exit', code }); process.exit(code); },
});
class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    out({ ev: 'window', webPreferences: options.webPreferences });
    this.webContents = Object.assign(new EventEmitter(), { session, setWindowOpenHandler() {} });
  }
  show() {} focus() {} restore() {} isMinimized() { return false; }
  async loadURL(url) {
    out({ ev: 'loadURL', url });
    const call = handlers.get('jisr:call');
    const result = await call({ senderFrame: { url: 'jisr://app/index.html', parent: null } }, 'system.status', {});
    out({ ev: 'ipc', result });
    if (process.env.FAKE_DEV === '1') out({ ev: 'addons', loaded: Object.keys(require.cache).filter((k) => k.endsWith('.node')) });
    setImmediate(() => app.quit());
  }
}
const electron = {
  app,
  BrowserWindow,
  Menu: {
    buildFromTemplate: (t) => t,
    setApplicationMenu: (t) => out({ ev: 'menu', labels: t.map((i) => i.label) }),
  },
  ipcMain: { handle: (ch, fn) => handlers.set(ch, fn), removeHandler: (ch) => handlers.delete(ch) },
  dialog: { showErrorBox: (t, m) => out({ ev: 'errorBox', t, m }) },
  shell: { openPath: async () => '' },
  protocol: {
    registerSchemesAsPrivileged: (schemes) => out({ ev: 'schemes', schemes }),
    handle: (scheme) => out({ ev: 'handle', scheme }),
  },
};
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'electron') return electron;
  return load.call(this, request, parent, isMain);
};
`;
