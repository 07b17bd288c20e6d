// The built renderer as the Electron window would run it, without Electron: Debian's Chromium loads
// it through the jisr:// protocol handler (so under the window's CSP and response headers), every
// other request is cancelled as the window's session does, and window.jisr is the *bundled* preload
// wired to the real IPC handlers (registerIpc) over a real core. The journey setup → login goes
// through that door only. Needs the renderer built (`npm test` builds it first).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/core';
import { createAppProtocolHandler } from '../../src-main/host/protocol';
import { registerIpc, type IpcEventLike } from '../../src-main/host/ipc';
import { isLoadableUrl } from '../../src-main/host/security';
import { CSP } from '../../src-main/shared/csp';
import { LoginPageObject, SetupPageObject, ShellPageObject } from '../e2e/pages/auth.page';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererDir = join(root, 'dist', 'renderer');
const rendererBuilt = existsSync(join(rendererDir, 'index.html'));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Chromium cannot be taught a custom scheme from Playwright; the page lives on http://jisr.app/ and
// each request is answered by the jisr://app/ handler, so the app origin maps 1:1.
const toAppUrl = (u: string) => u.replace(/^http:\/\/jisr\.app\//, 'jisr://app/');

describe.skipIf(!rendererBuilt || !existsSync(CHROMIUM))('the renderer through the Electron door (bundled preload, jisr://, CSP)', () => {
  let dir: string;
  let core: Core;
  let browser: Browser;
  let preloadCode: string;
  const ipcCalls: string[] = [];
  const cancelled: string[] = [];
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jisr-renderer-'));
    core = createCore({ dbPath: join(dir, 'jisr.db') });
    registerIpc(
      { handle: (ch, fn) => void handlers.set(ch, fn), removeHandler: (ch) => void handlers.delete(ch) },
      {
        core,
        getWindow: () => null,
        documentsDir: dir,
        logger: { info() {}, warn() {}, error() {} },
        shell: { openPath: async () => '' },
        dialog: { showSaveDialog: async () => ({ canceled: true }), showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
      },
    );
    const { buildElectron } = await import(pathToFileURL(join(root, 'scripts', 'build-electron.mjs')).href);
    const built = await buildElectron({ outDir: join(dir, 'dist-electron'), quiet: true });
    preloadCode = readFileSync(built.preload, 'utf8');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await core?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('boots under the window’s CSP, reaches the core only through window.jisr, and does setup → login', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const serve = createAppProtocolHandler(rendererDir);
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      const appUrl = toAppUrl(url);
      if (appUrl === url || !isLoadableUrl(appUrl, false)) {
        cancelled.push(url);
        return route.abort('blockedbyclient');
      }
      const res = await serve(new Request(appUrl, { method: route.request().method() }));
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      await route.fulfill({ status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) });
    });
    // ipcRenderer.invoke → the main process's handler, with the frame the message comes from.
    await context.exposeBinding('__ipcInvoke', async (source, channel: string, ...args: unknown[]) => {
      ipcCalls.push(channel === 'jisr:call' ? String(args[0]) : channel);
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      return handler({ senderFrame: { url: toAppUrl(source.frame.url()), parent: source.frame.parentFrame() ? {} : null } }, ...args);
    });
    // The bundled preload, given the only module a sandboxed preload has: 'electron'.
    await context.addInitScript(
      `(() => {
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
        const electron = {
          contextBridge: { exposeInMainWorld: (key, api) => Object.defineProperty(window, key, { value: api }) },
          ipcRenderer: { invoke: (channel, ...args) => window.__ipcInvoke(channel, ...args) },
        };
        const module = { exports: {} };
        (function (require, module, exports) {${preloadCode}\n})((id) => { if (id === 'electron') return electron; throw new Error('cannot require ' + id); }, module, module.exports);
      })();`,
    );
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const response = await page.goto('http://jisr.app/index.html');
    expect(response!.headers()['content-security-policy']).toBe(CSP);

    const setup = new SetupPageObject(page);
    await setup.waitVisible();
    expect(await page.evaluate(() => [document.documentElement.dir, Object.keys(window.jisr ?? {})])).toEqual(['rtl', ['call', 'openFile', 'saveFile', 'pickFiles', 'uploadFile', 'mainPc', 'printFile', 'pickFolder']]);

    await setup.chooseOffice('midelt');
    await page.getByTestId('setup-addressAr').fill('شارع الحسن الثاني، ميدلت');
    await page.getByTestId('setup-addressFr').fill('Avenue Hassan II, Midelt');
    await setup.fillAdmin({ username: 'amina.admin', displayName: 'أمينة', password: 'Midelt-2026-pass' });
    await setup.submit();
    await setup.passRecoverySheetAndLogOut();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    // (LoginPageObject.login waits for an HTTP response; here nothing goes over HTTP.)
    await page.getByTestId('login-username').fill('amina.admin');
    await page.getByTestId('login-password').fill('Midelt-2026-pass');
    await page.getByTestId('login-submit').click();
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    expect(await shell.dir()).toBe('rtl');

    // Everything went through the bridge: the core has the office, the IPC log has the calls.
    expect((await core.invoke('system.status', {})).office?.slug).toBe('midelt');
    expect(ipcCalls).toEqual(expect.arrayContaining(['system.status', 'system.setup', 'auth.login']));

    // The app runs within the policy. The one thing it trips is zod's probe for `new Function`
    // (caught; zod then validates without generated code), seen as a 'script-src eval' report.
    const own = (await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)) as string[];
    expect(own.filter((v) => v !== 'script-src eval')).toEqual([]);

    // The CSP holds in the page: no injected inline script, no script or request from elsewhere.
    // (Playwright's evaluate itself is exempt from the CSP, so the attempts go through the DOM and fetch.)
    const attempts = await page.evaluate(async () => {
      const w = window as unknown as { __inline?: number };
      const inline = document.createElement('script');
      inline.textContent = 'window.__inline = 1';
      document.head.append(inline);
      const remote = document.createElement('script');
      remote.src = 'https://example.org/x.js';
      const remoteResult = await new Promise((done) => {
        remote.onload = () => done('loaded');
        remote.onerror = () => done('blocked');
        document.head.append(remote);
      });
      const fetchResult = await fetch('https://example.org/').then(
        () => 'fetched',
        () => 'blocked',
      );
      return { inlineResult: w.__inline === 1 ? 'ran' : 'blocked', remoteResult, fetchResult };
    });
    expect(attempts).toEqual({ inlineResult: 'blocked', remoteResult: 'blocked', fetchResult: 'blocked' });
    const violations = ((await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)) as string[]).slice(own.length);
    expect(violations.sort()).toEqual(['connect-src https://example.org/', 'script-src-elem https://example.org/x.js', 'script-src-elem inline'].sort());
    expect(pageErrors).toEqual([]);
    // The page asked for nothing outside the app (the example.org fetch is stopped by the CSP first).
    expect(cancelled).toEqual([]);

    // A page cannot reach the core through a non-contract method, even by calling the bridge itself.
    const refused = await page.evaluate(() => window.jisr!.call('system.dropEverything', {}));
    expect(refused).toMatchObject({ ok: false, error: { code: 'api.unknown_method' } });
    await context.close();
  }, 120_000);
});
