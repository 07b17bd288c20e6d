import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { SessionsPageObject } from './pages/sessions.page';
import { makeApplicants } from '../helpers/sessions-factory';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import type { Actor } from '../../src-main/core/context';

const cli: Actor = { kind: 'cli', osUser: 'e2e' };

/**
 * Issue 17's live refresh on the sessions screens, by the event stream (POST /api/events), not by polling: two
 * colleagues in two browser contexts (two sessions); what one records appears on the other's screen within 2 s,
 * while the other's page makes no refresh call at all; a change to a table the screen does not show reloads nothing.
 */
describe('live refresh of the sessions screens by server-sent events (issue 17)', () => {
  let app: E2eApp;
  let cohortId = '';
  beforeAll(async () => {
    app = await startApp();
    const n = PROVINCE_NAMES.tinghir;
    await app.core.invoke('system.setup', {
      office: 'tinghir',
      settings: defaultOfficeSettings('tinghir', n.ar, n.fr),
      admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
    });
    for (const [username, displayName] of [
      ['agent.naima', 'نعيمة أوعلي'],
      ['agent.karim', 'كريم الإدريسي'],
    ])
      await app.core.invoke('users.create', { username, displayName, role: 'agent', password: 'agent-pass-2026', mustChange: false }, { actor: cli });
    const org = await app.core.invoke('organisations.create', { kind: 'incubator', nameAr: 'جمعية تنغير للتكوين', nameFr: 'Association Tinghir formation' }, { actor: cli });
    const cohort = await app.core.invoke('cohorts.create', { organisationId: org.id, name: 'فوج تنغير 2026-ب', startDate: '2026-03-02', place: 'تنغير' }, { actor: cli });
    cohortId = cohort.id;
    const ids = makeApplicants(app.core, 3, 'preselected');
    await app.core.invoke('cohorts.enrol', { cohortId, applicantIds: ids, date: '2026-03-02', moveToTraining: true }, { actor: cli });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function loggedIn(user: string): Promise<{ page: Page; calls: string[]; streams: () => number }> {
    const page = await app.open();
    const calls: string[] = [];
    let streams = 0;
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/events') streams++;
      if (u.pathname === '/api/call') {
        try {
          calls.push((JSON.parse(r.postData() ?? '{}') as { method: string }).method);
        } catch {
          /* not a call */
        }
      }
    });
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login(user, 'agent-pass-2026');
    await new ShellPageObject(page).waitVisible();
    return { page, calls, streams: () => streams };
  }

  it("a session one colleague adds appears on the other's cohort page within 2 s, with no polling; other tables' changes reload nothing", async () => {
    const naima = await loggedIn('agent.naima');
    const karim = await loggedIn('agent.karim');
    await naima.page.evaluate((id) => (location.hash = `#/sessions/cohort/${id}`), cohortId);
    await naima.page.getByTestId('cohort-title').waitFor();
    await naima.page.getByTestId('members-table').waitFor();
    expect(await naima.page.getByTestId('cohort-sessions').count()).toBe(0);
    await expect.poll(() => naima.streams(), { timeout: 5000 }).toBeGreaterThanOrEqual(1);

    // A change elsewhere (a user account: a table the cohort page does not show) reloads nothing.
    await new Promise((r) => setTimeout(r, 1500));
    const before = naima.calls.length;
    await app.core.invoke('users.create', { username: 'agent.salma', displayName: 'سلمى', role: 'agent', password: 'agent-pass-2026', mustChange: false }, { actor: cli });
    await new Promise((r) => setTimeout(r, 1500));
    expect(naima.calls.slice(before)).toEqual([]);

    // Karim adds a session to the same cohort through his screen.
    await karim.page.evaluate((id) => (location.hash = `#/sessions/cohort/${id}`), cohortId);
    await karim.page.getByTestId('cohort-title').waitFor();
    await new SessionsPageObject(karim.page).addSession({ date: '2026-03-03', start: '09:00', end: '12:30', topic: 'marketing' });
    const savedAt = Date.now();

    // Naima did nothing: her cohort page shows it, reloaded by the stream's message (not by a poll).
    await naima.page.getByTestId('cohort-sessions').locator('tr').first().waitFor({ timeout: 2000 });
    expect(Date.now() - savedAt).toBeLessThan(2000);
    expect(naima.calls.filter((m) => m === 'changes.latest' || m === 'changes.since')).toEqual([]);
    expect(naima.calls.slice(before)).toContain('sessions.range');
    await app.screenshot(naima.page, 'live-refresh-cohort-ar');

    // Naima opens the same session's checklist; Karim ticks everyone present and saves: her checklist shows it.
    const sessionHash = await karim.page.evaluate(() => location.hash);
    expect(sessionHash).toMatch(/^#\/sessions\/session\//);
    await naima.page.evaluate((h) => (location.hash = h), sessionHash);
    await naima.page.getByTestId('checklist').waitFor();
    const countsBefore = await naima.page.getByTestId('checklist-counts').textContent();
    await karim.page.getByTestId('all-present').click();
    await karim.page.getByTestId('save-attendance').click();
    await karim.page.getByTestId('checklist-message').waitFor();
    const tickedAt = Date.now();
    await expect.poll(() => naima.page.getByTestId('checklist-counts').textContent(), { timeout: 2000, interval: 50 }).not.toBe(countsBefore);
    expect(Date.now() - tickedAt).toBeLessThan(2000);
    expect(await naima.page.getByTestId('checklist-counts').textContent()).toContain('3');
    await app.screenshot(naima.page, 'live-refresh-checklist-ar');
    expect(naima.calls.filter((m) => m === 'changes.latest' || m === 'changes.since')).toEqual([]);
    // One stream for the whole tab, kept from one screen to the next.
    expect(naima.streams()).toBe(1);
  });
});
