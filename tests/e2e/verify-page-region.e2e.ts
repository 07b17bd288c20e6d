import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../../src-main/shared/offices';
import type { Actor } from '../../src-main/core/context';

const cli: Actor = { kind: 'cli', osUser: 'e2e' };

/** Issue 14: the region's coordinator sets the page address and writes the verification page from the screen. */
describe("the region's verification page button (web bridge + Chromium)", () => {
  let app: E2eApp;
  beforeAll(async () => {
    app = await startApp();
    const n = PROVINCE_NAMES.region;
    await app.core.invoke('system.setup', {
      office: 'region',
      settings: defaultOfficeSettings('region', n.ar, n.fr),
      admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
    });
    await app.core.invoke('users.create', { username: 'coord', displayName: 'المنسقة الجهوية', role: 'coordinator', password: 'coord-pass-2026', mustChange: false }, { actor: cli });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('sets the address (refusing a bad one), writes the page, which opens from file://', async () => {
    const page = await app.open();
    const login = new LoginPageObject(page);
    await login.waitVisible();
    await login.login('coord', 'coord-pass-2026');
    const shell = new ShellPageObject(page);
    await shell.waitVisible();
    await shell.go('attestations');
    await page.getByTestId('tab-verify').click();
    await page.getByTestId('verify-page-card').waitFor();

    await page.getByTestId('verify-url').fill('http://verifier.example.ma/');
    await page.getByTestId('verify-url-save').click();
    await page.getByTestId('verify-page-card').getByTestId('attestations-message').waitFor();
    expect(await page.getByTestId('verify-page-card').getByTestId('attestations-message').textContent()).toContain('https://');
    await page.getByTestId('verify-url').fill('https://verifier.example.ma');
    await page.getByTestId('verify-url-save').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="verify-url"]') instanceof HTMLInputElement && (document.querySelector('[data-testid="verify-url"]') as HTMLInputElement).value === 'https://verifier.example.ma/');
    expect((await app.core.invoke('attestations.verifySettings', {}, { actor: cli })).url).toBe('https://verifier.example.ma/');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('verify-page-write').click()]);
    const file = join(app.dir, 'index.html');
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe('index.html');
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(/<script[^>]+src=/);
    await app.screenshot(page, 'verify-page-region-card');

    const phone = await (await page.context().browser()!.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await phone.goto(pathToFileURL(file).href);
    await phone.waitForSelector('body[data-ready="1"]');
    expect(await phone.getAttribute('#verdict', 'data-verdict')).toBe('no_code');
    await phone.context().close();
  });
});
