/**
 * Issue 13 in Chromium: the Excel import check with the matching engine — a row that is a registered woman written in
 * the other script (strong: stopped until decided), one that may be (weak: imported, shown), one that is another woman
 * (nothing); lines that are not people counted apart; an approximate commune to confirm; the decision "attach to the
 * existing file" checked again and imported as checked. Within one list: two rows that are one woman (a repeat), two
 * that may be (shown side by side, the import waits for "same" or "different"), two that are two women (nothing), in
 * Arabic and in French.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src-main/core/context';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import { SCREENSHOTS, startApp, waitImportDone, type E2eApp } from './harness';
import type { Page } from 'playwright-core';
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

  /** A list with a pair of each kind within it (no registry file is like them), checked by the office head. */
  async function checkPairs(lang: 'ar' | 'fr', name: string, rows: string[]): Promise<Page> {
    const file = join(dir, name);
    writeFileSync(file, '\uFEFF' + ['Nom;Prénom;CIN;Date de naissance;Commune', ...rows].join('\n') + '\n');
    const p = await app.open();
    await new LoginPageObject(p).login('head.im', 'head-pass-2026');
    const shell = new ShellPageObject(p);
    await shell.waitVisible();
    if ((await shell.lang()) !== lang) await shell.switchLanguage(lang);
    await shell.go('reports');
    await p.getByTestId('legacy-input').setInputFiles(file);
    await p.getByTestId('import-preview').waitFor();
    await p.getByTestId('import-check').click();
    await p.getByTestId('import-candidates').waitFor();
    return p;
  }

  it('within one list (ar): the maybe pair shown with both rows and decided; "different" imports both and records it', async () => {
    const p = await checkPairs('ar', 'paires.csv', [
      'Bennani;Naima;UC500001;01/02/1985;Errachidia', // 2
      'بناني;نعيمة;UC500002;01/02/1985;Errachidia', // 3 same as row 2 (other script, same day): a repeat
      'Ouhammou;Khadija;UC500003;05/07/1988;Errachidia', // 4
      'Ouhamou;Khadija;UC500004;12/01/1988;Errachidia', // 5 maybe row 4 (same year only): to decide
      'Tahiri;Fatima;UC500005;03/03/1987;Errachidia', // 6
      'Tahiri;Fatiha;UC500006;03/03/1987;Errachidia', // 7 another woman than row 6: nothing
    ]);
    // Same: row 3 is a repeat of row 2 (listed with the reason); different: rows 6 and 7 are not shown.
    const issues = p.getByTestId('import-issues').locator('tbody tr');
    expect(await issues.count()).toBe(1);
    expect(await issues.first().textContent()).toBe('3مكرر في نفس الملف (السطر 2).');
    expect((await p.locator('[data-testid="import-candidate"]').evaluateAll((e) => e.map((x) => x.getAttribute('data-row'))))).toEqual(['5']);
    const row = p.locator('[data-testid="import-candidate"][data-row="5"]');
    expect(await row.getAttribute('data-outcome')).toBe('new');
    const pair = row.locator('[data-testid="import-pair"][data-other-row="4"]');
    expect(await pair.getAttribute('data-decision')).toBe('');
    const text = (await pair.textContent()) ?? '';
    expect(text).toContain('السطر 4 من هذا الملف قد يكون نفس الشخص في السطر 5');
    expect(text).toContain('Ouhammou');
    expect(text).toContain('Ouhamou');
    expect(text).toContain('05/07/1988');
    expect(text).toContain('UC500003');
    expect(text).toContain('نفس سنة الازدياد فقط: 12/01/1988 / 05/07/1988');
    expect(text).not.toMatch(/birth_same_year|first_same|rowPairs|same_row/);
    await pair.scrollIntoViewIfNeeded();
    await app.screenshot(p, 'import-pairs-check-ar');
    await row.screenshot({ path: join(SCREENSHOTS, 'import-pairs-row-ar.png') });

    await pair.getByTestId('import-pair-decision').selectOption('different');
    await p.waitForFunction(() => document.querySelector('[data-testid="import-pair"][data-other-row="4"]')?.getAttribute('data-decision') === 'different');
    await p.getByTestId('import-commit').click();
    await waitImportDone(p);
    const db = app.core.sqlite;
    const byRow = new Map(
      (db.prepare("SELECT r.row_no AS rowNo, r.applicant_id AS id FROM import_rows r JOIN import_batches b ON b.id = r.batch_id WHERE b.file_name = 'paires.csv'").all() as { rowNo: number; id: string }[]).map((x) => [x.rowNo, x.id]),
    );
    expect([...byRow.keys()].sort()).toEqual([2, 4, 5, 6, 7]);
    expect(db.prepare('SELECT other_id, decision FROM duplicate_decisions WHERE applicant_id = ?').all(byRow.get(5))).toEqual([{ other_id: byRow.get(4), decision: 'distinct' }]);
    await p.locator('[data-testid="import-pair-decided"]').first().waitFor();
    expect(await p.getByTestId('import-pair-decided').textContent()).toBe('شخصان مختلفان: استورد السطران');
  });

  it('within one list (fr): the maybe pair in French; "same" attaches the row to the earlier row’s file', async () => {
    // Other women than the Arabic list's (imported by now: they would be registry candidates).
    const p = await checkPairs('fr', 'paires-fr.csv', [
      'Berrada;Samira;UC600001;11/04/1983;Errachidia', // 2
      'برادة;سميرة;UC600002;11/04/1983;Errachidia', // 3 same as row 2: a repeat
      'Ouzzine;Hanane;UC600003;05/07/1992;Errachidia', // 4
      'Ouzine;Hanane;UC600004;12/01/1992;Errachidia', // 5 maybe row 4 (same year only): to decide
      'Chraibi;Fatima;UC600005;03/03/1989;Errachidia', // 6
      'Chraibi;Fatiha;UC600006;03/03/1989;Errachidia', // 7 another woman than row 6: nothing
    ]);
    const row = p.locator('[data-testid="import-candidate"][data-row="5"]');
    expect(await row.getAttribute('data-outcome')).toBe('new');
    const pair = row.locator('[data-testid="import-pair"][data-other-row="4"]');
    const text = (await pair.textContent()) ?? '';
    expect(text).toContain('La ligne 4 de ce fichier est peut-être la même personne que la ligne 5');
    expect(text).toContain('Même année de naissance seulement : 12/01/1992 / 05/07/1992');
    expect(text).toContain('Ouzzine');
    expect(await p.locator('[data-testid="import-candidate"]').count()).toBe(1);
    await pair.scrollIntoViewIfNeeded();
    await app.screenshot(p, 'import-pairs-check-fr');
    await row.screenshot({ path: join(SCREENSHOTS, 'import-pairs-row-fr.png') });
    await pair.getByTestId('import-pair-decision').selectOption('same');
    await p.waitForFunction(() => document.querySelector('[data-testid="import-candidate"][data-row="5"]')?.getAttribute('data-outcome') === 'same_row');
    expect(await row.getByTestId('import-candidate-outcome').textContent()).toBe('Sera rattachée au dossier d’une autre ligne de la liste');
    await app.screenshot(p, 'import-pairs-same-fr');
    await row.screenshot({ path: join(SCREENSHOTS, 'import-pairs-row-same-fr.png') });
    await p.getByTestId('import-commit').click();
    await waitImportDone(p);
    const db = app.core.sqlite;
    const rows = db.prepare("SELECT r.row_no AS rowNo, r.applicant_id AS id FROM import_rows r JOIN import_batches b ON b.id = r.batch_id WHERE b.file_name = 'paires-fr.csv' ORDER BY r.row_no").all() as { rowNo: number; id: string }[];
    expect(rows.map((r) => r.rowNo)).toEqual([2, 4, 5, 6, 7]);
    expect(rows.find((r) => r.rowNo === 5)!.id).toBe(rows.find((r) => r.rowNo === 4)!.id);
    expect(await p.getByTestId('import-done').textContent()).toContain('1 ligne(s) rattachée(s) au dossier de la même personne');
    await p.locator('[data-testid="import-pair-decided"]').first().waitFor();
    expect(await p.getByTestId('import-pair-decided').textContent()).toBe('La même personne : la ligne 5 rattachée au dossier de la ligne 4');
  });
});
