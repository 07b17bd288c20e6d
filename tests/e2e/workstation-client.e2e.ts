import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { ApplicantsPageObject } from './pages/applicants.page';
import { setupOffice, userToken } from '../helpers/core';
import { runOfficeNetwork } from '../../src-main/net/office-server';
import { createWorkstation, pairingPath, type Workstation } from '../../src-main/net/workstation';
import { startWebBridge, type WebBridge } from '../../src-main/web/server';
import { createCore, type Core } from '../../src-main/core/core';
import { projectRoot } from '../../src-main/core/paths';

/** Loopback only: the main PC's listener on 127.0.0.2 (HTTPS); the workstation's own bridge on 127.0.0.1. */
const HOST = '127.0.0.2';
const SHOTS = '/tmp/netdesk';
const cli = { actor: { kind: 'cli' as const, osUser: 'test' } };
const STATIC = join(projectRoot(), 'dist', 'renderer');

function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.once('error', ko);
    s.listen(0, HOST, () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
}

/**
 * A workstation installed as "connect to the office's main PC" (issue 17): its own app (here the loopback web bridge,
 * the same renderer and the same forwarding as the window's main process) on a blank installation; at first run the
 * person chooses "connect", types the address and the one-time code, compares the fingerprint and pairs; then logs in
 * and registers a woman, whom the main PC sees. The main PC stopped: a plain message, the form kept, retry works.
 */
describe('first run "connect to the office\'s main PC": pair, register, main PC stopped (issue 17)', () => {
  let app: E2eApp;
  let net: ReturnType<typeof runOfficeNetwork>;
  let address = '';
  let fingerprint = '';
  let local: Core;
  let ws: Workstation;
  let bridge: WebBridge;
  let dir = '';
  let ctx: BrowserContext;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    app = await startApp();
    const { token } = await setupOffice(app.core, 'errachidia');
    await userToken(app.core, token, 'amina', 'agent');
    const s = await app.core.invoke('network.configure', { enabled: true, host: HOST, port: await freePort() }, cli);
    address = s.address!;
    fingerprint = s.fingerprint!;
    net = runOfficeNetwork({ core: app.core, staticDir: STATIC, everyMs: 200 });
    await net.ready;
    // The workstation: a blank installation of its own.
    dir = mkdtempSync(join(tmpdir(), 'jisr-ws-'));
    local = createCore({ dbPath: join(dir, 'jisr.db') });
    ws = createWorkstation({
      pairingFile: pairingPath(join(dir, 'jisr.db')),
      firstRun: async () => {
        const st = await local.call('system.status', {});
        return st.ok && !st.value.setupDone;
      },
    });
    bridge = await startWebBridge({ core: local, staticDir: STATIC, workstation: ws });
  });
  afterAll(async () => {
    await ctx?.close().catch(() => undefined);
    await bridge?.close();
    ws?.close();
    await local?.close();
    await net?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('chooses "connect" at first run, pairs, registers a woman the main PC sees; main PC stopped and back', async () => {
    ctx = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page: Page = await ctx.newPage();
    page.on('pageerror', (e) => console.error('[page error]', e.message));
    await page.goto(bridge.url);

    // First run: the two ways to install.
    await page.getByTestId('setup-way').waitFor();
    await page.screenshot({ path: `${SHOTS}/first-run-choice-ar.png`, fullPage: true });
    await page.getByTestId('setup-way-connect').click();
    await page.getByTestId('connect-form').waitFor();
    const { code } = await app.core.invoke('network.pairingCode', {}, cli);
    await page.getByTestId('connect-address').fill(address);
    await page.getByTestId('connect-code').fill(code);
    await page.getByTestId('connect-name').fill('Accueil');
    await page.getByTestId('connect-check').click();
    // The fingerprint the main PC's screen shows, to compare before anything is sent.
    await page.getByTestId('connect-fingerprint').waitFor();
    expect((await page.getByTestId('connect-fingerprint').textContent())?.trim()).toBe(fingerprint);
    await page.screenshot({ path: `${SHOTS}/first-run-pairing-ar.png`, fullPage: true });
    await page.getByTestId('language-switch').getByText('Français').click();
    await page.getByText('Empreinte du certificat du PC principal').waitFor();
    await page.screenshot({ path: `${SHOTS}/first-run-pairing-fr.png`, fullPage: true });
    await page.getByTestId('connect-back').click();
    await page.screenshot({ path: `${SHOTS}/first-run-choice-fr.png`, fullPage: true });
    await page.getByTestId('connect-check').click();
    await page.getByTestId('connect-pair').click();

    // Paired: the app now runs against the main PC (its login page, its office).
    const login = new LoginPageObject(page);
    await login.waitVisible();
    expect(ws.status()).toMatchObject({ mode: 'client', address, fingerprint, name: 'Accueil' });
    expect(await page.getByTestId('login-main-pc').textContent()).toContain(address);
    await login.login('amina', 'amina-pass-123');
    await new ShellPageObject(page).waitVisible();

    const reg = new ApplicantsPageObject(page);
    await reg.openList();
    await reg.openNew();
    await reg.giveConsent();
    await reg.fill({ cin: 'JW445566', firstNameAr: 'زينب', lastNameAr: 'أزداد', firstNameLat: 'Zineb', lastNameLat: 'Azdad', birthDate: '02/03/1991' });
    await reg.save();
    await reg.waitFile();
    const fileId = new URL(page.url()).hash.split('/')[2];
    // The main PC has her, and its audit trail names the workstation; the workstation's own database stays blank.
    expect((await app.core.invoke('applicants.get', { id: fileId }, cli)).cin).toBe('JW445566');
    expect(app.core.sqlite.prepare(`SELECT actor_name FROM audit_log WHERE entity = 'applicants' AND entity_id = ?`).pluck().get(fileId)).toBe('amina @ Accueil');
    expect(local.sqlite.prepare('SELECT COUNT(*) FROM applicants').pluck().get()).toBe(0);

    // The main PC stopped under the workstation: said plainly (Arabic, then French), what was typed is kept.
    await page.evaluate((id) => (location.hash = `#/applicants/${id}/edit`), fileId);
    await page.getByTestId('f-phone').waitFor();
    await net.close();
    await page.getByTestId('f-phone').fill('0661223344');
    await reg.save();
    const err = page.getByTestId('form-error');
    await err.waitFor();
    expect(await err.textContent()).toContain('تعذر الوصول إلى الحاسوب الرئيسي للمكتب');
    await page.screenshot({ path: `${SHOTS}/workstation-unreachable-ar.png`, fullPage: true });
    await page.getByTestId('language-switch').getByText('Français').click();
    await reg.save();
    await page.getByText('Le PC principal du bureau est injoignable').waitFor();
    expect(await page.getByTestId('f-phone').inputValue()).toBe('0661223344');
    expect((await app.core.invoke('applicants.get', { id: fileId }, cli)).phone).toBeNull();
    await page.screenshot({ path: `${SHOTS}/workstation-unreachable-fr.png`, fullPage: true });

    // Back: the same save goes through.
    net = runOfficeNetwork({ core: app.core, staticDir: STATIC, everyMs: 200 });
    await net.ready;
    await reg.save();
    await reg.waitFile();
    expect((await app.core.invoke('applicants.get', { id: fileId }, cli)).phone).toBe('+212661223344');
  });
});
