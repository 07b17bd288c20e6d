import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { ApplicantsPageObject } from './pages/applicants.page';
import { setupOffice, userToken } from '../helpers/core';

/** Screenshots looked at while building issue 17 (several workstations, one registry). */
const SHOTS = '/tmp/netdesk';

/**
 * Two colleagues on the same registry, each in their own browser context (own session): the edit conflict on one
 * file (the second save refused with who, when and what, then reapplied on the new version).
 */
describe('two colleagues, one registry (issue 17)', () => {
  let app: E2eApp;
  let fileId = '';
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startApp();
    const { token } = await setupOffice(app.core, 'errachidia');
    await userToken(app.core, token, 'amina', 'agent');
    await userToken(app.core, token, 'karim', 'office_head');
    const r = await app.core.invoke(
      'applicants.create',
      {
        cin: 'JB123456',
        firstNameAr: 'فاطمة',
        lastNameAr: 'الزهراء',
        firstNameLat: 'Fatima',
        lastNameLat: 'Zahra',
        birthDate: '1990-03-09',
        phone: '0612345678',
        address: 'Hay Salam 3',
        communeCode: '08.201.01.01',
        isProjectHolder: true,
        consent: { given: true, date: '2026-01-15', textVersion: '2026-01', channel: 'paper' },
      },
      { actor: { kind: 'cli', osUser: 'test' } },
    );
    fileId = r.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  async function loggedIn(user: string, lang: 'ar' | 'fr'): Promise<{ page: Page; reg: ApplicantsPageObject }> {
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login(user, `${user}-pass-123`);
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    if ((await shell.lang()) !== lang) await shell.switchLanguage(lang);
    return { page, reg: new ApplicantsPageObject(page) };
  }

  async function openEdit(page: Page) {
    await page.evaluate((id) => (location.hash = `#/applicants/${id}/edit`), fileId);
    await page.getByTestId('f-address').waitFor();
  }

  it('the second save on the same file is refused with who, when and what; her changes are reapplied on the new version', async () => {
    const amina = await loggedIn('amina', 'ar');
    const karim = await loggedIn('karim', 'fr');
    await openEdit(amina.page);
    await openEdit(karim.page);

    await karim.page.getByTestId('f-address').fill('Hay Nahda 12');
    await karim.reg.save();
    await karim.reg.waitFile();

    await amina.page.getByTestId('f-phone').fill('0677001122');
    await amina.reg.save();
    const alert = amina.page.getByTestId('edit-conflict');
    await alert.waitFor();
    const text = ((await alert.textContent()) ?? '').replace(/[\u2066-\u2069]/g, '');
    expect(text).toContain('karim');
    expect(text).toContain('العنوان: من «Hay Salam 3» إلى «Hay Nahda 12»');
    expect(text).not.toMatch(/address|edit_conflict/);
    // Nothing of hers was written.
    expect((await app.core.invoke('applicants.get', { id: fileId }, { actor: { kind: 'cli', osUser: 'test' } })).phone).toBe('+212612345678');
    await amina.page.screenshot({ path: `${SHOTS}/conflict-ar.png`, fullPage: true });

    await amina.page.getByTestId('conflict-reapply').click();
    await amina.page.getByTestId('conflict-reapplied').waitFor();
    expect(await amina.page.getByTestId('f-address').inputValue()).toBe('Hay Nahda 12');
    expect(await amina.page.getByTestId('f-phone').inputValue()).toBe('0677001122');
    await amina.reg.save();
    await amina.reg.waitFile();
    const f = await app.core.invoke('applicants.get', { id: fileId }, { actor: { kind: 'cli', osUser: 'test' } });
    expect(f).toMatchObject({ address: 'Hay Nahda 12', phone: '+212677001122' });
    expect(f.editHistory.filter((h) => h.method === 'applicants.update').map((h) => h.actorName)).toEqual(['karim', 'amina']);
  });

  it("a colleague's registration appears in the other's list, and an edit on the other's open file, within 2 seconds", async () => {
    const amina = await loggedIn('amina', 'ar');
    const karim = await loggedIn('karim', 'fr');
    await amina.reg.openList();
    await amina.reg.search('Ouhammou');
    await amina.reg.waitTotal(0);

    // Karim registers her through his screen.
    await karim.reg.openList();
    await karim.reg.openNew();
    await karim.reg.giveConsent();
    await karim.reg.fill({ cin: 'JC778899', firstNameAr: 'يطو', lastNameAr: 'أوحمو', firstNameLat: 'Itto', lastNameLat: 'Ouhammou', birthDate: '12/04/1987' });
    await karim.reg.save();
    await karim.reg.waitFile();
    await karim.page.screenshot({ path: `${SHOTS}/register-fr.png`, fullPage: true });
    const savedAt = Date.now();

    // Amina did nothing: her list shows it.
    await amina.reg.waitTotal(1);
    expect(Date.now() - savedAt).toBeLessThan(2000);
    expect(await amina.reg.rows().first().textContent()).toContain('أوحمو');
    await amina.page.screenshot({ path: `${SHOTS}/colleague-registration-appears-ar.png`, fullPage: true });

    // Amina opens the shared file; Karim changes the address; her open page shows it.
    await amina.page.evaluate((id) => (location.hash = `#/applicants/${id}`), fileId);
    await amina.page.getByTestId('applicant-page').waitFor();
    const r = await app.http('applicants.get', { id: fileId }, await sessionOf(karim.page));
    expect(r.ok).toBe(true);
    const upd = await app.http('applicants.update', { id: fileId, baseVersion: r.value.version, changes: { douar: 'Ksar Tinejdad' } }, await sessionOf(karim.page));
    expect(upd.ok).toBe(true);
    const t0 = Date.now();
    await amina.page.getByText('Ksar Tinejdad').first().waitFor({ timeout: 2000 });
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

/** The session token of a logged-in page (what its own requests carry). */
async function sessionOf(page: Page): Promise<string> {
  return page.evaluate(() => sessionStorage.getItem('jisr.session') ?? '');
}

