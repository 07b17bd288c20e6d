import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type E2eApp } from './harness';
import { localDate } from '../../src-main/shared/time';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import type { Actor } from '../../src-main/core/context';
import { insertCohort, insertSessions, participant } from '../../src-main/core/attestations/test-fixtures';

const cli: Actor = { kind: 'cli', osUser: 'e2e' };
/** The first serial of the year the app's clock is in (the office's calendar), whatever the date the suite runs on. */
const SERIAL = `ERR-${localDate(new Date()).slice(0, 4)}-P-000001`;

describe('attestations: issue with preview, reprint as duplicata, revoke, verify (web bridge + Chromium)', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp();
    const n = PROVINCE_NAMES.errachidia;
    await app.core.invoke('system.setup', {
      office: 'errachidia',
      settings: defaultOfficeSettings('errachidia', n.ar, n.fr),
      admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
    });
    await app.core.invoke('users.create', { username: 'head.fatima', displayName: 'فاطمة', role: 'office_head', password: 'head-pass-2026', mustChange: false }, { actor: cli });
    const c = insertCohort(app.core.sqlite, 'فوج الرشيدية 1');
    const s = insertSessions(app.core.sqlite, c, 12);
    participant(app.core.sqlite, c, s, 12, { cin: 'UA777001', firstNameAr: 'سعاد', lastNameAr: 'أيت باها', firstNameLat: 'Souad', lastNameLat: 'Ait Baha' });
    participant(app.core.sqlite, c, s, 6, { cin: 'UA777002', firstNameAr: 'رشيدة', lastNameAr: 'أوحماد', firstNameLat: 'Rachida', lastNameLat: 'Ouhmad' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('an office head previews and issues, reprints as duplicata, revokes; verification answers valid then revoked', async () => {
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('head.fatima', 'head-pass-2026');
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    await shell.go('attestations');

    // Not eligible: the screen says what is missing.
    await page.getByTestId('issue-search').fill('UA777002');
    await page.getByTestId('issue-search-go').click();
    await page.getByTestId('issue-results').locator('tr').first().click();
    await page.getByTestId('eligibility').waitFor();
    expect(await page.getByTestId('eligibility').textContent()).toContain('عدد ساعات الحضور غير كاف');
    expect(await page.getByTestId('issue-preview').isDisabled()).toBe(true);

    // Eligible: preview (a draft, nothing registered), then issue.
    await page.getByTestId('issue-search').fill('UA777001');
    await page.getByTestId('issue-search-go').click();
    await page.getByTestId('issue-results').locator('tr').first().click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="issue-preview"]')?.hasAttribute('disabled'));
    const [preview] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('issue-preview').click()]);
    expect(preview.url()).toContain('/api/files/');
    expect(app.core.sqlite.prepare('SELECT COUNT(*) AS n FROM attestations').get()).toEqual({ n: 0 });
    // Confirmation: what will be recorded (name, hours, the serial it will take), then issue.
    await page.getByTestId('issue-plan').waitFor();
    expect(await page.getByTestId('issue-plan').textContent()).toContain(SERIAL);
    await app.screenshot(page, 'attestations-confirm');
    const [issued] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('issue-issue').click()]);
    expect(issued.url()).toContain('/api/files/');
    await page.getByTestId('attestations-message').waitFor();
    expect(await page.getByTestId('attestations-message').textContent()).toContain(SERIAL);
    await app.screenshot(page, 'attestations-issue');

    // Register: reprint as duplicata (same number, two prints), then revoke with a reason.
    await page.getByTestId('tab-register').click();
    const row = page.getByTestId(`register-row-${SERIAL}`);
    await row.waitFor();
    const [dup] = await Promise.all([page.waitForEvent('popup'), row.getByTestId('register-reprint').click()]);
    expect(dup.url()).toContain('/api/files/');
    await page.waitForFunction((serial) => document.querySelector(`[data-testid="register-row-${serial}"]`)?.textContent?.includes('2'), SERIAL);
    expect(app.core.sqlite.prepare('SELECT print_count FROM attestations WHERE serial = ?').get(SERIAL)).toEqual({ print_count: 2 });

    // Verify: the scanned text of the QR code, then the typed serial.
    const qr = (app.core.sqlite.prepare('SELECT qr_text FROM attestations WHERE serial = ?').get(SERIAL) as { qr_text: string }).qr_text;
    await page.getByTestId('tab-verify').click();
    await page.getByTestId('verify-code').fill(qr);
    await page.getByTestId('verify-cin').fill('UA777001');
    await page.getByTestId('verify-go').click();
    await page.getByTestId('verdict-valid').waitFor();
    expect(await page.getByTestId('verify-result').textContent()).toContain('رقم البطاقة مطابق');
    await app.screenshot(page, 'attestations-verify');
    // The public page's address: set by the region, shown here read-only (none yet).
    expect(await page.getByTestId('verify-url-show').textContent()).toContain('لم يحدد بعد');

    await page.getByTestId('tab-register').click();
    await page.getByTestId(`register-row-${SERIAL}`).getByTestId('register-revoke').click();
    await page.getByTestId('register-reason').fill('خطأ في الاسم، تم استبدالها');
    await page.getByTestId('register-revoke-confirm').click();
    await page.waitForFunction((serial) => document.querySelector(`[data-testid="register-row-${serial}"]`)?.textContent?.includes('ملغاة'), SERIAL);

    await page.getByTestId('tab-verify').click();
    await page.getByTestId('verify-code').fill(SERIAL);
    await page.getByTestId('verify-go').click();
    await page.getByTestId('verdict-revoked').waitFor();
  });
});
