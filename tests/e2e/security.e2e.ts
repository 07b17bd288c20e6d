import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, setupOffice } from '../helpers/core';
import { addApplicants } from '../../src-main/core/exchange/exchange.fixtures';
import { startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

describe('security: audit trail and backups for office heads (web bridge + Chromium)', () => {
  let app: E2eApp;
  let adminToken = '';
  const dir = mkdtempSync(join(tmpdir(), 'jisr-e2e-sec-'));

  beforeAll(async () => {
    // The machine's roots as the folder browser offers them: a USB stick (this test's folder) and a home folder.
    mkdirSync(join(dir, 'stick', 'Sauvegardes'), { recursive: true });
    mkdirSync(join(dir, 'home', 'Documents'), { recursive: true });
    app = await startApp({
      folderRoots: () => [
        { id: 'removable:KINGSTON', kind: 'removable', name: 'KINGSTON', path: join(dir, 'stick') },
        { id: 'home', kind: 'home', name: '', path: join(dir, 'home') },
      ],
    });
    const { token } = await setupOffice(app.core);
    adminToken = token;
    // A user created then renamed: the audit trail holds the field change from → to.
    const u = await app.core.invoke('users.create', { username: 'agent1', displayName: 'Agent Un', role: 'agent', password: 'agent-pass-2026' }, { token });
    await app.core.invoke('users.setRole', { userId: u.id, role: 'office_head' }, { token });
    addApplicants(app.core.sqlite, 3, { seed: 1 });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('filters the audit trail (from → to), verifies the chain; backs up, lists, checks and restores; access request, retention preview, CNDP description', async () => {
    const p = await app.open();
    await new LoginPageObject(p).login('admin', ADMIN_PASSWORD);
    const shell = new ShellPageObject(p);
    await shell.waitVisible();
    expect(await shell.dir()).toBe('rtl');
    await shell.go('audit');
    await p.getByTestId('audit-row').first().waitFor();
    const all = await p.getByTestId('audit-row').count();
    // The action chosen in words (issue 15), the entry read as a sentence with people's names.
    await p.locator('select[data-testid="audit-method"]').selectOption('users.setRole');
    await p.getByTestId('audit-search').click();
    await expect.poll(() => p.getByTestId('audit-row').count()).toBe(1);
    expect(all).toBeGreaterThan(1);
    expect(await p.getByTestId('audit-sentence').first().textContent()).toMatch(/غير دور /);
    const change = await p.getByTestId('audit-change').first().textContent();
    expect(change).toBe('الدور: من «عون» إلى «رئيس المكتب»');
    await p.getByTestId('audit-verify').click();
    await p.getByTestId('audit-verdict').waitFor();
    expect(await p.getByTestId('audit-verdict').textContent()).toContain('السلسلة سليمة');
    await app.screenshot(p, 'security-audit');

    await shell.go('backups');
    // "Back up now" says why it cannot run; the folder is chosen in the folder browser (removable drives first), never typed.
    expect(await p.getByTestId('backups-create').isDisabled()).toBe(true);
    expect(await p.getByTestId('backups-cannot').textContent()).toContain('لم يتم اختيار مجلد النسخ الاحتياطية');
    expect(await p.locator('input[data-testid="backups-folder"]').count()).toBe(0);
    await p.getByTestId('backups-choose-folder').click();
    await p.getByTestId('folder-root-removable').waitFor();
    const roots = await p.getByTestId('folder-browser-list').innerText();
    expect(roots.indexOf('KINGSTON')).toBeLessThan(roots.indexOf('مجلدي الشخصي'));
    await app.screenshot(p, 'backups-folder-browser-roots');
    await p.getByTestId('folder-root-removable').click();
    await p.getByTestId('folder-entry').filter({ hasText: 'Sauvegardes' }).click();
    await expect.poll(() => p.getByTestId('folder-browser-current').textContent()).toBe(join(dir, 'stick', 'Sauvegardes'));
    await app.screenshot(p, 'backups-folder-browser');
    await p.getByTestId('folder-browser-choose').click();
    await expect.poll(() => p.getByTestId('backups-folder').textContent()).toBe(join(dir, 'stick', 'Sauvegardes'));
    await expect.poll(() => p.getByTestId('backups-cannot').textContent()).toContain('عبارة مرور');
    await p.locator('input[data-testid="backups-passphrase"]').or(p.getByTestId('backups-passphrase').locator('input')).first().fill('backup-secret-2026');
    await p.getByTestId('backups-save').click();
    await p.getByTestId('backups-message').waitFor();
    await expect.poll(() => p.getByTestId('backups-create').isEnabled()).toBe(true);
    expect(await p.getByTestId('backups-cannot').count()).toBe(0);
    await p.getByTestId('backups-create').click();
    await p.getByTestId('backup-row').first().waitFor();
    const saved = join(dir, 'stick', 'Sauvegardes');
    expect(readdirSync(saved).length).toBe(1);
    expect(await p.getByTestId('backups-files').textContent()).toContain(readdirSync(saved)[0]);
    await app.screenshot(p, 'security-backups');
    // Check the file with its passphrase, then restore it after typing the confirmation word.
    await p.getByTestId('backup-row').first().getByRole('button').click();
    await p.locator('input[data-testid="backup-check-pass"]').or(p.getByTestId('backup-check-pass').locator('input')).first().fill('backup-secret-2026');
    await p.getByTestId('backup-check').click();
    await p.getByTestId('backup-restore-word').waitFor();
    expect(await p.getByTestId('backup-restore').isDisabled()).toBe(true);
    await p.locator('input[data-testid="backup-restore-word"]').or(p.getByTestId('backup-restore-word').locator('input')).first().fill('استرجاع');
    await p.getByTestId('backup-restore').click();
    await expect.poll(() => p.getByTestId('backups-message').textContent()).toContain('تم الاسترجاع');

    // Data protection: an applicant's access request (PDF download), the retention dry run, the CNDP description.
    await shell.go('privacy');
    await p.locator('form button[type="submit"]').click();
    await p.getByTestId('dp-applicants').locator('tbody tr').first().waitFor();
    const [pdf] = await Promise.all([p.waitForEvent('download'), p.getByTestId('dp-applicants').getByRole('button', { name: 'PDF' }).first().click()]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    await p.getByTestId('dp-preview').click();
    await p.getByTestId('dp-preview-result').waitFor();
    const pv = await app.core.invoke('retention.preview', {}, { token: adminToken });
    expect(await p.getByTestId('dp-preview-result').textContent()).toContain(String(pv.count));
    const [desc] = await Promise.all([p.waitForEvent('download'), p.getByTestId('dp-description').click()]);
    expect(desc.suggestedFilename()).toMatch(/\.pdf$/);
    await app.screenshot(p, 'security-data-protection');

    // Settings → users: a new password for agent1 (she can log in with it), then deactivate her account.
    await shell.go('settings');
    await p.getByTestId('user-reset-agent1').click();
    await p.locator('input[data-testid="user-reset-password"]').or(p.getByTestId('user-reset-password').locator('input')).first().fill('fresh-pass-2026');
    await p.getByTestId('user-reset-submit').click();
    await p.getByTestId('user-action-message').waitFor();
    const login = await app.core.invoke('auth.login', { username: 'agent1', password: 'fresh-pass-2026' });
    expect(login.mustChangePassword).toBe(true);
    await p.getByTestId('user-active-agent1').click();
    await expect
      .poll(async () => (await app.core.invoke('users.list', {}, { token: adminToken })).find((u) => u.username === 'agent1')?.active)
      .toBe(false);
    await app.screenshot(p, 'security-users');
  });
});
