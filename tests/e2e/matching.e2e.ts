/**
 * Issue 13 in Chromium: the registration form's duplicate panel with a pair of each kind — same (strong: blocks saving
 * until decided, reasons in words), maybe (weak: shown, does not block), different (Karim / Karima: nothing) — in
 * Arabic and in French; and the registry search across scripts, variant spellings, a phone without its 0 and the end
 * of a file number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { ApplicantsPageObject } from './pages/applicants.page';
import { setupOffice, userToken } from '../helpers/core';

const cli = { actor: { kind: 'cli' as const, osUser: 'test' } };
const CONSENT = { given: true, date: '2026-01-05', textVersion: '2026-01', channel: 'paper' } as const;

describe('matching engine in the registration form and the search', () => {
  let app: E2eApp;
  const files: Record<string, { id: string; fileNo: string }> = {};
  beforeAll(async () => {
    app = await startApp();
    const { token } = await setupOffice(app.core, 'errachidia');
    await userToken(app.core, token, 'agent.match', 'agent');
    const add = async (k: string, p: Record<string, unknown>) =>
      (files[k] = await app.core.invoke(
        'applicants.create',
        { sex: 'F', phone: '0612345678', communeCode: '08.201.01.01', isProjectHolder: true, consent: CONSENT, firstNameLat: '', lastNameLat: '', firstNameAr: '', lastNameAr: '', ...p } as never,
        cli,
      ));
    // Written in Arabic only.
    await add('alaoui', { cin: 'UM100001', firstNameAr: 'فاطمة', lastNameAr: 'العلوي', birthDate: '1990-03-09', phone: '0661234567' });
    await add('karima', { cin: 'UM100002', firstNameAr: 'كريمة', lastNameAr: 'التازي', firstNameLat: 'Karima', lastNameLat: 'Tazi', birthDate: '1985-05-05' });
    await add('idrissi', { cin: 'UM100003', firstNameAr: 'خديجة', lastNameAr: 'الإدريسي', firstNameLat: 'Khadija', lastNameLat: 'El Idrissi', birthDate: '1975-07-07' });
    // Edited below into another registered woman (the edit is stopped until someone decides).
    await add('editAr', { cin: 'UM100004', firstNameLat: 'Hanane', lastNameLat: 'Berrada', birthDate: '1980-01-01' });
    await add('editFr', { cin: 'UM100005', firstNameLat: 'Souad', lastNameLat: 'Berrada', birthDate: '1981-01-01' });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function loggedIn(lang: 'ar' | 'fr'): Promise<{ page: Page; reg: ApplicantsPageObject }> {
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('agent.match', 'agent.match-pass-123');
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    if ((await shell.lang()) !== lang) await shell.switchLanguage(lang);
    const reg = new ApplicantsPageObject(page);
    await reg.openList();
    return { page, reg };
  }

  /** Waits for the live duplicate check of the form as it now stands (the request that carries `marker`). */
  const checked = (page: Page, marker: string) =>
    page.waitForResponse((r) => r.url().endsWith('/api/call') && (r.request().postData() ?? '').includes('applicants.checkDuplicates') && (r.request().postData() ?? '').includes(marker));

  it('in Arabic: same (strong, blocks until decided), maybe (weak, does not block), different (nothing)', async () => {
    const { page, reg } = await loggedIn('ar');
    // Same: the Arabic-only file typed in Latin letters, the article merged (العلوي → Lalaoui), Fatma for Fatima.
    await reg.openNew();
    await reg.giveConsent();
    await reg.fill({ cin: 'UM200001', firstNameLat: 'Fatma', lastNameLat: 'Lalaoui', birthDate: '09/03/1990' });
    await reg.waitCandidates(1);
    const card = reg.candidates().first();
    expect(await card.getAttribute('data-level')).toBe('strong');
    const reasons = await card.getByTestId('match-reasons').textContent();
    expect(reasons).toContain('احتمال قوي');
    expect(reasons).toContain('نفس تاريخ الازدياد 09/03/1990');
    expect(reasons).toContain('الاسم العائلي مكتوب Lalaoui / العلوي');
    expect(reasons).not.toMatch(/family_variant|birth_same|first_variant/);
    await app.screenshot(page, 'matching-strong-ar');
    await reg.save();
    await page.getByTestId('form-error').waitFor();
    await page.getByTestId('dup-distinct').first().click();
    await reg.save();
    expect(await reg.waitFile()).toBe('registered');

    // Maybe: the same name, born the same year on another day: shown as weak, saving needs no decision.
    await reg.openList();
    await reg.openNew();
    await reg.giveConsent();
    await reg.fill({ cin: 'UM200002', firstNameAr: 'خديجة', lastNameAr: 'الإدريسي', firstNameLat: 'Khadija', lastNameLat: 'Idrissi', birthDate: '20/11/1975' });
    await reg.waitCandidates(1);
    expect(await reg.candidates().first().getAttribute('data-level')).toBe('weak');
    expect(await reg.candidates().first().getByTestId('match-reasons').textContent()).toContain('نفس سنة الازدياد فقط: 20/11/1975 / 07/07/1975');
    await app.screenshot(page, 'matching-weak-ar');
    await reg.save();
    expect(await reg.waitFile()).toBe('registered');

    // Different: Karim, a man, born the same day as Karima Tazi: no candidate.
    await reg.openList();
    await reg.openNew();
    await reg.giveConsent();
    await reg.fill({ cin: 'UM200003', firstNameAr: 'كريم', lastNameAr: 'التازي', firstNameLat: 'Karim', lastNameLat: 'Tazi', birthDate: '05/05/1985' });
    const done = checked(page, '"sex":"M"');
    await page.getByTestId('f-sex').getByText('ذكر').click();
    const r = (await (await done).json()) as { ok: boolean; value: { candidates: unknown[] } };
    expect(r.value.candidates).toEqual([]);
    expect(await reg.candidates().count()).toBe(0);
    await reg.save();
    expect(await reg.waitFile()).toBe('registered');
  });

  it('in French: the reasons in French; the search across scripts, spellings, phone and file number', async () => {
    const { page, reg } = await loggedIn('fr');
    await reg.openNew();
    await reg.giveConsent();
    await reg.fill({ cin: 'UM300001', firstNameAr: 'فاطمة', lastNameAr: 'العلوي', birthDate: '1990-09-03' });
    await reg.waitCandidates(1);
    const text = await reg.candidates().first().getByTestId('match-reasons').textContent();
    expect(text).toContain('Probablement la même personne');
    expect(text).toContain('Jour et mois inversés dans la date de naissance : 03/09/1990 / 09/03/1990');
    await app.screenshot(page, 'matching-strong-fr');

    await reg.openList();
    // An Arabic query finds the file written only in Latin letters (Fatma Lalaoui, registered above) after the Arabic one.
    await reg.search('فاطمة العلوي');
    await reg.waitTotal(2);
    expect(await reg.rows().first().textContent()).toContain(files.alaoui.fileNo);
    // A Latin query finds the Arabic-only file.
    await reg.search('Fatima Alaoui');
    await reg.waitTotal(2);
    await reg.search('Lidrissi');
    await reg.waitTotal(2);
    // A phone without its 0, and the end of a file number.
    await reg.search('661234567');
    await reg.waitTotal(1);
    expect(await reg.rows().first().textContent()).toContain(files.alaoui.fileNo);
    await reg.search(files.idrissi.fileNo.slice(-6));
    await page.waitForFunction(
      (no) => document.querySelectorAll('[data-testid="applicant-row"]').length === 1 && document.querySelector('[data-testid="applicant-row"]')!.textContent!.includes(no),
      files.idrissi.fileNo,
    );
    await app.screenshot(page, 'matching-search-fr');
  });

  for (const lang of ['ar', 'fr'] as const) {
    it(`editing a file into a registered woman: the strong candidate blocks the save until decided (${lang})`, async () => {
      const { page, reg } = await loggedIn(lang);
      const file = lang === 'ar' ? files.editAr : files.editFr;
      await page.evaluate((id) => (location.hash = `#/applicants/${id}/edit`), file.id);
      await page.getByTestId('applicant-form').waitFor();
      // Her names typed as the Arabic-only file (Fatima Alaoui), born one day apart: the same woman, probably.
      await page.getByTestId('f-firstNameLat').fill('Fatima');
      await page.getByTestId('f-lastNameLat').fill('El Alaoui');
      await page.getByTestId('f-birthDate').fill('10/03/1990');
      await reg.waitCandidates(1);
      const card = reg.candidates().first();
      expect(await card.getAttribute('data-level')).toBe('strong');
      await reg.save();
      await page.getByTestId('form-error').waitFor();
      const text = await page.getByTestId('dup-panel').textContent();
      expect(text).toContain(lang === 'ar' ? 'احتمال قوي' : 'Probablement la même personne');
      expect(text).toContain('10/03/1990');
      expect(text).not.toMatch(/birth_one_day|family_variant|first_variant/);
      await card.scrollIntoViewIfNeeded();
      await app.screenshot(page, `matching-edit-blocked-${lang}`);
      // Decided "another person": saved, the decision recorded with the edit (once, in Arabic).
      if (lang !== 'ar') return;
      // Every strong candidate is decided: the Arabic-only file, and Fatma Lalaoui when the registration test ran
      // before. Each decision re-renders the panel (a decided card loses its button), so the buttons are taken one at
      // a time, each time the first one left: clicking handles gathered beforehand (`.all()`) missed the second
      // candidate, the form then refused the save ("decide about every similar file") and stayed on the edit —
      // why this save once "did not reach the file page".
      const undecided = page.getByTestId('dup-distinct');
      for (let left = await undecided.count(); left > 0; left--) {
        await undecided.first().click();
        await expect.poll(() => undecided.count()).toBe(left - 1);
      }
      await reg.save();
      expect(await reg.waitFile()).toBe('registered');
      const decided = app.core.sqlite.prepare('SELECT decision FROM duplicate_decisions WHERE applicant_id = ? AND other_id = ?').pluck().all(file.id, files.alaoui.id);
      expect(decided).toEqual(['distinct']);
      expect(await page.getByTestId('applicant-page').textContent()).toContain('El Alaoui');
    });
  }
});
