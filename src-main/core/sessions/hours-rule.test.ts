import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { setupOffice, tempCore } from '../../../tests/helpers/core';
import { attend, insertApplicant, insertCohort, officeId } from '../attestations/test-fixtures';
import { getParticipation } from './participation';

/**
 * Hours that count (issue 14): only sessions inside the cohort's dates and inside her enrolment (from the
 * enrolment date until a withdrawal, both days included). Sessions on the first and last day of the cohort count,
 * the day before and the day after do not. The clock is fixed: nothing depends on today.
 */
const clock = () => new Date('2026-03-02T10:00:00Z');

describe('hours that count: the cohort and enrolment edges', () => {
  const core = tempCore({ clock });
  let token: string;
  let c: { cohortId: string; organisationId: string };
  const s: Record<string, string> = {};
  const w: Record<string, string> = {};

  function session(date: string, minutes = 180): string {
    const id = uuidv7();
    core.sqlite
      .prepare(
        `INSERT INTO training_sessions (id, office_id, kind, date, duration_min, topic_code, organisation_id, cohort_id, created_at, updated_at)
         VALUES (?, ?, 'group_training', ?, ?, 'entrepreneurship', ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
      )
      .run(id, officeId(core.sqlite), date, minutes, c.organisationId, c.cohortId);
    return id;
  }
  function member(applicantId: string, enrolledAt: string, withdrawnAt: string | null = null) {
    core.sqlite
      .prepare(
        `INSERT INTO cohort_members (id, office_id, cohort_id, applicant_id, enrolled_at, withdrawn_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
      )
      .run(uuidv7(), officeId(core.sqlite), c.cohortId, applicantId, enrolledAt, withdrawnAt);
  }
  const all = () => [s.before, s.first, s.mid, s.last, s.after];

  beforeAll(async () => {
    ({ token } = await setupOffice(core));
    c = insertCohort(core.sqlite); // starts 2026-01-05
    core.sqlite.prepare("UPDATE cohorts SET end_date = '2026-01-16' WHERE id = ?").run(c.cohortId);
    s.before = session('2026-01-04');
    s.first = session('2026-01-05');
    s.mid = session('2026-01-09');
    s.last = session('2026-01-16');
    s.after = session('2026-01-17');
    core.sqlite.prepare("UPDATE settings SET value = '3' WHERE key = 'sessions.min_hours'").run();
    w.full = insertApplicant(core.sqlite, { firstNameLat: 'Amina', lastNameLat: 'Full' });
    member(w.full, '2026-01-05');
    w.late = insertApplicant(core.sqlite, { firstNameLat: 'Hafsa', lastNameLat: 'Late' });
    member(w.late, '2026-01-09');
    w.left = insertApplicant(core.sqlite, { firstNameLat: 'Salma', lastNameLat: 'Left' });
    member(w.left, '2026-01-05', '2026-01-09');
    w.stranger = insertApplicant(core.sqlite, { firstNameLat: 'Nora', lastNameLat: 'Stranger' });
    for (const id of Object.values(w)) attend(core.sqlite, all(), id, 5);
  });
  afterAll(() => core.dispose());

  it('counts the first and the last day of the cohort, not the day before nor the day after', () => {
    const p = getParticipation(core.sqlite, w.full);
    expect(p).toMatchObject({ totalHours: 9, sessionsAttended: 3, sessionsExpected: 3, sessionsOutside: 2, hoursOutside: 6 });
    expect([p.firstSessionDate, p.lastSessionDate]).toEqual(['2026-01-05', '2026-01-16']);
  });

  it('counts from the enrolment day, and until the withdrawal day included', () => {
    const late = getParticipation(core.sqlite, w.late);
    expect(late).toMatchObject({ totalHours: 6, sessionsOutside: 3, firstSessionDate: '2026-01-09', lastSessionDate: '2026-01-16' });
    const left = getParticipation(core.sqlite, w.left);
    expect(left).toMatchObject({ totalHours: 6, sessionsOutside: 3, firstSessionDate: '2026-01-05', lastSessionDate: '2026-01-09' });
    // An absence outside her enrolment does not lower her rate either.
    core.sqlite.prepare("UPDATE attendance SET status = 'absent' WHERE applicant_id = ? AND session_id = ?").run(w.left, s.last);
    expect(getParticipation(core.sqlite, w.left)).toMatchObject({ totalHours: 6, attendanceRate: 1 });
    expect(getParticipation(core.sqlite, w.stranger)).toMatchObject({ totalHours: 0, sessionsOutside: 5, firstSessionDate: null });
  });

  it('marks the sessions outside on her training page and on the cohort, with the reason', async () => {
    const t = await core.invoke('sessions.forApplicant', { applicantId: w.late }, { token });
    const byDate = Object.fromEntries(t.timeline.map((e) => [e.date, { outside: e.outside, hours: e.hours }]));
    expect(byDate).toEqual({
      '2026-01-04': { outside: 'before_cohort', hours: 0 },
      '2026-01-05': { outside: 'before_enrolment', hours: 0 },
      '2026-01-09': { outside: null, hours: 3 },
      '2026-01-16': { outside: null, hours: 3 },
      '2026-01-17': { outside: 'after_cohort', hours: 0 },
    });
    expect(t.participation).toEqual(getParticipation(core.sqlite, w.late));
    const left = await core.invoke('sessions.forApplicant', { applicantId: w.left }, { token });
    expect(left.timeline.find((e) => e.date === '2026-01-16')?.outside).toBe('after_withdrawal');
    const stranger = await core.invoke('sessions.forApplicant', { applicantId: w.stranger }, { token });
    expect(stranger.timeline.find((e) => e.date === '2026-01-09')?.outside).toBe('not_enrolled');

    const cohort = await core.invoke('cohorts.get', { id: c.cohortId }, { token });
    expect(cohort.outsideSessions.map((x) => [x.date, x.reason])).toEqual([
      ['2026-01-04', 'before_cohort'],
      ['2026-01-17', 'after_cohort'],
    ]);
    const m = Object.fromEntries(cohort.members.map((x) => [x.applicantId, [x.hours, x.hoursOutside]]));
    expect(m[w.full]).toEqual([9, 6]);
    expect(m[w.late]).toEqual([6, 9]);
  });

  it('eligibility and the participation attestation use the same rule: hours and the period printed', async () => {
    const check = await core.invoke('attestations.check', { applicantId: w.full, kind: 'participation' }, { token });
    expect(check.participation).toMatchObject({ totalHours: 9, firstSessionDate: '2026-01-05', lastSessionDate: '2026-01-16' });
    const issued = await core.invoke('attestations.issue', { applicantId: w.full, kind: 'participation' }, { token });
    expect(issued.entry.hours).toBe(9);
    const content = (await core.invoke('attestations.get', { id: issued.entry.id }, { token })).content as { texts: { bodyFr: string } };
    expect(content.texts.bodyFr).toMatch(/5 janvier 2026/);
    expect(content.texts.bodyFr).toMatch(/16 janvier 2026/);
    expect(content.texts.bodyFr).not.toMatch(/4 janvier|17 janvier/);
  });
});

describe('hours as written on the attestation', () => {
  it('with the decimal comma in both languages (formatting module): 33,5 heures, never 33.5', async () => {
    const { fillTemplate } = await import('../attestations/templates');
    expect(fillTemplate('{{hours}} heures', { hours: 33.5 }, { sex: 'F', rtl: false })).toBe('33,5 heures');
    expect(fillTemplate('{{hours}} ساعة', { hours: 33.5 }, { sex: 'F', rtl: true })).toBe('33,5\u200F ساعة');
    expect(fillTemplate('{{hours}} h', { hours: 1234.25 }, { sex: 'F', rtl: false })).toBe('1\u202F234,25 h');
  });
});
