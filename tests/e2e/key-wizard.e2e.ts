import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src-main/core/context';
import { setupOfficeCore, startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

const as = { actor: { kind: 'cli', osUser: 'e2e' } as Actor };

/**
 * The key exchange as guided steps (issue 15), in Chromium through the web bridge: the region trusts a
 * province's key (Arabic) and the province loads the region's key (French): the fingerprint shown in groups,
 * nothing trusted before the confirmation, then what was done.
 */
describe('key exchange wizard (web bridge + Chromium)', () => {
  let province: E2eApp;
  let region: E2eApp;
  const dir = mkdtempSync(join(tmpdir(), 'jisr-e2e-kw-'));
  let provinceKeyPath: string;
  let regionKeyPath: string;
  let provinceFp: string;
  let regionFps: string[];

  beforeAll(async () => {
    province = await startApp();
    region = await startApp();
    await setupOfficeCore(province.core, 'errachidia');
    await setupOfficeCore(region.core, 'region');
    await province.core.invoke('users.create', { username: 'head.err', displayName: 'رئيس المكتب', role: 'office_head', password: 'head-pass-2026', mustChange: false }, as);
    await region.core.invoke('users.create', { username: 'coord', displayName: 'المنسقة الجهوية', role: 'coordinator', password: 'coord-pass-2026', mustChange: false }, as);
    const pk = await province.core.invoke('exchange.keysShow', {}, as);
    const rk = await region.core.invoke('exchange.keysShow', {}, as);
    provinceFp = pk.ed25519.fingerprint;
    regionFps = [rk.ed25519.fingerprint, rk.x25519!.fingerprint];
    provinceKeyPath = join(dir, 'jisr-key-errachidia.json');
    regionKeyPath = join(dir, 'jisr-key-region.json');
    writeFileSync(provinceKeyPath, pk.keyFile);
    writeFileSync(regionKeyPath, rk.keyFile);
  });
  afterAll(async () => {
    await province?.close();
    await region?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the region trusts a province key only after the fingerprint is read and confirmed (Arabic)', async () => {
    const trusted = () => region.core.sqlite.prepare("SELECT COUNT(*) FROM offices WHERE slug = 'errachidia' AND trusted = 1").pluck().get();
    const r = await region.open({ viewport: { width: 1366, height: 768 } });
    await new LoginPageObject(r).login('coord', 'coord-pass-2026');
    const rs = new ShellPageObject(r);
    await rs.waitVisible();
    await rs.go('exchange');
    await r.getByTestId('key-wizard-open-trust').click();
    await r.getByTestId('key-wizard-input').setInputFiles(provinceKeyPath);
    const fp = r.getByTestId('key-wizard-fp-signing');
    await fp.waitFor();
    // Four groups, left to right, as the other side reads them.
    expect((await fp.innerText()).split(/\s+/).join('-')).toBe(provinceFp);
    expect(await fp.getAttribute('dir')).toBe('ltr');
    expect(await r.getByTestId('key-wizard-office').textContent()).toContain('الرشيدية');
    expect(await r.getByTestId('key-wizard').textContent()).toContain('اتصل هاتفيا');
    expect(trusted()).toBe(0);
    expect(await r.getByTestId('key-wizard-confirm').isDisabled()).toBe(true);
    await region.screenshot(r, 'key-wizard-trust-ar');
    await r.getByTestId('key-wizard-matched').check();
    await r.getByTestId('key-wizard-confirm').click();
    const done = r.getByTestId('key-wizard-done');
    await done.waitFor();
    expect(await done.textContent()).toContain('تم اعتماد مفتاح');
    expect(trusted()).toBe(1);
    await region.screenshot(r, 'key-wizard-trust-done-ar');
    await r.getByTestId('key-wizard-close').click();
    // The office now shows its fingerprint in the list.
    await expect.poll(() => r.getByTestId('exchange-offices').textContent()).toContain(provinceFp);
  });

  it('the province loads the region key after both fingerprints are confirmed; cancelling loads nothing (French)', async () => {
    const loaded = () => province.core.sqlite.prepare('SELECT COUNT(*) FROM exchange_region_keys').pluck().get();
    const p = await province.open({ viewport: { width: 1366, height: 768 } });
    await new LoginPageObject(p).login('head.err', 'head-pass-2026');
    const ps = new ShellPageObject(p);
    await ps.waitVisible();
    await p.getByTestId('language-switch').getByText('Français').click();
    await p.locator('html[lang="fr"]').waitFor();
    await ps.go('exchange');
    // Cancelled at the fingerprint: nothing loaded.
    await p.getByTestId('key-wizard-open-region').click();
    await p.getByTestId('key-wizard-input').setInputFiles(regionKeyPath);
    await p.getByTestId('key-wizard-fp-encryption').waitFor();
    await p.getByTestId('key-wizard-cancel').click();
    await p.getByTestId('key-wizard-fp-encryption').waitFor({ state: 'detached' });
    expect(loaded()).toBe(0);

    await p.getByTestId('key-wizard-open-region').click();
    await p.getByTestId('key-wizard-input').setInputFiles(regionKeyPath);
    await p.getByTestId('key-wizard-fp-encryption').waitFor();
    expect(await p.getByTestId('key-wizard-fp-signing').getAttribute('data-fingerprint')).toBe(regionFps[0]);
    expect(await p.getByTestId('key-wizard-fp-encryption').getAttribute('data-fingerprint')).toBe(regionFps[1]);
    expect(await p.getByTestId('key-wizard').textContent()).toContain('Appelez la région');
    await province.screenshot(p, 'key-wizard-region-fr');
    await p.getByTestId('key-wizard-matched').check();
    await p.getByTestId('key-wizard-confirm').click();
    await p.getByTestId('key-wizard-done').waitFor();
    expect(await p.getByTestId('key-wizard-done').textContent()).toContain('La clé de la région');
    expect(loaded()).toBe(1);
    await p.getByTestId('key-wizard-close').click();
    // The same file again: said to be the key already loaded.
    await p.getByTestId('key-wizard-open-region').click();
    await p.getByTestId('key-wizard-input').setInputFiles(regionKeyPath);
    await p.getByTestId('key-wizard-same').waitFor();
  });
});
