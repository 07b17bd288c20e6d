import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileKeyStore, databaseFileState } from '../../src-main/core/db/encryption';
import { wordsToSecret } from '../../src-main/core/security/recovery';
import { setupOfficeCore, startApp, type E2eApp } from './harness';
import { insertApplicant } from '../unit/security-fixtures';

const cli = { actor: { kind: 'cli' as const, osUser: 'e2e' } };
const apps: E2eApp[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
});

/** Reads the recovery sheet as a person would: the PDF printed, its QR code scanned (pdftoppm + zbarimg). */
function wordsFromSheet(pdf: Buffer, dir: string): string {
  const file = join(dir, 'sheet.pdf');
  writeFileSync(file, pdf);
  const r1 = spawnSync('pdftoppm', ['-png', '-r', '150', '-singlefile', file, join(dir, 'sheet')]);
  expect(r1.status).toBe(0);
  const r2 = spawnSync('zbarimg', ['-q', '--raw', join(dir, 'sheet.png')], { encoding: 'utf8' });
  expect(r2.status).toBe(0);
  const text = r2.stdout.trim();
  expect(text.startsWith('JISR-RECOVERY-1 ')).toBe(true);
  return text.slice('JISR-RECOVERY-1 '.length);
}

describe('the recovery sheet opens a backup on a fresh installation', () => {
  it('office A prints its sheet and takes a backup; a new computer restores it from the setup screen with the sheet’s words', async () => {
    // --- Office A: set up, one registration, a backup, the recovery sheet printed.
    const a = await startApp();
    apps.push(a);
    await setupOfficeCore(a.core, 'errachidia');
    insertApplicant(a.core, { last_name_lat: 'Ouhammou' });
    const usb = join(a.dir, 'usb');
    mkdirSync(usb);
    await a.core.invoke('backup.updateSettings', { folder: usb, passphrase: 'a passphrase nobody remembers' }, cli);
    const backup = await a.core.invoke('backup.create', {}, cli);
    const login = await a.http('auth.login', { username: 'admin', password: 'admin-password-1' });
    const sheet = await a.http('recovery.sheet', {}, login.value.token);
    expect(sheet.ok).toBe(true);
    const words = wordsFromSheet(readFileSync(a.core.outbox.get(sheet.value.file.id)!.path), a.dir);
    expect(words.split(' ')).toHaveLength(12);

    // --- A new computer: nothing set up. The setup screen's restore, with a wrong word first.
    const b = await startApp();
    apps.push(b);
    expect(databaseFileState(b.core.dbPath)).toBe('encrypted');
    const page = await b.open();
    await page.getByTestId('setup-form').waitFor();
    await page.getByTestId('recovery-restore-open').click();
    await page.locator('[data-testid="recovery-restore-form"] input[type="file"]').setInputFiles(backup.path);
    const wrong = words.split(' ');
    wrong[3] = wrong[3] === 'abaisser' ? 'abandon' : 'abaisser';
    await page.getByTestId('recovery-words').fill(wrong.join(' '));
    await page.getByTestId('recovery-restore-submit').click();
    const msg = page.getByTestId('recovery-restore-message');
    await msg.waitFor();
    // Translated (Arabic, the default), never a code.
    expect(await msg.textContent()).toMatch(/[\u0600-\u06FF]/);
    expect(await msg.textContent()).not.toMatch(/recovery\.|backup\./);
    await b.screenshot(page, 'recovery-restore-wrong-words');

    await page.getByTestId('recovery-words').fill(words.toUpperCase());
    await page.getByTestId('recovery-restore-submit').click();
    await page.getByTestId('login-form').waitFor({ timeout: 30_000 });
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('admin-password-1');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-form').waitFor({ state: 'detached', timeout: 30_000 });
    await b.screenshot(page, 'recovery-restored-logged-in');

    // The office's data is there, and the new installation now uses the sheet's key: the same sheet stays valid.
    expect(b.core.sqlite.prepare(`SELECT COUNT(*) FROM applicants WHERE last_name_lat = 'Ouhammou'`).pluck().get()).toBe(1);
    expect(new FileKeyStore().load(b.core.dbPath)!.equals(wordsToSecret(words))).toBe(true);
    expect(databaseFileState(b.core.dbPath)).toBe('encrypted');
    // Once an office is there, the public restore is refused.
    const again = await b.http('recovery.restoreBackup', { uploadId: 'x'.repeat(12), words });
    expect(again).toMatchObject({ ok: false, error: { code: 'recovery.database_exists' } });
  });

  it('the login screen unlocks a locked-out administrator with the sheet', async () => {
    const a = await startApp();
    apps.push(a);
    await setupOfficeCore(a.core, 'midelt');
    for (let i = 0; i < 5; i++) await a.http('auth.login', { username: 'admin', password: 'not-the-password' });
    const login = await a.http('auth.login', { username: 'admin', password: 'admin-password-1' });
    expect(login.ok).toBe(false);
    const { secretToWords } = await import('../../src-main/core/security/recovery');
    const words = secretToWords(new FileKeyStore().load(a.core.dbPath)!).join(' ');
    const page = await a.open();
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('recovery-unlock-open').click();
    await page.getByTestId('recovery-unlock-username').fill('admin');
    await page.getByTestId('recovery-unlock-words').fill(words);
    await page.getByTestId('recovery-unlock-password').fill('brand-new-password-5');
    await page.getByTestId('recovery-unlock-confirm').fill('brand-new-password-5');
    await page.getByTestId('recovery-unlock-submit').click();
    await page.getByTestId('recovery-unlock-message').waitFor();
    await a.screenshot(page, 'recovery-unlock-admin');
    expect((await a.http('auth.login', { username: 'admin', password: 'brand-new-password-5' })).ok).toBe(true);
  });
});
