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

/** The region's core for runCli, which closes what it opened: this one stays open for the rest of the test. */
function keepOpen(c: Core): Core {
  return Object.create(c, { close: { value: async () => undefined } }) as Core;
}

function dropTriggers(c: Core) {
  c.sqlite.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
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

describe("the region accepts an office's new audit chain (a legitimate restore shortens the trail)", () => {
  it('refused, then shown in words, then accepted with a typed reason (audited); the same file and the next ones apply', async () => {
    const { region, province } = await pair();
    addApplicants(province.sqlite, 3, { seed: 11 });
    expect(await importFile(region, await exportFile(province, 'f1.jisrx'))).toMatchObject({ status: 'applied' });
    const seen = region.sqlite.prepare(`SELECT rows FROM audit_anchors WHERE direction = 'received'`).pluck().get() as number;
    // The office's trail is shorter than what the region holds (what restoring an older backup does to it).
    truncateTo(province, seen - 2);
    addApplicants(province.sqlite, 1, { seed: 12 });
    const f2 = await exportFile(province, 'f2.jisrx');
    expect(await importFile(region, f2)).toMatchObject({ status: 'refused', error: { code: 'exchange.audit_not_extended' } });

    // Looking changes nothing, and says what was seen.
    const look = await region.invoke('exchange.auditChainBreak', { refusedFile: { path: f2 } }, as);
    expect(look).toMatchObject({ office: 'errachidia', fileSeq: 2, seen: { rows: seen, fileSeq: 1 }, atSeen: 'missing', accepted: false });
    expect(look.offered.rows).toBeLessThan(seen);
    const { auditChainDecisionWords } = await import('../../src-main/shared/i18n/audit-chain-words');
    for (const lang of ['ar', 'fr'] as const) {
      const w = Object.values(auditChainDecisionWords(look, lang)).join(' ');
      expect(w).toContain(String(seen));
      expect(w).not.toMatch(/\{\{|errachidia|missing|rewritten|undefined|null/);
    }
    expect(await importFile(region, f2)).toMatchObject({ status: 'refused' });

    // A coordinator only; a reason typed.
    const regionAdmin = (await region.invoke('auth.login', { username: 'admin', password: 'admin-password-1' })).token;
    const { userToken } = await import('../helpers/core');
    const head = await userToken(region, regionAdmin, 'head9', 'office_head');
    await expect(region.invoke('exchange.acceptAuditChain', { refusedFile: { path: f2 }, reason: 'restauration de la sauvegarde du 3' }, { token: head })).rejects.toMatchObject({ code: expect.stringMatching(/^auth\.|^api\./) });
    await expect(region.invoke('exchange.acceptAuditChain', { refusedFile: { path: f2 }, reason: '  court ' }, as)).rejects.toMatchObject({ code: 'exchange.audit_reason_required' });

    // Accepted through the command line, as the region's coordinator would without the window.
    const out: string[] = [];
    const io = { stdin: async () => '', out: (l: string) => out.push(l), err: () => undefined };
    const reason = 'Le bureau a restauré la sauvegarde du 28/11 après la panne du disque (appel du chef de bureau).';
    const code = await runCli(['exchange', 'accept-audit', '--db', region.dbPath, '--file', f2, '--reason', reason], { io, open: () => keepOpen(region) });
    expect(code).toBe(0);
    const printed = JSON.parse(out.join(''));
    expect(printed).toMatchObject({ accepted: true, seen: { rows: seen } });
    expect(printed.words.fr.meaning).toMatch(/Accepter/);
    expect(printed.words.ar.seen).toMatch(/الرشيدية/);
    // The region's own trail keeps the decision: what it held, what it took, the reason.
    const row = region.sqlite.prepare(`SELECT changes FROM audit_log WHERE method = 'exchange.acceptAuditChain' AND changes IS NOT NULL`).pluck().get() as string;
    expect(JSON.parse(row)).toMatchObject({ audit_rows_kept: [seen, look.offered.rows], reason: [null, reason], audit_chain_break: [null, 'missing'] });
    expect(verifyAudit(region.sqlite).ok).toBe(true);

    // The refused file now applies, and the next file must extend the accepted chain.
    expect(await importFile(region, f2)).toMatchObject({ status: 'applied' });
    addApplicants(province.sqlite, 1, { seed: 13 });
    await province.invoke('users.setLanguage', { language: 'fr' }, { token: (await province.invoke('auth.login', { username: 'admin', password: 'admin-password-1' })).token });
    const f3 = await exportFile(province, 'f3.jisrx');
    expect(await importFile(region, f3)).toMatchObject({ status: 'applied' });
    // Nothing left to accept for a file that extends the chain.
    await expect(region.invoke('exchange.auditChainBreak', { refusedFile: { path: f3 } }, as)).rejects.toMatchObject({ code: 'exchange.audit_chain_extends' });
    // And a rewrite after the acceptance is caught again.
    rewriteFrom(province, 2);
    expect(await importFile(region, await exportFile(province, 'f4.jisrx'))).toMatchObject({ status: 'refused', error: { code: 'exchange.audit_not_extended' } });
  });
});

describe('audit verify: how far the trail is anchored (last backup and last file sent)', () => {
  it('gives both; deleting the rows written since the last backup is seen through the file sent after it', async () => {
    const { mkdirSync } = await import('node:fs');
    const { region, province } = await pair();
    const admin = (await province.invoke('auth.login', { username: 'admin', password: 'admin-password-1' })).token;
    const work = async (n: number) => {
      for (let i = 0; i < n; i++) await province.invoke('users.setLanguage', { language: i % 2 ? 'ar' : 'fr' }, { token: admin });
    };
    addApplicants(province.sqlite, 2, { seed: 21 });
    await work(2);
    const usb = join(province.dir, 'usb');
    mkdirSync(usb);
    await province.invoke('backup.updateSettings', { folder: usb, passphrase: 'anchor passphrase 2' }, as);
    await province.invoke('backup.create', {}, as);
    let v = await province.invoke('audit.verify', {}, as);
    const backupRows = v.anchored.lastBackup!.rows;
    expect(v.anchored.lastBackup).toMatchObject({ rows: expect.any(Number) });
    expect(v.anchored.lastFileSent).toBeNull();
    // Rows written since the backup, then a file sent: both anchors are there.
    await work(3);
    const f1 = await exportFile(province, 'f1.jisrx');
    await work(2);
    v = await province.invoke('audit.verify', {}, as);
    expect(v.ok).toBe(true);
    expect(v.anchored.lastBackup).toMatchObject({ rows: backupRows });
    expect(v.anchored.lastFileSent).toMatchObject({ fileSeq: 1, intact: true });
    const sentRows = v.anchored.lastFileSent!.rows;
    expect(sentRows).toBeGreaterThan(backupRows);
    expect(v.anchored.unanchoredRows).toBe(v.anchored.rows - sentRows);

    // Someone with the file deletes every row written since the last backup and moves the stored head back.
    truncateTo(province, backupRows);
    v = await province.invoke('audit.verify', {}, as);
    expect(v.ok).toBe(false);
    expect(v.anchored.lastBackup).toMatchObject({ rows: backupRows }); // the backup alone cannot see it …
    expect(v.anchored.lastFileSent).toMatchObject({ fileSeq: 1, intact: false }); // … the file sent after it does
    expect(v.anchored.broken.map((b) => b.fileSeq)).toEqual([1]);
    // And the region, which kept the file's head, refuses the office's next file.
    expect(await importFile(region, f1)).toMatchObject({ status: 'applied' });
    addApplicants(province.sqlite, 1, { seed: 22 });
    expect(await importFile(region, await exportFile(province, 'f2.jisrx'))).toMatchObject({ status: 'refused', error: { code: 'exchange.audit_not_extended' } });
    // The command line says it too, and exits non-zero.
    const dbPath = province.dbPath;
    await province.close();
    const err: string[] = [];
    const code = await runCli(['audit', 'verify', '--db', dbPath], { io: { stdin: async () => '', out: () => undefined, err: (l) => err.push(l) } });
    expect(code).toBe(1);
    expect(err.join('')).toContain('audit.exchange_anchor_mismatch');
  });
});
