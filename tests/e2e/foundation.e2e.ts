import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src-main/core/paths';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, SetupPageObject, ShellPageObject, waitFieldError } from './pages/auth.page';

const ADMIN = { username: 'fatima.admin', displayName: 'فاطمة الإدريسي', password: 'Tafilalet-2026' };

describe('setup → login → language (web bridge + Chromium)', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sets the office up, logs in, switches between Arabic (rtl) and French (ltr) and remembers the choice', async () => {
    const page = await app.open();
    const setup = new SetupPageObject(page);
    await setup.waitVisible();
    // Arabic first, right to left.
    expect(await page.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual(['rtl', 'ar']);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('تهيئة التطبيق');
    // The key of the printed URL is kept for the tab but removed from the address bar.
    expect(page.url()).not.toContain('k=');

    // The office's names are prefilled from the chosen office.
    await setup.chooseOffice('ouarzazate');
    expect(await setup.value('nameAr')).toContain('ورزازات');
    expect(await setup.value('nameFr')).toContain('Ouarzazate');
    await page.getByTestId('setup-addressAr').fill('شارع محمد الخامس، ورزازات');
    await page.getByTestId('setup-addressFr').fill('Avenue Mohammed V, Ouarzazate');

    // The password policy is enforced by the backend and shown at the field.
    await setup.fillAdmin({ ...ADMIN, password: 'court1' });
    await setup.submit();
    expect(await waitFieldError(page, 'setup-password')).toContain('10');
    // Mismatched confirmation is caught before sending.
    await setup.fillAdmin({ ...ADMIN, confirm: 'autre-chose-1' });
    await setup.submit();
    expect(await setup.fieldError('confirm')).toBe('كلمتا المرور غير متطابقتين.');
    await app.screenshot(page, 'setup-ar');

    await setup.fillAdmin(ADMIN);
    await setup.submit();
    await setup.passRecoverySheetAndLogOut();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    expect(await page.getByTestId('login-office').textContent()).toContain('ورزازات');
    const status = await app.core.invoke('system.status', {});
    expect(status.office?.slug).toBe('ouarzazate');
    expect(status.office?.addressFr).toBe('Avenue Mohammed V, Ouarzazate');

    // A wrong password is refused with a translated message.
    await login.login(ADMIN.username, 'wrong-password-1');
    await login.error().waitFor();
    expect(await login.error().textContent()).toBe('اسم المستخدم أو كلمة المرور غير صحيحة.');
    await app.screenshot(page, 'login-error-ar');

    await login.login(ADMIN.username, ADMIN.password);
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    expect(await shell.dir()).toBe('rtl');
    expect(await page.getByTestId('office-name').textContent()).toContain('ورزازات');
    expect(await page.getByTestId('nav-applicants').textContent()).toBe('المترشحات');
    // RTL for real: the navigation sits on the right of the header's start.
    const navBox = await page.locator('nav').boundingBox();
    expect(navBox!.x).toBeGreaterThan(640);
    await app.screenshot(page, 'shell-ar');

    // French: left to right, everything translated.
    await shell.switchLanguage('fr');
    expect(await shell.dir()).toBe('ltr');
    expect(await page.getByTestId('nav-applicants').textContent()).toBe('Candidates');
    expect(await page.getByTestId('office-name').textContent()).toContain('Ouarzazate');
    expect((await page.locator('nav').boundingBox())!.x).toBeLessThan(10);
    // A section not built yet says so honestly, and only those (read from the section registry).
    const registry = readFileSync(join(projectRoot(), 'src-renderer', 'app', 'routes.tsx'), 'utf8');
    const sections = [...registry.matchAll(/\{ key: '(\w+)'[^}]*\}/g)].map((m) => ({ key: m[1], built: m[0].includes('page:') }));
    expect(sections.map((x) => x.key)).toEqual(await shell.navKeys());
    for (const section of sections) {
      await shell.go(section.key);
      await page.waitForFunction((k) => location.hash === `#/${k}`, section.key);
      if (section.built) expect(await page.getByTestId('not-available').count(), section.key).toBe(0);
      else expect(await page.getByTestId('not-available').textContent()).toContain('pas encore disponible');
    }
    await shell.go('applicants');
    await app.screenshot(page, 'shell-fr');

    // Logout → login again in a fresh browser (no local storage): the language comes from the account.
    await shell.logout();
    await login.waitVisible();
    expect(await shell.dir()).toBe('ltr');
    const page2 = await app.open();
    const login2 = new LoginPageObject(page2);
    await login2.waitVisible();
    expect(await page2.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await login2.login(ADMIN.username, ADMIN.password);
    const shell2 = new ShellPageObject(page2);
    await shell2.waitVisible();
    expect(await shell2.dir()).toBe('ltr');
    expect(await shell2.lang()).toBe('fr');
    // … and back to Arabic, remembered too.
    await shell2.switchLanguage('ar');
    expect(await shell2.dir()).toBe('rtl');
    const users = await app.core.invoke('users.list', {}, { actor: { kind: 'cli', osUser: 'test' } });
    expect(users.find((u) => u.username === ADMIN.username)?.language).toBe('ar');
  });

  it('settings: edits the office, shows the key fingerprint, creates an agent; a session survives a reload', async () => {
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login(ADMIN.username, ADMIN.password);
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    await shell.go('settings');
    const settings = await app.core.invoke('settings.get', {}, { actor: { kind: 'cli', osUser: 'test' } });
    expect(await page.getByTestId('office-fingerprint').textContent()).toBe(settings.fingerprint);

    await page.getByTestId('office-signatoryTitleFr').fill('Le Délégué provincial p.i.');
    await page.getByTestId('office-save').click();
    await page.getByTestId('office-message').waitFor();
    expect((await app.core.invoke('system.status', {})).office?.signatoryTitleFr).toBe('Le Délégué provincial p.i.');

    // Field validation from the backend appears at the field.
    await page.getByTestId('user-username').fill('x');
    await page.getByTestId('user-displayName').fill('Khadija Ait Brahim');
    await page.getByTestId('user-password').fill('agent-pass-2026');
    await page.getByTestId('user-create').click();
    expect(await waitFieldError(page, 'user-username')).toBeTruthy();
    await page.getByTestId('user-username').fill('khadija');
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-message').waitFor();
    await page.getByTestId('users-table').getByText('khadija', { exact: true }).waitFor();
    await app.screenshot(page, 'settings-ar');

    // A reload keeps the session (tab storage) and the language.
    await page.reload();
    await shell.waitVisible();
    expect(await shell.dir()).toBe('rtl');
  });

  it('locks the screen after the configured inactivity and unlocks with the password', async () => {
    const page = await app.open({ clock: true });
    await page.evaluate(() => localStorage.setItem('jisr.lockMinutes', '2'));
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('khadija', 'agent-pass-2026');
    // Created by the administrator: she chooses her own password at first login (issue 16).
    await page.getByTestId('change-password-form').waitFor();
    await page.getByTestId('new-password').fill('khadija-own-2026');
    await page.getByTestId('confirm-password').fill('khadija-own-2026');
    await page.getByTestId('change-password-submit').click();
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    await page.clock.fastForward('01:30');
    expect(await page.getByTestId('lock-screen').count()).toBe(0);
    await page.clock.fastForward('00:45');
    await page.getByTestId('lock-screen').waitFor();
    await page.getByTestId('lock-password').fill('wrong-password-9');
    await page.getByRole('button', { name: 'فتح' }).click();
    await page.getByTestId('lock-error').waitFor();
    await app.screenshot(page, 'lock-ar');
    await page.getByTestId('lock-password').fill('khadija-own-2026');
    await page.getByRole('button', { name: 'فتح' }).click();
    await page.getByTestId('lock-screen').waitFor({ state: 'detached' });
    await shell.go('settings');
    await page.getByTestId('office-form').waitFor();
  });

  it('shows the lockout message after repeated failures', async () => {
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    for (let i = 0; i < 5; i++) {
      await login.login('khadija', `bad-password-${i}`);
      await login.error().waitFor();
    }
    await login.login('khadija', 'khadija-own-2026');
    await page.waitForFunction(() => document.querySelector('[data-testid="login-error"]')?.textContent?.includes('قفل'));
    expect(await login.error().textContent()).toMatch(/تم قفل الحساب مؤقتا.*\d+ دقيقة/);
  });
});
