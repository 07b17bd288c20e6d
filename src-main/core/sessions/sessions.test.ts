import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupOffice, tempCore, userToken, cli } from '../../../tests/helpers/core';
import { makeApplicants } from '../../../tests/helpers/sessions-factory';
import { getParticipation } from './participation';
import { resolveTimes } from './sessions.service';

type C = ReturnType<typeof tempCore>;

async function fixture(core: C) {
  const { token } = await setupOffice(core);
  const agent = await userToken(core, token, 'agent1', 'agent');
  const head = await userToken(core, token, 'head1', 'office_head');
  const org = await core.invoke('organisations.create', { kind: 'incubator', nameAr: 'جمعية الأمل', nameFr: 'Association Al Amal' }, { token: agent });
  const fac = await core.invoke('facilitators.create', { organisationId: org.id, fullName: 'Khadija Ouali', role: 'trainer' }, { token: agent });
  const cohort = await core.invoke(
    'cohorts.create',
    { organisationId: org.id, name: 'Cohorte Errachidia 1', startDate: '2026-01-05', endDate: '2026-04-30', place: 'Centre culturel' },
    { token: agent },
  );
  return { admin: token, agent, head, org, fac, cohort };
}

const auditRows = (core: C, entity: string, id: string) =>
  core.sqlite.prepare('SELECT method, changes FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id').all(entity, id) as {
    method: string;
    changes: string | null;
  }[];

describe('times of a session', () => {
  it('computes the duration from start and end, or the end from start and duration', () => {
    expect(resolveTimes('09:00', '12:30', null)).toEqual({ start: '09:00', end: '12:30', minutes: 210 });
    expect(resolveTimes('14:00', null, 90)).toEqual({ start: '14:00', end: '15:30', minutes: 90 });
    expect(resolveTimes(null, null, 120)).toEqual({ start: null, end: null, minutes: 120 });
    expect(() => resolveTimes('12:00', '09:00', null)).toThrow(/session.end_before_start/);
    expect(() => resolveTimes('09:00', '12:00', 60)).toThrow(/session.duration_mismatch/);
    expect(() => resolveTimes(null, null, null)).toThrow(/session.duration_required/);
    expect(() => resolveTimes(null, '12:00', null)).toThrow(/session.start_required/);
  });
});

describe('cohorts, sessions, attendance and hours', () => {
  const core = tempCore();
  let f: Awaited<ReturnType<typeof fixture>>;
  let women: string[];
  beforeAll(async () => {
    f = await fixture(core);
    women = makeApplicants(core, 5, 'preselected');
  });
  afterAll(() => core.dispose());

  it('asks for confirmation before enrolment moves a preselected woman to in_training, then writes the path', async () => {
    const r = await core.call('cohorts.enrol', { cohortId: f.cohort.id, applicantIds: women, date: '2026-01-05' }, { token: f.agent });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'session.cohort_confirm_training', params: { count: 5 } });
    expect(core.sqlite.prepare('SELECT count(*) n FROM cohort_members').get()).toEqual({ n: 0 });

    const ok = await core.invoke('cohorts.enrol', { cohortId: f.cohort.id, applicantIds: women, date: '2026-01-05', moveToTraining: true }, { token: f.agent });
    expect(ok.enrolled).toHaveLength(5);
    expect(ok.movedToTraining).toHaveLength(5);
    const a = core.sqlite.prepare('SELECT status, change_seq FROM applicants WHERE id = ?').get(women[0]) as { status: string; change_seq: number };
    expect(a.status).toBe('in_training');
    expect(a.change_seq).toBeGreaterThan(0);
    const h = core.sqlite.prepare('SELECT from_status, to_status, user_name, change_seq FROM status_history WHERE applicant_id = ?').all(women[0]);
    expect(h).toEqual([{ from_status: 'preselected', to_status: 'in_training', user_name: 'agent1', change_seq: expect.any(Number) }]);
    expect(auditRows(core, 'applicants', women[0])[0].changes).toBe(JSON.stringify({ status: ['preselected', 'in_training'] }));
  });

  it('refuses to enrol a woman who is only registered, or whose file is closed', async () => {
    const [reg] = makeApplicants(core, 1, 'registered');
    const [drop] = makeApplicants(core, 1, 'dropped_out');
    for (const id of [reg, drop]) {
      const r = await core.call('cohorts.enrol', { cohortId: f.cohort.id, applicantIds: [id], date: '2026-01-05', moveToTraining: true }, { token: f.agent });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('session.cohort_status_not_allowed');
    }
  });

  it('zero sessions: no hours, rate 0, not eligible, with everything missing', () => {
    const p = getParticipation(core.sqlite, women[0]);
    expect(p).toMatchObject({
      totalHours: 0,
      sessionsExpected: 0,
      sessionsAttended: 0,
      attendanceRate: 0,
      firstSessionDate: null,
      eligible: false,
      missing: { hours: 30, attendanceRate: 0.8 },
      criteria: { minHours: 30, minAttendanceRate: 0.8 },
    });
  });

  let s1 = '';
  let _s2 = '';
  it('records a session with its checklist in one call; hours count only present, excused is left out of the rate', async () => {
    const d = await core.invoke(
      'sessions.create',
      {
        kind: 'group_training',
        date: '2026-01-12',
        startTime: '09:00',
        endTime: '12:00',
        topic: 'entrepreneurship',
        place: 'Salle 2',
        organisationId: f.org.id,
        facilitatorId: f.fac.id,
        cohortId: f.cohort.id,
        attendance: [
          { applicantId: women[0], status: 'present' },
          { applicantId: women[1], status: 'absent' },
          { applicantId: women[2], status: 'excused', note: 'maladie' },
          { applicantId: women[3], status: 'present' },
        ],
      },
      { token: f.agent },
    );
    s1 = d.id;
    expect(d.durationMinutes).toBe(180);
    expect(d.checklist).toHaveLength(5);
    expect(d.checklist.find((c) => c.applicantId === women[4])!.status).toBeNull();
    const rows = core.sqlite.prepare('SELECT office_id, change_seq FROM attendance WHERE session_id = ?').all(s1) as { office_id: string; change_seq: number }[];
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(r.change_seq).toBeGreaterThan(0);
    const seqs = core.sqlite.prepare(`SELECT count(*) n FROM change_log WHERE entity = 'attendance'`).get();
    expect(seqs).toEqual({ n: 4 });

    _s2 = (
      await core.invoke(
        'sessions.create',
        {
          kind: 'workshop',
          date: '2026-01-19',
          durationMinutes: 120,
          topic: 'marketing',
          organisationId: f.org.id,
          cohortId: f.cohort.id,
          attendance: women.map((id, i) => ({ applicantId: id, status: i === 2 ? 'absent' : 'present' })),
        },
        { token: f.agent },
      )
    ).id;

    expect(getParticipation(core.sqlite, women[0])).toMatchObject({
      totalHours: 5,
      hoursByTopic: [
        { topic: 'entrepreneurship', hours: 3 },
        { topic: 'marketing', hours: 2 },
      ],
      sessionsExpected: 2,
      sessionsAttended: 2,
      attendanceRate: 1,
      firstSessionDate: '2026-01-12',
      lastSessionDate: '2026-01-19',
      missing: { hours: 25 },
      eligible: false,
    });
    const excused = getParticipation(core.sqlite, women[2]);
    expect(excused).toMatchObject({ totalHours: 0, sessionsExpected: 1, sessionsExcused: 1, sessionsAttended: 0, attendanceRate: 0 });
    expect(getParticipation(core.sqlite, women[1])).toMatchObject({ totalHours: 2, sessionsExpected: 2, sessionsAttended: 1, attendanceRate: 0.5 });
  });

  it('corrects attendance and keeps hours right; each change is audited per woman', async () => {
    const r = await core.invoke(
      'sessions.recordAttendance',
      { sessionId: s1, entries: [{ applicantId: women[1], status: 'present' }, { applicantId: women[0], status: 'present' }, { applicantId: women[4], status: 'absent' }] },
      { token: f.head },
    );
    expect(r).toEqual({ sessionId: s1, inserted: 1, updated: 1, unchanged: 1 });
    expect(getParticipation(core.sqlite, women[1])).toMatchObject({ totalHours: 5, attendanceRate: 1 });
    const last = auditRows(core, 'attendance', s1).pop()!;
    expect(JSON.parse(last.changes!)).toEqual({ [women[1]]: ['absent', 'present'], [women[4]]: [null, 'absent'] });
    const dup = await core.call('sessions.recordAttendance', { sessionId: s1, entries: [{ applicantId: women[1], status: 'present' }, { applicantId: women[1], status: 'absent' }] }, { token: f.agent });
    expect(!dup.ok && dup.error.code).toBe('session.attendance_duplicate');
    const [stranger] = makeApplicants(core, 1, 'in_training');
    const out = await core.call('sessions.recordAttendance', { sessionId: s1, entries: [{ applicantId: stranger, status: 'present' }] }, { token: f.agent });
    expect(!out.ok && out.error.code).toBe('session.attendance_not_member');
  });

  it('editing the duration, date or topic after attendance changes her hours and audits each field', async () => {
    await core.invoke('sessions.update', { id: s1, endTime: '13:00', topic: 'business_plan' }, { token: f.agent });
    const p = getParticipation(core.sqlite, women[0]);
    expect(p.totalHours).toBe(6);
    expect(p.hoursByTopic).toEqual([
      { topic: 'business_plan', labelAr: 'مخطط الأعمال', labelFr: "Plan d'affaires", hours: 4 },
      { topic: 'marketing', labelAr: 'التسويق', labelFr: 'Marketing', hours: 2 },
    ]);
    const a = auditRows(core, 'training_sessions', s1).pop()!;
    expect(a.method).toBe('sessions.update');
    expect(JSON.parse(a.changes!)).toEqual({ end_time: ['12:00', '13:00'], duration_min: [180, 240], topic_code: ['entrepreneurship', 'business_plan'] });
    await core.invoke('sessions.update', { id: s1, durationMinutes: 150 }, { token: f.agent });
    expect(getParticipation(core.sqlite, women[0]).totalHours).toBe(4.5);
    const d = await core.invoke('sessions.get', { id: s1 }, { token: f.agent });
    expect(d).toMatchObject({ startTime: '09:00', endTime: '11:30', durationMinutes: 150 });
  });

  it('cancelling a session takes its hours away from everybody', async () => {
    const extra = await core.invoke(
      'sessions.create',
      { kind: 'field_visit', date: '2026-01-26', durationMinutes: 240, topic: 'management', organisationId: f.org.id, cohortId: f.cohort.id, attendance: [{ applicantId: women[0], status: 'present' }] },
      { token: f.agent },
    );
    expect(getParticipation(core.sqlite, women[0]).totalHours).toBe(8.5);
    await core.invoke('sessions.cancel', { id: extra.id, reason: 'doublon' }, { token: f.agent });
    expect(getParticipation(core.sqlite, women[0]).totalHours).toBe(4.5);
    const r = await core.call('sessions.recordAttendance', { sessionId: extra.id, entries: [{ applicantId: women[1], status: 'present' }] }, { token: f.agent });
    expect(!r.ok && r.error.code).toBe('session.cancelled');
  });

  it('withdrawal keeps the hours before the date, removes later rows, and she is no longer on later checklists', async () => {
    const s3 = await core.invoke(
      'sessions.create',
      { kind: 'group_training', date: '2026-02-02', durationMinutes: 180, topic: 'financing', organisationId: f.org.id, cohortId: f.cohort.id, attendance: women.map((id) => ({ applicantId: id, status: 'present' })) },
      { token: f.agent },
    );
    expect(getParticipation(core.sqlite, women[3]).totalHours).toBe(7.5);
    const w = await core.invoke('cohorts.withdraw', { cohortId: f.cohort.id, applicantId: women[3], date: '2026-01-25', reason: 'moved' }, { token: f.agent });
    expect(w).toEqual({ applicantId: women[3], removedAttendance: 1 });
    const p = getParticipation(core.sqlite, women[3]);
    expect(p).toMatchObject({ totalHours: 4.5, sessionsAttended: 2, lastSessionDate: '2026-01-19' });
    const del = core.sqlite.prepare(`SELECT count(*) n FROM change_log WHERE entity = 'attendance' AND op = 'delete'`).get();
    expect(del).toEqual({ n: 1 });
    const d = await core.invoke('sessions.get', { id: s3.id }, { token: f.agent });
    expect(d.checklist.map((c) => c.applicantId)).not.toContain(women[3]);
    const again = await core.call('sessions.recordAttendance', { sessionId: s3.id, entries: [{ applicantId: women[3], status: 'present' }] }, { token: f.agent });
    expect(!again.ok && again.error.code).toBe('session.attendance_not_member');
    // Moving an earlier session after her withdrawal would count her after she left.
    const move = await core.call('sessions.update', { id: s1, date: '2026-02-09' }, { token: f.agent });
    expect(!move.ok && move.error.code).toBe('session.date_after_withdrawal');
    const audit = auditRows(core, 'cohort_members', (core.sqlite.prepare('SELECT id FROM cohort_members WHERE applicant_id = ?').get(women[3]) as { id: string }).id).pop()!;
    expect(JSON.parse(audit.changes!)).toMatchObject({ withdrawn_at: [null, '2026-01-25'], withdraw_reason: [null, 'moved'], [`attendance:${s3.id}`]: ['2026-02-02 present', null] });
    const cohort = await core.invoke('cohorts.get', { id: f.cohort.id }, { token: f.agent });
    expect(cohort).toMatchObject({ activeMembers: 4, withdrawnMembers: 1 });
    expect(cohort.members.find((m) => m.applicantId === women[3])).toMatchObject({ withdrawnAt: '2026-01-25', hours: 4.5, present: 2 });
  });

  it('the beneficiary page: timeline, hours by topic, rate and eligibility with what is missing; criteria are configurable', async () => {
    const t = await core.invoke('sessions.forApplicant', { applicantId: women[0] }, { token: f.agent });
    expect(t.timeline.map((e) => [e.date, e.status, e.hours])).toEqual([
      ['2026-02-02', 'present', 3],
      ['2026-01-19', 'present', 2],
      ['2026-01-12', 'present', 2.5],
    ]);
    expect(t.participation).toMatchObject({ totalHours: 7.5, eligible: false, missing: { hours: 22.5 } });
    expect(t.applicant).toMatchObject({ fileNo: expect.stringMatching(/^TST-/), firstNameAr: 'فاطمة', status: 'in_training' });
    expect(t.cohorts).toEqual([expect.objectContaining({ cohortId: f.cohort.id, withdrawnAt: null })]);
    // The page computes from its timeline rows; it must agree with getParticipation (what attestations use).
    for (const w of women) {
      expect((await core.invoke('sessions.forApplicant', { applicantId: w }, { token: f.agent })).participation).toEqual(getParticipation(core.sqlite, w));
    }
    const forbidden = await core.call('sessions.setCriteria', { minHours: 7, minAttendanceRate: 0.75 }, { token: f.agent });
    expect(!forbidden.ok && forbidden.error.code).toBe('auth.forbidden');
    await core.invoke('sessions.setCriteria', { minHours: 7, minAttendanceRate: 0.75 }, { token: f.head });
    expect(getParticipation(core.sqlite, women[0])).toMatchObject({ eligible: true, missing: {}, criteria: { minHours: 7, minAttendanceRate: 0.75 } });
    // women[2]: absent at s2, excused at s1, present at s3 → 1 of 2 expected
    expect(getParticipation(core.sqlite, women[2])).toMatchObject({ totalHours: 3, attendanceRate: 0.5, eligible: false, missing: { hours: 4, attendanceRate: 0.25 } });
    expect(auditRows(core, 'settings', 'sessions.criteria')).toHaveLength(1);
  });

  it('individual mentoring: attended by default, with notes and next steps; business plan status', async () => {
    const m = await core.invoke(
      'sessions.create',
      { kind: 'mentoring', date: '2026-02-10', startTime: '10:00', durationMinutes: 60, topic: 'business_plan', organisationId: f.org.id, applicantId: women[0], notes: 'Étude de marché faite', nextSteps: 'Chiffrer les charges' },
      { token: f.agent },
    );
    expect(m.checklist).toEqual([expect.objectContaining({ applicantId: women[0], status: 'present' })]);
    const bad = await core.call('sessions.create', { kind: 'mentoring', date: '2026-02-10', durationMinutes: 60, topic: 'business_plan', organisationId: f.org.id, cohortId: f.cohort.id }, { token: f.agent });
    expect(!bad.ok && bad.error.code).toBe('session.applicant_required');
    await core.invoke('sessions.setBusinessPlan', { applicantId: women[0], status: 'draft' }, { token: f.agent });
    const bp = await core.invoke('sessions.setBusinessPlan', { applicantId: women[0], status: 'validated', note: 'Comité du 10/02' }, { token: f.agent });
    expect(bp.status).toBe('validated');
    const t = await core.invoke('sessions.forApplicant', { applicantId: women[0] }, { token: f.agent });
    expect(t.timeline[0]).toMatchObject({ kind: 'mentoring', notes: 'Étude de marché faite', nextSteps: 'Chiffrer les charges', hours: 1 });
    expect(t.participation.totalHours).toBe(8.5);
    expect(t.businessPlan).toMatchObject({ status: 'validated', note: 'Comité du 10/02' });
  });

  it('the week and month view lists sessions with counts', async () => {
    const r = await core.invoke('sessions.range', { from: '2026-01-01', to: '2026-01-31' }, { token: f.agent });
    expect(r.sessions.map((s) => s.date)).toEqual(['2026-01-12', '2026-01-19']);
    expect(r.sessions[0]).toMatchObject({ expected: 5, present: 3, absent: 1, excused: 1 });
    expect(r.totals).toMatchObject({ sessions: 2, hours: 4.5, byKind: { group_training: 1, workshop: 1 } });
    const withCancelled = await core.invoke('sessions.range', { from: '2026-01-01', to: '2026-01-31', includeCancelled: true }, { token: f.agent });
    expect(withCancelled.sessions).toHaveLength(3);
    // The month view asks for the days only: the same lines and totals, summed by SQLite, and no session listed.
    for (const includeCancelled of [false, true]) {
      const listed = await core.invoke('sessions.range', { from: '2026-01-01', to: '2026-01-31', includeCancelled }, { token: f.agent });
      const days = await core.invoke('sessions.range', { from: '2026-01-01', to: '2026-01-31', includeCancelled, detail: 'days' }, { token: f.agent });
      expect(days.sessions).toEqual([]);
      expect(days.days).toEqual(listed.days);
      expect(days.totals).toEqual(listed.totals);
    }
    const days = await core.invoke('sessions.range', { from: '2026-01-01', to: '2026-01-31', detail: 'days' }, { token: f.agent });
    expect(days.days).toEqual([
      { date: '2026-01-12', sessions: 1, hours: r.sessions[0].hours, present: 3 },
      { date: '2026-01-19', sessions: 1, hours: r.sessions[1].hours, present: r.sessions[1].present },
    ]);
    // A day whose only session was cancelled is a line with nothing held on it (the view leaves it out).
    const cancelledDay = withCancelled.sessions.find((s) => s.cancelledAt)!.date;
    expect((await core.invoke('sessions.range', { from: '2026-01-01', to: '2026-01-31', includeCancelled: true, detail: 'days' }, { token: f.agent })).days).toContainEqual(
      expect.objectContaining({ date: cancelledDay, sessions: r.sessions.some((s) => s.date === cancelledDay) ? 1 : 0 }),
    );
    const tooLong = await core.call('sessions.range', { from: '2026-01-01', to: '2026-12-31' }, { token: f.agent });
    expect(!tooLong.ok && tooLong.error.code).toBe('session.range_too_long');
  });

  it('topics are a configurable list (office head)', async () => {
    await core.invoke('topics.save', { code: 'tiktok_sales', labelAr: 'البيع عبر الشبكات', labelFr: 'Vente en ligne' }, { token: f.head });
    const l = await core.invoke('sessions.lookups', {}, { token: f.agent });
    expect(l.topics.map((t) => t.code)).toContain('tiktok_sales');
    await core.invoke('topics.save', { code: 'tiktok_sales', labelAr: 'البيع عبر الشبكات', labelFr: 'Vente en ligne', active: false }, { token: f.head });
    const r = await core.call('sessions.create', { kind: 'workshop', date: '2026-03-01', durationMinutes: 60, topic: 'tiktok_sales', organisationId: f.org.id, cohortId: f.cohort.id }, { token: f.agent });
    expect(!r.ok && r.error.code).toBe('session.topic_unknown');
  });

  it('the CLI actor records too (admin passes every role check)', async () => {
    const s = await core.invoke('sessions.create', { kind: 'workshop', date: '2026-03-02', durationMinutes: 60, topic: 'digital', organisationId: f.org.id, cohortId: f.cohort.id }, { actor: cli });
    expect(s.checklist.length).toBe(4);
  });
});

describe('roles at the regional coordination', () => {
  const core = tempCore();
  afterAll(() => core.dispose());

  it('coordinators read (lookups, cohorts, week view) but do not record', async () => {
    const { token } = await setupOffice(core, 'region');
    const coord = await userToken(core, token, 'coord1', 'coordinator');
    expect((await core.invoke('sessions.lookups', {}, { token: coord })).topics.length).toBeGreaterThan(8);
    expect(await core.invoke('cohorts.list', {}, { token: coord })).toEqual([]);
    expect((await core.invoke('sessions.range', { from: '2026-01-01', to: '2026-01-07' }, { token: coord })).sessions).toEqual([]);
    for (const [m, input] of [
      ['sessions.create', { kind: 'workshop', date: '2026-03-01', durationMinutes: 60, topic: 'digital', organisationId: 'x', cohortId: 'y' }],
      ['sessions.recordAttendance', { sessionId: 'x', entries: [{ applicantId: 'y', status: 'absent' }] }],
      ['sessions.update', { id: 'x', durationMinutes: 60 }],
      ['cohorts.create', { organisationId: 'x', name: 'Cohorte', startDate: '2026-03-01' }],
      ['cohorts.enrol', { cohortId: 'x', applicantIds: ['y'], date: '2026-03-01', moveToTraining: true }],
      ['cohorts.withdraw', { cohortId: 'x', applicantId: 'y', date: '2026-03-01', reason: 'x' }],
      ['organisations.create', { kind: 'ads', provinceCode: '08.201', nameAr: 'وكالة', nameFr: 'ADS' }],
      ['sessions.setCriteria', { minHours: 1, minAttendanceRate: 0.5 }],
    ] as const) {
      const r = await core.call(m, input, { token: coord });
      expect(!r.ok && r.error.code, m).toBe('auth.forbidden');
    }
  });
});
