import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore, setupOffice, userToken, cli } from '../../../tests/helpers/core';
import { seedDatabase } from '../seed/seed';
import '../seed/seeders';
import { ageOn } from '../../shared/normalize';
import { localDate } from '../../shared/time';
import { readable } from '../db/handles';
import { computeIndicators, scopeOf } from './indicators';
import { parsePeriod, trailingMonths } from './period';
import type { Office } from '../db/schema';

const NOW = new Date('2026-11-20T10:00:00Z');
let core: ReturnType<typeof tempCore>;
let office: Office;

async function readBook(fileId: string): Promise<{ wb: ExcelJS.Workbook; zip: JSZip; path: string }> {
  const f = core.outbox.get(fileId)!;
  const data = readFileSync(f.path);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  return { wb, zip: await JSZip.loadAsync(data), path: f.path };
}

/** Values of column `col` of a sheet's table (rows 6 … before the total row), keyed by column `keyCol`. */
function tableValues(ws: ExcelJS.Worksheet, keyCol: number, col: number, rows: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let r = 6; r < 6 + rows; r++) m.set(String(ws.getCell(r, keyCol).value), Number(ws.getCell(r, col).value));
  return m;
}

beforeAll(async () => {
  core = tempCore({ clock: () => NOW });
  await setupOffice(core);
  await seedDatabase(core, { applicants: 400, office: 'errachidia', seed: 7 });
  office = core.sqlite.prepare('SELECT o.* FROM installation i JOIN offices o ON o.id = i.office_id').get() as Office;
}, 120_000);
afterAll(async () => core?.dispose());

const q = <T = Record<string, number>>(sql: string, ...p: unknown[]) => core.sqlite.prepare(sql).get(...p) as T;
const all = <T = Record<string, unknown>>(sql: string, ...p: unknown[]) => core.sqlite.prepare(sql).all(...p) as T[];

describe('period', () => {
  it('parses months, quarters and years', () => {
    expect(parsePeriod('2026-11')).toMatchObject({ start: '2026-11-01', end: '2026-12-01', last: '2026-11-30', months: ['2026-11'] });
    expect(parsePeriod('2026-Q4')).toMatchObject({ start: '2026-10-01', end: '2027-01-01', last: '2026-12-31' });
    expect(parsePeriod('2026').months).toHaveLength(12);
    expect(parsePeriod('2024-Q1').last).toBe('2024-03-31');
    expect(() => parsePeriod('2026-13')).toThrow(/reports.period_invalid/);
    expect(trailingMonths(parsePeriod('2026-02'), 3)).toEqual(['2025-12', '2026-01', '2026-02']);
  });
});

describe('indicators against direct SQL counts', () => {
  const p = parsePeriod('2026');
  let ind: ReturnType<typeof computeIndicators>;
  beforeAll(() => {
    ind = computeIndicators(readable(core.sqlite), scopeOf(office), p);
  });

  it('has seeded data to count', () => {
    expect(q('SELECT COUNT(*) AS n FROM applicants').n).toBe(400);
    expect(ind.totals.period).toBeGreaterThan(10);
    expect(ind.sessions.length).toBeGreaterThan(0);
  });

  it('registrations per month and totals', () => {
    // Each file's month on the office's calendar (Africa/Casablanca), computed here row by row, not by the report's SQL.
    const rows = all<{ created_at: string; sex: string }>('SELECT created_at, sex FROM applicants').map((r) => ({ ...r, day: localDate(r.created_at) }));
    for (const m of ind.registrations) {
      expect(m.total).toBe(rows.filter((r) => r.day.startsWith(m.month)).length);
      expect(m.women).toBe(rows.filter((r) => r.day.startsWith(m.month) && r.sex === 'F').length);
    }
    expect(ind.totals.period).toBe(rows.filter((r) => r.day.startsWith('2026')).length);
    expect(ind.totals.cumulative).toBe(rows.filter((r) => r.day < '2027-01-01').length);
  });

  it('status at the end of a period that includes today is the current status', () => {
    const rows = all<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM applicants GROUP BY status');
    for (const s of ind.statuses) expect(s.count, s.status).toBe(rows.find((r) => r.status === s.status)?.n ?? 0);
  });

  it('status at the end of a past period comes from the status history', () => {
    const past = parsePeriod('2026-06');
    const st = computeIndicators(readable(core.sqlite), scopeOf(office), past).statuses;
    // Independent computation in TypeScript from the raw history.
    const apps = all<{ id: string; created_at: string; status: string; status_changed_at: string }>('SELECT id, created_at, status, status_changed_at FROM applicants');
    const hist = all<{ applicant_id: string; to_status: string; at: string }>('SELECT applicant_id, to_status, at FROM status_history ORDER BY at');
    const expected = new Map<string, number>();
    for (const a of apps) {
      if (localDate(a.created_at) >= past.end) continue;
      const h = hist.filter((x) => x.applicant_id === a.id && localDate(x.at) < past.end);
      const s = localDate(a.status_changed_at) < past.end ? a.status : h.length ? h[h.length - 1].to_status : 'registered';
      expected.set(s, (expected.get(s) ?? 0) + 1);
    }
    for (const s of st) expect(s.count, s.status).toBe(expected.get(s.status) ?? 0);
    expect(st.reduce((t, s) => t + s.count, 0)).toBe(apps.filter((a) => localDate(a.created_at) < past.end).length);
  });

  it('the funnel never grows along the path and starts with every file', () => {
    expect(ind.funnel[0].count).toBe(ind.totals.cumulative);
    for (let i = 1; i < ind.funnel.length; i++) expect(ind.funnel[i].count).toBeLessThanOrEqual(ind.funnel[i - 1].count);
    const financedOrLater = q(
      "SELECT COUNT(DISTINCT applicant_id) AS n FROM status_history WHERE to_status IN ('financed', 'followed_up', 'closed') AND at < '2027-01-01'",
    ).n;
    expect(ind.funnel.find((f) => f.status === 'financed')!.count).toBeGreaterThanOrEqual(financedOrLater - ind.funnel.find((f) => f.status === 'closed')!.count);
  });

  it('communes with urban/rural', () => {
    for (const c of ind.communes) {
      expect(c.cumulative).toBe(q('SELECT COUNT(*) AS n FROM applicants WHERE commune_code IS ?', c.key || null).n);
      if (c.key) expect(c.type).toBe(q<{ type: string }>('SELECT type FROM communes WHERE code = ?', c.key).type);
    }
    const urban = ind.areas.find((a) => a.key === 'urbaine')!;
    expect(urban.cumulative).toBe(q("SELECT COUNT(*) AS n FROM applicants a JOIN communes c ON c.code = a.commune_code WHERE c.type = 'urbaine'").n);
  });

  it('categories', () => {
    const c = ind.categories;
    expect(c.projectHolders.cumulative).toBe(q("SELECT COUNT(*) AS n FROM applicants WHERE sex = 'F' AND is_project_holder = 1").n);
    expect(c.difficult.period).toBe(
      all<{ created_at: string }>("SELECT created_at FROM applicants WHERE sex = 'F' AND is_difficult_situation = 1").filter((a) => localDate(a.created_at) >= '2026-01-01').length,
    );
    expect(c.disability.cumulative).toBe(q('SELECT COUNT(*) AS n FROM applicants WHERE has_disability = 1').n);
    for (const s of c.situations) {
      expect(s.cumulative, s.key).toBe(
        q("SELECT COUNT(*) AS n FROM applicant_situations x JOIN applicants a ON a.id = x.applicant_id WHERE x.code = ? AND a.sex = 'F' AND a.is_difficult_situation = 1", s.key).n,
      );
    }
    for (const d of c.disabilityTypes) {
      expect(d.cumulative, d.key).toBe(q('SELECT COUNT(*) AS n FROM applicant_disabilities x JOIN applicants a ON a.id = x.applicant_id WHERE x.code = ? AND a.has_disability = 1', d.key).n);
    }
    expect(c.situations.some((s) => s.cumulative > 0)).toBe(true);
  });

  it('age bands (age on the last day of the period)', () => {
    const births = all<{ birth_date: string | null }>('SELECT birth_date FROM applicants');
    const inBand = (min: number, max: number) => births.filter((b) => b.birth_date && ageOn(b.birth_date, '2026-12-31') >= min && ageOn(b.birth_date, '2026-12-31') <= max).length;
    expect(ind.ageBands.find((b) => b.key === '25_34')!.cumulative).toBe(inBand(25, 34));
    expect(ind.ageBands.find((b) => b.key === '45_55')!.cumulative).toBe(inBand(45, 55));
    expect(ind.ageBands.reduce((t, b) => t + b.cumulative, 0)).toBe(400);
  });

  it('education', () => {
    for (const e of ind.education) expect(e.cumulative, e.key).toBe(q('SELECT COUNT(*) AS n FROM applicants WHERE education_level IS ?', e.key || null).n);
  });

  it('sessions, hours and attendance by topic and organisation', () => {
    const sessions = ind.sessions.reduce((t, s) => t + s.sessions, 0);
    expect(sessions).toBe(q("SELECT COUNT(*) AS n FROM training_sessions WHERE date >= '2026-01-01' AND date < '2027-01-01' AND cancelled_at IS NULL").n);
    expect(ind.sessions.reduce((t, s) => t + s.minutes, 0)).toBe(
      q("SELECT SUM(duration_min) AS n FROM training_sessions WHERE date >= '2026-01-01' AND date < '2027-01-01' AND cancelled_at IS NULL").n,
    );
    const att = q<{ p: number; n: number }>(
      `SELECT SUM(t.status = 'present') AS p, COUNT(*) AS n FROM attendance t JOIN training_sessions s ON s.id = t.session_id
        WHERE s.date >= '2026-01-01' AND s.date < '2027-01-01' AND s.cancelled_at IS NULL`,
    );
    expect(ind.sessions.reduce((t, s) => t + s.present, 0)).toBe(att.p);
    expect(ind.sessions.reduce((t, s) => t + s.recorded, 0)).toBe(att.n);
    const one = ind.sessions[0];
    expect(one.sessions).toBe(
      q("SELECT COUNT(*) AS n FROM training_sessions WHERE topic_code = ? AND organisation_id = ? AND date >= '2026-01-01' AND date < '2027-01-01' AND cancelled_at IS NULL", one.topicCode, one.organisationId).n,
    );
  });

  it('attestations issued and projects financed', () => {
    expect(ind.attestations.reduce((t, a) => t + a.issued, 0)).toBe(q("SELECT COUNT(*) AS n FROM attestations WHERE issue_date >= '2026-01-01' AND issue_date < '2027-01-01'").n);
    const financedIn2026 = (extra = '') =>
      new Set(
        all<{ applicant_id: string; at: string }>(`SELECT h.applicant_id, h.at FROM status_history h JOIN applicants a ON a.id = h.applicant_id WHERE h.to_status = 'financed'${extra}`)
          .filter((h) => localDate(h.at).startsWith('2026'))
          .map((h) => h.applicant_id),
      ).size;
    const financed = financedIn2026();
    expect(ind.financing.counts.flat().reduce((t, n) => t + n, 0)).toBe(financed);
    const coop = ind.financing.legalForms.findIndex((l) => l.key === 'cooperative');
    expect(ind.financing.counts[coop].reduce((t, n) => t + n, 0)).toBe(financedIn2026(" AND a.project_legal_form = 'cooperative'"));
  });
});

describe('indicator workbook', () => {
  it('Arabic, right to left, frozen bold headers, totals as formulas, A4 landscape fitted to the width, office header', async () => {
    const r = await core.invoke('reports.workbook', { period: '2026' }, { actor: cli });
    expect(r.name).toMatch(/ERR-2026\.xlsx$/);
    const { wb, zip } = await readBook(r.fileId);
    expect(wb.worksheets.length).toBeGreaterThanOrEqual(11);
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ rightToLeft: true, state: 'frozen', ySplit: 5 });
      expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
      expect(ws.getCell('A1').value).toBe(office.name_ar);
      expect(ws.getCell('A5').font?.bold).toBe(true);
      expect(ws.getColumn(1).width).toBeGreaterThan(8);
    }
    const reg = wb.getWorksheet('التسجيلات')!;
    const total = reg.getCell(6 + 12, 2);
    expect(total.type).toBe(ExcelJS.ValueType.Formula);
    expect((total.value as ExcelJS.CellFormulaValue).formula).toBe('SUM(B6:B17)');
    expect((total.value as ExcelJS.CellFormulaValue).result).toBe(all<{ created_at: string }>('SELECT created_at FROM applicants').filter((a) => localDate(a.created_at).startsWith('2026')).length);
    // The formula is really in the sheet XML (Excel recomputes it on load).
    const wbXml = await zip.file('xl/workbook.xml')!.async('string');
    expect(wbXml).toMatch(/fullCalcOnLoad="1"/);
    const sheetXml = await zip.file('xl/worksheets/sheet2.xml')!.async('string');
    expect(sheetXml).toContain('<f>SUM(B6:B17)</f>');
    expect(sheetXml).toMatch(/rightToLeft="1"/);
    const sessions = wb.getWorksheet('الحصص')!;
    const rateHeader = sessions.getRow(5).values as unknown[];
    expect(rateHeader).toContain('نسبة الحضور');
  });

  it('French on request (left to right)', async () => {
    const r = await core.invoke('reports.workbook', { period: '2026-Q3', lang: 'fr' }, { actor: cli });
    const { wb } = await readBook(r.fileId);
    const ws = wb.getWorksheet('Inscriptions')!;
    expect(ws.views[0].rightToLeft).toBe(false);
    expect(ws.getCell('A1').value).toBe(office.name_fr);
    expect(String(ws.getCell('A2').value)).toContain('3e trimestre 2026');
    expect(ws.getCell('A6').value).toBe('juillet 2026');
  });

  it('the dashboard and the workbook never disagree (same queries)', async () => {
    const r = await core.invoke('reports.workbook', { period: '2026-Q3', lang: 'fr' }, { actor: cli });
    const d = await core.invoke('reports.dashboard', { period: '2026-Q3' }, { actor: cli });
    const { wb } = await readBook(r.fileId);
    // Path.
    const path = tableValues(wb.getWorksheet('Parcours')!, 1, 2, 12);
    for (const s of d.statuses) expect(path.get(s.labelFr), s.key).toBe(s.value);
    // Funnel.
    const fun = tableValues(wb.getWorksheet('Entonnoir')!, 1, 2, 10);
    for (const s of d.funnel) expect(fun.get(s.labelFr), s.key).toBe(s.value);
    // Communes (cumulative column).
    const communes = wb.getWorksheet('Communes')!;
    const cm = tableValues(communes, 1, 4, d.communes.length);
    for (const c of d.communes) expect(cm.get(c.labelFr), c.key).toBe(c.value);
    // Registrations: the dashboard's twelve months include the quarter's three.
    const reg = tableValues(wb.getWorksheet('Inscriptions')!, 1, 2, 3);
    for (const m of d.registrationsByMonth.filter((x) => x.key >= '2026-07' && x.key <= '2026-09')) expect(reg.get(m.labelFr), m.key).toBe(m.value);
    expect(d.registrationsByMonth).toHaveLength(12);
    // Categories (cumulative).
    const cat = wb.getWorksheet('Catégories')!;
    expect(cat.getCell('C6').value).toBe(d.categories.find((c) => c.group === 'project_holder')!.value);
    // Summary figures.
    const syn = wb.getWorksheet('Synthèse')!;
    expect(syn.getCell('B6').value).toBe(d.totals.registeredInPeriod);
    expect(syn.getCell('B9').value).toBe(d.totals.sessions);
  });

  it('a region installation reports every office with the province as a dimension', async () => {
    const reg = tempCore({ clock: () => NOW });
    try {
      await setupOffice(reg, 'region');
      // Files of two provinces arrive at the region (as the exchange would bring them).
      const ids = all<{ id: string }>('SELECT id FROM offices');
      void ids;
      const now = NOW.toISOString();
      const prov = reg.sqlite.prepare("INSERT INTO offices (id, slug, code, kind, province_code, name_ar, name_fr, created_at, updated_at) VALUES (?, ?, ?, 'province', ?, ?, ?, ?, ?)");
      prov.run('o-err', 'errachidia', 'ERR', '08.201', 'الرشيدية', 'Errachidia', now, now);
      prov.run('o-zag', 'zagora', 'ZAG', '08.587', 'زاكورة', 'Zagora', now, now);
      const ins = reg.sqlite.prepare(
        "INSERT INTO applicants (id, office_id, file_no, cin, sex, birth_date, commune_code, consent_status, status, status_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'F', '1990-01-01', ?, 'given', 'registered', ?, ?, ?)",
      );
      ins.run('a1', 'o-err', 'ERR-2026-000001', 'A1', '08.201.01.05', now, now, now);
      ins.run('a2', 'o-err', 'ERR-2026-000002', 'A2', '08.201.01.09', now, now, now);
      ins.run('a3', 'o-zag', 'ZAG-2026-000001', 'A3', null, now, now, now);
      const d = await reg.invoke('reports.dashboard', { period: '2026-11' }, { actor: cli });
      expect(d.isRegion).toBe(true);
      expect(d.totals.registeredInPeriod).toBe(3);
      expect(d.provinces!.find((p) => p.key === '08.201')!.value).toBe(2);
      // A file without a commune counts in its office's province.
      expect(d.provinces!.find((p) => p.key === '08.587')!.value).toBe(1);
      const r = await reg.invoke('reports.workbook', { period: '2026-11', lang: 'fr' }, { actor: cli });
      const f = reg.outbox.get(r.fileId)!;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync(f.path) as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('Provinces')!;
      expect(ws).toBeTruthy();
      expect(wb.getWorksheet('Communes')!.getCell('A5').value).toBe('Province');
      expect((ws.getCell(6 + 5, 2).value as ExcelJS.CellFormulaValue).formula).toBe('SUM(B6:B10)');
    } finally {
      await reg.dispose();
    }
  });

  it('refuses a bad period and roles without access', async () => {
    const r = await core.call('reports.workbook', { period: '2026-14' }, { actor: cli });
    expect(r.ok).toBe(false);
    const login = await core.invoke('auth.login', { username: 'admin', password: 'admin-password-1' });
    const agent = await userToken(core, login.token, 'agent1', 'agent');
    const denied = await core.call('reports.workbook', { period: '2026' }, { token: agent });
    expect(denied.ok ? null : denied.error.code).toBe('auth.forbidden');
    const dash = await core.call('reports.dashboard', { period: '2026' }, { token: agent });
    expect(dash.ok).toBe(true);
  });
});

describe('beneficiary list (streamed)', () => {
  it('writes every row matching the search filters, right to left with a frozen header', async () => {
    const r = await core.invoke('reports.list', { filters: { ageMin: 25, ageMax: 40, sex: 'F' } }, { actor: cli });
    const expected = all<{ birth_date: string | null; sex: string }>('SELECT birth_date, sex FROM applicants').filter(
      (a) => a.sex === 'F' && a.birth_date && ageOn(a.birth_date, '2026-11-20') >= 25 && ageOn(a.birth_date, '2026-11-20') <= 40,
    ).length;
    expect(r.rows).toBe(expected);
    const { wb } = await readBook(r.fileId);
    const ws = wb.worksheets[0];
    expect(ws.views[0]).toMatchObject({ rightToLeft: true, state: 'frozen', ySplit: 1 });
    expect(ws.getRow(1).font?.bold ?? ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.actualRowCount).toBe(expected + 1);
    expect(ws.getRow(1).cellCount).toBe(20);
    for (let i = 2; i <= ws.rowCount; i++) expect(Number(ws.getCell(i, 9).value)).toBeGreaterThanOrEqual(25);
  });

  it('filters by status, commune, category and text like the search', async () => {
    const commune = q<{ c: string }>('SELECT commune_code AS c FROM applicants GROUP BY commune_code ORDER BY COUNT(*) DESC LIMIT 1').c;
    const r = await core.invoke('reports.list', { filters: { communeCode: commune, status: ['registered', 'oriented'] } }, { actor: cli });
    expect(r.rows).toBe(q("SELECT COUNT(*) AS n FROM applicants WHERE commune_code = ? AND status IN ('registered', 'oriented')", commune).n);
    const r2 = await core.invoke('reports.list', { filters: { category: 'project_holder' } }, { actor: cli });
    expect(r2.rows).toBe(q('SELECT COUNT(*) AS n FROM applicants WHERE is_project_holder = 1').n);
    const one = q<{ cin: string; file_no: string }>('SELECT cin, file_no FROM applicants LIMIT 1');
    expect((await core.invoke('reports.list', { q: one.cin }, { actor: cli })).rows).toBeGreaterThanOrEqual(1);
    expect((await core.invoke('reports.list', { q: one.file_no }, { actor: cli })).rows).toBe(1);
  });

  it('never turns user data into formulas (=, +, -, @, tab, carriage return)', async () => {
    const attacks = ['=HYPERLINK("http://evil","x")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1,1)', '\t=1+1', '\r=1+1'];
    const ids = all<{ id: string }>('SELECT id FROM applicants ORDER BY file_no LIMIT 6');
    const upd = core.sqlite.prepare('UPDATE applicants SET last_name_lat = ? WHERE id = ?');
    const before = all<{ id: string; last_name_lat: string }>('SELECT id, last_name_lat FROM applicants ORDER BY file_no LIMIT 6');
    ids.forEach((a, i) => upd.run(attacks[i], a.id));
    // An organisation name reaches the indicator workbook too.
    const org = q<{ id: string; name_ar: string }>(
      "SELECT id, name_ar FROM organisations WHERE id IN (SELECT organisation_id FROM training_sessions WHERE date LIKE '2026-%' AND cancelled_at IS NULL) LIMIT 1",
    );
    core.sqlite.prepare('UPDATE organisations SET name_ar = ? WHERE id = ?').run('=1+2', org.id);
    try {
      const r = await core.invoke('reports.list', {}, { actor: cli });
      const { wb, zip } = await readBook(r.fileId);
      const ws = wb.worksheets[0];
      const seen: string[] = [];
      ws.eachRow((row, n) => {
        if (n === 1) return;
        const c = row.getCell(5);
        // (XML reading turns a carriage return into a line feed.)
        const v = typeof c.value === 'string' ? c.value.replace(/^\n/, '\r') : null;
        if (v && attacks.includes(v)) {
          expect(c.type).toBe(ExcelJS.ValueType.String);
          seen.push(v);
        }
      });
      expect(seen.sort()).toEqual([...attacks].sort());
      const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
      expect(xml).not.toMatch(/<f>/);
      const wbr = await core.invoke('reports.workbook', { period: '2026' }, { actor: cli });
      const book = await readBook(wbr.fileId);
      const sessions = book.wb.getWorksheet('الحصص')!;
      let found = false;
      sessions.eachRow((row) =>
        row.eachCell((c) => {
          if (c.value === '=1+2') {
            found = true;
            expect(c.type).toBe(ExcelJS.ValueType.String);
            expect(c.numFmt).toBe('@');
          }
        }),
      );
      expect(found).toBe(true);
    } finally {
      for (const b of before) upd.run(b.last_name_lat, b.id);
      core.sqlite.prepare('UPDATE organisations SET name_ar = ? WHERE id = ?').run(org.name_ar, org.id);
    }
  });
});
