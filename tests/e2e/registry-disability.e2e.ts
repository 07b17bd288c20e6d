import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { setupOffice, userToken } from '../helpers/core';
import type { ApplicantInput } from '../../src-main/shared/api/applicants.contract';

const CONSENT = { given: true, date: '2026-11-20', textVersion: '2026-01', channel: 'paper' } as const;

function person(n: number, over: Partial<ApplicantInput>): ApplicantInput {
  return {
    cin: `U${100200 + n}`,
    firstNameAr: 'سلمى',
    // person(1): Ouhaddou (with a disability), person(2): Boutaleb.
    lastNameAr: ['بوطالب', 'أوحدو'][n % 2],
    firstNameLat: 'Salma',
    lastNameLat: ['Boutaleb', 'Ouhaddou'][n % 2],
    sex: 'F',
    birthDate: `198${n}-03-1${n}`,
    phone: `061234567${n}`,
    communeCode: '08.401.01.07',
    isProjectHolder: true,
    consent: CONSENT,
    ...over,
  } as ApplicantInput;
}

/**
 * The registry list's disability column (issue 15): in words (its types, or yes / no) for the roles that see sensitive
 * data, absent for the coordinator, in the table and in what the API sends her.
 */
describe('registry list: the disability column only for the roles that see sensitive data (web bridge + Chromium)', () => {
  let app: E2eApp;
  let coordinator = '';
  let agent = '';
  beforeAll(async () => {
    app = await startApp({ clock: () => new Date('2026-11-20T10:00:00Z') });
    const { token } = await setupOffice(app.core, 'region');
    agent = await userToken(app.core, token, 'agent.r', 'agent');
    coordinator = await userToken(app.core, token, 'coord.r', 'coordinator');
    await app.core.invoke('applicants.create', person(1, { hasDisability: true, disabilityTypes: ['motor', 'visual'], disabilitySeverity: 'moderate' }), { token: agent });
    await app.core.invoke('applicants.create', person(2, {}), { token: agent });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function registry(user: string, lang: 'ar' | 'fr' = 'ar'): Promise<Page> {
    const page = await app.open({ viewport: { width: 1366, height: 768 } });
    await new LoginPageObject(page).login(user, `${user}-pass-123`);
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    if ((await shell.lang()) !== lang) await shell.switchLanguage(lang);
    await shell.go('applicants');
    await expect.poll(() => page.getByTestId('applicant-row').count()).toBe(2);
    return page;
  }

  const disabilityByName = async (page: Page) => {
    const rows = page.getByTestId('applicant-row');
    const out: Record<string, string> = {};
    for (let i = 0; i < (await rows.count()); i++) {
      const text = (await rows.nth(i).textContent()) ?? '';
      out[text.includes('Ouhaddou') || text.includes('أوحدو') ? 'with' : 'without'] = (await rows.nth(i).getByTestId('row-disability').textContent()) ?? '';
    }
    return out;
  };

  it('an agent reads the column in words, in Arabic and French', async () => {
    const page = await registry('agent.r');
    expect(await page.getByTestId('column-disability').textContent()).toBe('الإعاقة');
    expect(await disabilityByName(page)).toEqual({ with: 'حركية، بصرية', without: 'لا' });
    await app.screenshot(page, 'registry-disability-agent-ar');
    await new ShellPageObject(page).switchLanguage('fr');
    await expect.poll(() => page.getByTestId('column-disability').textContent()).toBe('Handicap');
    expect(await disabilityByName(page)).toEqual({ with: 'Moteur, Visuel', without: 'Non' });
    await app.screenshot(page, 'registry-disability-agent-fr');
    await new ShellPageObject(page).switchLanguage('ar');
  });

  it('the coordinator has no such column, and the API sends her no disability field', async () => {
    const page = await registry('coord.r');
    expect(await page.getByTestId('column-disability').count()).toBe(0);
    expect(await page.getByTestId('row-disability').count()).toBe(0);
    await app.screenshot(page, 'registry-disability-coordinator-ar');
    // At the API (HTTP, as the page calls it): the same rows, the field absent for her, present for the agent.
    const forCoordinator = await app.http('applicants.search', { q: '' }, coordinator);
    const forAgent = await app.http('applicants.search', { q: '' }, agent);
    expect(forCoordinator.ok && forAgent.ok).toBe(true);
    expect(forCoordinator.value.items).toHaveLength(2);
    for (const item of forCoordinator.value.items) expect(Object.keys(item)).not.toContain('disability');
    expect(JSON.stringify(forCoordinator.value)).not.toMatch(/disability|motor|visual|حركية/);
    expect(forAgent.value.items.map((i: { disability?: { has: boolean } }) => i.disability?.has).sort()).toEqual([false, true]);
  });
});
