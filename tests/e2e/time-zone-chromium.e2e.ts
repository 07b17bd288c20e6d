import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { setupOffice, userToken } from '../helpers/core';

/**
 * Local time in a browser whose zone data is old (issue 15). Debian's Chromium puts 2026-12-02T12:42Z at 12:42 in
 * Africa/Casablanca (a rule Morocco dropped); Node says 13:42, as the system's tzdata does. The renderer writes times
 * with the offsets the backend gives it (system.timeZone), so the login made at that instant reads 13:42 in both
 * languages. The core's clock is injected (frozen at that instant): nothing here depends on today or on the zone.
 */
describe('times in local time in Chromium, whatever its own zone data', () => {
  const AT = '2026-12-02T12:42:00.000Z';
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp({ clock: () => new Date(AT) });
    const { token } = await setupOffice(app.core, 'errachidia');
    await userToken(app.core, token, 'agent.tz', 'agent');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a login at 12:42 UTC on 2 December 2026 reads 13:42 on the account page, in Arabic and French', async () => {
    const page = await app.open({ viewport: { width: 1366, height: 768 } });
    // What this browser's own zone data says (12 with Debian's old ICU data): recorded, so the test shows what it guards.
    const own = await page.evaluate(
      (at) => new Intl.DateTimeFormat('en-US', { timeZone: 'Africa/Casablanca', hour: '2-digit', hourCycle: 'h23' }).format(new Date(at)),
      AT,
    );
    console.info(`[time zone] Chromium's own Africa/Casablanca hour at ${AT}: ${own} (right: 13)`);
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('agent.tz', 'agent.tz-pass-123');
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    await shell.go('account');
    await page.getByTestId('account-logins').waitFor();
    const rows = page.getByTestId('account-login');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect(await rows.first().textContent()).toContain('02/12/2026 13:42');
    // Every login in the list was made at the frozen instant: none reads 12:42.
    expect((await rows.allTextContents()).join(' ')).not.toContain('12:42');
    await app.screenshot(page, 'time-zone-account-ar');

    await shell.switchLanguage('fr');
    expect(await rows.first().textContent()).toContain('02/12/2026 13:42');
    await app.screenshot(page, 'time-zone-account-fr');
  });
});
