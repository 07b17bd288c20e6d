import { afterEach, describe, expect, it } from 'vitest';
import { tempCore, setupOffice, userToken, cli } from '../../../tests/helpers/core';
import { AppError } from '../../shared/errors';
import { waitForBatch } from './attestations.handlers';
import { insertApplicant, insertCohort, insertSessions, participant } from './test-fixtures';
import { parseQr } from './qr-payload';

const clock = () => new Date('2026-05-20T10:00:00Z');
const cores: { dispose(): Promise<void> }[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose();
});

async function office(slug: 'errachidia' | 'ouarzazate' = 'errachidia') {
  const core = tempCore({ clock });
  cores.push(core);
  const s = await setupOffice(core, slug);
  const c = insertCohort(core.sqlite);
  const sessions = insertSessions(core.sqlite, c, 12); // 12 × 3 h = 36 h offered
  return { core, token: s.token, c, sessions };
}

async function code(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

describe('attestations', () => {
  it('issues with serials per office and year, registers, audits and numbers the change', async () => {
    const { core, token, c, sessions } = await office();
    const a = participant(core.sqlite, c, sessions, 12);
    const b = participant(core.sqlite, c, sessions, 11, { cin: 'AB123456', firstNameLat: 'Khadija', lastNameLat: 'Ait Ali' });
    const r1 = await core.invoke('attestations.issue', { applicantId: a, kind: 'participation' }, { token });
    const r2 = await core.invoke('attestations.issue', { applicantId: b, kind: 'participation' }, { token });
    const r3 = await core.invoke('attestations.issue', { applicantId: a, kind: 'registration', issueDate: '2027-01-03' }, { token });
    expect(r1.entry.serial).toBe('ERR-2026-P-000001');
    expect(r2.entry.serial).toBe('ERR-2026-P-000002');
    expect(r3.entry.serial).toBe('ERR-2027-R-000001');
    expect(r1.entry.hours).toBe(36);
    expect(r2.entry.hours).toBe(33);
    expect(r1.entry.printCount).toBe(1);
    expect(core.outbox.get(r1.fileId)!.size).toBeGreaterThan(10_000);
    const row = core.sqlite.prepare('SELECT change_seq, content_hash, content_json FROM attestations WHERE id = ?').get(r1.entry.id) as { change_seq: number; content_hash: string; content_json: string };
    expect(row.change_seq).toBeGreaterThan(0);
    expect(core.sqlite.prepare("SELECT entity FROM change_log WHERE seq = ?").get(row.change_seq)).toEqual({ entity: 'attestations' });
    expect(JSON.parse(row.content_json).texts.bodyAr).toContain('36');
    const audit = core.sqlite.prepare("SELECT changes FROM audit_log WHERE method = 'attestations.issue' AND entity_id = ?").get(r1.entry.id) as { changes: string };
    expect(JSON.parse(audit.changes).serial).toEqual([null, 'ERR-2026-P-000001']);
    // Numbers are never reused: even a revoked one keeps its number and the next is higher.
    await core.invoke('attestations.revoke', { serial: 'ERR-2026-P-000002', reason: 'erreur de saisie' }, { token });
    const r4 = await core.invoke('attestations.issue', { applicantId: b, kind: 'registration' }, { token });
    expect(r4.entry.serial).toBe('ERR-2026-R-000003');
    const serials = (core.sqlite.prepare('SELECT serial FROM attestations').all() as { serial: string }[]).map((x) => x.serial);
    expect(new Set(serials).size).toBe(serials.length);
  });

  it('refuses a participation attestation below the minimum and says what is missing', async () => {
    const { core, token, c, sessions } = await office();
    const low = participant(core.sqlite, c, sessions, 8); // 24 h of 30, 8/12 = 66.7 % of 80 %
    const check = await core.invoke('attestations.check', { applicantId: low, kind: 'participation' }, { token });
    expect(check.eligible).toBe(false);
    expect(check.problems.map((p) => p.code).sort()).toEqual(['attestations.attendance_too_low', 'attestations.not_enough_hours']);
    expect(check.problems.find((p) => p.code === 'attestations.not_enough_hours')!.params).toMatchObject({ hours: 24, required: 30, missing: 6 });
    const e = await code(core.invoke('attestations.issue', { applicantId: low, kind: 'participation' }, { token }));
    expect(e.code).toBe('attestations.not_eligible');
    expect(core.sqlite.prepare('SELECT COUNT(*) AS n FROM attestations').get()).toEqual({ n: 0 });
    // A completion attestation needs a validated project.
    const e2 = await code(core.invoke('attestations.issue', { applicantId: low, kind: 'completion' }, { token }));
    expect(e2.code).toBe('attestations.not_eligible');
    // A value the template needs (the CIN) must be known.
    const noCin = insertApplicant(core.sqlite, { cin: null });
    const c2 = await core.invoke('attestations.check', { applicantId: noCin, kind: 'registration' }, { token });
    expect(c2.problems).toEqual([{ code: 'attestations.missing_value', params: { field: 'cin' } }]);
  });

  it('reprints as duplicata under the same number and revokes with a reason', async () => {
    const { core, token, c, sessions } = await office();
    const a = participant(core.sqlite, c, sessions, 12);
    const issued = await core.invoke('attestations.issue', { applicantId: a, kind: 'participation' }, { token });
    const again = await core.invoke('attestations.reprint', { serial: issued.entry.serial }, { token });
    expect(again.duplicata).toBe(true);
    expect(again.entry.serial).toBe(issued.entry.serial);
    expect(again.entry.printCount).toBe(2);
    expect(again.entry.contentHash).toBe(issued.entry.contentHash);
    const got = await core.invoke('attestations.get', { id: issued.entry.id }, { token });
    const v = await core.invoke('attestations.verify', { code: got.qrText }, { token });
    expect(v.verdict).toBe('valid');
    const revoked = await core.invoke('attestations.revoke', { id: issued.entry.id, reason: 'Document perdu, remplacé' }, { token });
    expect(revoked.status).toBe('revoked');
    expect(revoked.revokeReason).toBe('Document perdu, remplacé');
    expect((await core.invoke('attestations.verify', { code: got.qrText }, { token })).verdict).toBe('revoked');
    expect((await core.invoke('attestations.verify', { code: issued.entry.serial.toLowerCase() }, { token })).verdict).toBe('revoked');
    expect((await code(core.invoke('attestations.revoke', { id: issued.entry.id, reason: 'encore' }, { token }))).code).toBe('attestations.already_revoked');
    const list = await core.invoke('attestations.list', { status: 'revoked' }, { token });
    expect(list.total).toBe(1);
  });

  it('verifies offline: valid, tampered, unknown office, a typed serial, and the CIN', async () => {
    const err = await office('errachidia');
    const oua = await office('ouarzazate');
    const a = participant(err.core.sqlite, err.c, err.sessions, 12, { cin: 'UA654321' });
    const issued = await err.core.invoke('attestations.issue', { applicantId: a, kind: 'participation' }, { token: err.token });
    const { qrText } = await err.core.invoke('attestations.get', { id: issued.entry.id }, { token: err.token });
    const v = await err.core.invoke('attestations.verify', { code: qrText, cin: 'ua-654321' }, { token: err.token });
    expect(v).toMatchObject({ verdict: 'valid', source: 'qr', serial: 'ERR-2026-P-000001', kind: 'participation', name: 'Fatima Zahra EL ALAOUI', hours: 36, registered: true, cinMatches: true });
    expect((await err.core.invoke('attestations.verify', { code: qrText, cin: 'UA654320' }, { token: err.token })).cinMatches).toBe(false);

    // A changed payload (more hours) or signature is refused.
    const parsed = parseQr(qrText);
    if (!parsed.ok) throw new Error('parse');
    const forged = JSON.stringify([parsed.facts.serial, parsed.facts.kind, parsed.facts.name, parsed.facts.cinHash, parsed.facts.issueDate, 360]);
    const tampered = `JISR1.${Buffer.from(forged).toString('base64url')}.${qrText.split('.')[2]}`;
    expect((await err.core.invoke('attestations.verify', { code: tampered }, { token: err.token })).verdict).toBe('tampered');
    const sig = qrText.split('.')[2];
    const badSig = qrText.slice(0, qrText.length - sig.length) + (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    expect((await err.core.invoke('attestations.verify', { code: badSig }, { token: err.token })).verdict).toBe('tampered');
    expect((await err.core.invoke('attestations.verify', { code: 'JISR1.garbage' }, { token: err.token })).verdict).toBe('tampered');

    // Another office does not know Errachidia's key: unknown office, until the key is imported and trusted.
    expect((await oua.core.invoke('attestations.verify', { code: qrText }, { token: oua.token })).verdict).toBe('unknown_office');
    const errOffice = err.core.sqlite.prepare('SELECT * FROM offices WHERE code = ?').get('ERR') as Record<string, unknown>;
    oua.core.sqlite
      .prepare('INSERT INTO offices (id, slug, code, kind, province_code, name_ar, name_fr, public_key, trusted, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)')
      .run(errOffice.id, errOffice.slug, errOffice.code, errOffice.kind, errOffice.province_code, errOffice.name_ar, errOffice.name_fr, errOffice.public_key, errOffice.created_at, errOffice.updated_at);
    const remote = await oua.core.invoke('attestations.verify', { code: qrText }, { token: oua.token });
    expect(remote).toMatchObject({ verdict: 'valid', registered: false, office: { code: 'ERR' } });
    expect((await oua.core.invoke('attestations.verify', { code: tampered }, { token: oua.token })).verdict).toBe('tampered');

    // Typed serials are checked against the local register.
    expect((await err.core.invoke('attestations.verify', { code: ' err 2026 p 000001 ' }, { token: err.token })).verdict).toBe('valid');
    expect((await err.core.invoke('attestations.verify', { code: 'ERR-2026-P-000999' }, { token: err.token })).verdict).toBe('not_found');
    expect((await err.core.invoke('attestations.verify', { code: 'XYZ-2026-000001' }, { token: err.token })).verdict).toBe('unknown_office');
  });

  it('enforces roles: agents verify and list, only office heads issue, reprint and revoke', async () => {
    const { core, token, c, sessions } = await office();
    const a = participant(core.sqlite, c, sessions, 12);
    const agent = await userToken(core, token, 'agent1', 'agent');
    const head = await userToken(core, token, 'head1', 'office_head');
    expect((await code(core.invoke('attestations.issue', { applicantId: a, kind: 'participation' }, { token: agent }))).code).toBe('auth.forbidden');
    const issued = await core.invoke('attestations.issue', { applicantId: a, kind: 'participation' }, { token: head });
    expect(issued.entry.issuedByName).toBe('head1');
    expect((await code(core.invoke('attestations.revoke', { id: issued.entry.id, reason: 'non' }, { token: agent }))).code).toBe('auth.forbidden');
    expect((await core.invoke('attestations.verify', { code: issued.entry.serial }, { token: agent })).verdict).toBe('valid');
    expect((await core.invoke('attestations.list', {}, { token: agent })).total).toBe(1);
    const preview = await core.invoke('attestations.preview', { applicantId: a, kind: 'participation' }, { token: agent });
    expect(preview.eligibility.eligible).toBe(true);
    expect(core.sqlite.prepare('SELECT COUNT(*) AS n FROM attestations').get()).toEqual({ n: 1 });
    expect((await code(core.invoke('attestations.verify', { code: issued.entry.serial }, {}))).code).toBe('auth.login_required');
  });

  it('issues a cohort batch in the background, one PDF or one per person, and can be cancelled', async () => {
    const { core, token, c, sessions } = await office();
    for (let i = 0; i < 4; i++) participant(core.sqlite, c, sessions, 12, { firstNameLat: `Amina${i}` });
    participant(core.sqlite, c, sessions, 5, { firstNameLat: 'Absente' });
    const start = await core.invoke('attestations.batchStart', { cohortId: c.cohortId, mode: 'single' }, { token });
    expect(start.total).toBe(4);
    expect(start.skipped).toHaveLength(1);
    expect(start.skipped[0].problems.map((p) => p.code)).toContain('attestations.not_enough_hours');
    await waitForBatch(core.outbox, start.jobId);
    const done = await core.invoke('attestations.batchStatus', { jobId: start.jobId }, { token });
    expect(done).toMatchObject({ state: 'done', done: 4, total: 4 });
    expect(done.files).toHaveLength(1);
    expect(core.sqlite.prepare('SELECT SUM(print_count) AS n FROM attestations WHERE batch_id = ?').get(start.jobId)).toEqual({ n: 4 });

    const per = await core.invoke('attestations.batchStart', { cohortId: c.cohortId, mode: 'per_person', kind: 'registration' }, { token, actor: undefined });
    await core.invoke('attestations.batchCancel', { jobId: per.jobId }, { actor: cli });
    await waitForBatch(core.outbox, per.jobId);
    const cancelled = await core.invoke('attestations.batchStatus', { jobId: per.jobId }, { token });
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.done).toBeLessThan(5);
    // Not rendered: registered, not printed; its first print is an original, not a duplicata.
    const unprinted = core.sqlite.prepare('SELECT serial FROM attestations WHERE batch_id = ? AND print_count = 0').all(per.jobId) as { serial: string }[];
    expect(unprinted.length).toBe(5 - cancelled.done);
    const first = await core.invoke('attestations.reprint', { serial: unprinted[0].serial }, { token });
    expect(first.duplicata).toBe(false);
  });
});
