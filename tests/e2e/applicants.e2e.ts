import { localDate } from '../../src-main/shared/time';
import { ageOn } from '../../src-main/shared/normalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject, waitFieldError } from './pages/auth.page';
import { ApplicantsPageObject } from './pages/applicants.page';
import { setupOffice, userToken } from '../helpers/core';

const cli = { actor: { kind: 'cli' as const, osUser: 'test' } };

describe('applicant registry in Chromium: register → duplicate warning → search → open → change status', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp();
    const { token } = await setupOffice(app.core, 'errachidia');
    await userToken(app.core, token, 'agent.err', 'agent');
  });
  afterAll(async () => {
    await app?.close();
  });

  async function loggedIn(lang: 'ar' | 'fr'): Promise<{ page: Page; reg: ApplicantsPageObject }> {
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('agent.err', 'agent.err-pass-123');
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    if ((await shell.lang()) !== lang) await shell.switchLanguage(lang);
    const reg = new ApplicantsPageObject(page);
    await reg.openList();
    return { page, reg };
  }

  it('in Arabic', async () => {
    const { page, reg } = await loggedIn('ar');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await reg.openNew();
    // The law 09-08 text is shown, and nothing can be typed before the consent is ticked.
    expect(await page.getByTestId('consent-text').textContent()).toMatch(/09-08/);
    expect(await page.getByTestId('f-cin').isDisabled()).toBe(true);
    await reg.giveConsent();
    await reg.fill({ cin: 'ab-123 456', firstNameAr: 'فاطمة الزهراء', lastNameAr: 'أيت علي', firstNameLat: 'Fatima Zahra', lastNameLat: 'Ait Ali', birthDate: '09/03/1990', phone: '06 12 34 56 78' });
    // Live hints: the age from the birth date, the phone in E.164, the CIN normalised.
    // Her age today on the office's calendar, computed here from the same clock the page reads.
    const age = ageOn('1990-03-09', localDate(new Date()));
    expect(await page.getByTestId('age-live').textContent()).toBe(`السن: ${age} سنة`);
    expect(await page.getByTestId('phone-normalised').textContent()).toContain('+212612345678');
    await page.getByTestId('f-phone').focus(); // leaving the CIN field normalises it
    expect(await page.getByTestId('f-cin').inputValue()).toBe('AB123456');
    await app.screenshot(page, 'applicant-form-ar');
    await reg.save();
    expect(await reg.waitFile()).toBe('registered');
    const firstId = new URL(page.url()).hash.split('/')[2];

    // The same woman spelled differently, with another CIN: the likely duplicate is shown side by side.
    await reg.openList();
    await reg.openNew();
    await reg.giveConsent();
    await reg.fill({ cin: 'AB654321', firstNameAr: 'فاطمه الزهراء', lastNameAr: 'ايت علي', firstNameLat: 'Fatimazahra', lastNameLat: 'Aït-Ali', birthDate: '1990-03-09' });
    await reg.waitCandidates(1);
    expect(await reg.candidates().first().textContent()).toContain('أيت علي');
    await app.screenshot(page, 'applicant-duplicate-ar');
    // Saving without a decision is refused, with a message.
    await reg.save();
    await page.getByTestId('form-error').waitFor();
    // "This is another person" is recorded and the file saved.
    await page.getByTestId('dup-distinct').first().click();
    await reg.save();
    expect(await reg.waitFile()).toBe('registered');
    const secondId = new URL(page.url()).hash.split('/')[2];
    expect(secondId).not.toBe(firstId);

    // A taken CIN is refused at the field, pointing to the existing file, which can be opened.
    await reg.openList();
    await reg.openNew();
    await reg.giveConsent();
    await reg.fill({ cin: 'AB 123456', firstNameLat: 'Hanane', lastNameLat: 'Bennani', birthDate: '01/01/1995' });
    await page.getByTestId('dup-cin-taken').waitFor();
    const firstFileNo = (await app.core.invoke('applicants.get', { id: firstId }, cli)).fileNo;
    expect(await waitFieldError(page, 'f-cin')).toContain(firstFileNo);
    await page.getByTestId('dup-open-cin').click();
    await reg.waitFile();
    expect(new URL(page.url()).hash.split('/')[2]).toBe(firstId);

    // Search as you type, across scripts; open; change the status (only legal moves are offered).
    await reg.openList();
    await reg.search('ايت علي');
    await reg.waitTotal(2);
    await reg.search('AB12');
    await reg.waitTotal(1);
    await app.screenshot(page, 'applicant-list-ar');
    await reg.rows().first().click();
    await reg.waitFile();
    expect(await reg.statusMoves()).toEqual(['oriented', 'not_retained', 'dropped_out']);
    await reg.changeStatus('oriented', { reason: 'مقابلة التوجيه' });
    await reg.waitStatus('oriented');
    expect(await page.getByTestId('status-history').textContent()).toContain('مقابلة التوجيه');
    await app.screenshot(page, 'applicant-file-ar');
    const file = await app.core.invoke('applicants.get', { id: firstId }, cli);
    expect(file.status).toBe('oriented');
    expect(file.phone).toBe('+212612345678');
    expect(file.consent.status).toBe('given');
  });

  it('in French', async () => {
    const { page, reg } = await loggedIn('fr');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    await reg.openNew();
    expect(await page.getByTestId('consent-text').textContent()).toMatch(/09-08/);
    await reg.giveConsent();
    await reg.fill({ cin: 'ZT98765', firstNameAr: 'خديجة', lastNameAr: 'أوحماد', firstNameLat: 'Khadija', lastNameLat: 'Ouhmad', birthDate: '15/11/1988', phone: '+212 7 00 11 22 33' });
    await reg.save();
    expect(await reg.waitFile()).toBe('registered');

    await reg.openList();
    await reg.openNew();
    await reg.giveConsent();
    await reg.fill({ cin: 'ZT11111', firstNameLat: 'Khadija', lastNameLat: 'Ouhmad', birthDate: '15/11/1988' });
    await reg.waitCandidates(1);
    expect(await reg.candidates().first().textContent()).toContain('Ouhmad');
    await app.screenshot(page, 'applicant-duplicate-fr');
    await page.getByTestId('dup-distinct').first().click();
    await reg.save();
    expect(await reg.waitFile()).toBe('registered');

    await reg.openList();
    await reg.search('khadija');
    await reg.waitTotal(2);
    await reg.search('ZT9');
    await reg.waitTotal(1);
    await reg.rows().first().click();
    await reg.waitFile();
    expect(await reg.statusMoves()).toEqual(['oriented', 'not_retained', 'dropped_out']);
    // Dropping out needs a reason: refused at the field without one.
    await reg.changeStatus('dropped_out', { reason: '' });
    expect(await waitFieldError(page, 'status-reason')).toBeTruthy();
    await reg.changeStatus('dropped_out', { reason: 'Déménagement à Fès' });
    await reg.waitStatus('dropped_out');
    expect(await page.getByTestId('status-history').textContent()).toContain('Déménagement à Fès');
    // From dropped out, only closing is legal.
    expect(await reg.statusMoves()).toEqual(['closed']);
    await page.keyboard.press('Escape');
    await page.getByTestId('status-dialog').waitFor({ state: 'detached' });

    // Editing is audited field by field and shown in the edit history.
    await page.getByTestId('applicant-edit').click();
    await page.getByTestId('applicant-form').waitFor();
    expect(await page.getByTestId('f-lastNameLat').inputValue()).toBe('Ouhmad');
    await page.getByTestId('f-phone').fill('0661-22-33-44');
    await page.getByTestId('applicant-save').click();
    await reg.waitFile();
    await page.getByTestId('edit-history').getByText('+212661223344', { exact: false }).waitFor();
    await app.screenshot(page, 'applicant-file-fr');
  });
});
