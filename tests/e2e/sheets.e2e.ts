import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import type { Actor } from '../../src-main/core/context';
import { insertCohort, insertSessions, participant } from '../../src-main/core/attestations/test-fixtures';

const cli: Actor = { kind: 'cli', osUser: 'e2e' };

/** Issue 14: print the attendance sheet of a session, attach the signed scan through the page's upload, open it. */
describe('attendance sheets from the session page (web bridge + Chromium)', () => {
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
    await app.core.invoke('users.create', { username: 'agent.amal', displayName: 'أمال', role: 'agent', password: 'agent-pass-2026', mustChange: false }, { actor: cli });
    const c = insertCohort(app.core.sqlite, 'فوج الرشيدية 1');
    const s = insertSessions(app.core.sqlite, c, 3);
    sessionId = s[0];
    participant(app.core.sqlite, c, s, 0, { firstNameAr: 'سعاد', lastNameAr: 'أيت باها', firstNameLat: 'Souad', lastNameLat: 'Ait Baha' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('prints the sheet, attaches the signed scan, lists and opens it', async () => {
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('agent.amal', 'agent-pass-2026');
    await new ShellPageObject(page).waitVisible();
    await page.evaluate((id) => (location.hash = `#/sessions/session/${id}`), sessionId);
    await page.getByTestId('sheets-box').waitFor();
    expect(await page.getByTestId('sheets-none').isVisible()).toBe(true);
    const [sheet] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('sheet-print').click()]);
    expect(sheet.url()).toContain('/api/files/');

    const scan = join(app.dir, 'feuille-signee.pdf');
    writeFileSync(scan, Buffer.from('%PDF-1.4\n% scanned signed sheet\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'));
    await page.getByTestId('sheet-file').setInputFiles(scan);
    await page.getByTestId('sheets-list').waitFor();
    expect(await page.getByTestId('sheets-list').textContent()).toContain('feuille-signee.pdf');
    expect(app.core.sqlite.prepare('SELECT COUNT(*) AS n FROM session_attachments WHERE session_id = ?').get(sessionId)).toEqual({ n: 1 });
    await app.screenshot(page, 'session-sheets');
    const [opened] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('sheet-open').click()]);
    expect(opened.url()).toContain('/api/files/');

    // A file that is not a scan is refused with a translated message.
    const txt = join(app.dir, 'notes.txt');
    writeFileSync(txt, 'not a scan');
    await page.getByTestId('sheet-file').setInputFiles(txt);
    // The message box still shows the attachment's success: wait for the refusal to replace it.
    await page.waitForFunction(() => document.querySelector('[data-testid="sheets-message"]')?.textContent?.includes('PDF'), undefined, { timeout: 15_000 });
    expect(await page.getByTestId('sheets-message').textContent()).toContain('PDF');
  });
});
