import { localDate } from '../../src-main/shared/time';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/core';
import type { Actor } from '../../src-main/core/context';
import { addApplicants } from '../../src-main/core/exchange/exchange.fixtures';
import { setupOfficeCore, startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

const cli: Actor = { kind: 'cli', osUser: 'e2e' };
const as = { actor: cli };

const setup = setupOfficeCore;

/**
 * The region's registry: files of two provinces, received through exchange files; the coordinator filters the
 * search by province (the province shown on every row), the administrator exports the filtered list.
 */
describe('region: the whole region in the registry with the province as a dimension (web bridge + Chromium)', () => {
  let region: E2eApp;
  const dir = mkdtempSync(join(tmpdir(), 'jisr-e2e-r-'));
  const provinces: Core[] = [];

  beforeAll(async () => {
    region = await startApp();
    await setup(region.core, 'region');
    await region.core.invoke('users.create', { username: 'coord', displayName: 'المنسقة الجهوية', role: 'coordinator', password: 'coord-pass-2026', mustChange: false }, as);
    const regionKey = (await region.core.invoke('exchange.keysShow', {}, as)).keyFile;
    for (const [slug, n, seed] of [['errachidia', 9, 1], ['zagora', 5, 2]] as const) {
      const p = createCore({ dbPath: join(dir, `${slug}.db`) });
      provinces.push(p);
      await setup(p, slug);
      addApplicants(p.sqlite, n, { seed });
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

  it('the coordinator filters the region by province; the administrator exports the filtered list', async () => {
    const zagora = region.core.sqlite.prepare(`SELECT province_code FROM offices WHERE slug = 'zagora'`).pluck().get() as string;
    const r = await region.open();
    await new LoginPageObject(r).login('coord', 'coord-pass-2026');
    const shell = new ShellPageObject(r);
    await shell.waitVisible();
    await shell.go('applicants');
    await expect.poll(() => r.getByTestId('applicant-total').textContent()).toContain('14');
    await r.getByTestId('filter-province').selectOption(zagora);
    await expect.poll(() => r.getByTestId('applicant-total').textContent()).toContain('5');
    const provinceCells = r.getByTestId('row-province');
    await expect.poll(() => provinceCells.count()).toBe(5);
    expect(new Set(await provinceCells.allTextContents())).toEqual(new Set(['زاكورة']));
    // The commune list now holds only Zagora's communes.
    const communeOptions = await r.getByTestId('filter-commune').locator('option').allTextContents();
    const zagoraCommunes = region.core.sqlite.prepare('SELECT COUNT(*) FROM communes WHERE province_code = ?').pluck().get(zagora) as number;
    expect(communeOptions.length).toBe(zagoraCommunes + 1);
    // Disability is health data (law 09-08): no such filter for the coordinator.
    expect(await r.getByTestId('filter-disability').count()).toBe(0);
    expect(await r.getByTestId('filter-category').locator('option[value="disability"]').count()).toBe(0);
    // The coordinator may not export personal lists: the button is not offered (and the backend refuses, see unit tests).
    expect(await r.getByTestId('applicant-export').count()).toBe(0);
    await region.screenshot(r, 'region-registry-province-ar');
    // The dashboard: registrations by province, from the same query as the regional workbook.
    await shell.go('reports');
    const chart = r.getByTestId('chart-provinces');
    await chart.waitFor();
    const text = (await chart.textContent()) ?? '';
    expect(text).toContain('الرشيدية');
    expect(text).toContain('زاكورة');
    const ind = await region.core.invoke('reports.dashboard', { period: localDate(region.core.clock()).slice(0, 4) }, as);
    expect(ind.provinces?.find((p) => p.labelAr === 'زاكورة')?.value).toBe(5);
    await region.screenshot(r, 'region-dashboard-ar');
    await shell.logout();

    await new LoginPageObject(r).login('admin', 'admin-password-1');
    await shell.waitVisible();
    await shell.go('applicants');
    await r.getByTestId('filter-province').selectOption(zagora);
    await expect.poll(() => r.getByTestId('applicant-total').textContent()).toContain('5');
    const [download] = await Promise.all([r.waitForEvent('download'), r.getByTestId('applicant-export').click()]);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    await r.getByTestId('applicant-export-msg').waitFor();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    expect(ws.views[0]?.rightToLeft).toBe(true);
    const cins = new Set<string>();
    ws.eachRow((row, i) => {
      if (i > 1) row.eachCell((c) => typeof c.value === 'string' && /^[A-Z]{1,2}\d+$/.test(c.value) && cins.add(c.value));
    });
    const expected = region.core.sqlite
      .prepare('SELECT a.cin FROM applicants a JOIN communes c ON c.code = a.commune_code WHERE c.province_code = ?')
      .pluck()
      .all(zagora) as string[];
    expect([...cins].sort()).toEqual([...expected].sort());
  });
});
