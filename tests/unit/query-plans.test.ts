import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { setupOffice, tempCore, userToken } from '../helpers/core';
import { makeApplicants } from '../helpers/sessions-factory';
import { batchSummaryStatements } from '../../src-main/core/reports/summaries-bulk';

/**
 * The query plans of the hot paths (issue 18): every statement that search, the duplicate check and attendance run is
 * caught as the repositories prepare it (through the real calls, not copies of their SQL), and SQLite's
 * EXPLAIN QUERY PLAN must show the pinned indexes and no full scan of the big tables. A change to a repository that
 * loses an index fails here, not at 100,000 files in an office.
 */

const clock = () => new Date('2026-03-10T10:00:00Z');
const core = tempCore({ clock });
const prepared: { sql: string; args: unknown[] }[] = [];
let token = '';

/** Every statement the calls inside `fn` run on the core's connection, with the values it ran with. */
async function statementsOf(fn: () => Promise<unknown>): Promise<{ sql: string; args: unknown[] }[]> {
  const from = prepared.length;
  await fn();
  return prepared.slice(from);
}

function plan(s: { sql: string; args: unknown[] }): string[] {
  return (core.sqlite.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.args) as { detail: string }[]).map((r) => r.detail);
}

/** The plan lines of the statements that read `table`. */
function plansOn(runs: { sql: string; args: unknown[] }[], table: string): string[] {
  return runs.filter((s) => new RegExp(`\\b${table}\\b`, 'i').test(s.sql) && /^\s*(with|select)/i.test(s.sql)).flatMap(plan);
}

const fullScan = (table: string) => new RegExp(`^SCAN ${table}( AS \\w+)?$`);

beforeAll(async () => {
  const realPrepare = core.sqlite.prepare.bind(core.sqlite);
  (core.sqlite as unknown as { prepare: (sql: string) => Statement }).prepare = (sql: string) => {
    const st = realPrepare(sql) as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const m of ['all', 'get', 'iterate', 'run']) {
      const real = st[m]!.bind(st);
      st[m] = (...args: unknown[]) => {
        prepared.push({ sql, args });
        return real(...args);
      };
    }
    return st as unknown as Statement;
  };
  ({ token } = await setupOffice(core));
});
afterAll(() => core.dispose());

describe('query plans of the hot paths', () => {
  it('the duplicate check reads applicants through the CIN, name-skeleton and birth-date indexes, never a full scan', async () => {
    const sqls = await statementsOf(() =>
      core.invoke(
        'applicants.checkDuplicates',
        { cin: 'AB123456', firstNameAr: 'فاطمة', lastNameAr: 'العلوي', firstNameLat: 'Fatima', lastNameLat: 'Alaoui', birthDate: '1990-03-09', sex: 'F' },
        { token },
      ),
    );
    const lines = plansOn(sqls, 'applicants');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => fullScan('applicants').test(l) || fullScan('a').test(l))).toEqual([]);
    const joined = lines.join('\n');
    expect(joined).toMatch(/applicants_name_skel/);
    expect(joined).toMatch(/applicants_birth/);
    expect(joined).toMatch(/sqlite_autoindex_applicants_\d|applicants_cin/);
  });

  it('search by name (either script), CIN, phone and file number goes through the names index or the index of its column', async () => {
    makeApplicants(core, 30, 'preselected');
    const expected: [string, RegExp][] = [
      ['فاطمة العلوي', /VIRTUAL TABLE INDEX|applicants_name_(ar|lat|skel)/],
      ['fatma alaoui', /VIRTUAL TABLE INDEX|applicants_name_(ar|lat|skel)/],
      ['AB123456', /INDEX sqlite_autoindex_applicants_\d+ \(cin/],
      ['0661234567', /INDEX applicants_phone/],
      ['000003', /INDEX applicants_file_tail/],
    ];
    for (const [q, index] of expected) {
      const runs = await statementsOf(() => core.invoke('applicants.search', { q }, { token }));
      const lines = [...plansOn(runs, 'applicants'), ...plansOn(runs, 'applicants_fts')];
      if (process.env.SHOW_PLANS) console.log(q, lines);
      expect(lines.join('\n'), q).toMatch(index);
      expect(lines.filter((l) => fullScan('applicants').test(l) || fullScan('a').test(l)), q).toEqual([]);
    }
  });

  it('recording attendance reads a session’s roster and attendance through their indexes', async () => {
    const agent = await userToken(core, token, 'agent1', 'agent');
    const org = await core.invoke('organisations.create', { kind: 'incubator', nameAr: 'جمعية الأمل', nameFr: 'Association Al Amal' }, { token: agent });
    const cohort = await core.invoke('cohorts.create', { organisationId: org.id, name: 'Cohorte 1', startDate: '2026-01-05', endDate: '2026-04-30', place: 'Centre' }, { token: agent });
    const women = makeApplicants(core, 4, 'preselected');
    await core.invoke('cohorts.enrol', { cohortId: cohort.id, applicantIds: women, date: '2026-01-05', moveToTraining: true }, { token: agent });
    const s = await core.invoke(
      'sessions.create',
      { kind: 'group_training', date: '2026-01-12', startTime: '09:00', endTime: '12:00', topic: 'entrepreneurship', place: 'Salle', organisationId: org.id, cohortId: cohort.id },
      { token: agent },
    );
    const sqls = await statementsOf(() =>
      core.invoke('sessions.recordAttendance', { sessionId: s.id, entries: women.map((applicantId) => ({ applicantId, status: 'present' as const })) }, { token: agent }),
    );
    const lines = [...plansOn(sqls, 'attendance'), ...plansOn(sqls, 'cohort_members')];
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => fullScan('attendance').test(l) || fullScan('cohort_members').test(l))).toEqual([]);
    expect(lines.join('\n')).toMatch(/attendance_session_status|sqlite_autoindex_attendance_\d|attendance_applicant/);
  });

  it("the region's receipt counts an office's rows in every exchanged table through an index on its office, never a whole table", async () => {
    const { officeCounts } = await import('../../src-main/core/exchange/receipts');
    const office = core.sqlite.prepare('SELECT office_id FROM installation').pluck().get() as string;
    const sqls = await statementsOf(async () => officeCounts(core.sqlite, office));
    expect(sqls.length).toBeGreaterThan(10);
    for (const s of sqls.filter((x) => !/sqlite_master/.test(x.sql))) {
      const lines = plan(s);
      expect(lines.filter((l) => /^SCAN /.test(l)), `${s.sql}\n${lines.join('\n')}`).toEqual([]);
    }
  });
});

describe('query plan of the region review list', () => {
  it('reads a page of open items in the index order (status, created_at, id): no sort of all the open items', async () => {
    const { listReviews } = await import('../../src-main/core/exchange/repo/reviews.repo');
    const { readable } = await import('../../src-main/core/db/handles');
    const sqls = await statementsOf(async () => listReviews(readable(core.sqlite), { status: 'open', limit: 100, offset: 200 }));
    const lines = plansOn(sqls, 'exchange_reviews');
    expect(lines.some((l) => /USING (COVERING )?INDEX exchange_reviews_status/.test(l))).toBe(true);
    expect(lines.filter((l) => /TEMP B-TREE/.test(l))).toEqual([]);
    expect(lines.filter((l) => fullScan('exchange_reviews').test(l))).toEqual([]);
  });

  it("a batch of attendance rows is summed from its own rows (the rowid range), not over the table's index", () => {
    const sums = batchSummaryStatements('attendance');
    expect(sums.length).toBe(2);
    for (const text of sums) {
      const lines = (core.sqlite.prepare(`EXPLAIN QUERY PLAN ${text}`).all(0) as { detail: string }[]).map((r) => r.detail);
      expect(lines.filter((l) => /^SCAN (attendance|t)\b/.test(l))).toEqual([]);
      expect(lines.join('\n')).toMatch(/(attendance|t) USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    }
  });
});
