import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../../src-main/core/db/encryption';
import { wordsToSecret } from '../../src-main/core/security/recovery';
import { SCREENSHOTS, startApp, type E2eApp } from './harness';

/*
 * Issue 16: "At setup the app prints a recovery sheet". The setup screen (web bridge and window: the same renderer)
 * hands the administrator the sheet right after the office is set up, and asks her to confirm it is printed and
 * kept before going on. The PDF is read back as a person would: printed (pdftoppm), its QR scanned (zbarimg).
 */
const apps: E2eApp[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
});

for (const lang of ['ar', 'fr'] as const) {
  describe(`setup hands out the recovery sheet (${lang})`, () => {
    it('set up, the sheet step, the PDF downloaded with the 12 words and their QR, confirmed, then the app', async () => {
      const a = await startApp();
      apps.push(a);
      const page = await a.open({ viewport: { width: 1366, height: 768 } });
      await page.getByTestId('setup-form').waitFor();
      if (lang === 'fr') await page.getByTestId('language-switch').getByText('Français').click();
      await page.getByTestId('setup-office').selectOption('ouarzazate');
      await page.getByTestId('setup-username').fill('fatima');
      await page.getByTestId('setup-displayName').fill('Fatima Ait Lahcen');
      await page.getByTestId('setup-password').fill('setup-password-2026');
      await page.getByTestId('setup-confirm').fill('setup-password-2026');
      await page.getByTestId('setup-submit').click();

      const step = page.getByTestId('setup-recovery-step');
      await step.waitFor({ timeout: 30_000 });
      // Nothing to confirm before the sheet was taken; no way on before it is confirmed.
      expect(await page.getByTestId('setup-recovery-kept').isDisabled()).toBe(true);
      expect(await page.getByTestId('setup-recovery-continue').isDisabled()).toBe(true);
      const text = (await step.textContent()) ?? '';
      expect(text).toMatch(lang === 'ar' ? /[\u0600-\u06FF]{3}/ : /feuille de récupération/i);
      expect(text).not.toMatch(/recovery\.|setupSheet|\{\{/);
      await a.screenshot(page, `setup-recovery-step-${lang}`);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('setup-recovery-save').click()]);
      const pdfPath = join(a.dir, `sheet-${lang}.pdf`);
      await download.saveAs(pdfPath);
      expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
      // One page, kept as a PNG to look at; its QR code carries the database's recovery key.
      const png = join(SCREENSHOTS, `setup-recovery-sheet-${lang}`);
      expect(spawnSync('pdftoppm', ['-png', '-r', '110', '-singlefile', pdfPath, png]).status).toBe(0);
      const info = spawnSync('pdfinfo', [pdfPath], { encoding: 'utf8' }).stdout;
      expect(info).toMatch(/Pages:\s+1\b/);
      const qr = spawnSync('zbarimg', ['-q', '--raw', `${png}.png`], { encoding: 'utf8' }).stdout.trim();
      expect(qr.startsWith('JISR-RECOVERY-1 ')).toBe(true);
      const words = qr.slice('JISR-RECOVERY-1 '.length);
      expect(words.split(' ')).toHaveLength(12);
      expect(new FileKeyStore().load(a.core.dbPath)!.equals(wordsToSecret(words))).toBe(true);
      // The 12 words are printed as text too (the page's text layer).
      const pdfText = spawnSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).stdout;
      const plain = (x: string) => x.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
      for (const w of words.split(' ')) expect(plain(pdfText)).toContain(plain(w));

      await page.getByTestId('setup-recovery-kept').check();
      await a.screenshot(page, `setup-recovery-confirmed-${lang}`);
      await page.getByTestId('setup-recovery-continue').click();
      // The administrator is in the app, logged in.
      await page.getByTestId('setup-recovery-step').waitFor({ state: 'detached', timeout: 30_000 });
      await page.locator('[data-testid^="nav-"]').first().waitFor({ timeout: 30_000 });
      await a.screenshot(page, `setup-recovery-then-app-${lang}`);
      // The print is in the audit trail (the key's fingerprint, never the words).
      const audit = a.core.sqlite.prepare(`SELECT changes FROM audit_log WHERE method = 'recovery.sheet'`).pluck().all() as string[];
      expect(audit.length).toBe(1);
      for (const w of words.split(' ')) expect(audit[0]).not.toContain(w);
    });
  });
}
