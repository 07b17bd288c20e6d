import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/core';
import type { Actor } from '../../src-main/core/context';
import { seedDatabase } from '../../src-main/core/seed/seed';
import '../../src-main/core/seed/seeders';
import { formatInteger } from '../../src-main/shared/format';
import type { DashboardData } from '../../src-main/shared/api/reports.contract';
import { setupOfficeCore, startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

const cli: Actor = { kind: 'cli', osUser: 'e2e' };
const as = { actor: cli };
const NOW = new Date('2026-11-20T10:00:00Z');

/**
 * The regional coordinator's dashboard by province (issue 15): the five provinces' offices seeded and sent to the
 * region through exchange files (as region.e2e.ts builds its region), the table of the main indicators and the path
 * by province, names from the territories, figures as the shared format writes them, right to left in Arabic.
 * The core's clock is injected; the period is chosen (the year 2026), never today's.
 */
describe('region dashboard: the main indicators by province (web bridge + Chromium)', () => {
  let region: E2eApp;
  const dir = mkdtempSync(join(tmpdir(), 'jisr-e2e-rd-'));
  const provinces: Core[] = [];

  beforeAll(async () => {
    region = await startApp({ clock: () => NOW });
    await setupOfficeCore(region.core, 'region');
    await region.core.invoke('users.create', { username: 'coord', displayName: 'المنسقة الجهوية', role: 'coordinator', password: 'coord-pass-2026', mustChange: false }, as);
    const regionKey = (await region.core.invoke('exchange.keysShow', {}, as)).keyFile;
    for (const [slug, n, seed] of [['errachidia', 60, 1], ['ouarzazate', 45, 2], ['midelt', 30, 3], ['tinghir', 25, 4], ['zagora', 20, 5]] as const) {
      const p = createCore({ dbPath: join(dir, `${slug}.db`), clock: () => NOW });
      provinces.push(p);
      await setupOfficeCore(p, slug);
      await seedDatabase(p, { applicants: n, office: slug, seed });
      await p.invoke('exchange.keysRegion', { keyFile: regionKey }, as);
      await region.core.invoke('exchange.keysTrust', { keyFile: (await p.invoke('exchange.keysShow', {}, as)).keyFile }, as);
      const f = await p.invoke('exchange.export', {}, as);
      const target = join(dir, `${slug}.jisrx`);
      copyFileSync(p.outbox.get(f.fileId)!.path, target);
      const r = await region.core.invoke('exchange.import', { files: [{ path: target }] }, as);
      expect(r.results[0].status).toBe('applied');
    }
  });
  afterAll(async () => {
    await region?.close();
    for (const p of provinces) await p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function showYear(p: Page, year: string) {
    // The segmented control's radio is hidden under its label: the label is what a person clicks.
    await p.getByTestId('period-kind').locator('input[value="year"]').locator('xpath=following-sibling::label').click();
    await p.getByTestId('period-year').selectOption(year);
    await p.getByTestId('report-show').click();
    await expect.poll(() => p.getByTestId('report-period').getAttribute('data-period')).toBe(year);
  }

  const cells = (p: Page, table: string, col: string) =>
    p.getByTestId(`${table}-row`).locator(`[data-col="${col}"]`).allTextContents();

  it('the coordinator reads each province by name, figures formatted, in Arabic and French; the administrator sees the disability column too', async () => {
    const d: DashboardData = await region.core.invoke('reports.dashboard', { period: '2026' }, as);
    const t = d.provinceTable!;
    const r = await region.open({ viewport: { width: 1366, height: 768 } });
    await new LoginPageObject(r).login('coord', 'coord-pass-2026');
    const shell = new ShellPageObject(r);
    await shell.waitVisible();
    await shell.go('reports');
    await showYear(r, '2026');
    const table = r.getByTestId('province-table');
    await table.waitFor();
    await expect.poll(() => r.getByTestId('province-table-row').count()).toBe(5);

    // Names from the territories, never codes; each figure as the backend counted it, written by the shared format.
    const names = await r.getByTestId('province-table-row').locator('th').allTextContents();
    expect(names).toEqual(['الرشيدية', 'ميدلت', 'ورزازات', 'تنغير', 'زاكورة']);
    expect(await table.textContent()).not.toMatch(/08\.\d{3}/);
    expect(await cells(r, 'province-table', 'registeredToDate')).toEqual(t.rows.map((x) => formatInteger(x.registeredToDate, 'ar')));
    expect(await cells(r, 'province-table', 'attestations')).toEqual(t.rows.map((x) => formatInteger(x.attestations, 'ar')));
    expect(await table.getByTestId('province-table-total').locator('[data-col="registeredInPeriod"]').textContent()).toBe(formatInteger(d.totals.registeredInPeriod, 'ar'));
    expect(await cells(r, 'province-path', 'in_training')).toEqual(t.rows.map((x) => formatInteger(x.steps[3], 'ar')));
    // The coordinator does not see sensitive data: no disability column (and no figure was sent).
    expect(await table.locator('[data-col="disability"]').count()).toBe(0);
    // Right to left: the province's column is the rightmost, the first figure's column left of it.
    const heads = table.locator('thead th');
    const [first, second] = [await heads.nth(0).boundingBox(), await heads.nth(1).boundingBox()];
    expect(first!.x).toBeGreaterThan(second!.x);
    // Nothing clipped at 1366 px: the table fits its card.
    const fits = await table.evaluate((el) => {
      const t = el.querySelector('table')!;
      return t.getBoundingClientRect().width <= el.getBoundingClientRect().width + 1;
    });
    expect(fits).toBe(true);
    await table.scrollIntoViewIfNeeded();
    await region.screenshot(r, 'region-dashboard-provinces-ar');

    await shell.switchLanguage('fr');
    await expect.poll(() => r.getByTestId('province-table-row').locator('th').allTextContents()).toEqual(['Errachidia', 'Midelt', 'Ouarzazate', 'Tinghir', 'Zagora']);
    expect(await cells(r, 'province-table', 'registeredToDate')).toEqual(t.rows.map((x) => formatInteger(x.registeredToDate, 'fr')));
    const headsFr = r.getByTestId('province-table').locator('thead th');
    expect((await headsFr.nth(0).boundingBox())!.x).toBeLessThan((await headsFr.nth(1).boundingBox())!.x);
    await r.getByTestId('province-table').scrollIntoViewIfNeeded();
    await region.screenshot(r, 'region-dashboard-provinces-fr');
    await shell.switchLanguage('ar');
    await shell.logout();

    // The administrator of the region sees sensitive data: the disability column, its figures as counted.
    await new LoginPageObject(r).login('admin', 'admin-password-1');
    await shell.waitVisible();
    await shell.go('reports');
    await showYear(r, '2026');
    await r.getByTestId('province-table').waitFor();
    expect(await cells(r, 'province-table', 'disability')).toEqual(t.rows.map((x) => formatInteger(x.disability ?? -1, 'ar')));
    await r.getByTestId('province-path').scrollIntoViewIfNeeded();
    await region.screenshot(r, 'region-dashboard-provinces-admin-ar');
  });
});
