import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src-main/core/context';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

const as = { actor: { kind: 'cli', osUser: 'e2e' } as Actor };

/** A legacy list: merged title, Arabic headers, a blank line, two good rows, one bad phone, one unknown commune. */
async function legacyList(path: string) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Feuil1');
  ws.getCell('A1').value = 'لائحة المستفيدات 2025';
  ws.mergeCells('A1:F1');
  ws.getRow(3).values = ['الاسم العائلي', 'الاسم الشخصي', 'رقم البطاقة الوطنية', 'تاريخ الازدياد', 'الهاتف', 'الجماعة'];
  ws.getRow(4).values = ['العلوي', 'فاطمة', 'U123456', '09/03/1990', '0612345678', 'الرشيدية'];
  ws.getRow(6).values = ['Ouhammou', 'Khadija', 'UA234567', 33000, '٠٦٦١٢٣٤٥٦٧', 'Goulmima'];
  ws.getRow(7).values = ['بوطالب', 'مليكة', 'U567890', '12/05/1988', '0612', 'الرشيدية'];
  ws.getRow(8).values = ['الحسني', 'زهرة', 'U678901', '01/01/1985', '', 'Casablanca'];
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
    await app.core.invoke('users.create', { username: 'head.err', displayName: 'رئيس المكتب', role: 'office_head', password: 'head-pass-2026' }, as);
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a legacy list, downloads the rejected rows, and the dashboard counts the new files', async () => {
    const file = join(dir, 'liste.xlsx');
    await legacyList(file);
    const p = await app.open();
    await new LoginPageObject(p).login('head.err', 'head-pass-2026');
    const shell = new ShellPageObject(p);
    await shell.waitVisible();
    await shell.go('reports');
    await p.getByTestId('dashboard-totals').waitFor();
    expect(await p.getByTestId('total-registeredToDate').textContent()).toBe('0');

    await p.getByTestId('legacy-input').setInputFiles(file);
    await p.getByTestId('import-commit').waitFor();
    const summary = await p.getByTestId('import-summary').textContent();
    expect(summary).toContain('3'); // header row 3
    expect(summary).toMatch(/4[^0-9].*2[^0-9].*0[^0-9].*2/); // total 4 · new 2 · duplicate 0 · invalid 2
    expect(await p.getByTestId('import-issues').textContent()).toContain('Casablanca');
    expect(app.core.sqlite.prepare('SELECT COUNT(*) FROM applicants').pluck().get()).toBe(0);
    await app.screenshot(p, 'reports-import-dry-run');

    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('import-rejects').click()]);
    const rejects = join(dir, 'rejects.xlsx');
    await download.saveAs(rejects);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(rejects);
    expect(wb.worksheets[0].actualRowCount).toBe(3);
    expect(wb.worksheets[0].views[0].rightToLeft).toBe(true);

    await p.getByTestId('import-commit').click();
    await p.getByTestId('import-done').waitFor();
    expect(app.core.sqlite.prepare("SELECT COUNT(*) FROM applicants WHERE consent_status = 'to_confirm' AND source = 'import'").pluck().get()).toBe(2);
    await expect.poll(async () => p.getByTestId('consent-pending').textContent()).toContain('2');

    await p.getByTestId('report-show').click();
    await expect.poll(async () => p.getByTestId('total-registeredToDate').textContent()).toBe('2');
    expect(await p.getByTestId('chart-communes').textContent()).toContain('كلميمة');
    await app.screenshot(p, 'reports-dashboard');

    const [wbDownload] = await Promise.all([p.waitForEvent('download'), p.getByTestId('report-workbook').click()]);
    const report = join(dir, 'report.xlsx');
    await wbDownload.saveAs(report);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(report);
    expect(book.worksheets[0].views[0].rightToLeft).toBe(true);
  });
});
