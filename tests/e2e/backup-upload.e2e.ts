import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';
import { cli, setupOffice } from '../helpers/core';
import { addApplicants } from '../../src-main/core/exchange/exchange.fixtures';

/*
 * Issue 16: a backup from elsewhere (another PC, a stick) comes into the app as an upload — never as a path —
 * and is checked with its passphrase, then restored, by an office head on the Backups screen.
 */
describe('a backup from another place, uploaded then restored (web bridge + Chromium)', () => {
  let app: E2eApp;
  let file = '';
  beforeAll(async () => {
    app = await startApp();
    const { token } = await setupOffice(app.core, 'tinghir');
    await app.core.invoke('users.create', { username: 'head.tinghir', displayName: 'رئيس المكتب', role: 'office_head', password: 'head-pass-2026', mustChange: false }, { actor: cli });
    addApplicants(app.core.sqlite, 4, { seed: 16 });
    const usb = join(app.dir, 'usb');
    mkdirSync(usb);
    await app.core.invoke('backup.updateSettings', { folder: usb, passphrase: 'stick-secret-2026' }, { token });
    const b = await app.core.invoke('backup.create', {}, { token });
    // The copy travels on a stick: the app's folder no longer lists it.
    file = join(app.dir, 'from-the-stick.jisrbak');
    writeFileSync(file, readFileSync(b.path));
    addApplicants(app.core.sqlite, 2, { seed: 17 });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('checks the uploaded file with its passphrase, then restores it after the typed confirmation', async () => {
    const p = await app.open();
    await new LoginPageObject(p).login('head.tinghir', 'head-pass-2026');
    const shell = new ShellPageObject(p);
    await shell.waitVisible();
    await shell.go('backups');
    // An office head sees the folder but cannot change it.
    await p.getByTestId('backups-folder').waitFor();
    expect(await p.getByTestId('backups-choose-folder').count()).toBe(0);
    await p.getByTestId('backup-upload-input').setInputFiles(file);
    await p.getByTestId('backup-upload-name').waitFor();
    expect(await p.getByTestId('backup-upload-name').textContent()).toBe('from-the-stick.jisrbak');
    await p.locator('input[data-testid="backup-check-pass"]').fill('wrong-passphrase-1');
    await p.getByTestId('backup-check').click();
    await expect.poll(() => p.getByTestId('backups-message').textContent()).toContain('عبارة المرور غير صحيحة');
    await p.locator('input[data-testid="backup-check-pass"]').fill('stick-secret-2026');
    await p.getByTestId('backup-check').click();
    await p.getByTestId('backup-restore-word').waitFor();
    await app.screenshot(p, 'backup-upload-ar');
    await p.locator('input[data-testid="backup-restore-word"]').fill('استرجاع');
    await p.getByTestId('backup-restore').click();
    await expect.poll(() => p.getByTestId('backups-message').textContent()).toContain('تم الاسترجاع');
    expect(app.core.sqlite.prepare('SELECT COUNT(*) FROM applicants').pluck().get()).toBe(4);
  });
});
