import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { setupOffice, userToken } from '../helpers/core';

/** Every user's own account page (issue 15): her password, her language, her last logins — in Arabic and French. */
describe('my account in Chromium', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp();
    const { token } = await setupOffice(app.core, 'errachidia');
    await userToken(app.core, token, 'agent.ar', 'agent');
    await userToken(app.core, token, 'agent.fr', 'agent');
  });
  afterAll(async () => {
    await app?.close();
  });

  async function account(user: string, password: string, lang: 'ar' | 'fr'): Promise<Page> {
    // A wrong password first: the account page lists it.
    await app.http('auth.login', { username: user, password: 'not-the-password-1' });
    const page = await app.open({ viewport: { width: 1366, height: 768 } });
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login(user, password);
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    if ((await shell.lang()) !== lang) await shell.switchLanguage(lang);
    await shell.go('account');
    await page.getByTestId('account-page').waitFor();
    await page.getByTestId('account-logins').waitFor();
    return page;
  }

  it('in Arabic: last logins with the failure, password rules, mismatch and wrong current password said in words, then changed', async () => {
    const page = await account('agent.ar', 'agent.ar-pass-123', 'ar');
    const outcomes = await page.getByTestId('account-login').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome')));
    // Newest first: this login, the wrong password, the login at creation.
    expect(outcomes).toEqual(['ok', 'failed', 'ok']);
    const first = (await page.getByTestId('account-login').first().textContent()) ?? '';
    expect(first).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    expect(first).toContain('هذا الحاسوب');
    expect(await page.getByTestId('account-login').nth(1).textContent()).toContain('كلمة مرور خاطئة');
    expect(await page.getByTestId('account-failed-count').textContent()).toContain('1');
    await app.screenshot(page, 'account-ar');

    await page.getByTestId('account-current').fill('agent.ar-pass-123');
    await page.getByTestId('account-new').fill('a-new-password-2');
    await page.getByTestId('account-confirm').fill('a-new-password-3');
    await page.getByTestId('account-password-save').click();
    await page.getByText('كلمتا المرور غير متطابقتين.').waitFor();

    await page.getByTestId('account-current').fill('wrong-current-1');
    await page.getByTestId('account-confirm').fill('a-new-password-2');
    await page.getByTestId('account-password-save').click();
    expect(await page.getByTestId('account-password-msg').textContent()).toBe('كلمة المرور الحالية غير صحيحة.');

    await page.getByTestId('account-current').fill('agent.ar-pass-123');
    await page.getByTestId('account-new').fill('short1');
    await page.getByTestId('account-confirm').fill('short1');
    await page.getByTestId('account-password-save').click();
    await page.getByText('يجب أن تتكون كلمة المرور من 10 أحرف على الأقل.').waitFor();

    await page.getByTestId('account-new').fill('a-new-password-2');
    await page.getByTestId('account-confirm').fill('a-new-password-2');
    await page.getByTestId('account-password-save').click();
    expect(await page.getByTestId('account-password-msg').textContent()).toBe('تم تغيير كلمة المرور.');
    expect(await page.getByTestId('account-current').inputValue()).toBe('');
    expect((await app.http('auth.login', { username: 'agent.ar', password: 'a-new-password-2' })).ok).toBe(true);
    await app.screenshot(page, 'account-ar-changed');
  });

  it('in French: the language chosen on the page is kept for the account', async () => {
    const page = await account('agent.fr', 'agent.fr-pass-123', 'ar');
    await page.getByTestId('account-language-fr').click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await page.getByText('Mes dernières connexions').waitFor();
    expect(await page.getByTestId('account-login').nth(1).textContent()).toContain('Mot de passe erroné');
    expect(await page.getByTestId('account-login').first().textContent()).toContain('Cet ordinateur');
    await page.getByTestId('account-new').fill('short1');
    await page.getByTestId('account-current').fill('agent.fr-pass-123');
    await page.getByTestId('account-confirm').fill('short1');
    await page.getByTestId('account-password-save').click();
    await page.getByText('Le mot de passe doit contenir au moins 10 caractères.').waitFor();
    await app.screenshot(page, 'account-fr');
    // Remembered for the account: the next login opens in French.
    const me = await app.http('auth.login', { username: 'agent.fr', password: 'agent.fr-pass-123' });
    expect(me.value.user.language).toBe('fr');
  });
});
