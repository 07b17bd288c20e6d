import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { setupOffice, userToken } from '../helpers/core';

describe('an agent: office-head actions are neither offered nor accepted', () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp();
    const { token } = await setupOffice(app.core, 'zagora');
    await userToken(app.core, token, 'agent.zagora', 'agent');
    await userToken(app.core, token, 'head.zagora', 'office_head');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('hides users and the office settings form from an agent, and the API refuses them', async () => {
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('agent.zagora', 'agent.zagora-pass-123');
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    expect(await page.getByTestId('user-role').textContent()).toBe('عون');
    await shell.go('settings');
    await page.getByTestId('office-form').waitFor();
    // Office settings are shown read-only, without a save button; no users section at all.
    expect(await page.getByTestId('office-readonly').count()).toBe(1);
    expect(await page.getByTestId('office-save').count()).toBe(0);
    expect(await page.getByTestId('office-nameFr').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByTestId('users-section').count()).toBe(0);
    expect(await page.getByTestId('user-create-form').count()).toBe(0);
    await app.screenshot(page, 'settings-agent-ar');

    // Hiding a button is not a permission: calling the methods with the agent's own session is refused.
    const token = (await shell.sessionToken())!;
    expect(token).toBeTruthy();
    const fromPage = await page.evaluate(async (session) => {
      const res = await fetch('./api/call', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-jisr-key': sessionStorage.getItem('jisr.key')!, authorization: `Bearer ${session}` },
        body: JSON.stringify({ method: 'users.create', input: { username: 'intrus', displayName: 'Intrus', role: 'office_head', password: 'intrus-pass-123' } }),
      });
      return res.json();
    }, token);
    expect(fromPage).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    expect(await app.http('users.list', {}, token)).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    expect(
      await app.http('settings.update', { nameAr: 'مكتب', nameFr: 'Bureau', signatoryTitleAr: 'المندوب', signatoryTitleFr: 'Le Délégué' }, token),
    ).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    // Nothing changed.
    const users = await app.core.invoke('users.list', {}, { actor: { kind: 'cli', osUser: 'test' } });
    expect(users.map((u) => u.username)).not.toContain('intrus');

    // The office head of the same office does get them.
    await shell.logout();
    await login.waitVisible();
    await login.login('head.zagora', 'head.zagora-pass-123');
    await shell.waitVisible();
    await shell.go('settings');
    await page.getByTestId('users-section').waitFor();
    expect(await page.getByTestId('office-save').count()).toBe(1);
    // An office head may create agents and office heads, never administrators.
    const roles = await page.getByTestId('user-role').locator('option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
    expect(roles).toEqual(['agent', 'office_head']);
  });
});
