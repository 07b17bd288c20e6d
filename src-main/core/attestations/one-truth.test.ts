import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run-cli';
import { setupOffice, tempCore } from '../../../tests/helpers/core';
import { AppError } from '../../shared/errors';
import { translateError } from '../../shared/i18n/translate-error';
import type { Core } from '../core';
import { waitForBatch } from './attestations.handlers';
import { signingKey } from './attestations.repo';
import { cinHash, parseQr, signQr } from './qr-payload';
import { attend, insertCohort, insertSessions, participant } from './test-fixtures';

/** One truth per attestation (issue 14): no reprint of a revoked one, no second original of the same content, replacement when it changed. */
const clock = () => new Date('2026-05-20T10:00:00Z');
const cores: { dispose(): Promise<void> }[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose();
});

async function office() {
  const core = tempCore({ clock });
  cores.push(core);
  const s = await setupOffice(core);
  const c = insertCohort(core.sqlite);
  const sessions = insertSessions(core.sqlite, c, 12);
  return { core, token: s.token, c, sessions };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

async function cli(core: Core, args: string[]) {
  const out: string[] = [];
  const code = await runCli(args, {
    io: { out: (l) => out.push(l), err: (l) => out.push(l), stdin: async () => '' },
    open: () => ({ ...core, close: async () => undefined }) as Core,
  });
  return { code, out };
}

describe('one truth per attestation', () => {
  it('refuses a revoked reprint (API and CLI, ar+fr naming the revocation), and a second original of the same content', async () => {
    const { core, token, c, sessions } = await office();
    const a = participant(core.sqlite, c, sessions, 12);
    const first = await core.invoke('attestations.issue', { applicantId: a, kind: 'participation' }, { token });

    // Same content again: refused, with the serial to print a duplicata of; the preview says so before.
    const again = await failure(core.invoke('attestations.issue', { applicantId: a, kind: 'participation' }, { token }));
    expect(again.code).toBe('attestations.already_issued');
    expect(again.params).toMatchObject({ serial: first.entry.serial, issueDate: '2026-05-20' });
    const preview = await core.invoke('attestations.preview', { applicantId: a, kind: 'participation' }, { token });
    expect(preview.plan).toMatchObject({ current: { serial: first.entry.serial, unchanged: true }, hours: 36, periodFrom: '2026-01-05', periodTo: '2026-01-16' });
    expect(core.sqlite.prepare('SELECT COUNT(*) n FROM attestations').get()).toEqual({ n: 1 });

    await core.invoke('attestations.revoke', { serial: first.entry.serial, reason: 'Erreur de nom' }, { token });
    const refused = await failure(core.invoke('attestations.reprint', { serial: first.entry.serial }, { token }));
    expect(refused.code).toBe('attestations.reprint_revoked');
    expect(refused.params).toMatchObject({ serial: first.entry.serial, reason: 'Erreur de nom' });
    expect(translateError({ code: refused.code, params: refused.params }, 'fr')).toContain('Erreur de nom');
    expect(translateError({ code: refused.code, params: refused.params }, 'fr')).toContain(first.entry.serial);
    expect(translateError({ code: refused.code, params: refused.params }, 'ar')).toContain('ألغيت');
    const viaCli = await cli(core, ['attest', 'reprint', '--db', 'x', '--serial', first.entry.serial, '--out', `${core.dir}/dup.pdf`]);
    expect(viaCli.code).not.toBe(0);
    expect(viaCli.out.join('\n')).toContain('"code":"attestations.reprint_revoked"');
    // After a revocation, a new original is what she needs.
    const fresh = await core.invoke('attestations.issue', { applicantId: a, kind: 'participation' }, { token });
    expect(fresh.entry.replaces).toBeNull();
  });

  it('replaces her current attestation when her hours changed: the old one says replaced, in the register and at verification', async () => {
    const { core, token, c, sessions } = await office();
    const a = participant(core.sqlite, c, sessions.slice(0, 11), 11);
    const old = await core.invoke('attestations.issue', { applicantId: a, kind: 'participation' }, { token });
    expect(old.entry.hours).toBe(33);
    const oldQr = (await core.invoke('attestations.get', { id: old.entry.id }, { token })).qrText;
    attend(core.sqlite, [sessions[11]], a, 1); // one more session recorded: 36 h now

    const preview = await core.invoke('attestations.preview', { applicantId: a, kind: 'participation' }, { token });
    expect(preview.plan.current).toEqual({ serial: old.entry.serial, issueDate: '2026-05-20', unchanged: false });
    expect(preview.plan.nextSerial).toBe('ERR-2026-P-000002');
    const renewed = await core.invoke('attestations.issue', { applicantId: a, kind: 'participation' }, { token });
    expect(renewed.entry).toMatchObject({ serial: 'ERR-2026-P-000002', hours: 36, replaces: old.entry.serial });
    const oldNow = await core.invoke('attestations.get', { id: old.entry.id }, { token });
    expect(oldNow).toMatchObject({ status: 'valid', replacedBy: renewed.entry.serial, replacedAt: expect.any(String) });

    const v = await core.invoke('attestations.verify', { code: oldQr }, { token });
    expect(v).toMatchObject({ verdict: 'replaced', replacedBy: renewed.entry.serial, hours: 33 });
    expect((await core.invoke('attestations.verify', { code: old.entry.serial }, { token })).verdict).toBe('replaced');
    expect((await failure(core.invoke('attestations.reprint', { id: old.entry.id }, { token }))).code).toBe('attestations.reprint_replaced');
    expect((await core.invoke('attestations.list', { status: 'replaced' }, { token })).rows.map((r) => r.serial)).toEqual([old.entry.serial]);
    expect((await core.invoke('attestations.list', { status: 'valid' }, { token })).rows.map((r) => r.serial)).toEqual([renewed.entry.serial]);
    const audit = core.sqlite.prepare("SELECT changes FROM audit_log WHERE entity = 'attestations' AND entity_id = ? ORDER BY id").all(old.entry.id) as { changes: string }[];
    expect(JSON.parse(audit.at(-1)!.changes)).toEqual({ replaced_by: [null, renewed.entry.serial] });
  });

  it('a cohort batch skips who holds the same attestation (duplicata offered) and replaces a changed one', async () => {
    const { core, token, c, sessions } = await office();
    const same = participant(core.sqlite, c, sessions, 12, { firstNameLat: 'Same' });
    const changed = participant(core.sqlite, c, sessions.slice(0, 11), 11, { firstNameLat: 'Changed' });
    const s1 = await core.invoke('attestations.issue', { applicantId: same, kind: 'participation' }, { token });
    const c1 = await core.invoke('attestations.issue', { applicantId: changed, kind: 'participation' }, { token });
    attend(core.sqlite, [sessions[11]], changed, 1);
    const batch = await core.invoke('attestations.batchStart', { cohortId: c.cohortId, kind: 'participation' }, { token });
    await waitForBatch(core.outbox, batch.jobId);
    expect(batch.serials).toHaveLength(1);
    expect(batch.replaced).toEqual([{ old: c1.entry.serial, new: batch.serials[0] }]);
    expect(batch.skipped).toEqual([
      { applicantId: same, fullName: expect.stringContaining('Same'), problems: [{ code: 'attestations.already_issued', params: { serial: s1.entry.serial, issueDate: '2026-05-20', kind: 'participation' } }] },
    ]);
    // Running it again issues nothing more: one valid original each.
    const twice = await core.invoke('attestations.batchStart', { cohortId: c.cohortId, kind: 'participation' }, { token });
    expect(twice.serials).toEqual([]);
    const current = core.sqlite.prepare("SELECT COUNT(*) n FROM attestations WHERE status = 'valid' AND replaced_by IS NULL").get();
    expect(current).toEqual({ n: 2 });
  });

  it('an altered code is never shown with its altered values; serials differ from file numbers, both searchable; old serials stay valid', async () => {
    const { core, token, c, sessions } = await office();
    const a = participant(core.sqlite, c, sessions, 12, { cin: 'UA654321' });
    const issued = await core.invoke('attestations.issue', { applicantId: a, kind: 'participation' }, { token });
    const { qrText } = await core.invoke('attestations.get', { id: issued.entry.id }, { token });
    const parsed = parseQr(qrText);
    if (!parsed.ok) throw new Error('parse');
    const f = parsed.facts;
    const forged = `JISR1.${Buffer.from(JSON.stringify([f.serial, f.kind, 'Someone Else', f.cinHash, f.issueDate, 93.5])).toString('base64url')}.${qrText.split('.')[2]}`;
    const v = await core.invoke('attestations.verify', { code: `https://verifier.example.ma/#${forged}` }, { token });
    expect(v).toMatchObject({ verdict: 'tampered', valuesFrom: 'register', hours: 36, name: 'Fatima Zahra EL ALAOUI' });
    expect(JSON.stringify(v)).not.toContain('93.5');
    expect(JSON.stringify(v)).not.toContain('Someone Else');
    // A forged code for a serial the register does not hold: no values at all.
    const unknown = `JISR1.${Buffer.from(JSON.stringify(['ERR-2026-P-000777', f.kind, 'Someone Else', f.cinHash, f.issueDate, 93.5])).toString('base64url')}.${qrText.split('.')[2]}`;
    expect(await core.invoke('attestations.verify', { code: unknown }, { token })).toMatchObject({ verdict: 'tampered', valuesFrom: null, name: null, hours: null });
    // The page address form is read like the bare code.
    expect((await core.invoke('attestations.verify', { code: `https://verifier.example.ma/#${qrText}` }, { token })).verdict).toBe('valid');

    const fileNo = (core.sqlite.prepare('SELECT file_no FROM applicants WHERE id = ?').get(a) as { file_no: string }).file_no;
    expect(issued.entry.serial).toMatch(/^ERR-2026-P-\d{6}$/);
    expect(issued.entry.serial).not.toBe(fileNo);
    expect((await core.invoke('attestations.list', { q: fileNo }, { token })).rows.map((r) => r.serial)).toEqual([issued.entry.serial]);
    expect((await core.invoke('attestations.list', { q: issued.entry.serial.toLowerCase() }, { token })).total).toBe(1);

    // An attestation issued before (serial without the kind letter) still verifies.
    const legacy = 'ERR-2025-000007';
    const legacyQr = signQr({ serial: legacy, kind: 'registration', name: 'Old Holder', cinHash: cinHash('UA654321', legacy), issueDate: '2025-11-03', hours: null }, signingKey(core.sqlite)!);
    expect(await core.invoke('attestations.verify', { code: legacyQr, cin: 'UA654321' }, { token })).toMatchObject({ verdict: 'valid', serial: legacy, cinMatches: true });
  });
});
