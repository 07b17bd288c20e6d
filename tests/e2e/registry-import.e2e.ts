import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src-main/core/context';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import { startApp, waitImportDone, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

const as = { actor: { kind: 'cli', osUser: 'e2e' } as Actor };

/** A wide legacy list, as offices keep them: twelve columns, long headers, the last ones not the app's. */
async function wideList(path: string) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Liste 2025');
  ws.addRow([
    'Nom', 'Prénom', 'CIN', 'Date de naissance', 'Téléphone', 'Commune', 'Adresse complète du domicile', 'Situation familiale',
    "Niveau d'études atteint", 'Idée de projet', 'Secteur du projet envisagé', 'Observations de l’animatrice',
  ]);
  ws.addRow(['Amrani', 'Naima', 'U111111', '02/02/1992', '0612345678', 'Errachidia', 'Hay Al Massira, rue 12', 'Mariée', 'Bac', 'Couture', 'Artisanat', 'Très motivée']);
  ws.addRow(['Idrissi', 'Samira', 'U222222', '03/03/1993', '0623456789', 'Goulmima', 'Ksar Aït Yahia', 'Célibataire', 'Collège', 'Élevage', 'Agriculture', '']);
  ws.addRow(['Alaoui', 'Hanane', 'U333333', '04/04/1994', '0634567890', 'Goulmima', 'Douar Tizi', 'Veuve', 'Primaire', 'Épicerie', 'Commerce', 'Rappeler en janvier']);
  await wb.xlsx.writeFile(path);
}

/** The mapping table's last column is reached inside its own scroll box, never cut by the page. */
async function lastColumnReachable(p: Page, lastIndex: number) {
  const box = p.getByTestId('import-card');
  const vw = p.viewportSize()!.width;
  const card = (await box.boundingBox())!;
  expect(card.x).toBeGreaterThanOrEqual(0);
  expect(card.x + card.width).toBeLessThanOrEqual(vw);
  // The page itself does not scroll sideways: the table scrolls inside the card.
  expect(await p.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  const last = p.getByTestId(`map-col-${lastIndex}`);
  // After a language change the columns take their new widths over a few frames: scroll and measure until it settles
  // (a full run once measured the French cell while the Arabic widths were still laid out).
  await expect
    .poll(async () => {
      await last.scrollIntoViewIfNeeded();
      const cell = (await last.boundingBox())!;
      const now = (await box.boundingBox())!;
      return cell.x >= now.x - 0.5 && cell.x + cell.width <= now.x + now.width + 0.5;
    }, { timeout: 10_000 })
    .toBe(true);
}

/** Issue 15: the Excel import is reached from the registry (a click, not a typed address), through to its summary. */
describe('the Excel import from the registry (web bridge + Chromium, 1366×768)', () => {
  let app: E2eApp;
  const dir = mkdtempSync(join(tmpdir(), 'jisr-e2e-ri-'));

  beforeAll(async () => {
    app = await startApp();
    const n = PROVINCE_NAMES.errachidia;
    await app.core.invoke('system.setup', {
      office: 'errachidia',
      settings: defaultOfficeSettings('errachidia', n.ar, n.fr),
      admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
    });
    await app.core.invoke('users.create', { username: 'head.ri', displayName: 'رئيسة المكتب', role: 'office_head', password: 'head-pass-2026', mustChange: false }, as);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registry → import → mapping (whole table reachable, ar and fr) → check → import → summary', async () => {
    const file = join(dir, 'liste-large.xlsx');
    await wideList(file);
    const p = await app.open({ viewport: { width: 1366, height: 768 } });
    await new LoginPageObject(p).login('head.ri', 'head-pass-2026');
    await new ShellPageObject(p).waitVisible();
    // The registry is the first section; its "import from Excel" button leads to the import.
    await p.getByTestId('applicant-import').click();
    await p.getByTestId('import-card').waitFor();
    expect(await p.evaluate(() => location.hash)).toBe('#/applicants/import');

    await p.getByTestId('legacy-input').setInputFiles(file);
    await p.getByTestId('import-preview').waitFor();
    expect(await p.getByTestId('map-header-11').textContent()).toBe('Observations de l’animatrice');
    await p.getByTestId('import-mapping').scrollIntoViewIfNeeded();
    await app.screenshot(p, 'registry-import-mapping-ar');
    await lastColumnReachable(p, 11);
    await app.screenshot(p, 'registry-import-mapping-ar-end');

    // French: the preview stays (a language change re-renders the words only), the table still fits.
    await p.getByTestId('language-switch').getByText('Français').click();
    await expect.poll(() => p.getByTestId('import-check').textContent()).not.toMatch(/[\u0600-\u06FF]/);
    await lastColumnReachable(p, 11);
    await app.screenshot(p, 'registry-import-mapping-fr');

    await p.getByTestId('import-check').click();
    await p.getByTestId('import-summary').waitFor();
    expect(await p.getByTestId('import-summary').textContent()).toMatch(/3[^0-9].*3[^0-9].*0[^0-9].*0/); // total 3 · new 3 · duplicate 0 · invalid 0
    await p.getByTestId('import-commit').click();
    await waitImportDone(p);
    expect(await p.getByTestId('import-done').textContent()).toContain('3');
    expect(app.core.sqlite.prepare("SELECT COUNT(*) FROM applicants WHERE source = 'import'").pluck().get()).toBe(3);
    await app.screenshot(p, 'registry-import-done-fr');
  });
});
