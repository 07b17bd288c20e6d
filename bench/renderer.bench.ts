import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createCore } from '../src-main/core/core';
import { startWebBridge, type WebBridge } from '../src-main/web/server';
import { percentile, type BenchRow, type BenchSuite } from './harness';

/**
 * The renderer as staff meet it (issue 15): the built app served by the web bridge and opened by Chromium in a new
 * browser profile each run (nothing cached), beside a bare Vite + React page (bench/renderer-baseline/) built and
 * served the same way, doing the same steps and the same two calls with no UI library.
 *   first load       navigation start → the login form's user-name field in the page (performance.now())
 *   login → list     the login button pressed → the first row of the registry list in the page
 *   form first open  "new registration" pressed → the registration form in the page (its code fetched then)
 * Times are read in the page's own clock (MutationObserver on the document), so Playwright's round trips are not in them.
 * `npx tsx bench/run.ts --only renderer [--renderer-runs N]`
 */

const RUNS = process.argv.includes('--renderer-runs') ? Number(process.argv[process.argv.indexOf('--renderer-runs') + 1]) : 9;
const WATCH = ['login-username', 'applicant-row', 'consent-section'] as const;

/**
 * Installed before the page's own scripts: the first moment each watched test id is in the document. A string, not a
 * function: tsx would add its own helpers to a function's text, which the page does not have.
 */
const WATCHER = `(() => {
  const ids = ${JSON.stringify(WATCH)};
  window.__marks = {};
  const look = () => {
    for (const id of ids) if (!(id in window.__marks) && document.querySelector('[data-testid="' + id + '"]')) window.__marks[id] = performance.now();
  };
  new MutationObserver(look).observe(document, { childList: true, subtree: true });
})();`;

async function mark(page: Page, id: string): Promise<number> {
  const h = await page.waitForFunction((id) => (window as unknown as { __marks: Record<string, number> }).__marks[id], id, { timeout: 30_000, polling: 50 });
  return (await h.jsonValue()) as number;
}

/** Presses a control from inside the page and returns the page's clock at that moment. */
async function press(page: Page, id: string): Promise<number> {
  return page.evaluate((id) => {
    const t = performance.now();
    (document.querySelector(`[data-testid="${id}"]`) as HTMLElement).click();
    return t;
  }, id);
}

interface Run {
  firstLoad: number;
  loginToList: number;
  formOpen: number;
}

async function oneRun(browser: Browser, bridge: WebBridge, creds: { username: string; password: string }): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    await context.addInitScript(WATCHER);
    const page = await context.newPage();
    await page.goto(bridge.url);
    const firstLoad = await mark(page, 'login-username');
    await page.getByTestId('login-username').fill(creds.username);
    await page.getByTestId('login-password').fill(creds.password);
    const t0 = await press(page, 'login-submit');
    const loginToList = (await mark(page, 'applicant-row')) - t0;
    await page.getByTestId('applicant-new').waitFor();
    const t1 = await press(page, 'applicant-new');
    const formOpen = (await mark(page, 'consent-section')) - t1;
    return { firstLoad, loginToList, formOpen };
  } finally {
    await context.close();
  }
}

export const rendererBench: BenchSuite = {
  name: 'renderer',
  async run(env) {
    const root = resolve('.');
    const appOut = join(env.dir, 'renderer-app');
    const baseOut = join(env.dir, 'renderer-baseline');
    process.stderr.write('building the renderer and the baseline page …\n');
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir: appOut, emptyOutDir: true } });
    await build({
      configFile: false,
      root: join(root, 'bench', 'renderer-baseline'),
      base: './',
      logLevel: 'warn',
      plugins: [react()],
      build: { outDir: baseOut, emptyOutDir: true },
    });

    const core = createCore({ dbPath: await env.seededDb(100_000) });
    const creds = { username: 'admin', password: 'admin-password-1' };
    const app = await startWebBridge({ core, staticDir: appOut });
    const base = await startWebBridge({ core, staticDir: baseOut });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const runs: { app: Run[]; base: Run[] } = { app: [], base: [] };
    const loads: number[] = [];
    try {
      // One warm-up of each (Chromium's own start, the core's first queries), then the two alternate.
      await oneRun(browser, app, creds);
      await oneRun(browser, base, creds);
      for (let i = 0; i < RUNS; i++) {
        loads.push(loadavg()[0]);
        runs.app.push(await oneRun(browser, app, creds));
        runs.base.push(await oneRun(browser, base, creds));
      }
    } finally {
      await browser.close();
      await app.close();
      await base.close();
      await core.close();
    }

    const rows: BenchRow[] = [];
    const targets: Record<keyof Run, number | null> = { firstLoad: 1500, loginToList: null, formOpen: 300 };
    const names: Record<keyof Run, string> = {
      firstLoad: 'first load: navigation → login form',
      loginToList: 'login pressed → registry list',
      formOpen: 'first opening of the registration form',
    };
    for (const k of ['firstLoad', 'loginToList', 'formOpen'] as const) {
      const a = runs.app.map((r) => r[k]);
      const b = runs.base.map((r) => r[k]);
      for (const [p, label] of [
        [50, 'median'],
        [95, 'p95'],
      ] as const) {
        const target = targets[k];
        rows.push({
          name: `${names[k]} (${label}, ${RUNS} runs)`,
          value: percentile(a, p),
          unit: 'ms',
          baseline: { name: 'bare Vite + React page', value: percentile(b, p) },
          ...(target !== null && p === 50 ? { target: `≤ ${target} ms`, ok: percentile(a, p) <= target } : {}),
        });
      }
    }
    rows.push({ name: `machine load average (1 min, median over the runs; ${availableParallelism()} cores)`, value: percentile(loads, 50), unit: 'x' });
    return rows;
  },
};

