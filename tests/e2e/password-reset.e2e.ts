import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { setupOffice, userToken } from '../helpers/core';

describe('a password reset by the office', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp();
    const { token } = await setupOffice(app.core, 'tinghir');
    await userToken(app.core, token, 'agent.tinghir', 'agent');
    const id = (app.core.sqlite.prepare("SELECT id FROM users WHERE username = 'agent.tinghir'").get() as { id: string }).id;
    await app.core.invoke('users.resetPassword', { userId: id, newPassword: 'temporary-pass-1' }, { token });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('asks for a new password at login before the app opens, and refuses a mismatch', async () => {
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('agent.tinghir', 'temporary-pass-1');
    await page.getByTestId('change-password-form').waitFor();
    await app.screenshot(page, 'change-password-ar');
    await page.getByTestId('new-password').fill('her-own-pass-22');
    await page.getByTestId('confirm-password').fill('something-else-3');
    await page.getByTestId('change-password-submit').click();
    expect(await page.getByTestId('login-error').textContent()).toContain('غير متطابقتين');
    await page.getByTestId('confirm-password').fill('her-own-pass-22');
    await page.getByTestId('change-password-submit').click();
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    // The new password is the one that works now.
    expect(await app.core.call('auth.login', { username: 'agent.tinghir', password: 'her-own-pass-22' })).toMatchObject({ ok: true, value: { mustChangePassword: false } });
  });
});
