import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run-cli';
import { createCore } from '../core';
import { makeApplicants } from '../../../tests/helpers/sessions-factory';

const dir = mkdtempSync(join(tmpdir(), 'jisr-sessions-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { io: { stdin: async () => stdin, out: (l) => out.push(l), err: (l) => err.push(l) } });
  return { code, out: out.join('\n'), err: err.join('\n'), json: () => JSON.parse(out.join('\n')) };
}

describe('sessions from the command line', () => {
  const db = join(dir, 'office.db');

  it('scripts the whole flow: org, facilitator, cohort, enrolment, session with attendance, hours', async () => {
    expect((await cli(['init', '--db', db, '--office', 'tinghir', '--admin', 'chef'], 'strong-pass-2026\n')).code).toBe(0);
    const core = createCore({ dbPath: db });
    const women = makeApplicants(core, 3, 'preselected');
    const fileNos = women.map((id) => (core.sqlite.prepare('SELECT file_no FROM applicants WHERE id = ?').get(id) as { file_no: string }).file_no);
    await core.close();

    const org = await cli(['org', 'add', '--db', db, '--kind', 'incubator', '--name-ar', 'اتحاد جمعيات التجارة والمهن بإقليم تنغير', '--name-fr', 'Union des associations du commerce et des métiers de Tinghir']);
    expect(org.code, org.err).toBe(0);
    expect(org.json()).toMatchObject({ provinceCode: '08.577', kind: 'incubator' });
    const orgId = org.json().id;
    const fac = await cli(['facilitator', 'add', '--db', db, '--org', orgId, '--name', 'Aicha Moussaoui', '--role', 'trainer']);
    expect(fac.code, fac.err).toBe(0);
    const cohort = await cli(['cohort', 'add', '--db', db, '--org', orgId, '--name', 'Tinghir 2026-A', '--start', '2026-03-02', '--place', 'Centre culturel de Tinghir']);
    expect(cohort.code, cohort.err).toBe(0);
    const cohortId = cohort.json().id;

    const noConfirm = await cli(['cohort', 'enrol', '--db', db, '--cohort', cohortId, '--applicant', fileNos[0], '--applicant', women[1], '--applicant', fileNos[2], '--date', '2026-03-02']);
    expect(noConfirm.code).toBe(1);
    expect(JSON.parse(noConfirm.err).error.code).toBe('session.cohort_confirm_training');
    expect(JSON.parse(noConfirm.err).error.message).toMatch(/en formation/);
    const enrol = await cli(['cohort', 'enrol', '--db', db, '--cohort', cohortId, '--applicant', fileNos[0], '--applicant', women[1], '--applicant', fileNos[2], '--date', '2026-03-02', '--confirm']);
    expect(enrol.code, enrol.err).toBe(0);
    expect(enrol.json().movedToTraining).toHaveLength(3);

    const session = {
      kind: 'group_training',
      date: '2026-03-03',
      startTime: '09:00',
      endTime: '12:30',
      topic: 'entrepreneurship',
      place: 'Salle 1',
      organisationId: orgId,
      facilitatorId: fac.json().id,
      cohortId,
      attendance: [
        { applicantId: fileNos[0], status: 'present' },
        { applicantId: women[1], status: 'absent' },
        { applicantId: women[2], status: 'excused', note: 'enfant malade' },
      ],
    };
    const add = await cli(['session', 'add', '--db', db], JSON.stringify(session));
    expect(add.code, add.err).toBe(0);
    const { id, durationMinutes, attendance } = add.json();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect({ durationMinutes, attendance }).toEqual({ durationMinutes: 210, attendance: 3 });

    const hours = await cli(['applicant', 'hours', '--db', db, '--id', fileNos[0]]);
    expect(hours.code, hours.err).toBe(0);
    expect(hours.json()).toMatchObject({ totalHours: 3.5, sessionsAttended: 1, attendanceRate: 1, eligible: false, missing: { hours: 26.5 } });

    // `applicant show` carries her hours and attestation eligibility.
    const show = await cli(['applicant', 'show', '--db', db, '--id', women[0]]);
    expect(show.code, show.err).toBe(0);
    expect(show.json().participation).toMatchObject({ totalHours: 3.5, eligible: false, missing: { hours: 26.5 }, criteria: { minHours: 30 } });

    const fix = await cli(['session', 'attendance', '--db', db, '--id', id], JSON.stringify([{ applicantId: fileNos[1], status: 'present' }]));
    expect(fix.code, fix.err).toBe(0);
    expect(fix.json()).toMatchObject({ updated: 1 });
    const week = await cli(['session', 'list', '--db', db, '--from', '2026-03-02', '--to', '2026-03-08']);
    expect(week.json().sessions[0]).toMatchObject({ id, present: 2, excused: 1, expected: 3 });

    const bad = await cli(['session', 'add', '--db', db], JSON.stringify({ ...session, attendance: [], endTime: '08:00' }));
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.err).error.code).toBe('session.end_before_start');
    const empty = await cli(['session', 'add', '--db', db], '');
    expect(empty.code).toBe(2);
  });
});
