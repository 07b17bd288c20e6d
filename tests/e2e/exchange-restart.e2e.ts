import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/core';
import type { Actor } from '../../src-main/core/context';
import { addApplicants, editApplicant } from '../../src-main/core/exchange/exchange.fixtures';
import { setupOfficeCore, startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

const cli: Actor = { kind: 'cli', osUser: 'e2e' };
const as = { actor: cli };
const SHOTS = join(process.cwd(), 'docs', 'img', 'restore');

/**
 * The region's coordinator, on the exchange screen, before a file of an office that restored a backup older than its
 * last file sent: the refusal in words, "what happened?", what the region holds against what the file says, the reason
 * typed, accepted — and the file applied (web bridge + Chromium, Arabic then French).
 */
describe('region: accepting that an office restarted its numbering after restoring a backup', () => {
  let region: E2eApp;
  let province: Core;
  const dir = mkdtempSync(join(tmpdir(), 'jisr-e2e-restart-'));
  let refused = '';

  beforeAll(async () => {
    let t = Date.parse('2026-11-20T09:00:00.000Z');
    region = await startApp();
    await setupOfficeCore(region.core, 'region');
    await region.core.invoke('users.create', { username: 'coord', displayName: 'المنسقة الجهوية', role: 'coordinator', password: 'coord-pass-2026', mustChange: false }, as);
    province = createCore({ dbPath: join(dir, 'errachidia.db'), clock: () => new Date(t) });
    await setupOfficeCore(province, 'errachidia');
    await province.invoke('exchange.keysRegion', { keyFile: (await region.core.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    await region.core.invoke('exchange.keysTrust', { keyFile: (await province.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    mkdirSync(join(dir, 'usb'));
    await province.invoke('backup.updateSettings', { folder: join(dir, 'usb'), passphrase: 'e2e passphrase 2026' }, as);
    const exp = async (name: string) => {
      const f = await province.invoke('exchange.export', {}, as);
      const target = join(dir, name);
      copyFileSync(province.outbox.get(f.fileId)!.path, target);
      return target;
    };
    const apply = async (p: string) => expect((await region.core.invoke('exchange.import', { files: [{ path: p }] }, as)).results[0].status).toBe('applied');
    const ids = addApplicants(province.sqlite, 20, { seed: 4, at: '2026-11-20T09:00:00.000Z' });
    await apply(await exp('f1.jisrx'));
    t = Date.parse('2026-11-21T18:00:00.000Z');
    const backup = await province.invoke('backup.create', {}, as);
    for (let i = 0; i < 6; i++) editApplicant(province.sqlite, ids[i], `06110000${10 + i}`, '2026-11-24T10:00:00.000Z');
    t = Date.parse('2026-11-24T12:00:00.000Z');
    await apply(await exp('f2.jisrx'));
    for (let i = 6; i < 10; i++) editApplicant(province.sqlite, ids[i], `06120000${10 + i}`, '2026-11-27T10:00:00.000Z');
    t = Date.parse('2026-11-27T12:00:00.000Z');
    await apply(await exp('f3.jisrx'));
    // The main PC dies; the new one restores the backup of 21/11 and the office works on.
    t = Date.parse('2026-12-01T09:00:00.000Z');
    await province.invoke('backup.restore', { path: backup.path, passphrase: 'e2e passphrase 2026' }, as);
    editApplicant(province.sqlite, ids[7], '0622000005', '2026-12-01T10:00:00.000Z');
    t = Date.parse('2026-12-01T12:00:00.000Z');
    refused = await exp('jisr-errachidia-000002.jisrx');
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => {
    await region?.close();
    await province?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refused in words; what happened, shown; accepted with a reason; the file applied', async () => {
    const r = await region.open({ viewport: { width: 1366, height: 768 } });
    await new LoginPageObject(r).login('coord', 'coord-pass-2026');
    const shell = new ShellPageObject(r);
    await shell.waitVisible();
    await shell.go('exchange');
    await r.getByTestId('exchange-offices').waitFor();
    await r.getByTestId('import-input').setInputFiles(refused);
    await r.getByTestId('numbering-restart-open').waitFor();
    expect(await r.getByTestId('exchange-results').textContent()).toContain('نسخة احتياطية');
    await r.getByTestId('numbering-restart-open').click();
    await r.getByTestId('numbering-restart-decision').waitFor();
    const ar = await r.getByTestId('numbering-restart-decision').textContent();
    expect(ar).toContain('الرشيدية');
    expect(ar).not.toMatch(/\{\{|errachidia|undefined|null/);
    await r.screenshot({ path: join(SHOTS, 'restart-decision-ar.png'), fullPage: true });
    await shell.switchLanguage('fr');
    const fr = await r.getByTestId('numbering-restart-decision').textContent();
    expect(fr).toContain('Errachidia');
    expect(fr).toContain('n° 3');
    await r.screenshot({ path: join(SHOTS, 'restart-decision-fr.png'), fullPage: true });
    await shell.switchLanguage('ar');
    await expect.poll(() => r.getByTestId('numbering-restart-accept').isDisabled()).toBe(true);
    await r.getByTestId('numbering-restart-reason').fill('تعطل الحاسوب الرئيسي للمكتب واسترجع رئيس المكتب نسخة 21/11، أكد ذلك عبر الهاتف.');
    await r.getByTestId('numbering-restart-accept').click();
    await r.getByTestId('numbering-restart-decision').waitFor({ state: 'detached' });
    await expect.poll(() => region.core.sqlite.prepare('SELECT last_file_seq FROM exchange_office_state').pluck().get()).toBe(2);
    expect(region.core.sqlite.prepare('SELECT phone FROM applicants WHERE phone = ?').pluck().get('0622000005')).toBe('0622000005');
    await expect.poll(() => r.getByTestId('exchange-message').textContent()).toContain('طبق الملف رقم 2');
    // Summarised again: the file is now one the region holds.
    expect(await r.getByTestId('exchange-results').textContent()).toContain('سبق استيراده');
    await r.screenshot({ path: join(SHOTS, 'restart-accepted-ar.png'), fullPage: true });
  });
});
