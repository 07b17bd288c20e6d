import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createCore, type Core } from '../../src-main/core/core';
import { projectRoot } from '../../src-main/core/paths';
import { startWebBridge, type WebBridge } from '../../src-main/web/server';
import { defaultOfficeSettings, PROVINCE_NAMES, type OfficeSlug } from '../../src-main/shared/offices';
import { FileKeyStore } from '../../src-main/core/db/encryption';
import type { FolderRoot } from '../../src-main/core/files/folder-roots';

/**
 * End-to-end harness: a fresh database in a temporary folder, the loopback web bridge started
 * in-process over it (serving the built renderer, dist/renderer: run `npx vite build` first), and
 * Debian's Chromium driven by playwright-core.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const SCREENSHOTS = join(projectRoot(), 'tests', 'e2e', 'screenshots');

export interface E2eApp {
  core: Core;
  bridge: WebBridge;
  browser: Browser;
  dir: string;
  /** A new browser tab (own context: own sessionStorage) on the app's URL with its key. */
  open(opts?: { viewport?: { width: number; height: number }; clock?: boolean }): Promise<Page>;
  /** Calls the API over HTTP as the page would (with the key, and a session token if given). */
  http(method: string, input: unknown, session?: string): Promise<{ ok: boolean; value?: any; error?: { code: string; params?: Record<string, unknown> } }>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A database prepared once and cached in the temp folder (big seeded registries take a while to make);
 * rebuilt when a migration, a seeder or the applicants core changed since. Returns the cached file.
 */
export async function cachedDatabase(name: string, build: (core: Core) => Promise<void> | void): Promise<string> {
  const cacheDir = join(tmpdir(), 'jisr-e2e-cache');
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `${name}.db`);
  const stamp = join(cacheDir, `${name}.stamp`);
  const root = projectRoot();
  // The content of everything that shapes the data: the cache is reused only when it is unchanged.
  const hash = createHash('sha256');
  for (const d of ['migrations', 'src-main/core/seed', 'src-main/core/applicants']) {
    if (!existsSync(join(root, d))) continue;
    for (const f of readdirSync(join(root, d)).sort()) {
      const p = join(root, d, f);
      if (statSync(p).isFile()) hash.update(f).update(readFileSync(p));
    }
  }
  const digest = hash.digest('hex');
  if (!existsSync(file) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    for (const f of [file, `${file}-wal`, `${file}-shm`, stamp]) rmSync(f, { force: true });
    const core = createCore({ dbPath: file });
    try {
      await build(core);
      core.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      await core.close();
    }
    // The database is encrypted: its key is kept beside the cache (test data only) for the runs that copy it.
    const secret = new FileKeyStore().load(file);
    if (secret) writeFileSync(`${file}.testkey`, secret.toString('base64'));
    writeFileSync(stamp, digest);
  }
  return file;
}

export async function startApp(opts: { from?: string; folderRoots?: () => FolderRoot[]; clock?: () => Date } = {}): Promise<E2eApp> {
  const staticDir = join(projectRoot(), 'dist', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) throw new Error('renderer not built: run `npx vite build` first');
  const dir = mkdtempSync(join(tmpdir(), 'jisr-e2e-'));
  if (opts.from) {
    copyFileSync(opts.from, join(dir, 'jisr.db'));
    // A copied encrypted database opens only with its key (a plain one from an older cache is converted at open).
    const secret = existsSync(`${opts.from}.testkey`) ? Buffer.from(readFileSync(`${opts.from}.testkey`, 'utf8'), 'base64') : new FileKeyStore().load(opts.from);
    if (secret) new FileKeyStore().save(join(dir, 'jisr.db'), secret);
  }
  const core = createCore({ dbPath: join(dir, 'jisr.db'), folderRoots: opts.folderRoots, clock: opts.clock });
  const bridge = await startWebBridge({ core, staticDir });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];
  mkdirSync(SCREENSHOTS, { recursive: true });

  return {
    core,
    bridge,
    browser,
    dir,
    async open(opts = {}) {
      const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 } });
      contexts.push(context);
      // A controllable clock (screen lock after inactivity) must be installed before the page loads.
      if (opts.clock) await context.clock.install();
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error('[page error]', e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') console.error('[console]', m.text());
      });
      await page.goto(bridge.url);
      return page;
    },
    async http(method, input, session) {
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-jisr-key': bridge.token };
      if (session) headers.authorization = `Bearer ${session}`;
      const res = await fetch(`http://127.0.0.1:${bridge.port}/api/call`, { method: 'POST', headers, body: JSON.stringify({ method, input }) });
      return res.json();
    },
    async screenshot(page, name) {
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await bridge.close();
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sets an office up from the core (as the CLI would): default settings, the administrator admin / admin-password-1. */
export async function setupOfficeCore(core: Core, office: OfficeSlug): Promise<void> {
  const n = PROVINCE_NAMES[office];
  await core.invoke('system.setup', {
    office,
    settings: defaultOfficeSettings(office, n.ar, n.fr),
    admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
  });
}

/**
 * Waits for the Excel import's outcome after "import": the success message, or the error the page shows. A commit is real work
 * (the whole file in one transaction, the registry's matching keys, the audit), and the suite shares two cores with the unit
 * project, so it gets more time than a click; and when the page shows an error, the test fails with that text instead of a
 * blind timeout (CI once timed out here with nothing to say why).
 */
export async function waitImportDone(p: Page): Promise<void> {
  const outcome = p.locator('[data-testid="import-done"], [data-testid="import-error"]').first();
  await outcome.waitFor({ timeout: 90_000 });
  if ((await outcome.getAttribute('data-testid')) === 'import-error') throw new Error(`the import was refused: ${await outcome.textContent()}`);
}
