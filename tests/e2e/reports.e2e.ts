import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src-main/core/context';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import { columnLetter, missingFor, sameMapping } from '../../src-renderer/features/reports/import-mapping';
import { SCREENSHOTS, startApp, waitImportDone, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

const as = { actor: { kind: 'cli', osUser: 'e2e' } as Actor };

/** A screenshot of one part of the page (a full-page shot draws the fixed shell where the page was scrolled to). */
async function shot(l: Locator, name: string) {
  // A viewport as tall as the page, so that the fixed header does not cover a tall element.
  const p = l.page();
  const size = p.viewportSize()!;
  const height = await p.evaluate(() => document.documentElement.scrollHeight);
  await p.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  await l.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  await p.setViewportSize(size);
}

/**
 * A legacy list: merged title, Arabic headers (the CIN column under a header the proposal does not know,
 * a notes column it ignores), a blank line, two good rows, one bad phone, one unknown commune.
 */
async function legacyList(path: string) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Feuil1');
  ws.getCell('A1').value = 'لائحة المستفيدات 2025';
  ws.mergeCells('A1:G1');
  ws.getRow(3).values = ['الاسم العائلي', 'الاسم الشخصي', 'الرقم الوطني', 'تاريخ الازدياد', 'الهاتف', 'الجماعة', 'ملاحظات'];
  ws.getRow(4).values = ['العلوي', 'فاطمة', 'U123456', '09/03/1990', '0612345678', 'الرشيدية', 'خياطة'];
  ws.getRow(6).values = ['Ouhammou', 'Khadija', 'UA234567', 33000, '٠٦٦١٢٣٤٥٦٧', 'Goulmima', 'Couture 2024'];
  ws.getRow(7).values = ['بوطالب', 'مليكة', 'U567890', '12/05/1988', '0612', 'الرشيدية', ''];
  ws.getRow(8).values = ['الحسني', 'زهرة', 'U678901', '01/01/1985', '', 'Casablanca', ''];
  await wb.xlsx.writeFile(path);
}

/** Two sheets, one list a year: the import reads the first unless the user names another. */
async function twoSheets(path: string) {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of [
    ['2024', [['Amrani', 'Naima', 'U111111', '02/02/1992', 'Errachidia']]],
    ['2025', [['Idrissi', 'Samira', 'U222222', '03/03/1993', 'Goulmima'], ['Alaoui', 'Hanane', 'U333333', '04/04/1994', 'Goulmima']]],
  ] as const) {
    const ws = wb.addWorksheet(name);
    ws.addRow(['Nom', 'Prénom', 'CIN', 'Date de naissance', 'Commune']);
    for (const r of rows) ws.addRow([...r]);
  }
  await wb.xlsx.writeFile(path);
}

describe('reports: dashboard and the import journey with a rejected-rows workbook (web bridge + Chromium)', () => {
  let app: E2eApp;
  const dir = mkdtempSync(join(tmpdir(), 'jisr-e2e-r-'));

  beforeAll(async () => {
    app = await startApp();
    const n = PROVINCE_NAMES.errachidia;
    await app.core.invoke('system.setup', {
      office: 'errachidia',
      settings: defaultOfficeSettings('errachidia', n.ar, n.fr),
      admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
    });
    await app.core.invoke('users.create', { username: 'head.err', displayName: 'رئيس المكتب', role: 'office_head', password: 'head-pass-2026', mustChange: false }, as);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps an unrecognised column, checks, downloads the rejected rows, imports once, and records a consent from the list', async () => {
    const file = join(dir, 'liste.xlsx');
    await legacyList(file);
    const p = await app.open();
    // Every API call the page makes, to see what ran with which input.
    const calls: { method: string; input: any }[] = [];
    p.on('request', (r) => {
      if (r.url().includes('/api/call') && r.method() === 'POST') calls.push(JSON.parse(r.postData() ?? '{}'));
    });
    const called = (m: string) => calls.filter((c) => c.method === m);
    await new LoginPageObject(p).login('head.err', 'head-pass-2026');
    const shell = new ShellPageObject(p);
    await shell.waitVisible();
    await shell.go('reports');
    await p.getByTestId('dashboard-totals').waitFor();
    expect(await p.getByTestId('total-registeredToDate').textContent()).toBe('0');
    await expect.poll(async () => p.getByTestId('consent-empty').isVisible()).toBe(true);

    // Choosing the file reads it: header row, proposed mapping, first rows. Nothing is checked yet.
    await p.getByTestId('legacy-input').setInputFiles(file);
    await p.getByTestId('import-preview').waitFor();
    expect(await p.getByTestId('import-file').textContent()).toMatch(/liste\.xlsx.*Feuil1.*3.*4/);
    expect(await p.getByTestId('map-header-2').textContent()).toBe('الرقم الوطني');
    expect(await p.getByTestId('map-letter-2').textContent()).toBe('C');
    expect(await p.getByTestId('map-col-0').inputValue()).toBe('lastName');
    expect(await p.getByTestId('map-col-5').inputValue()).toBe('commune');
    expect(await p.getByTestId('map-col-2').inputValue()).toBe(''); // not recognised
    expect(await p.getByTestId('map-col-6').inputValue()).toBe(''); // notes: ignored
    expect(await p.getByTestId('import-preview-row').count()).toBe(4);
    expect(await p.getByTestId('import-mapping').textContent()).toContain('Ouhammou');
    expect(await p.getByTestId('import-missing').textContent()).toContain('رقم البطاقة الوطنية');
    expect(await p.getByTestId('import-check').isDisabled()).toBe(true);
    expect(called('imports.preview')).toHaveLength(1);
    expect(called('imports.analyse')).toHaveLength(0);
    await shot(p.getByTestId('import-card'), 'reports-import-mapping');

    // The user says column C holds the CIN: the message goes, and still nothing runs until "check".
    await p.getByTestId('map-col-2').selectOption('cin');
    await p.getByTestId('import-mapping-ok').waitFor();
    expect(await p.getByTestId('import-missing').count()).toBe(0);
    expect(called('imports.analyse')).toHaveLength(0);
    expect(called('imports.preview')).toHaveLength(1);

    await p.getByTestId('import-check').click();
    await p.getByTestId('import-commit').waitFor();
    expect(called('imports.analyse')).toHaveLength(1);
    const mapping = called('imports.analyse')[0].input.mapping;
    expect(mapping).toMatchObject({ '0': 'lastName', '1': 'firstName', '2': 'cin', '3': 'birthDate', '4': 'phone', '5': 'commune' });
    expect(mapping['6']).toBeUndefined();
    const summary = await p.getByTestId('import-summary').textContent();
    expect(summary).toContain('3'); // header row 3
    expect(summary).toMatch(/4[^0-9].*2[^0-9].*0[^0-9].*2/); // total 4 · new 2 · duplicate 0 · invalid 2
    expect(await p.getByTestId('import-issues').textContent()).toContain('Casablanca');
    expect(app.core.sqlite.prepare('SELECT COUNT(*) FROM applicants').pluck().get()).toBe(0);
    await shot(p.getByTestId('import-card'), 'reports-import-dry-run');

    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('import-rejects').click()]);
    const rejects = join(dir, 'rejects.xlsx');
    await download.saveAs(rejects);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(rejects);
    const rws = wb.worksheets[0];
    expect(rws.actualRowCount).toBe(3);
    expect(rws.views[0].rightToLeft).toBe(true);
    const rejectText = JSON.stringify(rws.getSheetValues());
    expect(rejectText).toContain('U567890'); // the bad phone, with its CIN read from the remapped column
    expect(rejectText).toContain('Casablanca');

    // A change after the check makes it stale: no import until checked again; undoing the change restores it.
    await p.getByTestId('map-col-6').selectOption('address');
    await p.getByTestId('import-stale').waitFor();
    expect(await p.getByTestId('import-commit').count()).toBe(0);
    await p.getByTestId('map-col-6').selectOption('');
    await p.getByTestId('import-commit').waitFor();
    expect(called('imports.analyse')).toHaveLength(1);

    await p.getByTestId('import-commit').click();
    await waitImportDone(p);
    const commit = called('imports.commit');
    expect(commit).toHaveLength(1);
    expect(commit[0].input.mapping).toEqual(called('imports.analyse')[0].input.mapping);
    expect(app.core.sqlite.prepare("SELECT COUNT(*) FROM applicants WHERE consent_status = 'to_confirm' AND source = 'import'").pluck().get()).toBe(2);
    await expect.poll(async () => p.getByTestId('consent-pending').textContent()).toContain('2');

    // The same file again: the same mapping, the check finds nothing new and offers no import.
    await p.getByTestId('legacy-input').setInputFiles(file);
    await expect.poll(async () => p.getByTestId('map-col-2').inputValue().catch(() => 'x')).toBe('');
    await p.getByTestId('map-col-2').selectOption('cin');
    await p.getByTestId('import-check').click();
    await p.getByTestId('import-nothing-new').waitFor();
    expect(await p.getByTestId('import-summary').textContent()).toMatch(/4[^0-9].*0[^0-9].*2[^0-9].*2/); // total 4 · new 0 · duplicate 2 · invalid 2
    expect(await p.getByTestId('import-issues').textContent()).toContain('مستورد من قبل');
    expect(await p.getByTestId('import-commit').count()).toBe(0);
    expect(app.core.sqlite.prepare('SELECT COUNT(*) FROM applicants').pluck().get()).toBe(2);

    // Consent to be confirmed: the list, the link to the file, the information text, then "given".
    const fatima = app.core.sqlite.prepare("SELECT id, file_no FROM applicants WHERE cin = 'U123456'").get() as { id: string; file_no: string };
    const row = p.getByTestId(`consent-row-${fatima.file_no}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('فاطمة');
    expect(await p.getByTestId(`consent-link-${fatima.file_no}`).getAttribute('href')).toBe(`#/applicants/${fatima.id}`);
    await shot(p.getByTestId('consent-list'), 'reports-consent-list');
    await p.getByTestId(`consent-record-${fatima.file_no}`).click();
    await p.getByTestId('consent-modal-text').waitFor();
    expect(await p.getByTestId('consent-modal-text').textContent()).toContain('09-08');
    expect(await p.getByTestId('consent-modal-given').isDisabled()).toBe(true); // not before she agrees
    await p.getByTestId('consent-modal-channel').selectOption('oral');
    await p.getByTestId('consent-modal-agrees').check();
    await shot(p.getByRole('dialog'), 'reports-consent-modal');
    await p.getByTestId('consent-modal-given').click();
    await p.getByTestId('consent-message').waitFor();
    const rec = app.core.sqlite.prepare('SELECT consent_status, consent_channel, consent_text_version, consent_date FROM applicants WHERE id = ?').get(fatima.id) as Record<string, string>;
    expect(rec).toMatchObject({ consent_status: 'given', consent_channel: 'oral' });
    expect(rec.consent_text_version).toBe((await app.core.invoke('applicants.consentText', {}, as)).version);
    await expect.poll(async () => p.getByTestId('consent-pending').textContent()).toContain('1');
    expect(await p.getByTestId(`consent-row-${fatima.file_no}`).count()).toBe(0);
    expect(app.core.sqlite.prepare("SELECT COUNT(*) FROM audit_log WHERE entity = 'applicants' AND entity_id = ?").pluck().get(fatima.id)).toBeGreaterThan(0);

    await p.getByTestId('report-show').click();
    await expect.poll(async () => p.getByTestId('total-registeredToDate').textContent()).toBe('2');
    await p.evaluate(() => window.scrollTo(0, 0));
    expect(await p.getByTestId('chart-communes').textContent()).toContain('كلميمة');
    await app.screenshot(p, 'reports-dashboard');

    const [wbDownload] = await Promise.all([p.waitForEvent('download'), p.getByTestId('report-workbook').click()]);
    const report = join(dir, 'report.xlsx');
    await wbDownload.saveAs(report);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(report);
    expect(book.worksheets[0].views[0].rightToLeft).toBe(true);

    // French: the mapping labels and the list in French, left to right.
    await shell.switchLanguage('fr');
    await p.getByTestId('legacy-input').setInputFiles(file);
    await p.getByTestId('import-preview').waitFor();
    expect(await p.getByTestId('import-missing').textContent()).toContain('CIN');
    expect(await p.getByTestId('map-col-3').locator('option:checked').textContent()).toBe('Date de naissance');
    await shot(p.getByTestId('import-card'), 'reports-import-mapping-fr');
    await shot(p.getByTestId('consent-list'), 'reports-consent-list-fr');

    // The link opens the file.
    const khadija = app.core.sqlite.prepare("SELECT id, file_no FROM applicants WHERE cin = 'UA234567'").get() as { id: string; file_no: string };
    await p.getByTestId(`consent-link-${khadija.file_no}`).click();
    await expect.poll(async () => p.evaluate(() => window.location.hash)).toBe(`#/applicants/${khadija.id}`);
  });

  it('reads the sheet the user names in a workbook of several sheets', async () => {
    const file = join(dir, 'deux-feuilles.xlsx');
    await twoSheets(file);
    const p = await app.open();
    await new LoginPageObject(p).login('head.err', 'head-pass-2026');
    const shell = new ShellPageObject(p);
    await shell.waitVisible();
    await shell.go('reports');
    await p.getByTestId('legacy-input').setInputFiles(file);
    await p.getByTestId('import-preview').waitFor();
    expect(await p.getByTestId('import-file').textContent()).toContain('2024');
    expect(await p.getByTestId('import-preview-row').count()).toBe(1);
    // The workbook's sheets are offered by name.
    expect(await p.getByTestId('import-sheet').locator('option').allTextContents()).toEqual(['2024', '2025']);
    await p.getByTestId('import-sheet').selectOption('2025');
    await expect.poll(async () => p.getByTestId('import-preview-row').count()).toBe(2);
    expect(await p.getByTestId('import-file').textContent()).toContain('2025');
    await p.getByTestId('import-check').click();
    await p.getByTestId('import-commit').waitFor();
    await p.getByTestId('import-commit').click();
    await waitImportDone(p);
    expect(app.core.sqlite.prepare("SELECT COUNT(*) FROM applicants WHERE cin IN ('U222222', 'U333333')").pluck().get()).toBe(2);
    expect(app.core.sqlite.prepare("SELECT COUNT(*) FROM applicants WHERE cin = 'U111111'").pluck().get()).toBe(0);
    // The header row can be chosen; a row past the end of the sheet: a translated message, not a crash.
    await p.getByTestId('import-header-row').fill('999');
    await p.getByTestId('import-read-header').click();
    await p.getByTestId('import-error').waitFor();
    expect(await p.getByTestId('import-error').textContent()).toMatch(/999/);
    // The sheet read before stays on screen.
    expect(await p.getByTestId('import-file').textContent()).toContain('2025');
  });

  it('pages through the files whose consent is to be confirmed and records a refusal', async () => {
    // 25 more imported people (a CSV, imported from the command line): with those of the tests above, two pages.
    const csv = join(dir, 'anciens.csv');
    const lines = ['Nom;Prénom;CIN;Date de naissance;Commune'];
    // Born 1975–1999: within the programme's age range (an age outside it is refused by the import).
    for (let i = 0; i < 25; i++) lines.push(`Nom${String.fromCharCode(65 + i)};Prenom${String.fromCharCode(65 + i)};V${100000 + i};0${1 + (i % 9)}/0${1 + (i % 9)}/19${75 + i};Goulmima`);
    writeFileSync(csv, lines.join('\n'));
    const r = await app.core.invoke('imports.commit', { path: csv, lang: 'ar' }, as);
    expect(r.new).toBe(25);
    const total = app.core.sqlite.prepare("SELECT COUNT(*) FROM applicants WHERE consent_status = 'to_confirm'").pluck().get() as number;
    expect(total).toBeGreaterThan(20);

    const p = await app.open();
    await new LoginPageObject(p).login('head.err', 'head-pass-2026');
    const shell = new ShellPageObject(p);
    await shell.waitVisible();
    await shell.go('reports');
    const pager = p.getByTestId('consent-pager');
    await pager.waitFor();
    expect(await pager.textContent()).toContain(`1–20`);
    expect(await pager.textContent()).toContain(String(total));
    expect(await p.locator('[data-testid^="consent-row-"]').count()).toBe(20);
    await pager.getByRole('button').last().click();
    await expect.poll(async () => p.locator('[data-testid^="consent-row-"]').count()).toBe(total - 20);
    expect(await pager.textContent()).toContain(`21–${total}`);

    // A refusal on the second page: she is no longer listed, the page stays.
    const last = app.core.sqlite
      .prepare("SELECT id, file_no FROM applicants WHERE consent_status = 'to_confirm' ORDER BY file_no DESC LIMIT 1")
      .get() as { id: string; file_no: string };
    await p.getByTestId(`consent-record-${last.file_no}`).click();
    await p.getByTestId('consent-modal-text').waitFor();
    await p.getByTestId('consent-modal-refused').click();
    await p.getByTestId('consent-message').waitFor();
    await expect.poll(async () => p.locator('[data-testid^="consent-row-"]').count()).toBe(total - 21);
    expect(await pager.textContent()).toContain(`21–${total - 1}`);
    expect(app.core.sqlite.prepare('SELECT consent_status FROM applicants WHERE id = ?').pluck().get(last.id)).toBe('refused');
    await shot(p.getByTestId('consent-list'), 'reports-consent-list-page2');
  });
});

describe('reports: the coordinator sees the region dashboard but not the import or the consent list', () => {
  let region: E2eApp;
  beforeAll(async () => {
    region = await startApp();
    const n = PROVINCE_NAMES.region;
    await region.core.invoke('system.setup', {
      office: 'region',
      settings: defaultOfficeSettings('region', n.ar, n.fr),
      admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
    });
    await region.core.invoke('users.create', { username: 'coord', displayName: 'المنسقة الجهوية', role: 'coordinator', password: 'coord-pass-2026', mustChange: false }, as);
  });
  afterAll(async () => {
    await region?.close();
  });

  it('hides the import and the list, and the backend refuses them', async () => {
    const p = await region.open();
    await new LoginPageObject(p).login('coord', 'coord-pass-2026');
    const shell = new ShellPageObject(p);
    await shell.waitVisible();
    await shell.go('reports');
    await p.getByTestId('dashboard-totals').waitFor();
    expect(await p.getByTestId('import-card').count()).toBe(0);
    expect(await p.getByTestId('consent-list').count()).toBe(0);
    const session = (await shell.sessionToken())!;
    for (const m of ['imports.consentPending', 'imports.preview']) {
      const r = await region.http(m, m === 'imports.preview' ? { uploadId: 'x' } : {}, session);
      expect(r.ok, m).toBe(false);
      expect(r.error?.code, m).toBe('auth.forbidden');
    }
  });
});

describe('reports: the mapping step\'s helpers', () => {
  it('tells the missing required fields by the core\'s own rule (shared/import-mapping.ts)', () => {
    expect(missingFor({})).toEqual(['cin', 'names', 'birthDate', 'commune']);
    expect(missingFor({ '0': 'cin', '1': 'fullName', '2': 'birthDate', '3': 'commune' })).toEqual([]);
    expect(missingFor({ '0': 'cin', '1': 'lastNameAr', '2': 'firstNameLat', '3': 'birthDate', '4': 'commune' })).toEqual(['names']); // names in one script
    expect(missingFor({ '0': 'cin', '1': 'lastName', '2': 'firstName', '3': 'birthDate', '4': 'phone' })).toEqual(['commune']);
  });

  it('names columns as Excel does, compares mappings', () => {
    expect([0, 2, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'C', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
    expect(sameMapping({ '0': 'cin', '2': 'phone' }, { '2': 'phone', '0': 'cin' })).toBe(true);
    expect(sameMapping({ '0': 'cin' }, { '0': 'cin', '1': 'phone' })).toBe(false);
    expect(sameMapping({ '0': 'cin' }, { '1': 'cin' })).toBe(false);
  });
});
