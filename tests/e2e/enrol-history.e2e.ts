import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import type { Actor } from '../../src-main/core/context';
import type { ApplicantStatus } from '../../src-main/shared/api/applicants.contract';

const cli: Actor = { kind: 'cli', osUser: 'e2e' };
const CONSENT = { given: true, date: '2026-01-05', textVersion: '2026-01', channel: 'paper' } as const;
const STEPS: ApplicantStatus[] = ['oriented', 'preselected', 'in_training'];

/**
 * Issue 15: the enrolment search finds every file and says in words why one cannot be enrolled (her box disabled);
 * a file's history names the people who acted by their full names.
 */
describe('enrolment search over every file; history by people’s names (web bridge + Chromium)', () => {
  let app: E2eApp;
  let cohortId = '';
  let souadToken = '';
  const files: Record<string, { id: string; fileNo: string }> = {};
  beforeAll(async () => {
    app = await startApp();
    const n = PROVINCE_NAMES.errachidia;
    await app.core.invoke('system.setup', {
      office: 'errachidia',
      settings: defaultOfficeSettings('errachidia', n.ar, n.fr),
      admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
    });
    await app.core.invoke('users.create', { username: 'souad', displayName: 'Souad Idrissi', role: 'office_head', password: 'souad-pass-2026', mustChange: false }, { actor: cli });
    const { token } = await app.core.invoke('auth.login', { username: 'souad', password: 'souad-pass-2026' });
    souadToken = token;
    const as = { token };
    const org = await app.core.invoke('organisations.create', { kind: 'incubator', nameAr: 'جمعية الأمل', nameFr: 'Association Al Amal' }, as);
    cohortId = (await app.core.invoke('cohorts.create', { organisationId: org.id, name: 'فوج الرشيدية 1', startDate: '2026-01-05', place: 'دار الشباب' }, as)).id;
    const plan: [string, string, number, 'dropped_out' | 'member' | null][] = [
      ['registered', 'مسجلة', 0, null],
      ['preselected', 'منتقاة', 2, null],
      ['training', 'مكونة', 3, null],
      ['member', 'عضوة', 2, 'member'],
      ['dropped', 'منقطعة', 1, 'dropped_out'],
    ];
    let i = 0;
    for (const [tag, nameAr, steps, extra] of plan) {
      i++;
      const r = await app.core.invoke(
        'applicants.create',
        {
          cin: `U55500${i}`, firstNameAr: nameAr, lastNameAr: 'الواحي', firstNameLat: `Test${tag}`, lastNameLat: 'Ouahi', sex: 'F', birthDate: `199${i}-02-0${i}`,
          phone: '0612345678', communeCode: '08.201.01.01', isProjectHolder: true, consent: CONSENT,
        } as never,
        as,
      );
      files[tag] = { id: r.id, fileNo: r.fileNo };
      for (const to of STEPS.slice(0, steps)) await app.core.invoke('applicants.setStatus', { id: r.id, to }, as);
      if (extra === 'dropped_out') await app.core.invoke('applicants.setStatus', { id: r.id, to: 'dropped_out', reason: 'انتقلت إلى مدينة أخرى' }, as);
      if (extra === 'member') await app.core.invoke('cohorts.enrol', { cohortId, applicantIds: [r.id], date: '2026-01-10', moveToTraining: true }, as);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows every match, disables those who cannot be enrolled with the reason, enrols one; the history names Souad Idrissi', async () => {
    const page = await app.open({ viewport: { width: 1366, height: 768 } });
    await new LoginPageObject(page).login('souad', 'souad-pass-2026');
    await new ShellPageObject(page).waitVisible();
    await page.evaluate((id) => (location.hash = `#/sessions/cohort/${id}`), cohortId);
    await page.getByTestId('enrol-search').fill('الواحي');
    await page.getByTestId('enrol-search-go').click();
    await page.getByTestId('enrol-results').waitFor();
    for (const f of Object.values(files)) await page.getByTestId(`enrol-pick-${f.fileNo}`).waitFor({ state: 'attached' });
    expect(await page.getByTestId('enrol-found').textContent()).toContain('5');
    const disabled = async (tag: string) => page.getByTestId(`enrol-pick-${files[tag].fileNo}`).isDisabled();
    expect(await disabled('registered')).toBe(true);
    expect(await disabled('member')).toBe(true);
    expect(await disabled('dropped')).toBe(true);
    expect(await disabled('preselected')).toBe(false);
    expect(await disabled('training')).toBe(false);
    expect(await page.getByTestId(`enrol-why-${files.registered.fileNo}`).textContent()).toContain('لم يتم انتقاؤها أوليا');
    expect(await page.getByTestId(`enrol-why-${files.member.fileNo}`).textContent()).toContain('10/01/2026');
    expect(await page.getByTestId(`enrol-why-${files.dropped.fileNo}`).textContent()).toContain('انقطعت');
    await page.getByTestId('enrol-results').scrollIntoViewIfNeeded();
    await app.screenshot(page, 'enrol-search-ar');

    // French: the same list, the reasons in French (a language change keeps the results).
    await page.getByTestId('language-switch').getByText('Français').click();
    await expect.poll(() => page.getByTestId(`enrol-why-${files.registered.fileNo}`).textContent()).toContain('pas encore présélectionnée');
    expect(await page.getByTestId(`enrol-why-${files.member.fileNo}`).textContent()).toContain('Déjà inscrite');
    await app.screenshot(page, 'enrol-search-fr');

    // Enrol the preselected one: her move to "in training" is confirmed first.
    await page.getByTestId(`enrol-pick-${files.preselected.fileNo}`).check();
    await page.getByTestId('enrol-submit').click();
    await page.getByTestId('enrol-confirm').click();
    await page.getByTestId(`member-${files.preselected.fileNo}`).waitFor();

    // An edit of coded fields: the history names the communes and the level in words, never their codes.
    await app.core.invoke('applicants.update', { id: files.preselected.id, changes: { communeCode: '08.201.01.03', educationLevel: 'LITERACY' } }, { token: souadToken });

    // Her history: Souad Idrissi, not souad.
    await page.evaluate((id) => (location.hash = `#/applicants/${id}`), files.preselected.id);
    await page.getByTestId('status-history').waitFor();
    const history = (await page.getByTestId('status-history').textContent()) ?? '';
    expect(history).toContain('Souad Idrissi');
    expect(history).not.toMatch(/\bsouad\b/);
    const edits = (await page.getByTestId('edit-history').textContent()) ?? '';
    expect(edits).toContain('Souad Idrissi');
    await expect.poll(async () => (await page.getByTestId('edit-history').textContent()) ?? '').toContain('Boudnib');
    const edited = (await page.getByTestId('edit-history').textContent()) ?? '';
    expect(edited).toContain('Arfoud');
    expect(edited).toContain('Alphabétisation');
    expect(edited).not.toContain('08.201.01');
    expect(edited).not.toContain('LITERACY');
    // The reason the app wrote on enrolment, in words; who registered her, by name.
    expect(history).toContain('Inscription dans la cohorte « فوج الرشيدية 1 »');
    expect(history).not.toContain('cohort:');
    expect(await page.getByTestId('applicant-page').textContent()).toContain('Inscrite par Souad Idrissi');
    expect(await page.getByTestId('applicant-page').textContent()).not.toMatch(/\bsouad\b/);
    await page.getByTestId('status-history').scrollIntoViewIfNeeded();
    await app.screenshot(page, 'history-names-fr');
  });
});
