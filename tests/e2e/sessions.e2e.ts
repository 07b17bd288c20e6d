import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { SessionsPageObject } from './pages/sessions.page';
import { makeApplicants } from '../helpers/sessions-factory';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import type { Actor } from '../../src-main/core/context';

const cli: Actor = { kind: 'cli', osUser: 'e2e' };

describe('training: cohort → session → attendance → hours on her page (web bridge + Chromium)', () => {
  let app: E2eApp;
  let women: { id: string; fileNo: string }[] = [];
  beforeAll(async () => {
    app = await startApp();
    const n = PROVINCE_NAMES.tinghir;
    await app.core.invoke('system.setup', {
      office: 'tinghir',
      settings: defaultOfficeSettings('tinghir', n.ar, n.fr),
      admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
    });
    await app.core.invoke('users.create', { username: 'agent.naima', displayName: 'نعيمة أوعلي', role: 'agent', password: 'agent-pass-2026', mustChange: false }, { actor: cli });
    const ids = makeApplicants(app.core, 3, 'preselected');
    women = ids.map((id) => ({ id, fileNo: (app.core.sqlite.prepare('SELECT file_no FROM applicants WHERE id = ?').get(id) as { file_no: string }).file_no }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('an agent creates a cohort, enrols (with confirmation), adds a session, ticks attendance; the hours show on her page', async () => {
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('agent.naima', 'agent-pass-2026');
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    await shell.go('sessions');
    const ui = new SessionsPageObject(page);

    await ui.openTab('organisations');
    await ui.addOrganisation({ kind: 'incubator', nameAr: 'اتحاد جمعيات التجارة والمهن بإقليم تنغير', nameFr: 'Union des associations du commerce et des métiers de Tinghir' });

    await ui.openTab('cohorts');
    await ui.createCohort({ name: 'فوج تنغير 2026-أ', startDate: '2026-03-02', place: 'المركب الثقافي تنغير' });
    expect(await page.getByTestId('members-empty').isVisible()).toBe(true);

    // Enrolment of preselected women asks to confirm their move to "in training".
    await ui.enrol(women.map((w) => w.fileNo), '2026-03-02');
    await page.getByTestId('enrol-confirm-box').waitFor();
    expect(await page.getByTestId('enrol-confirm-box').textContent()).toContain('في التكوين');
    await page.getByTestId('enrol-confirm').click();
    await page.getByTestId('members-table').waitFor();
    expect(await page.getByTestId('members-table').locator('tr').count()).toBe(3);
    const st = app.core.sqlite.prepare('SELECT status FROM applicants WHERE id = ?').get(women[0].id) as { status: string };
    expect(st.status).toBe('in_training');

    await ui.addSession({ date: '2026-03-03', start: '09:00', end: '12:30', topic: 'marketing' });
    expect(await page.getByTestId('session-hours').textContent()).toBe('3,5 س');
    await page.getByTestId('all-present').click();
    await ui.mark(women[1].fileNo, 'absent');
    await ui.mark(women[2].fileNo, 'excused');
    await page.getByTestId('save-attendance').click();
    await page.getByTestId('checklist-message').waitFor();
    expect(await page.getByTestId('checklist-message').textContent()).toContain('3');
    await app.screenshot(page, 'sessions-checklist-ar');

    // Her page: 3.5 h, 100 %, not yet eligible (30 h by default) with what is missing.
    await page.getByTestId(`check-${women[0].fileNo}`).getByRole('link').click();
    await page.getByTestId('total-hours').waitFor();
    expect(await page.getByTestId('total-hours').textContent()).toBe('3,5 س');
    expect(await page.getByTestId('applicant-name').textContent()).toContain('فاطمة');
    expect(await page.getByTestId('attendance-rate').textContent()).toBe('100%');
    expect(await page.getByTestId('missing-hours').textContent()).toContain('26,5');
    expect(await page.getByTestId('timeline').locator('tr').count()).toBe(1);
    await app.screenshot(page, 'sessions-applicant-ar');

    // The week view lists the session with its counts (French this time).
    await shell.switchLanguage('fr');
    await shell.go('sessions');
    await page.getByTestId('cal-mode').locator('label[for$="-month"]').click();
    // Move to March 2026 whatever today is.
    for (let i = 0; i < 60; i++) {
      const r = await page.getByTestId('cal-range').getAttribute('data-from');
      if (r?.startsWith('2026-03')) break;
      await page.getByTestId(r && r < '2026-03' ? 'cal-next' : 'cal-prev').click();
    }
    await page.getByTestId('cal-days').waitFor();
    expect(await page.getByTestId('cal-totals').textContent()).toBe('1 séances · 3,5 h · 1 présences');
    // A day of the month opens its week, session by session.
    await page.getByTestId('cal-day-2026-03-03').click();
    await page.getByTestId('cal-table').waitFor();
    expect(await page.getByTestId('cal-range').textContent()).toBe('du 02/03/2026 au 08/03/2026');
    expect(await page.getByTestId('cal-table').getByText('Marketing').count()).toBe(1);
    await app.screenshot(page, 'sessions-month-fr');
  });
});
