import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore, userToken, ADMIN_PASSWORD } from '../helpers/core';
import { addApplicants, editApplicant } from '../../src-main/core/exchange/exchange.fixtures';
import { verifyAudit } from '../../src-main/core/audit/audit.repo';
import { errorTemplate, translateError } from '../../src-main/shared/i18n/translate-error';
import { numberingRestartWords } from '../../src-main/shared/i18n/numbering-restart-words';
import { auditFieldLabel, auditSentence } from '../../src-main/shared/i18n/audit-words';
import type { Core } from '../../src-main/core/core';
import { runCli } from '../../src-main/cli/run-cli';

/*
 * A province restores a backup older than the last file it sent (its main PC died): its file numbers and change
 * numbers go back to the backup's. Its next file reuses a number the region applied, with a content the region never
 * received: refused as a restart of the numbering (not a replay), which the region's coordinator can accept.
 */

type TCore = ReturnType<typeof tempCore>;
const as = { actor: cli };
const cores: TCore[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose().catch(() => undefined);
});

/** A clock the test moves (nothing depends on today's date). */
function clock(start: string) {
  let t = Date.parse(start);
  return { now: () => new Date(t), at: (iso: string) => void (t = Date.parse(iso)) };
}

async function pair() {
  const rc = clock('2026-03-01T08:00:00.000Z');
  const pc = clock('2026-03-01T08:00:00.000Z');
  const region = tempCore({ clock: rc.now });
  const province = tempCore({ clock: pc.now });
  cores.push(region, province);
  await setupOffice(region, 'region' as never);
  await setupOffice(province, 'errachidia');
  const rk = await region.invoke('exchange.keysShow', {}, as);
  await province.invoke('exchange.keysRegion', { keyFile: rk.keyFile }, as);
  const pk = await province.invoke('exchange.keysShow', {}, as);
  await region.invoke('exchange.keysTrust', { keyFile: pk.keyFile }, as);
  return { region, province, pc, rc };
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

const phone = (c: Core, id: string) => c.sqlite.prepare('SELECT phone FROM applicants WHERE id = ?').pluck().get(id);
const position = (c: Core) => c.sqlite.prepare('SELECT last_file_seq, last_change_seq FROM exchange_office_state').get() as { last_file_seq: number; last_change_seq: number };
const PASS = 'restore passphrase 26';

describe('a province that restored a backup older than its last file sent', () => {
  it('is refused as a restart of its numbering; the coordinator alone accepts it, with a reason; the file and the next apply; a true replay is still "already received"', async () => {
    const { region, province, pc } = await pair();
    const usb = join(province.dir, 'usb');
    mkdirSync(usb);
    await province.invoke('backup.updateSettings', { folder: usb, passphrase: PASS }, as);

    // File 1.
    const ids = addApplicants(province.sqlite, 3, { seed: 31, at: '2026-03-01T09:00:00.000Z' });
    pc.at('2026-03-01T12:00:00.000Z');
    expect(await importFile(region, await exportFile(province, 'f1.jisrx'))).toMatchObject({ status: 'applied', fileSeq: 1 });
    // An edit before the backup, then the backup (taken after file 1), with the app's own code.
    editApplicant(province.sqlite, ids[2], '0611000001', '2026-03-02T10:00:00.000Z');
    pc.at('2026-03-02T12:00:00.000Z');
    const backup = await province.invoke('backup.create', {}, as);
    // Files 2 and 3, applied at the region, then lost with the main PC.
    editApplicant(province.sqlite, ids[0], '0611000002', '2026-03-03T10:00:00.000Z');
    editApplicant(province.sqlite, ids[2], '0611000003', '2026-03-03T10:00:00.000Z');
    pc.at('2026-03-03T12:00:00.000Z');
    const old2 = await exportFile(province, 'f2.jisrx');
    expect(await importFile(region, old2)).toMatchObject({ status: 'applied', fileSeq: 2 });
    editApplicant(province.sqlite, ids[1], '0611000004', '2026-03-04T10:00:00.000Z');
    pc.at('2026-03-04T12:00:00.000Z');
    const old3 = await exportFile(province, 'f3.jisrx');
    expect(await importFile(region, old3)).toMatchObject({ status: 'applied', fileSeq: 3 });
    const held = position(region);
    expect(held.last_file_seq).toBe(3);

    // The main PC dies; the new one restores the backup (the app's own restore), and the office works on.
    pc.at('2026-03-05T09:00:00.000Z');
    const restored = await province.invoke('backup.restore', { path: backup.path, passphrase: PASS }, as);
    expect(restored).toMatchObject({ integrity: 'ok', sameOffice: true });
    expect(phone(province, ids[1])).not.toBe('0611000004');
    // An edit after the restore of a record the region holds at a newer change number (from the lost file 3).
    editApplicant(province.sqlite, ids[1], '0622000005', '2026-03-05T10:00:00.000Z');
    const seqOfEdit = province.sqlite.prepare('SELECT change_seq FROM applicants WHERE id = ?').pluck().get(ids[1]) as number;
    expect(seqOfEdit).toBeLessThanOrEqual(region.sqlite.prepare('SELECT change_seq FROM applicants WHERE id = ?').pluck().get(ids[1]) as number);
    pc.at('2026-03-05T12:00:00.000Z');
    const new2 = await exportFile(province, 'f2-after-restore.jisrx');

    // Refused with its own code, in words, and nothing changes.
    const r = await importFile(region, new2);
    expect(r).toMatchObject({ status: 'refused', fileSeq: 2, error: { code: 'exchange.numbering_restarted', params: { fileSeq: 2, last: 3 } } });
    for (const lang of ['ar', 'fr'] as const) {
      expect(errorTemplate('exchange.numbering_restarted', lang)).toBeTruthy();
      const text = translateError(r.error!, lang);
      expect(text).not.toMatch(/\{\{|errachidia|undefined/);
      expect(text).toContain(lang === 'ar' ? 'نسخة احتياطية' : 'sauvegarde');
    }
    expect(position(region)).toEqual(held);

    // Looking changes nothing, and says what the region holds against what the file says.
    const look = await region.invoke('exchange.numberingRestart', { refusedFile: { path: new2 } }, as);
    expect(look).toMatchObject({
      office: 'errachidia',
      file: { fileSeq: 2, prevFileSeq: 1 },
      held: { lastFileSeq: 3 },
      reused: { from: 2, to: 3, files: 2 },
      accepted: false,
      alreadyDone: false,
    });
    expect(look.reused.rows).toBeGreaterThan(0);
    // A restore shortens the office's audit trail too: accepted by the same decision.
    expect(look.auditChain).toMatchObject({ office: 'errachidia', fileSeq: 2 });
    for (const lang of ['ar', 'fr'] as const) {
      const w = numberingRestartWords(look, lang);
      const all = [w.held, w.found, w.kept, w.meaning, ...Object.values(w.chain ?? {})].join(' ');
      expect(all).not.toMatch(/\{\{|errachidia|undefined|null|NaN/);
      expect(w.chain).not.toBeNull();
    }
    expect(position(region)).toEqual(held);

    // Coordinators only: the region's administrator and office head cannot; a province cannot at all; a reason typed.
    const regionAdmin = (await region.invoke('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).token;
    const head = await userToken(region, regionAdmin, 'head7', 'office_head');
    const up = region.outbox.put('f2-after-restore.jisrx', 'application/octet-stream', readFileSync(new2));
    for (const token of [regionAdmin, head]) {
      await expect(region.invoke('exchange.acceptNumberingRestart', { refusedFile: { uploadId: up.id }, reason: 'le bureau a restauré sa sauvegarde' }, { token })).rejects.toMatchObject({
        code: expect.stringMatching(/^auth\./),
      });
    }
    const provinceAdmin = (await province.invoke('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).token;
    await expect(province.invoke('exchange.acceptNumberingRestart', { refusedFile: { path: new2 }, reason: 'le bureau a restauré sa sauvegarde' }, as)).rejects.toMatchObject({ code: 'exchange.region_only' });
    const pup = province.outbox.put('f2-after-restore.jisrx', 'application/octet-stream', readFileSync(new2));
    await expect(province.invoke('exchange.acceptNumberingRestart', { refusedFile: { uploadId: pup.id }, reason: 'le bureau a restauré sa sauvegarde' }, { token: provinceAdmin })).rejects.toMatchObject({
      code: 'auth.forbidden',
    });
    await expect(province.invoke('exchange.numberingRestart', { refusedFile: { uploadId: pup.id } }, { token: provinceAdmin })).rejects.toMatchObject({ code: 'exchange.region_only' });
    await expect(region.invoke('exchange.acceptNumberingRestart', { refusedFile: { path: new2 }, reason: '  court ' }, as)).rejects.toMatchObject({ code: 'exchange.audit_reason_required' });
    expect(position(region)).toEqual(held);

    // The coordinator accepts through the command line, as without the window.
    const coordinator = await userToken(region, regionAdmin, 'coord1', 'coordinator');
    const out: string[] = [];
    const io = { stdin: async () => '', out: (l: string) => out.push(l), err: () => undefined };
    const reason = 'Le PC principal du bureau est tombé en panne le 5/3 ; le chef de bureau a restauré la sauvegarde du 2/3.';
    const code = await runCli(['exchange', 'accept-restore', '--db', region.dbPath, '--file', new2, '--reason', reason], { io, open: () => keepOpen(region) });
    expect(code).toBe(0);
    const printed = JSON.parse(out.join(''));
    expect(printed).toMatchObject({ accepted: true, alreadyDone: false, results: [{ status: 'applied', fileSeq: 2 }] });
    expect(printed.words.fr.meaning).toMatch(/Accepter/);
    expect(printed.words.ar.held).toMatch(/الرشيدية/);

    // The office's position went back to the file's start, then the file applied.
    expect(position(region).last_file_seq).toBe(2);
    expect(region.sqlite.prepare('SELECT file_seq FROM exchange_imports WHERE superseded_at IS NOT NULL ORDER BY file_seq').pluck().all()).toEqual([2, 3]);
    // Rows: the office's edit after its restore wins over the lost file's version (the newer decision); the record the
    // backup holds at an older state than the lost file keeps the region's version; a record the lost file alone changed stays.
    expect(phone(region, ids[1])).toBe('0622000005');
    expect(phone(region, ids[2])).toBe('0611000003');
    expect(phone(region, ids[0])).toBe('0611000002');

    // The region's audit trail names the decision: positions before and after, the files superseded, the trail, the reason.
    const row = region.sqlite.prepare(`SELECT * FROM audit_log WHERE method = 'exchange.acceptNumberingRestart' AND changes IS NOT NULL AND entity = 'exchange_office_state'`).all() as { changes: string }[];
    expect(row).toHaveLength(1);
    expect(JSON.parse(row[0].changes)).toMatchObject({
      last_file_seq: [3, 1],
      last_change_seq: [held.last_change_seq, expect.any(Number)],
      superseded_from: [null, 2],
      superseded_to: [null, 3],
      numbering_restart_file: [null, 2],
      reason: [null, reason],
      audit_rows_kept: [expect.any(Number), expect.any(Number)],
    });
    expect(verifyAudit(region.sqlite).ok).toBe(true);
    const list = await region.invoke('audit.list', { method: 'exchange.acceptNumberingRestart' }, { token: regionAdmin });
    expect(list.items.length).toBeGreaterThan(0);
    for (const lang of ['ar', 'fr'] as const) {
      expect(auditSentence('exchange.acceptNumberingRestart', 'coord1', null, lang)).not.toMatch(/exchange\.|\{\{/);
      for (const k of Object.keys(JSON.parse(row[0].changes))) expect(auditFieldLabel(k, lang)).toBeTruthy();
    }

    // Idempotent: accepting again changes nothing.
    const again = await region.invoke('exchange.acceptNumberingRestart', { refusedFile: { uploadId: up.id }, reason }, { token: coordinator });
    expect(again).toMatchObject({ accepted: true, alreadyDone: true });
    expect(region.sqlite.prepare(`SELECT COUNT(*) FROM audit_log WHERE method = 'exchange.acceptNumberingRestart' AND entity = 'exchange_office_state'`).pluck().get()).toBe(1);
    expect(position(region).last_file_seq).toBe(2);

    // An exact replay of the lost file 2 (or 3) is still "already received"; the office's next file applies normally.
    expect(await importFile(region, old2)).toMatchObject({ status: 'already_imported' });
    expect(await importFile(region, old3)).toMatchObject({ status: 'already_imported' });
    editApplicant(province.sqlite, ids[0], '0633000006', '2026-03-06T10:00:00.000Z');
    pc.at('2026-03-06T12:00:00.000Z');
    expect(await importFile(region, await exportFile(province, 'f3-after-restore.jisrx'))).toMatchObject({ status: 'applied', fileSeq: 3 });
    expect(phone(region, ids[0])).toBe('0633000006');
    expect(position(region).last_file_seq).toBe(3);
    // Nothing left to accept for a file that follows.
    await expect(region.invoke('exchange.numberingRestart', { refusedFile: { path: await exportFile(province, 'f4.jisrx') } }, as)).rejects.toMatchObject({ code: 'exchange.numbering_not_restarted' });
  });
});
