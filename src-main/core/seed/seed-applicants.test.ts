import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupOffice, tempCore } from '../../../tests/helpers/core';
import { allowedMoves, type ApplicantStatus } from '../../shared/api/applicants.contract';
import { ageOn } from '../../shared/normalize/dates';
import { makeRng } from './seed';
import { applicantsSeeder, seedUuid7 } from './seed-applicants';

describe('the applicants seeder', () => {
  const core = tempCore({ clock: () => new Date('2026-06-15T09:00:00.000Z') });
  let counts: Record<string, number> = {};
  beforeAll(async () => {
    await setupOffice(core, 'zagora');
    counts = core.sqlite.transaction(() => applicantsSeeder.run(core, { applicants: 1500, office: 'zagora', seed: 3 }, makeRng(3)))();
  });
  afterAll(() => core.dispose());
  const all = <T>(sql: string, ...p: unknown[]) => core.sqlite.prepare(sql).all(...p) as T[];

  it('registers the requested number in the office province, with its CIN prefixes and real communes', () => {
    expect(counts.applicants).toBe(1500);
    const rows = all<{ cin: string; commune_code: string; province_code: string; file_no: string }>(
      'SELECT a.cin, a.commune_code, c.province_code, a.file_no FROM applicants a JOIN communes c ON c.code = a.commune_code',
    );
    expect(rows).toHaveLength(1500);
    expect(rows.every((r) => r.province_code === '08.587' && /^PB\d{6}$/.test(r.cin) && /^ZAG-20\d\d-\d{6}$/.test(r.file_no))).toBe(true);
    expect(new Set(rows.map((r) => r.commune_code)).size).toBeGreaterThan(10);
  });

  it('ages 18–55 at registration, about 8% with a disability, both scripts filled', () => {
    const rows = all<{ birth_date: string; created_at: string; has_disability: number; first_name_ar: string; first_name_lat: string; sex: string }>(
      'SELECT birth_date, created_at, has_disability, first_name_ar, first_name_lat, sex FROM applicants',
    );
    for (const r of rows) {
      const age = ageOn(r.birth_date, r.created_at.slice(0, 10));
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThanOrEqual(55);
      expect(r.first_name_ar && r.first_name_lat).toBeTruthy();
      if (r.sex === 'M') expect(r.has_disability).toBe(1);
    }
    const share = rows.filter((r) => r.has_disability).length / rows.length;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.11);
    expect(all('SELECT 1 FROM applicant_disabilities').length).toBeGreaterThan(0);
    expect(all('SELECT 1 FROM applicant_situations').length).toBeGreaterThan(0);
  });

  it('spreads statuses along the path, each with a legal history ending at the current status', () => {
    const statuses = new Set(all<{ status: string }>('SELECT DISTINCT status FROM applicants').map((r) => r.status));
    expect(statuses.size).toBe(12);
    const hist = all<{ applicant_id: string; from_status: ApplicantStatus | null; to_status: ApplicantStatus; reason: string; financing_source: string | null }>(
      'SELECT applicant_id, from_status, to_status, reason, financing_source FROM status_history ORDER BY applicant_id, at, rowid',
    );
    expect(counts.statusHistory).toBe(hist.length);
    const current = new Map(all<{ id: string; status: string }>('SELECT id, status FROM applicants').map((r) => [r.id, r.status]));
    const last = new Map<string, string>();
    for (const h of hist) {
      if (h.from_status === null) expect(h.to_status).toBe('registered');
      else expect(allowedMoves(h.from_status)).toContain(h.to_status);
      if (h.to_status === 'not_retained' || h.to_status === 'dropped_out') expect(h.reason).not.toBe('');
      if (h.to_status === 'financed') expect(h.financing_source).toBeTruthy();
      last.set(h.applicant_id, h.to_status);
    }
    for (const [id, status] of current) expect(last.get(id)).toBe(status);
  });

  it('fills the search index and the change log', async () => {
    const r = await core.invoke('applicants.search', { q: 'ait' }, { actor: { kind: 'cli', osUser: 't' } });
    expect(r.total).toBeGreaterThan(0);
    expect(r.items.every((i) => `${i.lastNameLat} ${i.firstNameLat}`.toLowerCase().replace('ï', 'i').includes('ait'))).toBe(true);
    expect(all('SELECT 1 FROM applicants WHERE change_seq = 0')).toHaveLength(0);
    const trigger = all("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = 'applicants_search_ai'");
    expect(trigger).toHaveLength(1);
  });

  it('makes valid, time-ordered UUIDv7 from the row time and the seed', () => {
    const rng = makeRng(1);
    const a = seedUuid7(Date.UTC(2024, 0, 1), rng);
    const b = seedUuid7(Date.UTC(2024, 0, 2), rng);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a < b).toBe(true);
    expect(seedUuid7(Date.UTC(2024, 0, 1), makeRng(1))).toBe(a);
  });
});
