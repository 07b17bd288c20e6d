import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore } from '../helpers/core';
import { addApplicants, editApplicant } from '../../src-main/core/exchange/exchange.fixtures';
import { auditHash, verifyAudit, GENESIS_HASH } from '../../src-main/core/audit/audit.repo';
import { errorTemplate } from '../../src-main/shared/i18n/translate-error';
import type { Core } from '../../src-main/core/core';
import { runCli } from '../../src-main/cli/run-cli';

/*
 * Issue 16, "Anchored audit": the head of the audit chain travels in every exchange file; the region keeps each
 * office's heads and refuses a file whose chain does not extend the last one it saw; the receipt carries it back;
 * `audit verify` says how far the trail is anchored.
 */

type TCore = ReturnType<typeof tempCore>;
const as = { actor: cli };
const cores: TCore[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose().catch(() => undefined);
});

async function pair() {
  const region = tempCore();
  const province = tempCore();
  cores.push(region, province);
  await setupOffice(region, 'region' as never);
  await setupOffice(province, 'errachidia');
  const rk = await region.invoke('exchange.keysShow', {}, as);
  await province.invoke('exchange.keysRegion', { keyFile: rk.keyFile }, as);
  const pk = await province.invoke('exchange.keysShow', {}, as);
  await region.invoke('exchange.keysTrust', { keyFile: pk.keyFile }, as);
  return { region, province };
}

async function exportFile(p: TCore, name: string): Promise<string> {
  const r = await p.invoke('exchange.export', {}, as);
  const target = join(p.dir, name);
  copyFileSync(p.outbox.get(r.fileId)!.path, target);
  return target;
}

async function importFile(region: Core, path: string) {
  return (await region.invoke('exchange.import', { files: [{ path }] }, as)).results[0];
}

function dropTriggers(c: Core) {
  c.sqlite.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

/** What an attacker with the file does: rewrite row `at` and every later hash, then move the stored head. */
function rewriteFrom(c: Core, at: number) {
  dropTriggers(c);
  const rows = c.sqlite.prepare('SELECT * FROM audit_log ORDER BY id').all() as (Parameters<typeof auditHash>[1] & { prev_hash: string; hash: string })[];
  let prev = at === 1 ? GENESIS_HASH : rows[at - 2].hash;
  for (const r of rows.slice(at - 1)) {
    const changes = r.id === at ? '{"rewritten":[null,true]}' : r.changes;
    const hash = auditHash(prev, { ...r, changes });
    c.sqlite.prepare('UPDATE audit_log SET changes = ?, prev_hash = ?, hash = ? WHERE id = ?').run(changes, prev, hash, r.id);
    prev = hash;
  }
  c.sqlite.prepare(`UPDATE settings SET value = ? WHERE key = 'audit_head'`).run(JSON.stringify({ id: rows.at(-1)!.id, hash: prev }));
  expect(verifyAudit(c.sqlite).ok).toBe(true); // the chain alone cannot see it
}

/** The rows written since `keep`, deleted, and the stored head moved back: a truncated trail. */
function truncateTo(c: Core, keep: number) {
  dropTriggers(c);
  c.sqlite.prepare('DELETE FROM audit_log WHERE id > ?').run(keep);
  const h = c.sqlite.prepare('SELECT hash FROM audit_log WHERE id = ?').pluck().get(keep) as string;
  c.sqlite.prepare(`UPDATE settings SET value = ? WHERE key = 'audit_head'`).run(JSON.stringify({ id: keep, hash: h }));
  expect(verifyAudit(c.sqlite).ok).toBe(true);
}

describe('the audit chain anchored at the region', () => {
  it('files carry the head; an honest chain extends; the receipt brings the head back; audit verify says how far it is anchored', async () => {
    const { region, province } = await pair();
    const ids = addApplicants(province.sqlite, 5, { seed: 3 });
    const f1 = await exportFile(province, 'f1.jisrx');
    const sentRows = province.sqlite.prepare(`SELECT rows FROM audit_anchors WHERE direction = 'sent'`).pluck().get() as number;
    expect(sentRows).toBeGreaterThan(0);
    expect(await importFile(region, f1)).toMatchObject({ status: 'applied' });
    const officeId = province.sqlite.prepare('SELECT office_id FROM installation').pluck().get();
    expect(region.sqlite.prepare(`SELECT rows FROM audit_anchors WHERE direction = 'received' AND office_id = ?`).pluck().get(officeId)).toBe(sentRows);
    // More work, a second file: the chain passes through the first head.
    editApplicant(province.sqlite, ids[0], '0611223344');
    await province.invoke('users.setLanguage', { language: 'fr' }, { token: (await province.invoke('auth.login', { username: 'admin', password: 'admin-password-1' })).token });
    const f2 = await exportFile(province, 'f2.jisrx');
    expect(await importFile(region, f2)).toMatchObject({ status: 'applied' });
    // The receipt carries the region's head back.
    const rc = await region.invoke('exchange.receipt', { office: 'errachidia' }, as);
    const text = readFileSync(region.outbox.get(rc.fileId)!.path, 'utf8');
    expect(JSON.parse(text).body.audit.rows).toBeGreaterThan(sentRows);
    const loaded = await province.invoke('exchange.loadReceipt', { text }, as);
    expect(loaded.receipt.audit).toMatchObject({ intact: true });
    const v = await province.invoke('audit.verify', {}, as);
    expect(v.ok).toBe(true);
    expect(v.anchored.lastFileSent).toMatchObject({ fileSeq: 2, intact: true });
    expect(v.anchored.acknowledged).toMatchObject({ rows: JSON.parse(text).body.audit.rows, intact: true });
    expect(v.anchored.unanchoredRows).toBe(v.anchored.rows - JSON.parse(text).body.audit.rows);
  });

  it('a rewritten chain (every hash and the head fixed) is refused at the next file, and nothing of it is applied', async () => {
    const { region, province } = await pair();
    addApplicants(province.sqlite, 3, { seed: 5 });
    expect(await importFile(region, await exportFile(province, 'f1.jisrx'))).toMatchObject({ status: 'applied' });
    rewriteFrom(province, 2);
    addApplicants(province.sqlite, 2, { seed: 6 });
    const before = region.sqlite.prepare('SELECT COUNT(*) FROM applicants').pluck().get();
    const r = await importFile(region, await exportFile(province, 'f2.jisrx'));
    expect(r).toMatchObject({ status: 'refused', error: { code: 'exchange.audit_not_extended', params: { office: 'errachidia' } } });
    expect(region.sqlite.prepare('SELECT COUNT(*) FROM applicants').pluck().get()).toBe(before);
    expect(errorTemplate('exchange.audit_not_extended', 'ar')).toBeTruthy();
    expect(errorTemplate('exchange.audit_not_extended', 'fr')).toBeTruthy();
    // The office's own verify sees it too: the head it sent is no longer in its chain.
    const v = await province.invoke('audit.verify', {}, as);
    expect(v.ok).toBe(false);
    expect(v.anchored.broken.map((b) => b.fileSeq)).toEqual([1]);
    // And the command line's audit verify exits non-zero.
    const dbPath = province.dbPath;
    await province.close();
    const err: string[] = [];
    const code = await runCli(['audit', 'verify', '--db', dbPath], { io: { stdin: async () => '', out: () => undefined, err: (l) => err.push(l) } });
    expect(code).toBe(1);
    expect(err.join('')).toContain('audit.exchange_anchor_mismatch');
  });

  it('a truncated trail (the rows since the last file deleted) is refused at the next file', async () => {
    const { region, province } = await pair();
    addApplicants(province.sqlite, 3, { seed: 7 });
    const f1 = await exportFile(province, 'f1.jisrx');
    expect(await importFile(region, f1)).toMatchObject({ status: 'applied' });
    const seen = region.sqlite.prepare(`SELECT rows FROM audit_anchors WHERE direction = 'received'`).pluck().get() as number;
    truncateTo(province, seen - 2);
    addApplicants(province.sqlite, 1, { seed: 8 });
    const r = await importFile(region, await exportFile(province, 'f2.jisrx'));
    expect(r).toMatchObject({ status: 'refused', error: { code: 'exchange.audit_not_extended' } });
  });

  it('a file stripped of its head after files that had one is refused', async () => {
    const { region, province } = await pair();
    addApplicants(province.sqlite, 2, { seed: 9 });
    expect(await importFile(region, await exportFile(province, 'f1.jisrx'))).toMatchObject({ status: 'applied' });
    // The province forgets every head it sent, and its chain is rewritten from the first row: no checkpoint matches.
    province.sqlite.prepare('DELETE FROM audit_anchors').run();
    rewriteFrom(province, 1);
    const r = await importFile(region, await exportFile(province, 'f2.jisrx'));
    expect(r).toMatchObject({ status: 'refused', error: { code: 'exchange.audit_not_extended' } });
  });
});
