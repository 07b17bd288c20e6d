import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedDatabase, startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { ApplicantsPageObject } from './pages/applicants.page';
import { ADMIN_PASSWORD, setupOffice } from '../helpers/core';
import { applicantsSeeder } from '../../src-main/core/seed/seed-applicants';
import { makeRng } from '../../src-main/core/seed/seed';

/**
 * 20,000 files: 100 pages of the list's 200 rows, a scroll area of 880,000 px. What is checked does not depend on the
 * count: only a few dozen rows in the DOM, and only the pages in view fetched from the API (counted below, page by
 * page), so a registry five times bigger is the same screen with a longer scrollbar. The search at 100,000 files is
 * timed in `npm run bench` (applicants); `JISR_E2E_APPLICANTS=100000` runs this walk at that size (seeding 100,000
 * takes about a minute on the first run, then the file is cached in the temp folder).
 */
const N = Number(process.env.JISR_E2E_APPLICANTS ?? 20_000);
/** The list's page size (src-renderer/features/applicants/ApplicantList.tsx PAGE). */
const PAGE = 200;

/** The registry list stays smooth on a big registry: it is virtualised and pages through the API. */
describe(`registry list with ${N} seeded applicants`, () => {
  let app: E2eApp;
  beforeAll(async () => {
    const db = await cachedDatabase(`registry-${N}`, async (core) => {
      await setupOffice(core, 'tinghir');
      const t0 = performance.now();
      core.sqlite.transaction(() => applicantsSeeder.run(core, { applicants: N, office: 'tinghir', seed: 7 }, makeRng(7)))();
      console.log(`[scale] seeded ${N} applicants in ${Math.round(performance.now() - t0)} ms (cached for the next runs)`);
    });
    app = await startApp({ from: db });
  }, 300_000);
  afterAll(async () => {
    await app?.close();
  });

  it('shows the total, renders only the visible rows, jumps to the middle and scrolls smoothly', async () => {
    const page = await app.open();
    // Every page of the list the browser asks for (offset/limit of applicants.search), from before the login: the
    // registry is the first screen after it, and its first page may be asked for before the shell is seen.
    const fetched: { offset: number; limit: number }[] = [];
    page.on('request', (r) => {
      if (!r.url().endsWith('/api/call') || r.method() !== 'POST') return;
      const body = JSON.parse(r.postData() ?? '{}') as { method?: string; input?: { offset?: number; limit?: number } };
      if (body.method === 'applicants.search' && body.input?.offset !== undefined) fetched.push({ offset: body.input.offset, limit: body.input.limit ?? 0 });
    });
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('admin', ADMIN_PASSWORD);
    await new ShellPageObject(page).waitVisible();
    const reg = new ApplicantsPageObject(page);
    const t0 = Date.now();
    await reg.openList();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="applicant-row"]').length > 5);
    const firstRows = Date.now() - t0;
    expect(await page.getByTestId('applicant-total').textContent()).toContain(String(N));
    // Virtualised: a few dozen rows in the DOM, not N.
    const domRows = await page.locator('.vlist .vrow').count();
    expect(domRows).toBeLessThan(80);
    // Paged: the first screen asked for the first page only, never for the whole registry.
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.every((f) => f.limit === PAGE)).toBe(true);
    expect(new Set(fetched.map((f) => f.offset))).toEqual(new Set([0]));

    // Jump to the middle: the rows there are fetched (offset/limit) and shown.
    const t1 = Date.now();
    await page.getByTestId('applicant-list').evaluate((el, n) => {
      el.scrollTop = (n / 2) * 44;
    }, N);
    await page.waitForFunction((idx) => {
      const rows = [...document.querySelectorAll('[data-testid="applicant-row"]')] as HTMLElement[];
      return rows.some((r) => Number(r.getAttribute('aria-rowindex')) - 2 >= idx);
    }, Math.floor(N / 2));
    const jump = Date.now() - t1;
    // The jump fetched the page of the middle rows, not the pages between.
    const middlePage = Math.floor(N / 2 / PAGE) * PAGE;
    expect(fetched.map((f) => f.offset)).toContain(middlePage);
    expect(fetched.some((f) => f.offset > 0 && f.offset < middlePage - 2 * PAGE)).toBe(false);

    // Scroll continuously for a second and count animation frames and long frames, against the
    // same count with no scrolling (headless Chromium without GPU on a shared machine sets the ceiling).
    const measure = (scroll: boolean) => page.getByTestId('applicant-list').evaluate(
      (el, scroll) =>
        new Promise<{ frames: number; longest: number }>((resolve) => {
          let frames = 0;
          let last = performance.now();
          let longest = 0;
          const start = last;
          const step = (now: number) => {
            frames++;
            longest = Math.max(longest, now - last);
            last = now;
            if (scroll) el.scrollTop += 120;
            if (now - start < 1000) requestAnimationFrame(step);
            else resolve({ frames, longest: Math.round(longest) });
          };
          requestAnimationFrame(step);
        }),
      scroll,
    );
    const idle = await measure(false);
    const frames = await measure(true);
    console.log(`[scale] first rows ${firstRows} ms, jump to middle ${jump} ms, ${domRows} rows in the DOM, scrolling: ${frames.frames} frames/s (idle page: ${idle.frames}), longest frame ${frames.longest} ms`);
    expect(firstRows).toBeLessThan(5000);
    expect(jump).toBeLessThan(5000);
    // The page never freezes while scrolling. (The frame rate itself is printed, not asserted tightly:
    // headless Chromium paints in software here, on two cores shared with every other job.)
    expect(frames.frames).toBeGreaterThanOrEqual(5);
    expect(frames.longest).toBeLessThan(1000);
    expect(await page.locator('.vlist .vrow').count()).toBeLessThan(80);
    // A second of scrolling (120 px a frame) fetched the pages it passed, a few of the registry's.
    const distinctPages = new Set(fetched.map((f) => f.offset)).size;
    console.log(`[scale] pages fetched so far: ${distinctPages} of ${Math.ceil(N / PAGE)}`);
    expect(distinctPages).toBeLessThan(Math.min(30, Math.ceil(N / PAGE) / 2));
    await app.screenshot(page, 'applicant-list-scale');

    // Search as you type over the whole registry.
    const before = await page.getByTestId('applicant-total').textContent();
    const t2 = Date.now();
    await reg.search('فاطمة');
    await page.waitForFunction((before) => {
      const total = document.querySelector('[data-testid="applicant-total"]')?.textContent ?? '';
      return total !== before && !total.includes('…') && document.querySelectorAll('[data-testid="applicant-row"]').length > 0;
    }, before);
    console.log(`[scale] search "فاطمة" shown in ${Date.now() - t2} ms: ${await page.getByTestId('applicant-total').textContent()}`);
  });
});
