import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import type { Actor } from '../../src-main/core/context';
import { insertCohort, insertSessions, participant } from '../../src-main/core/attestations/test-fixtures';

const cli: Actor = { kind: 'cli', osUser: 'e2e' };

/**
 * Installed before the page's scripts: the browser's print dialog is replaced by a record of what was asked to print.
 * The web bridge prints a PDF by loading it in a hidden frame of the page and calling print() on the frame's window
 * (api.printFile); the frame's window is reached through `contentWindow`, where its print is swapped for the record.
 * A string, not a function: tsx would add helpers to a function's text that the page does not have.
 */
const PRINT_RECORDER = `(() => {
  window.__prints = [];
  const d = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow');
  Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
    configurable: true,
    get() {
      const w = d.get.call(this);
      const id = this.dataset && this.dataset.printFrame;
      if (w && id) {
        try {
          w.print = () => window.__prints.push({ fileId: id, src: this.getAttribute('src') });
        } catch (e) {}
      }
      return w;
    },
  });
})();`;

async function openRecording(app: E2eApp): Promise<Page> {
  const page = await app.open({ viewport: { width: 1366, height: 768 } });
  await page.context().addInitScript(PRINT_RECORDER);
  await page.reload();
  return page;
}

const prints = (page: Page) => page.evaluate(() => (window as unknown as { __prints: { fileId: string; src: string }[] }).__prints);

/**
 * Clicks a print button; expects the PDF fetched from the bridge (inline, application/pdf) in the print frame and
 * print() called on it once.
 */
async function clickPrint(page: Page, testId: string) {
  const before = (await prints(page)).length;
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/files/') && r.url().includes('inline=1')),
    page.getByTestId(testId).click(),
  ]);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toContain('application/pdf');
  await expect.poll(async () => (await prints(page)).length, { timeout: 15_000 }).toBe(before + 1);
  const last = (await prints(page)).at(-1)!;
  expect(last.src).toContain('/api/files/');
  expect(await page.locator('iframe[data-print-frame]').count()).toBe(1);
}

/** Issue 15: a print button beside every PDF the app makes; in the web bridge it opens the browser's print dialog on the PDF. */
describe('print buttons beside the PDFs (web bridge + Chromium)', () => {
  let app: E2eApp;
  let sessionId: string;
  beforeAll(async () => {
    app = await startApp();
    const n = PROVINCE_NAMES.errachidia;
    await app.core.invoke('system.setup', {
      office: 'errachidia',
      settings: defaultOfficeSettings('errachidia', n.ar, n.fr),
      admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
    });
    await app.core.invoke('users.create', { username: 'head.print', displayName: 'رئيسة المكتب', role: 'office_head', password: 'head-pass-2026', mustChange: false }, { actor: cli });
    const c = insertCohort(app.core.sqlite, 'فوج الرشيدية 1');
    const s = insertSessions(app.core.sqlite, c, 12);
    sessionId = s[0];
    participant(app.core.sqlite, c, s, 12, { cin: 'UA777001', firstNameAr: 'سعاد', lastNameAr: 'أيت باها', firstNameLat: 'Souad', lastNameLat: 'Ait Baha' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('prints the attendance sheet, the attestation preview and the access request', async () => {
    const page = await openRecording(app);
    await new LoginPageObject(page).login('head.print', 'head-pass-2026');
    const shell = new ShellPageObject(page);
    await shell.waitVisible();

    // Attendance sheet: made (and opened) by its button, then printed from the button beside it.
    await page.evaluate((id) => (location.hash = `#/sessions/session/${id}`), sessionId);
    await page.getByTestId('sheets-box').waitFor();
    await Promise.all([page.waitForEvent('popup'), page.getByTestId('sheet-print').click()]);
    await page.getByTestId('sheet-pdf-actions').waitFor();
    expect(await page.getByTestId('sheet-pdf-print').textContent()).toBe('طباعة');
    await clickPrint(page, 'sheet-pdf-print');
    await app.screenshot(page, 'print-sheet-ar');

    // Attestation preview.
    await shell.go('attestations');
    await page.getByTestId('issue-search').fill('UA777001');
    await page.getByTestId('issue-search-go').click();
    await page.getByTestId('issue-results').locator('tr').first().click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="issue-preview"]')?.hasAttribute('disabled'));
    await Promise.all([page.waitForEvent('popup'), page.getByTestId('issue-preview').click()]);
    await page.getByTestId('issue-pdf-actions').waitFor();
    await clickPrint(page, 'issue-pdf-print');
    await app.screenshot(page, 'print-attestation-ar');

    // Her access request (law 09-08), in French this time.
    await page.getByTestId('language-switch').getByText('Français').click();
    await shell.go('privacy');
    await page.getByTestId('dp-search').fill('UA777001');
    await page.getByTestId('dp-search').press('Enter');
    await page.getByTestId('dp-applicants').waitFor();
    await Promise.all([page.waitForEvent('download'), page.getByTestId('dp-applicants').getByText('PDF').click()]);
    await page.getByTestId('dp-access-pdf-actions').waitFor();
    expect(await page.getByTestId('dp-access-pdf-print').textContent()).toBe('Imprimer');
    await clickPrint(page, 'dp-access-pdf-print');
    await app.screenshot(page, 'print-access-request-fr');
    expect((await prints(page)).length).toBe(3);
  });

  it("prints the administrator's recovery sheet from the backups page", async () => {
    const page = await openRecording(app);
    await new LoginPageObject(page).login('admin', 'admin-password-1');
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    await shell.go('backups');
    await page.getByTestId('recovery-sheet-card').waitFor();
    await Promise.all([page.waitForEvent('popup'), page.getByTestId('recovery-sheet-print').click()]);
    await page.getByTestId('recovery-pdf-actions').waitFor();
    await clickPrint(page, 'recovery-pdf-print');
    await app.screenshot(page, 'print-recovery-sheet-ar');
  });
});
