import Database from 'better-sqlite3-multiple-ciphers';
import { uuidv7 } from 'uuidv7';
import { createCore } from '../src-main/core/core';
import type { Actor } from '../src-main/core/context';
import { percentile, timeMany, type BenchRow, type BenchSuite } from './harness';

const actor: Actor = { kind: 'cli', osUser: 'bench' };

/**
 * Sessions: recording the attendance of a 40-person session through the core (validation, transaction,
 * change numbers, audit) and a beneficiary's timeline and hours, each beside bare better-sqlite3 doing
 * the same inserts / queries; plus the week and month views.
 */
export const sessionsBench: BenchSuite = {
  name: 'sessions',
  async run(env) {
    const path = await env.seededDb(100_000);
    const core = createCore({ dbPath: path });
    const q = core.sqlite;
    const rows: BenchRow[] = [];
    const attendanceRows = (q.prepare('SELECT count(*) n FROM attendance').get() as { n: number }).n;
    const applicants = (q.prepare('SELECT count(*) n FROM applicants').get() as { n: number }).n;
    rows.push({ name: `seeded database: ${applicants} applicants, attendance rows`, value: attendanceRows, unit: 'x' });

    // Women with the most sessions (sampled before the bench adds its own).
    const women = (
      q.prepare(`SELECT applicant_id FROM attendance GROUP BY applicant_id ORDER BY count(*) DESC, applicant_id LIMIT 200`).all() as { applicant_id: string }[]
    ).map((r) => r.applicant_id);

    // A cohort of 40 (or the largest) with its active members.
    const cohort = q
      .prepare(
        `SELECT c.id, c.organisation_id, count(*) n FROM cohorts c JOIN cohort_members m ON m.cohort_id = c.id AND m.withdrawn_at IS NULL
          GROUP BY c.id ORDER BY abs(count(*) - 40), c.id LIMIT 1`,
      )
      .get() as { id: string; organisation_id: string; n: number } | undefined;
    if (!cohort) {
      await core.close();
      return [...rows, { name: 'no cohort in the seeded database (applicants seeder missing?): nothing measured', value: 0, unit: 'x', ok: false }];
    }
    const members = (q.prepare('SELECT applicant_id FROM cohort_members WHERE cohort_id = ? AND withdrawn_at IS NULL').all(cohort.id) as { applicant_id: string }[]).map(
      (m) => m.applicant_id,
    );
    const entries = members.map((id, i) => ({ applicantId: id, status: i % 9 === 0 ? 'absent' : i % 13 === 0 ? 'excused' : 'present' }));

    // Fresh sessions to record (the timed call is the checklist itself).
    const N = 30;
    const sessionIds: string[] = [];
    for (let i = 0; i < N + 3; i++) {
      const s = await core.invoke(
        'sessions.create',
        { kind: 'group_training', date: '2026-06-01', startTime: '09:00', endTime: '12:00', topic: 'marketing', organisationId: cohort.organisation_id, cohortId: cohort.id },
        { actor },
      );
      sessionIds.push(s.id);
    }
    let k = 0; // warm-up calls take the first sessions; every call records a fresh one
    const rec = await timeMany(N, () => core.invoke('sessions.recordAttendance', { sessionId: sessionIds[k++], entries }, { actor }), 3);

    // Baseline: bare better-sqlite3 on another connection, same inserts (rows + change log) in one transaction.
    const bare = new Database(path);
    bare.pragma('journal_mode = WAL');
    bare.pragma('synchronous = NORMAL');
    const office = (bare.prepare('SELECT office_id FROM installation').get() as { office_id: string }).office_id;
    const insSession = bare.prepare(
      `INSERT INTO training_sessions (id, office_id, kind, date, start_time, end_time, duration_min, topic_code, place, organisation_id, cohort_id, created_at, updated_at)
       VALUES (?, ?, 'group_training', '2026-06-02', '09:00', '12:00', 180, 'marketing', '', ?, ?, ?, ?)`,
    );
    const bareSessions = Array.from({ length: N + 3 }, () => {
      const id = uuidv7();
      const now = new Date().toISOString();
      insSession.run(id, office, cohort.organisation_id, cohort.id, now, now);
      return id;
    });
    const insAtt = bare.prepare(
      `INSERT INTO attendance (id, office_id, session_id, applicant_id, status, note, created_at, updated_at, change_seq) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?)`,
    );
    const insChange = bare.prepare(`INSERT INTO change_log (entity, entity_id, op, office_id, at) VALUES ('attendance', ?, 'insert', ?, ?)`);
    const bareRecord = bare.transaction((sid: string) => {
      const now = new Date().toISOString();
      for (const e of entries) {
        const id = uuidv7();
        const seq = Number(insChange.run(id, office, now).lastInsertRowid);
        insAtt.run(id, office, sid, e.applicantId, e.status, now, now, seq);
      }
    });
    let b = 0;
    const bareRec = await timeMany(N, () => bareRecord(bareSessions[b++]), 3);
    rows.push({
      name: `record attendance, ${entries.length}-person session (p95, sessions.recordAttendance)`,
      value: percentile(rec, 95),
      unit: 'ms',
      baseline: { name: 'bare inserts + change log in a transaction', value: percentile(bareRec, 95) },
      target: '≤ 50 ms',
      ok: percentile(rec, 95) <= 50,
    });

    // A beneficiary's page: timeline + hours (sample women with the most rows).
    const page = await timeMany(women.length, (i) => core.invoke('sessions.forApplicant', { applicantId: women[i] }, { actor }), 5);
    const bareTimeline = bare.prepare(
      `SELECT s.*, a.status FROM attendance a JOIN training_sessions s ON s.id = a.session_id
        LEFT JOIN organisations o ON o.id = s.organisation_id LEFT JOIN ref_items t ON t.kind = 'topic' AND t.code = s.topic_code
       WHERE a.applicant_id = ? AND s.cancelled_at IS NULL ORDER BY s.date DESC`,
    );
    const bareHours = bare.prepare(
      `SELECT s.topic_code, sum(s.duration_min) m FROM attendance a JOIN training_sessions s ON s.id = a.session_id
        WHERE a.applicant_id = ? AND a.status = 'present' AND s.cancelled_at IS NULL GROUP BY s.topic_code`,
    );
    const barePage = await timeMany(women.length, (i) => {
      bareTimeline.all(women[i]);
      bareHours.all(women[i]);
    }, 5);
    const sessionsPerWoman = (q.prepare('SELECT count(*) n FROM attendance WHERE applicant_id = ?').get(women[0]) as { n: number }).n;
    rows.push({
      name: `beneficiary timeline + hours (p95, sessions.forApplicant, up to ${sessionsPerWoman} sessions)`,
      value: percentile(page, 95),
      unit: 'ms',
      baseline: { name: 'bare timeline + hours-by-topic queries', value: percentile(barePage, 95) },
      target: '≤ 20 ms',
      ok: percentile(page, 95) <= 20,
    });

    // Week and month views of the office's sessions (busiest month of the seed).
    const month = (q.prepare(`SELECT substr(date, 1, 7) m FROM training_sessions GROUP BY m ORDER BY count(*) DESC LIMIT 1`).get() as { m: string }).m;
    const from = `${month}-01`;
    const to = `${month}-28`;
    // The month view asks for its per-day lines only (detail: 'days'); the week view lists its sessions.
    const monthView = await timeMany(10, () => core.invoke('sessions.range', { from, to, detail: 'days' }, { actor }), 2);
    const weekView = await timeMany(10, () => core.invoke('sessions.range', { from, to: `${month}-07` }, { actor }), 2);
    const bareDays = bare.prepare(
      `SELECT s.date, s.kind, count(*), sum(s.duration_min), sum(k.present), sum(k.absent), sum(k.excused) FROM training_sessions s
        LEFT JOIN session_counts k ON k.session_id = s.id WHERE s.office_id = ? AND s.date BETWEEN ? AND ? AND s.cancelled_at IS NULL
        GROUP BY s.date, s.kind`,
    );
    const bareMonth = await timeMany(10, () => bareDays.all(office, from, to), 2);
    const bareKept = bare.prepare(
      `SELECT s.*, k.present, k.absent, k.excused FROM training_sessions s LEFT JOIN session_counts k ON k.session_id = s.id
        WHERE s.office_id = ? AND s.date BETWEEN ? AND ? AND s.cancelled_at IS NULL ORDER BY s.date`,
    );
    const bareWeek = await timeMany(10, () => bareKept.all(office, from, `${month}-07`), 2);
    const m = await core.invoke('sessions.range', { from, to, detail: 'days' }, { actor });
    const weekCount = (await core.invoke('sessions.range', { from, to: `${month}-07` }, { actor })).sessions.length;
    rows.push({
      name: `month view (${m.totals.sessions} sessions on ${m.days.length} days, sessions.range days, p95)`,
      value: percentile(monthView, 95),
      unit: 'ms',
      baseline: { name: 'bare per-day GROUP BY over the kept counts', value: percentile(bareMonth, 95) },
      target: '≤ 50 ms',
      ok: percentile(monthView, 95) <= 50,
    });
    rows.push({
      name: `week view (${weekCount} sessions listed with names and counts, sessions.range, p95)`,
      value: percentile(weekView, 95),
      unit: 'ms',
      baseline: { name: 'bare range query of the sessions with the kept counts', value: percentile(bareWeek, 95) },
    });
    bare.close();
    await core.close();
    return rows;
  },
};
