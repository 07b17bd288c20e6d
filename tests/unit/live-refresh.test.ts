import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore, userToken } from '../helpers/core';
import { createCore } from '../../src-main/core/core';

const clock = () => new Date('2026-06-15T09:00:00.000Z');
const person = (cin: string, first: string) => ({
  cin,
  firstNameLat: first,
  lastNameLat: 'Ouhammou',
  birthDate: '1991-05-20',
  communeCode: '08.201.01.01',
  consent: { given: true, date: '2026-06-15', textVersion: '2026-01', channel: 'paper' },
});

describe('changes.latest: the signal screens poll to refresh (issue 17)', () => {
  const core = tempCore({ clock });
  let agent = '';
  beforeAll(async () => {
    const admin = (await setupOffice(core)).token;
    agent = await userToken(core, admin, 'amina', 'agent');
  });
  afterAll(() => core.dispose());

  it('moves with every save, including saves made by another process on the same file; refused without a session', async () => {
    const s0 = (await core.invoke('changes.latest', {}, { token: agent })).seq;
    await core.invoke('applicants.create', person('LV100001', 'Itto'), { token: agent });
    const s1 = (await core.invoke('changes.latest', {}, { token: agent })).seq;
    expect(s1).toBeGreaterThan(s0);

    const other = createCore({ dbPath: core.dbPath, clock });
    try {
      await other.invoke('applicants.create', person('LV100002', 'Yamna'), { actor: cli });
    } finally {
      await other.close();
    }
    expect((await core.invoke('changes.latest', {}, { token: agent })).seq).toBeGreaterThan(s1);
    expect(await core.call('changes.latest', {}, {})).toMatchObject({ ok: false, error: { code: 'auth.login_required' } });
  });

  it('is answered while the main connection is inside a transaction, answering the last committed number (lock-free)', async () => {
    const before = (await core.invoke('changes.latest', {}, { token: agent })).seq;
    core.sqlite.exec('BEGIN IMMEDIATE');
    try {
      core.sqlite.prepare(`INSERT INTO change_log (entity, entity_id, op, office_id, at) VALUES ('applicants', 'x', 'update', NULL, '2026-06-15T09:00:00.000Z')`).run();
      // Not queued behind the open transaction, and it does not see what is not committed.
      expect((await core.invoke('changes.latest', {}, { token: agent })).seq).toBe(before);
    } finally {
      core.sqlite.exec('ROLLBACK');
    }
  });

  it('changes.since says which tables and records changed after a number, each with its latest number', async () => {
    const s0 = (await core.invoke('changes.latest', {}, { token: agent })).seq;
    const a = await core.invoke('applicants.create', person('LV100003', 'Zineb'), { token: agent });
    const b = await core.invoke('applicants.create', person('LV100004', 'Hafsa'), { token: agent });
    const r = await core.invoke('changes.since', { after: s0 }, { token: agent });
    expect(r.truncated).toBe(false);
    expect(r.seq).toBe((await core.invoke('changes.latest', {}, { token: agent })).seq);
    const applicants = r.changes.find((c) => c.entity === 'applicants')!;
    expect(applicants.ids).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(applicants.seq).toBeLessThanOrEqual(r.seq);
    // Nothing after the latest; a number past it (a registry restored under the screens) answers the latest.
    expect(await core.invoke('changes.since', { after: r.seq }, { token: agent })).toEqual({ seq: r.seq, changes: [], truncated: false });
    expect(await core.invoke('changes.since', { after: r.seq + 1000 }, { token: agent })).toEqual({ seq: r.seq, changes: [], truncated: false });
    expect(await core.call('changes.since', { after: 0 }, {})).toMatchObject({ ok: false, error: { code: 'auth.login_required' } });
  });
});
