import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/core';
import type { Actor } from '../../src-main/core/context';
import { setupOfficeCore, startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

const as = { actor: { kind: 'cli', osUser: 'e2e' } as Actor };

/**
 * The periodic file: an office set up four months ago that never sent a file is late (monthly cadence); the office
 * head is reminded on every screen, the agent (who does not send files) is not; once the file is made, the reminder goes.
 */
describe('exchange: the office head is reminded when the file for the region is late (web bridge + Chromium)', () => {
  let app: E2eApp;
  const dir = mkdtempSync(join(tmpdir(), 'jisr-e2e-rem-'));

  beforeAll(async () => {
    const db = join(dir, 'late.db');
    const c = createCore({ dbPath: db });
    await setupOfficeCore(c, 'midelt');
    await c.invoke('users.create', { username: 'head', displayName: 'رئيسة المكتب', role: 'office_head', password: 'head-pass-2026', mustChange: false }, as);
    await c.invoke('users.create', { username: 'agent', displayName: 'عون', role: 'agent', password: 'agent-pass-2026', mustChange: false }, as);
    const region = createCore({ dbPath: join(dir, 'region.db') });
    await setupOfficeCore(region, 'region');
    await c.invoke('exchange.keysRegion', { keyFile: (await region.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    await region.close();
    // Set up four months before today (the due date counts from the set-up until a first file is made).
    const past = new Date(Date.now() - 120 * 86_400_000).toISOString();
    c.sqlite.prepare('UPDATE offices SET created_at = ? WHERE id = (SELECT office_id FROM installation)').run(past);
    await c.close();
    app = await startApp({ from: db });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the reminder to the office head only, until the file is made', async () => {
    const sched = await app.core.invoke('exchange.schedule', {}, as);
    expect(sched.late).toBe(true);
    expect(sched.daysLate).toBeGreaterThanOrEqual(85);

    const p = await app.open();
    await new LoginPageObject(p).login('agent', 'agent-pass-2026');
    const shell = new ShellPageObject(p);
    await shell.waitVisible();
    await shell.go('applicants');
    await p.getByTestId('applicant-search').waitFor();
    expect(await p.getByTestId('exchange-late-banner').count()).toBe(0);
    await shell.logout();

    await new LoginPageObject(p).login('head', 'head-pass-2026');
    await shell.waitVisible();
    await shell.go('applicants');
    const banner = p.getByTestId('exchange-late-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain(String(sched.daysLate));
    await app.screenshot(p, 'exchange-late-reminder-ar');
    await banner.getByRole('button').click();
    await p.getByTestId('exchange-send').waitFor();
    expect(await banner.count()).toBe(0);
    await p.getByTestId('exchange-send').click();
    await p.getByTestId('exchange-save').waitFor();
    await shell.go('applicants');
    await p.getByTestId('applicant-search').waitFor();
    await expect.poll(async () => (await app.core.invoke('exchange.schedule', {}, as)).late).toBe(false);
    expect(await p.getByTestId('exchange-late-banner').count()).toBe(0);
  });
});
