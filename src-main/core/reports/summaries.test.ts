/**
 * The report summaries (migration 0014) and the month view's per-session attendance counts (migration 0020,
 * session_counts) are kept by triggers: after any mix of writes — registrations, edits, status moves, situations,
 * anonymisations, deletions, sessions moved or cancelled, attendance recorded, changed or removed, an exchange import
 * into the region — they must equal a recomputation from the rows (the migrations' own one-time fills, run afresh).
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore, setupOffice, cli } from '../../../tests/helpers/core';
import { seedDatabase } from '../seed/seed';
import { rebuildPays, sessionCountsFillSql } from './summaries-bulk';
import '../seed/seeders';
import { addApplicants, anonymiseApplicant, deleteApplicant, editApplicant } from '../exchange/exchange.fixtures';
import { startOfLocalDayUtc } from '../../shared/time';
import { projectRoot } from '../paths';
import type { Sqlite } from '../db/connection';
import type { Core } from '../core';

const MIGRATION = readFileSync(join(projectRoot(), 'migrations/0014_report_summaries.sql'), 'utf8');
/** The migration's one-time fill: the summaries computed from the rows, set by set (no trigger involved). */
const FILL = MIGRATION.slice(MIGRATION.indexOf('-- One-time fill from the rows already there.'), MIGRATION.indexOf('-- Applicants:'));
const STATUSES = ['registered', 'oriented', 'preselected', 'in_training', 'trained', 'in_incubation', 'project_validated', 'financed', 'followed_up', 'closed', 'not_retained', 'dropped_out'];
const as = { actor: cli };

function summaries(db: Sqlite) {
  return {
    counts: db.prepare('SELECT dim, month, office_id, key, n FROM report_counts WHERE n <> 0 ORDER BY dim, month, office_id, key').all(),
    sessions: db
      .prepare('SELECT * FROM report_sessions WHERE sessions <> 0 OR minutes <> 0 OR present <> 0 OR recorded <> 0 ORDER BY month, office_id, topic_code, organisation_id')
      .all(),
    // A session whose attendance rows are all gone keeps a row of zeros: the same as no row.
    sessionCounts: db.prepare('SELECT * FROM session_counts WHERE present <> 0 OR absent <> 0 OR excused <> 0 ORDER BY session_id').all(),
  };
}

/** The summaries as the triggers kept them, and as recomputed from the rows (inside a savepoint rolled back). */
function expectExact(db: Sqlite) {
  const kept = summaries(db);
  db.exec('SAVEPOINT recompute');
  try {
    db.exec('DELETE FROM report_counts; DELETE FROM report_sessions;');
    db.exec(FILL);
    db.exec(sessionCountsFillSql());
    expect(kept).toEqual(summaries(db));
  } finally {
    db.exec('ROLLBACK TO recompute; RELEASE recompute');
  }
  expect(kept.counts.length).toBeGreaterThan(0);
  expect(kept.sessionCounts.length).toBeGreaterThan(0);
}

/** A small deterministic generator (a seed per run: the same writes each time). */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

const iso = (r: (n: number) => number) =>
  // Instants around month ends (local midnight in Casablanca is 23:00 UTC the day before, or 00:00 in Ramadan).
  new Date(Date.UTC(2024 + r(3), r(12), [1, 1, 28, 30, 31][r(5)], [0, 22, 23, 23, 10][r(5)], r(60))).toISOString();

/** A mix of writes of every kind the summaries depend on, straight on the tables (as any feature would make them). */
function randomWrites(db: Sqlite, seed: number, rounds: number) {
  const r = rng(seed);
  const pick = <T,>(xs: T[]): T => xs[r(xs.length)];
  const ids = () => db.prepare('SELECT id FROM applicants WHERE anonymised_at IS NULL ORDER BY id').pluck().all() as string[];
  const communes = db.prepare('SELECT code FROM communes LIMIT 12').pluck().all() as string[];
  const office = db.prepare('SELECT office_id FROM installation').pluck().get() as string;
  const tx = db.transaction(() => {
    for (let k = 0; k < rounds; k++) {
      const id = pick(ids());
      switch (r(11)) {
        case 0:
          addApplicants(db, 1 + r(3), { seed: seed * 100 + k, at: iso(r) });
          break;
        case 1: // an edit of what the reports count
          db.prepare(
            `UPDATE applicants SET sex = ?, commune_code = ?, education_level = ?, birth_date = ?, is_project_holder = ?, is_difficult_situation = ?, has_disability = ? WHERE id = ?`,
          ).run(pick(['F', 'F', 'M']), pick([...communes, null]), pick(['primary', 'secondary', 'bac', null]), pick(['1990-02-28', '1992-02-29', '1985-12-31', '2010-06-15', '2000-01-01', null]), r(2), r(2), r(2), id);
          break;
        case 2:
          editApplicant(db, id, `+2126${String(10000000 + k)}`);
          break;
        case 3: {
          // a status move (possibly back-dated), with its history row
          const at = iso(r);
          const to = pick(STATUSES);
          const hid = `h-${seed}-${k}`;
          db.prepare('UPDATE applicants SET status = ?, status_changed_at = ? WHERE id = ?').run(to, at, id);
          db.prepare(
            `INSERT INTO status_history (id, applicant_id, office_id, from_status, to_status, reason, financing_source, at, user_name, created_at, updated_at)
             VALUES (?, ?, ?, NULL, ?, '', ?, ?, 'test', ?, ?)`,
          ).run(hid, id, office, to, to === 'financed' ? 'indh' : null, at, at, at);
          break;
        }
        case 4: // a history row alone (an imported past move), or one removed or moved in time
          if (r(2)) {
            const at = iso(r);
            db.prepare(
              `INSERT OR IGNORE INTO status_history (id, applicant_id, office_id, to_status, at, user_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'test', ?, ?)`,
            ).run(`g-${seed}-${k}`, id, office, pick(STATUSES), at, at, at);
          } else {
            const h = db.prepare('SELECT id FROM status_history WHERE applicant_id = ? LIMIT 1').pluck().get(id) as string | undefined;
            if (h && r(2)) db.prepare('DELETE FROM status_history WHERE id = ?').run(h);
            else if (h) db.prepare('UPDATE status_history SET at = ?, to_status = ? WHERE id = ?').run(iso(r), pick(STATUSES), h);
          }
          break;
        case 5:
          anonymiseApplicant(db, id);
          break;
        case 6:
          if (!db.prepare('SELECT 1 FROM attendance WHERE applicant_id = ? UNION ALL SELECT 1 FROM attestations WHERE applicant_id = ? UNION ALL SELECT 1 FROM training_sessions WHERE applicant_id = ?').get(id, id, id))
            deleteApplicant(db, id);
          break;
        case 7:
          db.prepare('INSERT OR IGNORE INTO applicant_situations (applicant_id, code) VALUES (?, ?)').run(id, pick(['widow', 'precarity', 'neet']));
          db.prepare('INSERT OR IGNORE INTO applicant_disabilities (applicant_id, code) VALUES (?, ?)').run(id, pick(['motor', 'visual']));
          if (r(2)) db.prepare('DELETE FROM applicant_situations WHERE applicant_id = ?').run(id);
          break;
        case 8: {
          const s = db.prepare('SELECT id FROM training_sessions ORDER BY id LIMIT 1 OFFSET ?').pluck().get(r(40)) as string | undefined;
          if (!s) break;
          const what = r(3);
          if (what === 0) db.prepare('UPDATE training_sessions SET cancelled_at = CASE WHEN cancelled_at IS NULL THEN ? END WHERE id = ?').run(iso(r), s);
          else if (what === 1) db.prepare('UPDATE training_sessions SET date = ?, duration_min = ? WHERE id = ?').run(`202${4 + r(3)}-0${1 + r(9)}-1${r(10)}`, 30 + r(200), s);
          else db.prepare('UPDATE training_sessions SET topic_code = (SELECT topic_code FROM training_sessions ORDER BY random() LIMIT 1) WHERE id = ?').run(s);
          break;
        }
        default: {
          const a = db.prepare('SELECT id FROM attendance ORDER BY id LIMIT 1 OFFSET ?').pluck().get(r(200)) as string | undefined;
          if (!a) break;
          if (r(3)) db.prepare('UPDATE attendance SET status = ? WHERE id = ?').run(pick(['present', 'absent', 'excused']), a);
          else db.prepare('DELETE FROM attendance WHERE id = ?').run(a);
        }
      }
    }
  });
  tx();
}

describe('report summaries', () => {
  let province: ReturnType<typeof tempCore>;
  let region: ReturnType<typeof tempCore>;

  beforeAll(async () => {
    region = tempCore();
    await setupOffice(region, 'region');
    const regionKey = (await region.invoke('exchange.keysShow', {}, as)).keyFile;
    province = tempCore();
    await setupOffice(province, 'errachidia');
    await seedDatabase(province, { applicants: 150, office: 'errachidia', seed: 11 });
    await province.invoke('exchange.keysRegion', { keyFile: regionKey }, as);
    const k = await province.invoke('exchange.keysShow', {}, as);
    await region.invoke('exchange.keysTrust', { keyFile: k.keyFile }, as);
  }, 120_000);
  afterAll(async () => {
    await province?.dispose();
    await region?.dispose();
  });

  it('the calendar table is the office calendar of shared/time.ts (Africa/Casablanca local midnights)', () => {
    const rows = province.sqlite.prepare("SELECT month, start_at, end_at FROM report_months WHERE month <> '0000-00' ORDER BY month").all() as {
      month: string;
      start_at: string;
      end_at: string;
    }[];
    expect(rows).toHaveLength(111 * 12);
    for (let i = 0; i < rows.length; i++) {
      expect(rows[i].start_at).toBe(startOfLocalDayUtc(`${rows[i].month}-01`));
      if (i + 1 < rows.length) expect(rows[i].end_at).toBe(rows[i + 1].start_at);
    }
  });

  it('after the seed, equal to a recomputation from the rows', () => {
    expectExact(province.sqlite);
  });

  for (const seed of [1, 2, 3, 4]) {
    it(`after a mix of writes (seed ${seed}), equal to a recomputation from the rows`, () => {
      randomWrites(province.sqlite, seed, 150);
      expectExact(province.sqlite);
    });
  }

  it('in the region, after a full and an incremental exchange import, equal to a recomputation', async () => {
    const exportTo = async (p: Core, name: string, input: { full?: boolean } = {}) => {
      const r = await p.invoke('exchange.export', input, as);
      const target = join(region.dir, name);
      copyFileSync(p.outbox.get(r.fileId)!.path, target);
      return target;
    };
    const full = await exportTo(province, 'full.jisrx', { full: true });
    await region.invoke('exchange.import', { files: [{ path: full }], dryRun: false }, as);
    expectExact(region.sqlite);
    // Changes travel as the registry makes them: new files, edits, anonymisations and deletions (numbered in change_log).
    const ids = province.sqlite.prepare('SELECT id FROM applicants WHERE anonymised_at IS NULL ORDER BY created_at DESC').pluck().all() as string[];
    province.sqlite.transaction(() => {
      addApplicants(province.sqlite, 5, { seed: 77, at: '2026-05-31T23:30:00.000Z' });
      editApplicant(province.sqlite, ids[0], '+212600000001');
      anonymiseApplicant(province.sqlite, ids[1]);
    })();
    const fresh = addApplicants(province.sqlite, 2, { seed: 78 });
    deleteApplicant(province.sqlite, fresh[0]);
    // Attendance corrected through the API (the checklist of a session, every status flipped): it travels too.
    const session = province.sqlite
      .prepare('SELECT s.id FROM training_sessions s WHERE s.cancelled_at IS NULL AND EXISTS (SELECT 1 FROM attendance a WHERE a.session_id = s.id) ORDER BY s.date DESC LIMIT 1')
      .pluck()
      .get() as string;
    // Her checklist: everyone expected that day; the statuses recorded are flipped, the others recorded present.
    const { date, checklist } = await province.invoke('sessions.get', { id: session }, as);
    const flipped = checklist.map((m) => ({ applicantId: m.applicantId, status: m.status === 'present' ? 'absent' : 'present' }));
    expect(flipped.length).toBeGreaterThan(0);
    expect(await province.call('sessions.recordAttendance', { sessionId: session, entries: flipped }, as)).toMatchObject({ ok: true });
    const shown = (await province.invoke('sessions.range', { from: date, to: date }, as)).sessions.find((x) => x.id === session);
    const counted = (st: string) => province.sqlite.prepare('SELECT count(*) FROM attendance WHERE session_id = ? AND status = ?').pluck().get(session, st) as number;
    expect(shown).toMatchObject({ present: counted('present'), absent: counted('absent'), excused: counted('excused') });
    expect(counted('absent')).toBeGreaterThan(0);
    const inc = await exportTo(province, 'inc.jisrx');
    await region.invoke('exchange.import', { files: [{ path: inc }], dryRun: false }, as);
    expectExact(region.sqlite);
    expectExact(province.sqlite);
    // The region's dashboard counts the province's files.
    const d = await region.invoke('reports.dashboard', { period: '2026' }, as);
    const p = await province.invoke('reports.dashboard', { period: '2026' }, as);
    expect(d.totals.registeredToDate).toBe(p.totals.registeredToDate);
  });

  it('a monthly file with new sessions and their attendance: the batches add the same sums as the triggers would', async () => {
    // A new session of an existing cohort, its checklist recorded: new attendance rows, applied on the bulk path.
    const c = province.sqlite
      .prepare("SELECT c.id, c.organisation_id FROM cohorts c WHERE EXISTS (SELECT 1 FROM cohort_members m WHERE m.cohort_id = c.id) ORDER BY c.id LIMIT 1")
      .get() as { id: string; organisation_id: string };
    const s = await province.invoke('sessions.create', { kind: 'workshop', date: '2026-06-02', durationMinutes: 90, topic: 'digital', organisationId: c.organisation_id, cohortId: c.id }, as);
    const { checklist } = await province.invoke('sessions.get', { id: s.id }, as);
    expect(checklist.length).toBeGreaterThan(1);
    const entries = checklist.map((m, i) => ({ applicantId: m.applicantId, status: i % 3 === 0 ? 'absent' : 'present' }));
    expect(await province.call('sessions.recordAttendance', { sessionId: s.id, entries }, as)).toMatchObject({ ok: true });
    const before = triggers(region.sqlite);
    const r = await province.invoke('exchange.export', {}, as);
    const file = join(region.dir, 'month-sessions.jisrx');
    copyFileSync(province.outbox.get(r.fileId)!.path, file);
    const res = await region.invoke('exchange.import', { files: [{ path: file }], dryRun: false }, as);
    expect(res.results[0].status).toBe('applied');
    expect(region.sqlite.prepare('SELECT COUNT(*) FROM attendance WHERE session_id = ?').pluck().get(s.id)).toBe(entries.length);
    expect(region.sqlite.prepare('SELECT present, absent FROM session_counts WHERE session_id = ?').get(s.id)).toEqual({
      present: entries.filter((e) => e.status === 'present').length,
      absent: entries.filter((e) => e.status === 'absent').length,
    });
    expectExact(region.sqlite);
    expect(triggers(region.sqlite)).toEqual(before);
  });

  it('a full file is applied with its office’s summaries rebuilt once: equal to a rebuild from scratch, the other province’s kept, the triggers back', async () => {
    const before = triggers(region.sqlite);
    expect(before.length).toBeGreaterThan(20);
    // A second province in the region: its full file is applied on the bulk path, errachidia's summaries untouched.
    const other = tempCore();
    try {
      await setupOffice(other, 'ouarzazate');
      await seedDatabase(other, { applicants: 60, office: 'ouarzazate', seed: 12 });
      await other.invoke('exchange.keysRegion', { keyFile: (await region.invoke('exchange.keysShow', {}, as)).keyFile }, as);
      await region.invoke('exchange.keysTrust', { keyFile: (await other.invoke('exchange.keysShow', {}, as)).keyFile }, as);
      const errachidia = region.sqlite.prepare("SELECT * FROM report_counts WHERE office_id = (SELECT id FROM offices WHERE slug = 'errachidia') ORDER BY dim, month, key").all();
      const r = await other.invoke('exchange.export', { full: true }, as);
      const file = join(region.dir, 'ouarzazate-full.jisrx');
      copyFileSync(other.outbox.get(r.fileId)!.path, file);
      const res = await region.invoke('exchange.import', { files: [{ path: file }], dryRun: false }, as);
      expect(res.results[0].status).toBe('applied');
      expectExact(region.sqlite);
      expect(region.sqlite.prepare("SELECT * FROM report_counts WHERE office_id = (SELECT id FROM offices WHERE slug = 'errachidia') ORDER BY dim, month, key").all()).toEqual(errachidia);
      expect(triggers(region.sqlite)).toEqual(before);
    } finally {
      await other.dispose();
    }
  });

  it('a full file refused half-way leaves the summaries and their triggers as they were; applied again, the summaries are exact', async () => {
    province.sqlite.transaction(() => addApplicants(province.sqlite, 4, { seed: 79 }))();
    const r = await province.invoke('exchange.export', { full: true }, as);
    const file = join(region.dir, 'full-2.jisrx');
    copyFileSync(province.outbox.get(r.fileId)!.path, file);
    const before = { summaries: summaries(region.sqlite), triggers: triggers(region.sqlite) };
    // The region refuses the last of the file's new files (as a constraint of its schema would), after the others
    // were written: the file is refused. (A row the region already holds is not inserted again, so the refusal must
    // be of a new one.)
    const last = province.sqlite.prepare('SELECT id FROM applicants ORDER BY id DESC LIMIT 1').pluck().get() as string;
    expect(region.sqlite.prepare('SELECT COUNT(*) FROM applicants WHERE id = ?').pluck().get(last)).toBe(0);
    region.sqlite.exec(`CREATE TEMP TRIGGER refuse_one BEFORE INSERT ON main.applicants WHEN NEW.id = '${last}' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    try {
      const res = await region.invoke('exchange.import', { files: [{ path: file }], dryRun: false }, as);
      expect(res.results[0]).toMatchObject({ status: 'refused', error: { code: 'exchange.row_rejected' } });
    } finally {
      region.sqlite.exec('DROP TRIGGER temp.refuse_one');
    }
    expect(summaries(region.sqlite)).toEqual(before.summaries);
    expect(triggers(region.sqlite)).toEqual(before.triggers);
    const again = await region.invoke('exchange.import', { files: [{ path: file }], dryRun: false }, as);
    expect(again.results[0].status).toBe('applied');
    expectExact(region.sqlite);
    expect(triggers(region.sqlite)).toEqual(before.triggers);
  });
});

describe('when a writer rebuilds the summaries rather than keeping the triggers', () => {
  it('from a quarter of the office’s files on, and never for a few rows', () => {
    expect(rebuildPays(2_200, () => 40)).toBe(true); // an Excel list larger than the office
    expect(rebuildPays(30_000, () => 100_000)).toBe(true);
    expect(rebuildPays(9_600, () => 100_000)).toBe(false); // a month's exchange file of a 100,000-file province
    expect(rebuildPays(1_000, () => 0)).toBe(false); // a small first file
  });
});

describe('report summaries after an Excel list of many women', () => {
  it('written with the summaries set aside and the office’s rebuilt once: equal to a recomputation, the triggers back', async () => {
    const core = tempCore();
    try {
      await setupOffice(core, 'errachidia');
      await seedDatabase(core, { applicants: 40, office: 'errachidia', seed: 13 });
      const before = triggers(core.sqlite);
      // 1,100 women (2,200 rows with their first path step): far more than the office holds, so the bulk path.
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('list');
      ws.addRow(['Nom', 'Prénom', 'CIN', 'Date de naissance', 'Commune']);
      const day = Date.UTC(1970, 0, 1);
      for (let i = 0; i < 1100; i++) {
        ws.addRow([`Nom${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i / 26) % 26 | 0))}`, 'Fatima', `UX${100000 + i}`, new Date(day + i * 86_400_000 * 7).toISOString().slice(0, 10).split('-').reverse().join('/'), 'Goulmima']);
      }
      const file = join(core.dir, 'list.xlsx');
      await wb.xlsx.writeFile(file);
      const r = await core.invoke('imports.commit', { path: file, confirmCommunes: true }, as);
      expect(r.created.length).toBeGreaterThan(1000);
      expectExact(core.sqlite);
      expect(triggers(core.sqlite)).toEqual(before);
    } finally {
      await core.dispose();
    }
  }, 120_000);
});

/** The report summaries' triggers, by name, with their SQL. */
function triggers(db: Sqlite) {
  return db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%report%' ORDER BY name").all();
}
