import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore, userToken } from '../../../tests/helpers/core';
import { seedDatabase } from '../seed/seed';
import '../seed/seeders';
import { STATUS_PATH } from '../../shared/api/applicants.contract';
import type { DashboardData, ProvinceFigures } from '../../shared/api/reports.contract';
import type { OfficeSlug } from '../../shared/offices';
import { parsePeriod } from './period';

/**
 * The region dashboard's table by province (issue 15), read from the summaries by office, against a recomputation
 * from the rows themselves: three provinces seeded (files, paths, sessions, attestations, financings), sent to the
 * region through the exchange as the offices do.
 */
type TCore = ReturnType<typeof tempCore>;
const NOW = new Date('2026-11-20T10:00:00Z');
const as = { actor: cli };

async function province(slug: OfficeSlug, regionKeyFile: string, region: TCore, n: number, seed: number): Promise<TCore> {
  const p = tempCore({ clock: () => NOW });
  await setupOffice(p, slug);
  await seedDatabase(p, { applicants: n, office: slug, seed });
  await p.invoke('exchange.keysRegion', { keyFile: regionKeyFile }, as);
  await region.invoke('exchange.keysTrust', { keyFile: (await p.invoke('exchange.keysShow', {}, as)).keyFile }, as);
  const f = await p.invoke('exchange.export', {}, as);
  const target = join(region.dir, `${slug}.jisrx`);
  copyFileSync(p.outbox.get(f.fileId)!.path, target);
  const r = await region.invoke('exchange.import', { files: [{ path: target }] }, as);
  expect(r.results[0].status).toBe('applied');
  return p;
}

describe('region dashboard: the main indicators by province', () => {
  let region: TCore;
  let coordinator = '';
  const provinces: TCore[] = [];

  beforeAll(async () => {
    region = tempCore({ clock: () => NOW });
    const admin = (await setupOffice(region, 'region')).token;
    coordinator = await userToken(region, admin, 'coord', 'coordinator');
    const key = (await region.invoke('exchange.keysShow', {}, as)).keyFile;
    provinces.push(await province('errachidia', key, region, 160, 11));
    provinces.push(await province('ouarzazate', key, region, 90, 12));
    provinces.push(await province('zagora', key, region, 60, 13));
  }, 180_000);
  afterAll(async () => {
    await region?.dispose();
    for (const p of provinces) await p.dispose();
  });

  /** Every figure of every province, recomputed from the rows (applicants, history, sessions, attestations). */
  function recompute(period: string): Map<string, ProvinceFigures> {
    const p = parsePeriod(period);
    const db = region.sqlite;
    const out = new Map<string, ProvinceFigures>();
    const provs = db.prepare('SELECT code, name_ar, name_fr FROM provinces ORDER BY code').all() as { code: string; name_ar: string; name_fr: string }[];
    const rank = new Map<string, number>(STATUS_PATH.map((s, i) => [s, i]));
    for (const pr of provs) {
      const files = db
        .prepare(
          `SELECT a.id, a.sex, a.created_at, a.is_project_holder, a.is_difficult_situation, a.has_disability, a.status, a.status_changed_at
             FROM applicants a JOIN offices o ON o.id = a.office_id WHERE o.province_code = ? AND a.created_at < ?`,
        )
        .all(pr.code, p.endAt) as { id: string; sex: string; created_at: string; is_project_holder: number; is_difficult_situation: number; has_disability: number; status: string; status_changed_at: string }[];
      const history = db.prepare('SELECT to_status FROM status_history WHERE applicant_id = ? AND at < ?');
      const steps = STATUS_PATH.map(() => 0);
      for (const f of files) {
        // The furthest step reached by the end: the history's moves before it, and the current status if set before it.
        let furthest = 0;
        for (const h of history.all(f.id, p.endAt) as { to_status: string }[]) furthest = Math.max(furthest, rank.get(h.to_status) ?? 0);
        if (f.status_changed_at < p.endAt) furthest = Math.max(furthest, rank.get(f.status) ?? 0);
        for (let i = 0; i <= furthest; i++) steps[i]++;
      }
      const women = files.filter((f) => f.sex === 'F');
      const sessions = db
        .prepare(
          `SELECT COUNT(*) n, COALESCE(SUM(s.duration_min), 0) m FROM training_sessions s JOIN organisations g ON g.id = s.organisation_id
            WHERE g.province_code = ? AND s.cancelled_at IS NULL AND s.date >= ? AND s.date < ?`,
        )
        .get(pr.code, p.start, p.end) as { n: number; m: number };
      const attestations = db
        .prepare('SELECT COUNT(*) FROM attestations t JOIN offices o ON o.id = t.office_id WHERE o.province_code = ? AND t.issue_date >= ? AND t.issue_date < ?')
        .pluck()
        .get(pr.code, p.start, p.end) as number;
      const financed = db
        .prepare(
          `SELECT COUNT(DISTINCT a.id) FROM status_history h JOIN applicants a ON a.id = h.applicant_id LEFT JOIN communes c ON c.code = a.commune_code
             JOIN offices o ON o.id = a.office_id
            WHERE h.to_status = 'financed' AND h.at >= ? AND h.at < ? AND COALESCE(c.province_code, o.province_code) = ?`,
        )
        .pluck()
        .get(p.startAt, p.endAt, pr.code) as number;
      out.set(pr.code, {
        key: pr.code,
        labelAr: pr.name_ar,
        labelFr: pr.name_fr,
        registeredInPeriod: files.filter((f) => f.created_at >= p.startAt).length,
        registeredToDate: files.length,
        women: women.length,
        projectHolders: women.filter((f) => f.is_project_holder === 1).length,
        difficultSituation: women.filter((f) => f.is_difficult_situation === 1).length,
        disability: files.filter((f) => f.has_disability === 1).length,
        steps,
        notRetained: files.filter((f) => f.status === 'not_retained' && f.status_changed_at < p.endAt).length,
        droppedOut: files.filter((f) => f.status === 'dropped_out' && f.status_changed_at < p.endAt).length,
        sessions: sessions.n,
        hours: Math.round((sessions.m / 60) * 100) / 100,
        attestations,
        financed,
      });
    }
    return out;
  }

  it.each(['2026', '2026-11', '2025-Q3'])('period %s: each province as recomputed from the rows, the total row equal to the dashboard', async (period) => {
    const d: DashboardData = await region.invoke('reports.dashboard', { period }, as);
    const table = d.provinceTable!;
    expect(table).toBeTruthy();
    const expected = recompute(period);
    // The five provinces of the territories data, by their names, each once; no row for the region itself (it holds no file).
    expect(table.rows.map((r) => r.labelFr)).toEqual(['Errachidia', 'Midelt', 'Ouarzazate', 'Tinghir', 'Zagora']);
    expect(table.rows.map((r) => r.labelAr)).toEqual(['الرشيدية', 'ميدلت', 'ورزازات', 'تنغير', 'زاكورة']);
    for (const r of table.rows) expect(r, r.labelFr).toEqual(expected.get(r.key));
    // Something to compare: files, moves along the path, sessions and attestations in the seeded provinces.
    const err = table.rows[0];
    expect(err.registeredToDate).toBeGreaterThan(100);
    if (period === '2026') {
      expect(err.steps[3]).toBeGreaterThan(0);
      expect(table.total.sessions).toBeGreaterThan(0);
      expect(table.total.attestations).toBeGreaterThan(0);
    }
    // The rows add up to the dashboard's own figures.
    const t = table.total;
    expect(t.registeredInPeriod).toBe(d.totals.registeredInPeriod);
    expect(t.registeredToDate).toBe(d.totals.registeredToDate);
    expect(t.sessions).toBe(d.totals.sessions);
    expect(t.hours).toBeCloseTo(d.totals.hours, 2);
    expect(t.attestations).toBe(d.totals.attestations);
    expect(t.steps).toEqual(d.funnel.map((f) => f.value));
    expect(table.steps.map((s) => s.key)).toEqual([...STATUS_PATH]);
    expect(t.disability).toBe(d.categories.find((c) => c.group === 'disability')!.value);
    expect(t.projectHolders).toBe(d.categories.find((c) => c.group === 'project_holder')!.value);
  });

  it('gives no disability figure to the coordinator (she does not see sensitive data), the rest unchanged', async () => {
    const admin = await region.invoke('reports.dashboard', { period: '2026' }, as);
    const coord = await region.invoke('reports.dashboard', { period: '2026' }, { token: coordinator });
    for (const r of [...coord.provinceTable!.rows, coord.provinceTable!.total]) expect(r.disability).toBeNull();
    const strip = (x: ProvinceFigures) => ({ ...x, disability: null });
    expect(coord.provinceTable!.rows).toEqual(admin.provinceTable!.rows.map(strip));
    expect(admin.provinceTable!.total.disability).toBeGreaterThan(0);
  });

  it('is not computed for a provincial office', async () => {
    const d = await provinces[0].invoke('reports.dashboard', { period: '2026' }, as);
    expect(d.provinceTable).toBeNull();
  });
});
