import { afterAll, describe, expect, it } from 'vitest';
import { tempCore } from '../../../tests/helpers/core';
import { makeApplicants } from '../../../tests/helpers/sessions-factory';
import { makeRng } from '../seed/seed';
import { sessionsSeeder } from '../seed/seed-sessions';
import { getParticipation } from './participation';
import { setupOffice } from '../../../tests/helpers/core';

describe('the sessions seeder', () => {
  const core = tempCore();
  afterAll(() => core.dispose());

  it('makes organisations, cohorts of 25–40, sessions and about ten attendance rows per applicant, consistent with enrolment', async () => {
    await setupOffice(core, 'zagora');
    const statuses: [string, number][] = [['registered', 600], ['preselected', 300], ['in_training', 400], ['trained', 300], ['in_incubation', 200], ['financed', 200]];
    for (const [s, n] of statuses) makeApplicants(core, n, s);
    core.sqlite.prepare(`UPDATE applicants SET status_changed_at = date('2025-01-01', '+' || (abs(random()) % 300) || ' days') || 'T10:00:00.000Z'`).run();
    const counts = core.sqlite.transaction(() => sessionsSeeder.run(core, { applicants: 2000, office: 'zagora', seed: 7 }, makeRng(7)))();
    expect(counts.organisations).toBeGreaterThanOrEqual(4);
    expect(counts.cohortMembers).toBe(1100);
    expect(counts.attendance).toBeGreaterThan(17_000);
    expect(counts.attendance).toBeLessThan(23_000);
    const q = (sql: string) => core.sqlite.prepare(sql).get() as Record<string, number>;
    expect(q(`SELECT count(*) n FROM organisations WHERE province_code <> '08.587'`).n).toBe(0);
    const sizes = core.sqlite.prepare('SELECT count(*) n FROM cohort_members GROUP BY cohort_id').all() as { n: number }[];
    expect(sizes.slice(0, -1).every((s) => s.n >= 25 && s.n <= 40)).toBe(true);
    // Nobody in a cohort before training, every group attendance row is of a member not yet withdrawn.
    expect(q(`SELECT count(*) n FROM cohort_members m JOIN applicants a ON a.id = m.applicant_id WHERE a.status IN ('registered','preselected')`).n).toBe(0);
    expect(
      q(`SELECT count(*) n FROM attendance a JOIN training_sessions s ON s.id = a.session_id
          LEFT JOIN cohort_members m ON m.cohort_id = s.cohort_id AND m.applicant_id = a.applicant_id
         WHERE s.kind <> 'mentoring' AND (m.id IS NULL OR (m.withdrawn_at IS NOT NULL AND s.date > m.withdrawn_at))`).n,
    ).toBe(0);
    expect(q(`SELECT count(*) n FROM attendance WHERE change_seq = 0`).n).toBe(0);
    expect(q(`SELECT count(*) n FROM change_log WHERE entity = 'attendance'`).n).toBe(counts.attendance);
    expect(q(`SELECT count(*) n FROM training_sessions WHERE date > date('now')`).n).toBe(0);
    // Realistic hours: most women who completed the path reach the default 30 h.
    const trained = core.sqlite.prepare(`SELECT id FROM applicants WHERE status = 'trained'`).all() as { id: string }[];
    const hours = trained.map((t) => getParticipation(core.sqlite, t.id).totalHours).sort((a, b) => a - b);
    const median = hours[Math.floor(hours.length / 2)];
    expect(median).toBeGreaterThan(30);
    expect(median).toBeLessThan(200);
    expect(q(`SELECT count(*) n FROM business_plans`).n).toBe(400);
    // The attendance indexes dropped for the bulk load are back.
    const idx = core.sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'attendance' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all();
    expect(idx).toEqual(expect.arrayContaining([{ name: 'attendance_applicant' }, { name: 'attendance_change' }]));
  });
});
