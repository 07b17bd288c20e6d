/**
 * Issue 13 in Chromium: the Excel import check with the matching engine — a row that is a registered woman written in
 * the other script (strong: stopped until decided), one that may be (weak: imported, shown), one that is another woman
 * (nothing); lines that are not people counted apart; an approximate commune to confirm; the decision "attach to the
 * existing file" checked again and imported as checked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src-main/core/context';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import { startApp, waitImportDone, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

const as = { actor: { kind: 'cli', osUser: 'e2e' } as Actor };

describe('Excel import with the matching engine (web bridge + Chromium)', () => {
  let app: E2eApp;
  const dir = mkdtempSync(join(tmpdir(), 'jisr-e2e-im-'));
  let existing = { id: '', fileNo: '' };

  beforeAll(async () => {
    app = await startApp();
    const n = PROVINCE_NAMES.errachidia;
    await app.core.invoke('system.setup', {
      office: 'errachidia',
      settings: defaultOfficeSettings('errachidia', n.ar, n.fr),
      admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
    });
    await app.core.invoke('users.create', { username: 'head.im', displayName: 'رئيس المكتب', role: 'office_head', password: 'head-pass-2026', mustChange: false }, as);
    existing = await app.core.invoke(
      'applicants.create',
      {
        cin: 'U900001', firstNameAr: 'فاطمة الزهراء', lastNameAr: 'العلوي', firstNameLat: '', lastNameLat: '', sex: 'F', birthDate: '1990-03-09',
        communeCode: '08.201.01.05', isProjectHolder: true, consent: { given: true, date: '2026-01-05', textVersion: '2026-01', channel: 'paper' },
      } as never,
      as,
    );
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows candidates side by side with reasons, counts skipped lines apart, and imports with the decisions taken', async () => {
    const file = join(dir, 'liste.csv');
    writeFileSync(
      file,
      '\uFEFF' +
        [
          'Nom;Prénom;CIN;Date de naissance;Commune',
          'Alaoui;Fatima Zahra;UA100001;10/03/1990;Errachidia', // 2: strong (one day apart, other script)
          'Lalaoui;Fatima-Zahra;UA100002;20/11/1990;Goulmina', // 3: weak (same year only); commune misspelt
          'Alaoui;Fatiha;UA100003;09/03/1990;Errachidia', // 4: another woman
          ';;;;', // 5: blank
          'المجموع;;;;', // 6: totals
        ].join('\n') +
        '\n',
    );
    const p = await app.open();
    await new LoginPageObject(p).login('head.im', 'head-pass-2026');
    const shell = new ShellPageObject(p);
    await shell.waitVisible();
    await shell.go('reports');
    await p.getByTestId('legacy-input').setInputFiles(file);
    await p.getByTestId('import-preview').waitFor();
    await p.getByTestId('import-check').click();
    await p.getByTestId('import-candidates').waitFor();

    expect(await p.getByTestId('import-skipped').textContent()).toMatch(/سطر فارغ \(السطر 5\).*سطر مجموع \(السطر 6\)/);
    const strong = p.locator('[data-testid="import-candidate"][data-row="2"]');
    expect(await strong.getAttribute('data-outcome')).toBe('stopped');
    const text = await strong.textContent();
    expect(text).toContain('العلوي');
    expect(text).toContain(existing.fileNo);
    expect(text).toContain('الاسم العائلي مكتوب Alaoui / العلوي');
    expect(text).toContain('تاريخ الازدياد بفارق يوم واحد: 10/03/1990 / 09/03/1990');
    expect(await p.locator('[data-testid="import-candidate"][data-row="3"]').getAttribute('data-outcome')).toBe('new');
    expect(await p.locator('[data-testid="import-candidate"][data-row="4"]').count()).toBe(0);
    // The misspelt commune must be confirmed before the import.
    await p.getByTestId('import-approximate').waitFor();
    expect(await p.getByTestId('import-commit').isDisabled()).toBe(true);
    await app.screenshot(p, 'import-matching-check-ar');

    // "Attach to the existing file": checked again, the row is attached.
    await strong.getByTestId('import-decision').selectOption('attach');
    await p.waitForFunction(() => document.querySelector('[data-testid="import-candidate"][data-row="2"]')?.getAttribute('data-outcome') === 'attached');
    await p.getByTestId('import-confirm-communes').check();
    await p.getByTestId('import-commit').click();
    await waitImportDone(p);
    expect(await p.getByTestId('import-done').textContent()).toContain('1');
    const db = app.core.sqlite;
    expect(db.prepare("SELECT count(*) FROM applicants WHERE source = 'import'").pluck().get()).toBe(2);
    expect(db.prepare('SELECT applicant_id FROM import_rows WHERE row_no = 2').pluck().get()).toBe(existing.id);
  });
});
