import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../../src-main/core/seed/seed';
import '../../src-main/core/seed/seeders';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';


// Issue 15: switching the language re-renders text only — forms in progress (setup, registration with its
// consent tick), filters, the report period and the scroll position all stay as they were.
describe('the language switch keeps what is on the screen', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('setup form in progress survives both switches', async () => {
    const page = await app.open({ viewport: { width: 1366, height: 768 } });
    await page.getByTestId('setup-form').waitFor();
    await page.getByTestId('setup-office').selectOption('zagora');
    await page.getByTestId('setup-addressAr').fill('شارع الحسن الثاني، زاكورة');
    await page.getByTestId('setup-username').fill('souad');
    await page.getByTestId('setup-displayName').fill('Souad Idrissi');
    await page.getByTestId('setup-password').fill('Zagora-2026-ok');
    const before = await page.locator('[data-testid="setup-form"] input, [data-testid="setup-form"] select').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    const shell = new ShellPageObject(page);
    await shell.switchLanguage('fr');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).not.toBe('تهيئة التطبيق');
    const after = await page.locator('[data-testid="setup-form"] input, [data-testid="setup-form"] select').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(after).toEqual(before);
    await shell.switchLanguage('ar');
    expect(await page.getByTestId('setup-username').inputValue()).toBe('souad');
    expect(await page.getByTestId('setup-office').inputValue()).toBe('zagora');
  });

  it('registration form with consent, list filters and scroll, report period', async () => {
    // Set up from the core (the first test only filled the form) and seed a list long enough to scroll.
    const page0 = await app.open();
    await page0.getByTestId('setup-form').waitFor();
    await page0.close();
    const { setupOfficeCore } = await import('./harness');
    await setupOfficeCore(app.core, 'errachidia');
    await seedDatabase(app.core, { applicants: 300, office: 'errachidia', seed: 3 });

    const page = await app.open({ viewport: { width: 1366, height: 768 } });
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('admin', 'admin-password-1');
    const shell = new ShellPageObject(page);
    await shell.waitVisible();

    // Registration form: consent ticked, some fields typed.
    await shell.go('applicants');
    await page.getByTestId('applicant-new').click();
    await page.getByTestId('consent-section').waitFor();
    await page.getByTestId('consent-given').check();
    await page.getByTestId('f-cin').fill('U123456');
    await page.getByTestId('f-firstNameAr').fill('فاطمة الزهراء');
    await page.getByTestId('f-lastNameLat').fill('Benali');
    await page.getByTestId('f-communeCode').selectOption({ index: 2 });
    await page.getByTestId('f-isProjectHolder').check();
    const formValues = () =>
      page.locator('form input, form select, form textarea').evaluateAll((els) =>
        els.map((e) => ((e as HTMLInputElement).type === 'checkbox' || (e as HTMLInputElement).type === 'radio' ? String((e as HTMLInputElement).checked) : (e as HTMLInputElement).value)),
      );
    const before = await formValues();
    await page.evaluate(() => window.scrollTo(0, 900));
    const y = await page.evaluate(() => window.scrollY);
    expect(y).toBeGreaterThan(0);
    await shell.switchLanguage('fr');
    await page.getByTestId('consent-section').waitFor();
    expect(await formValues()).toEqual(before);
    // The page stays where she was (not back to the top); a few pixels of reflow from the other language allowed.
    expect(Math.abs((await page.evaluate(() => window.scrollY)) - y)).toBeLessThan(120);
    expect(await page.getByTestId('consent-given').isChecked()).toBe(true);
    await page.screenshot({ path: '/tmp/ui/lang-form-fr.png' });
    await shell.switchLanguage('ar');
    expect(await formValues()).toEqual(before);

    // The list: a filter and the scroll position.
    await shell.go('applicants');
    await page.getByTestId('applicant-search').waitFor();
    await page.getByTestId('filter-status').selectOption({ index: 1 });
    const status = await page.getByTestId('filter-status').inputValue();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="applicant-row"]').length > 5);
    const scroller = page.getByTestId('applicant-list');
    await scroller.evaluate((el) => (el.scrollTop = 400));
    await page.waitForTimeout(200);
    const top = await scroller.evaluate((el) => el.scrollTop);
    expect(top).toBeGreaterThan(0);
    await shell.switchLanguage('fr');
    await page.waitForTimeout(300);
    expect(await page.getByTestId('filter-status').inputValue()).toBe(status);
    expect(Math.abs((await scroller.evaluate((el) => el.scrollTop)) - top)).toBeLessThan(2);
    await shell.switchLanguage('ar');

    // The report period.
    await shell.go('reports');
    const period = page.getByTestId('report-period');
    await period.waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    // Chosen, not typed (issue 15): a quarter of a year.
    await page.getByTestId('period-kind').locator('label[for$="-quarter"]').click();
    await page.getByTestId('period-year').selectOption('2025');
    await page.getByTestId('period-quarter').selectOption('2');
    const periodBefore = await period.getAttribute('data-period');
    expect(periodBefore).toBe('2025-Q2');
    await shell.switchLanguage('fr');
    expect(await period.getAttribute('data-period')).toBe(periodBefore);
  });
});
