import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/core';
import type { Actor } from '../../src-main/core/context';
import { addApplicants, contentHash } from '../../src-main/core/exchange/exchange.fixtures';
import type { Sqlite } from '../../src-main/core/db/connection';
import { setupOfficeCore, startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

const cli: Actor = { kind: 'cli', osUser: 'e2e' };
const as = { actor: cli };

const setup = setupOfficeCore;

/** "Nothing changed": every table's row count, the last change number, and a hash of every row. */
function snapshot(db: Sqlite) {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  return {
    counts: Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get() as number])),
    changeLogMax: db.prepare('SELECT MAX(seq) FROM change_log').pluck().get(),
    hash: contentHash(db),
  };
}

describe('exchange: export in a province, import in the region, review duplicates (web bridge + Chromium)', () => {
  let province: E2eApp;
  let region: E2eApp;
  let other: Core;
  const dir = mkdtempSync(join(tmpdir(), 'jisr-e2e-x-'));

  beforeAll(async () => {
    province = await startApp();
    region = await startApp();
    await setup(province.core, 'errachidia');
    await setup(region.core, 'region');
    other = createCore({ dbPath: join(dir, 'ouarzazate.db') });
    await setup(other, 'ouarzazate');
    await province.core.invoke('users.create', { username: 'head.err', displayName: 'رئيس المكتب', role: 'office_head', password: 'head-pass-2026', mustChange: false }, as);
    await region.core.invoke('users.create', { username: 'coord', displayName: 'المنسقة الجهوية', role: 'coordinator', password: 'coord-pass-2026', mustChange: false }, as);
    // Keys exchanged once (checked by phone in real life).
    const regionKey = (await region.core.invoke('exchange.keysShow', {}, as)).keyFile;
    for (const c of [province.core, other]) {
      await c.invoke('exchange.keysRegion', { keyFile: regionKey }, as);
      await region.core.invoke('exchange.keysTrust', { keyFile: (await c.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    }
    // The same woman registered in Ouarzazate (already at the region) and in Errachidia.
    const same = { cin: 'JK445566', first: 2, last: 6, birthDate: '1991-02-14' };
    addApplicants(other.sqlite, 3, { seed: 2, people: [same] });
    addApplicants(province.core.sqlite, 12, { seed: 1, people: [{ ...same, cin: 'JK445566' }] });
    // The matching engine (issue 13): a woman written in Arabic only in Ouarzazate and in Latin letters only in
    // Errachidia (article glued, one day apart): proposed side by side with the reasons; her sister is not.
    addApplicants(other.sqlite, 1, { people: [{ cin: 'JK700001', first: 0, last: 0, birthDate: '1985-06-01', names: { firstAr: 'خديجة', lastAr: 'الإدريسي', firstLat: '', lastLat: '' } }] });
    addApplicants(province.core.sqlite, 2, {
      people: [
        { cin: 'JK700002', first: 0, last: 0, birthDate: '1985-06-02', names: { firstAr: '', lastAr: '', firstLat: 'Khadija', lastLat: 'Lidrissi' } },
        { cin: 'JK700003', first: 0, last: 0, birthDate: '1985-06-01', names: { firstAr: '', lastAr: '', firstLat: 'Khaoula', lastLat: 'Lidrissi' } },
      ],
    });
    const oe = await other.invoke('exchange.export', {}, as);
    const r = await region.core.invoke('exchange.import', { files: [{ path: other.outbox.get(oe.fileId)!.path }] }, as);
    expect(r.results[0].status).toBe('applied');
  });
  afterAll(async () => {
    await province?.close();
    await region?.close();
    await other?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the office head sends a file; the coordinator sees the summary, applies it and resolves the duplicate', async () => {
    const p = await province.open();
    await new LoginPageObject(p).login('head.err', 'head-pass-2026');
    const ps = new ShellPageObject(p);
    await ps.waitVisible();
    await ps.go('exchange');
    // One action makes the file and saves it (a download through the session in a browser).
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('exchange-send').click()]);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe('jisr-errachidia-000001.jisrx');
    expect(await p.getByTestId('exchange-message').textContent()).toContain('تم إنشاء الملف jisr-errachidia-000001.jisrx وتنزيله');
    await p.getByTestId('exchange-history').locator('tbody tr').first().waitFor();
    await province.screenshot(p, 'exchange-province');

    const r = await region.open();
    await new LoginPageObject(r).login('coord', 'coord-pass-2026');
    const rs = new ShellPageObject(r);
    await rs.waitVisible();
    await rs.go('exchange');
    await r.getByTestId('exchange-offices').waitFor();
    await r.getByTestId('import-input').setInputFiles(file);
    await r.getByTestId('exchange-apply').waitFor();
    const dry = await r.getByTestId('exchange-results').textContent();
    expect(dry).toContain('الرشيدية');
    // Nothing applied by the summary.
    expect(region.core.sqlite.prepare(`SELECT COUNT(*) FROM applicants a JOIN offices o ON o.id = a.office_id WHERE o.slug = 'errachidia'`).pluck().get()).toBe(0);
    await region.screenshot(r, 'exchange-region-dry-run');
    await r.getByTestId('exchange-apply').click();
    await r.getByTestId('exchange-apply').waitFor({ state: 'detached' });
    expect(region.core.sqlite.prepare(`SELECT COUNT(*) FROM applicants a JOIN offices o ON o.id = a.office_id WHERE o.slug = 'errachidia'`).pluck().get()).toBe(14);

    const rows = r.getByTestId('review-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(1);
    expect(await r.getByTestId('exchange-reviews').textContent()).toContain('JK445566');
    // Side by side: names in both scripts, birth dates, CINs, communes, provinces, with the reasons in words.
    const pair = rows.filter({ hasText: 'Lidrissi' });
    expect(await pair.count()).toBe(1);
    const text = await pair.textContent();
    expect(text).toContain('الإدريسي');
    expect(text).toContain('JK700001');
    expect(text).toContain('ورزازات');
    expect(text).toContain('الاسم العائلي مكتوب الإدريسي / Lidrissi');
    expect(text).toContain('تاريخ الازدياد بفارق يوم واحد: 01/06/1985 / 02/06/1985');
    expect(text).toContain('الرشيدية');
    expect(await rows.filter({ hasText: 'Khaoula' }).count()).toBe(0);
    await region.screenshot(r, 'exchange-region-reviews');
    const before = await rows.count();
    await rows.first().getByRole('button').first().click();
    await expect.poll(() => rows.count()).toBe(before - 1);
    const decided = region.core.sqlite.prepare(`SELECT status FROM exchange_reviews WHERE status <> 'open'`).pluck().all();
    expect(decided).toEqual(['same']);
  });

  it('export and import show their progress and a Cancel leaves nothing behind', async () => {
    // Test hook: a job waits before its point of no return (every row read or written, nothing kept) until
    // it is cancelled, so that the bar and the button can be seen and pressed at a known moment.
    process.env.JISR_JOBS_TEST_HOLD_MS = '60000';
    try {
      addApplicants(province.core.sqlite, 40, { seed: 5 });
      const p = await province.open();
      await new LoginPageObject(p).login('head.err', 'head-pass-2026');
      const ps = new ShellPageObject(p);
      await ps.waitVisible();
      await ps.go('exchange');
      await p.getByTestId('exchange-history').waitFor();
      const before = snapshot(province.core.sqlite);
      const outboxFiles = (province.core.outbox as unknown as { files: Map<string, unknown> }).files.size;
      await p.getByTestId('exchange-send').click();
      const bar = p.getByTestId('job-progress');
      await bar.waitFor();
      // The rows of the file, counted as they are read and compressed.
      await expect.poll(() => p.getByTestId('job-count').textContent(), { timeout: 20_000 }).toMatch(/\d+ من \d+/);
      expect(await p.getByTestId('job-phase').textContent()).toContain('قراءة المعطيات وضغطها');
      expect(await p.locator('html').getAttribute('dir')).toBe('rtl');
      await province.screenshot(p, 'exchange-export-progress');
      await p.getByTestId('job-cancel').click();
      await bar.waitFor({ state: 'detached' });
      const msg = p.getByTestId('exchange-message');
      expect(await msg.textContent()).toContain('تم إلغاء الإرسال. لم ينشأ أي ملف');
      expect(await msg.getAttribute('data-kind')).toBe('info');
      await province.screenshot(p, 'exchange-export-cancelled');
      expect(snapshot(province.core.sqlite)).toEqual(before);
      expect((province.core.outbox as unknown as { files: Map<string, unknown> }).files.size).toBe(outboxFiles);

      // Region: Ouarzazate's next file; the summary runs without the hold, the application is held then cancelled.
      delete process.env.JISR_JOBS_TEST_HOLD_MS;
      addApplicants(other.sqlite, 30, { seed: 9 });
      const oe = await other.invoke('exchange.export', {}, as);
      const file = join(dir, oe.fileName);
      copyFileSync(other.outbox.get(oe.fileId)!.path, file);
      const r = await region.open();
      await new LoginPageObject(r).login('coord', 'coord-pass-2026');
      const rs = new ShellPageObject(r);
      await rs.waitVisible();
      await rs.go('exchange');
      await r.getByTestId('exchange-offices').waitFor();
      await r.getByTestId('import-input').setInputFiles(file);
      await r.getByTestId('exchange-apply').waitFor();
      const regionBefore = snapshot(region.core.sqlite);
      process.env.JISR_JOBS_TEST_HOLD_MS = '60000';
      await r.getByTestId('exchange-apply').click();
      const rbar = r.getByTestId('job-progress');
      await rbar.waitFor();
      await expect.poll(() => r.getByTestId('job-phase').textContent(), { timeout: 20_000 }).toContain('تطبيق السجلات');
      expect(await r.getByTestId('job-count').textContent()).toMatch(/\d+ من \d+/);
      await region.screenshot(r, 'exchange-import-progress');
      await r.getByTestId('job-cancel').click();
      await rbar.waitFor({ state: 'detached' });
      expect(await r.getByTestId('exchange-message').textContent()).toContain('تم إلغاء الاستيراد. لم يتغير أي شيء');
      await region.screenshot(r, 'exchange-import-cancelled');
      expect(snapshot(region.core.sqlite)).toEqual(regionBefore);

      // Nothing half-done: the same file applies afterwards, whole.
      delete process.env.JISR_JOBS_TEST_HOLD_MS;
      await r.getByTestId('exchange-apply').click();
      await r.getByTestId('exchange-apply').waitFor({ state: 'detached' });
      expect(await r.getByTestId('exchange-results').textContent()).toContain('ورزازات');
      const oid = other.sqlite.prepare('SELECT office_id FROM installation').pluck().get();
      expect(region.core.sqlite.prepare('SELECT COUNT(*) FROM applicants WHERE office_id = ?').pluck().get(oid)).toBe(34); // 30 + 3 + the woman of the matching pair
    } finally {
      delete process.env.JISR_JOBS_TEST_HOLD_MS;
    }
  });

  it('several files chosen out of order are applied one transaction each, in sequence, with one receipt per office', async () => {
    const files: string[] = [];
    for (const seed of [11, 12]) {
      addApplicants(other.sqlite, 4, { seed });
      const e = await other.invoke('exchange.export', {}, as);
      files.push(join(dir, e.fileName));
      copyFileSync(other.outbox.get(e.fileId)!.path, files[files.length - 1]);
    }
    const oid = other.sqlite.prepare('SELECT office_id FROM installation').pluck().get() as string;
    const lastSeq = () => region.core.sqlite.prepare('SELECT MAX(file_seq) FROM exchange_imports WHERE office_id = ?').pluck().get(oid) as number;
    const seqBefore = lastSeq();
    const countOf = () => region.core.sqlite.prepare('SELECT COUNT(*) FROM applicants WHERE office_id = ?').pluck().get(oid) as number;
    const before = countOf();
    const r = await region.open();
    await new LoginPageObject(r).login('coord', 'coord-pass-2026');
    const rs = new ShellPageObject(r);
    await rs.waitVisible();
    await rs.go('exchange');
    await r.getByTestId('exchange-offices').waitFor();
    await r.getByTestId('import-input').setInputFiles([...files].reverse()); // the later file first
    await r.getByTestId('exchange-apply').waitFor();
    await r.getByTestId('exchange-apply').click();
    await r.getByTestId('exchange-apply').waitFor({ state: 'detached' });
    const rows = r.getByTestId('exchange-results').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    // Applied in sequence (no file held for a gap), the earlier file first.
    expect((await rows.nth(0).textContent()) ?? '').toContain(String(seqBefore + 1));
    expect(await r.getByTestId('exchange-results').textContent()).not.toContain('معلق');
    expect(lastSeq()).toBe(seqBefore + 2);
    expect(region.core.sqlite.prepare('SELECT COUNT(*) FROM exchange_held_files').pluck().get()).toBe(0);
    expect(countOf()).toBe(before + 8);
    // One call per file: the audit rows of the two files were written by two calls (each call writes its rows with one time).
    const calls = region.core.sqlite
      .prepare(`SELECT COUNT(DISTINCT at) FROM audit_log WHERE method = 'exchange.import' AND entity = 'exchange_imports' AND (changes LIKE ? OR changes LIKE ?)`)
      .pluck()
      .get(`%"${basename(files[0])}"%`, `%"${basename(files[1])}"%`) as number;
    expect(calls).toBe(2);
    // One receipt for the office: the last, which says all the region holds of it.
    expect(await r.getByTestId('exchange-receipt').count()).toBe(1);
  });
});
