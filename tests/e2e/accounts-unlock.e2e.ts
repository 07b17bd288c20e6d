import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { ADMIN_PASSWORD, cli, setupOffice } from '../helpers/core';

/* Issue 16: five wrong passwords lock the only administrator; an office head lifts the lockout in the app. */
describe('an office head unlocks the administrator (web bridge + Chromium)', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp();
    await setupOffice(app.core, 'midelt');
    await app.core.invoke('users.create', { username: 'head.midelt', displayName: 'رئيسة المكتب', role: 'office_head', password: 'head-pass-2026', mustChange: false }, { actor: cli });
    for (let i = 0; i < 5; i++) await app.core.call('auth.login', { username: 'admin', password: `wrong-password-${i}` });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the lockout in Settings → users and lifts it; the administrator logs in at once', async () => {
    expect(await app.core.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('head.midelt', 'head-pass-2026');
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    await shell.go('settings');
    await page.getByTestId('user-locked-admin').waitFor();
    expect(await page.getByTestId('user-locked-admin').textContent()).toBe('مقفل مؤقتا');
    await app.screenshot(page, 'unlock-admin-ar');
    await page.getByTestId('user-unlock-admin').click();
    await page.getByTestId('user-action-message').waitFor();
    expect(await page.getByTestId('user-action-message').textContent()).toBe('تم رفع القفل.');
    await page.getByTestId('user-locked-admin').waitFor({ state: 'detached' });
    expect(await app.core.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ ok: true });
  });
});
