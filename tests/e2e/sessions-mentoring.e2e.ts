import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { SessionsPageObject } from './pages/sessions.page';
import { makeApplicants } from '../helpers/sessions-factory';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import type { Actor } from '../../src-main/core/context';

const cli: Actor = { kind: 'cli', osUser: 'e2e' };

describe('individual mentoring on her training page, and the office head’s criteria (web bridge + Chromium)', () => {
  let app: E2eApp;
  let woman: { id: string; fileNo: string };
  beforeAll(async () => {
    app = await startApp();
    const n = PROVINCE_NAMES.tinghir;
    await app.core.invoke('system.setup', {
      office: 'tinghir',
      settings: defaultOfficeSettings('tinghir', n.ar, n.fr),
      admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
    });
    await app.core.invoke('users.create', { username: 'agent.naima', displayName: 'نعيمة أوعلي', role: 'agent', password: 'agent-pass-2026', mustChange: false }, { actor: cli });
    await app.core.invoke('users.create', { username: 'chef.hassan', displayName: 'حسن إد', role: 'office_head', password: 'head-pass-2026', mustChange: false }, { actor: cli });
    await app.core.invoke('organisations.create', { kind: 'incubator', nameAr: 'جمعية حاضنة تنغير', nameFr: 'Association incubatrice de Tinghir' }, { actor: cli });
    const [id] = makeApplicants(app.core, 1, 'in_training');
    woman = { id, fileNo: (app.core.sqlite.prepare('SELECT file_no FROM applicants WHERE id = ?').get(id) as { file_no: string }).file_no };
  });
  afterAll(async () => {
    await app?.close();
  });

  async function loginAs(username: string, password: string): Promise<Page> {
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login(username, password);
    await new ShellPageObject(page).waitVisible();
    return page;
  }

  it('an agent reaches her training page from the registry and records a mentoring session with notes', async () => {
    const page = await loginAs('agent.naima', 'agent-pass-2026');
    await page.evaluate((id) => (location.hash = `#/applicants/${id}`), woman.id);
    expect(await page.getByTestId('applicant-training').textContent()).toBe('مسار التكوين');
    await page.getByTestId('applicant-training').click();
    await page.getByTestId('total-hours').waitFor();
    expect(await page.getByTestId('total-hours').textContent()).toBe('0 س');
    const ui = new SessionsPageObject(page);
    await ui.recordMentoring({ date: '2026-03-10', start: '10:00', end: '11:30', topic: 'business_plan', notes: 'دراسة السوق منجزة', nextSteps: 'حساب التكاليف' });
    await page.getByTestId('mentoring-saved').waitFor();
    await page.getByTestId('timeline').waitFor();
    expect(await page.getByTestId('total-hours').textContent()).toBe('1,5 س');
    const rows = page.getByTestId('timeline').locator('tr');
    expect(await rows.count()).toBe(1);
    const row = (await rows.first().textContent()) ?? '';
    expect(row).toContain('2026-03-10');
    expect(row).toContain('مواكبة فردية');
    expect(row).toContain('دراسة السوق منجزة');
    expect(row).toContain('حساب التكاليف');
    expect(await page.getByTestId('missing-hours').textContent()).toContain('28,5');
    expect(await page.getByTestId('eligible-badge').textContent()).toBe('لا تستوفي شروط شهادة المشاركة بعد');
    // Stored as she was said to be: present, the woman alone, no cohort.
    const s = app.core.sqlite.prepare(`SELECT kind, applicant_id, cohort_id, notes FROM training_sessions`).get() as { kind: string; applicant_id: string; cohort_id: string | null; notes: string };
    expect(s).toMatchObject({ kind: 'mentoring', applicant_id: woman.id, cohort_id: null, notes: 'دراسة السوق منجزة' });
    // A time range that ends before it starts is refused with its message, nothing recorded.
    await ui.recordMentoring({ date: '2026-03-11', start: '11:00', end: '10:00', topic: 'business_plan', notes: 'x', nextSteps: '' });
    await page.getByTestId('mentoring-error').waitFor();
    expect(await page.getByTestId('timeline').locator('tr').count()).toBe(1);
    await app.screenshot(page, 'sessions-mentoring-ar');
  });

  it('an office head lowers the minimum hours: her eligibility text changes', async () => {
    const page = await loginAs('chef.hassan', 'head-pass-2026');
    await new ShellPageObject(page).go('sessions');
    const ui = new SessionsPageObject(page);
    await ui.openTab('settings');
    await ui.setCriteria({ minHours: 1 });
    await page.getByTestId('criteria-saved').waitFor();
    expect(await page.getByTestId('criteria-hours').inputValue()).toBe('1');
    // A new topic, then its deactivation.
    await page.getByTestId('topic-labelAr').fill('البيع الرقمي');
    await page.getByTestId('topic-labelFr').fill('Vente en ligne');
    await page.getByTestId('topic-add').click();
    await page.getByTestId('topic-vente_en_ligne').waitFor();
    await page.getByTestId('topic-vente_en_ligne').getByRole('checkbox').uncheck();
    await page.getByTestId('topic-vente_en_ligne').getByRole('button').click();
    await expect.poll(() => (app.core.sqlite.prepare(`SELECT active FROM ref_items WHERE kind = 'topic' AND code = 'vente_en_ligne'`).get() as { active: number }).active).toBe(0);
    await app.screenshot(page, 'sessions-settings-ar');

    await page.evaluate((id) => (location.hash = `#/sessions/applicant/${id}`), woman.id);
    await page.getByTestId('eligible-badge').waitFor();
    expect(await page.getByTestId('eligible-badge').textContent()).toBe('تستوفي شروط شهادة المشاركة');
    expect(await page.getByTestId('missing-hours').count()).toBe(0);
    expect(await page.getByTestId('eligibility').textContent()).toContain('1 ساعة');
  });
});
