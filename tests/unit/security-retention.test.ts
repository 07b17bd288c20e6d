import { afterEach, describe, expect, it } from 'vitest';
import { setupOffice, tempCore, userToken } from '../helpers/core';
import { verifyAudit } from '../../src-main/core/audit/audit.repo';
import { APPLICANT_KEPT_COLUMNS, APPLICANT_PERSONAL_COLUMNS } from '../../src-main/core/security/retention';
import { columnsOf } from '../../src-main/core/security/repo/linked-tables.repo';
import { addAttestation, addSessions, addStatusHistory, communesOf, insertApplicant } from './security-fixtures';

const cores: ReturnType<typeof tempCore>[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose();
});

const NOW = Date.parse('2026-11-29T10:00:00Z');

/** 30 files: 9 closed more than 5 years ago (the three closing statuses), 6 closed recently, 15 open. */
async function registry() {
  const core = tempCore({ clock: () => new Date(NOW) });
  cores.push(core);
  const { token: admin } = await setupOffice(core);
  const head = await userToken(core, admin, 'head1', 'office_head');
  const communes = communesOf(core, 3);
  const old: string[] = [];
  const kept: string[] = [];
  const closing = ['closed', 'not_retained', 'dropped_out'];
  for (let i = 0; i < 30; i++) {
    const group = i < 9 ? 'old' : i < 15 ? 'recent' : 'open';
    const status = group === 'open' ? ['registered', 'in_training', 'financed'][i % 3] : closing[i % 3];
    const closedAt = group === 'old' ? `20${15 + (i % 5)}-06-0${1 + (i % 8)}T10:00:00.000Z` : group === 'recent' ? '2024-02-01T10:00:00.000Z' : null;
    const a = insertApplicant(core, {
      status,
      closed_at: closedAt,
      commune_code: communes[i % 3],
      sex: i % 7 === 0 ? 'M' : 'F',
      birth_date: `19${80 + (i % 15)}-0${1 + (i % 9)}-1${i % 10}`,
      education_level: ['NONE', 'PRIMAIRE', 'BAC'][i % 3],
      has_disability: i % 4 === 0 ? 1 : 0,
      disability_card_number: i % 4 === 0 ? `HC-${1000 + i}` : null,
      is_difficult_situation: i % 2,
      first_name_lat: `Prenom${i}`,
      last_name_lat: `Nom${i}`,
      cin: `JC${100000 + i}`,
      phone: `+2126${String(10000000 + i)}`,
      project_description: `Projet de couture ${i}`,
    });
    addStatusHistory(core, a.id, status, `Motif personnel ${i}`, '2019-05-01T10:00:00.000Z');
    addSessions(core, a.id, { notes: `Notes de suivi ${i}`, attendanceNote: `Malade ${i}` });
    addAttestation(core, a.id, `Prenom${i} Nom${i}`);
    if (i % 2) core.sqlite.prepare(`INSERT INTO applicant_situations (applicant_id, code) VALUES (?, 'widow')`).run(a.id);
    (group === 'old' ? old : kept).push(a.id);
  }
  return { core, head, old, kept };
}

function statistics(core: ReturnType<typeof tempCore>) {
  const q = (sql: string) => core.sqlite.prepare(sql).all();
  return {
    byStatus: q('SELECT status, COUNT(*) n FROM applicants GROUP BY status ORDER BY status'),
    byCommune: q('SELECT commune_code, COUNT(*) n FROM applicants GROUP BY commune_code ORDER BY commune_code'),
    bySex: q('SELECT sex, COUNT(*) n FROM applicants GROUP BY sex ORDER BY sex'),
    byBirthYear: q('SELECT substr(birth_date, 1, 4) y, COUNT(*) n FROM applicants GROUP BY y ORDER BY y'),
    byEducation: q('SELECT education_level, COUNT(*) n FROM applicants GROUP BY education_level ORDER BY education_level'),
    flags: q('SELECT has_disability, is_difficult_situation, COUNT(*) n FROM applicants GROUP BY 1, 2 ORDER BY 1, 2'),
    situations: q('SELECT code, COUNT(*) n FROM applicant_situations GROUP BY code'),
    attendance: q('SELECT status, COUNT(*) n FROM attendance GROUP BY status'),
    sessions: q('SELECT kind, COUNT(*) n, SUM(duration_min) m FROM training_sessions GROUP BY kind ORDER BY kind'),
    attestations: q('SELECT kind, status, COUNT(*) n, SUM(hours) h FROM attestations GROUP BY kind, status'),
    path: q('SELECT to_status, COUNT(*) n FROM status_history GROUP BY to_status ORDER BY to_status'),
  };
}

describe('retention: anonymisation of files closed more than N years ago', () => {
  it('dry run lists exactly the old closed files; the run keeps every statistic and removes the personal fields', async () => {
    const { core, head, old, kept } = await registry();
    const preview = await core.invoke('retention.preview', {}, { token: head });
    expect(preview.years).toBe(5);
    expect(preview.cutoff).toBe('2021-11-29T10:00:00.000Z');
    expect(preview.count).toBe(9);
    expect(preview.candidates.map((c) => c.id).sort()).toEqual([...old].sort());
    // The dry run changed nothing.
    expect(core.sqlite.prepare('SELECT COUNT(*) FROM applicants WHERE anonymised_at IS NOT NULL').pluck().get()).toBe(0);

    const before = statistics(core);
    const keptBefore = core.sqlite.prepare(`SELECT * FROM applicants WHERE id IN (${kept.map(() => '?').join(',')}) ORDER BY id`).all(...kept);
    const seqBefore = core.sqlite.prepare('SELECT MAX(seq) FROM change_log').pluck().get() as number;

    // A stale count from an older preview is refused and nothing happens.
    expect(await core.call('retention.run', { expectedCount: 8 }, { token: head })).toMatchObject({ ok: false, error: { code: 'retention.count_changed' } });
    expect(core.sqlite.prepare('SELECT COUNT(*) FROM applicants WHERE anonymised_at IS NOT NULL').pluck().get()).toBe(0);

    expect(await core.invoke('retention.run', { expectedCount: 9 }, { token: head })).toEqual({ anonymised: 9, cutoff: preview.cutoff, years: 5 });
    expect(statistics(core)).toEqual(before);

    const notNull = new Set(columnsOf(core.sqlite, 'applicants').filter((c) => c.notnull).map((c) => c.name));
    for (const id of old) {
      const r = core.sqlite.prepare('SELECT * FROM applicants WHERE id = ?').get(id) as Record<string, unknown>;
      for (const c of APPLICANT_PERSONAL_COLUMNS) if (c in r) expect([c, r[c]]).toEqual([c, notNull.has(c) ? '' : null]);
      expect(r.birth_date).toMatch(/^19\d\d-01-01$/);
      expect(r.anonymised_at).toBe(new Date(NOW).toISOString());
      expect(r.status).not.toBeNull();
      const text = JSON.stringify([
        r,
        core.sqlite.prepare('SELECT * FROM status_history WHERE applicant_id = ?').all(id),
        core.sqlite.prepare('SELECT * FROM training_sessions WHERE applicant_id = ?').all(id),
        core.sqlite.prepare('SELECT * FROM attendance WHERE applicant_id = ?').all(id),
        core.sqlite.prepare('SELECT * FROM attestations WHERE applicant_id = ?').all(id),
      ]);
      // The register keeps the attestation (serial, kind, hours), not what named her.
      expect(core.sqlite.prepare('SELECT content_json, qr_text, hours, serial IS NOT NULL AS s FROM attestations WHERE applicant_id = ?').get(id)).toEqual({ content_json: '{}', qr_text: '', hours: 24, s: 1 });
      for (const personal of ['Prenom', 'Nom', 'JC1', '+2126', 'HC-', 'couture', 'Motif personnel', 'Notes de suivi', 'Malade', 'Revoir le budget']) {
        expect([id, personal, text.includes(personal)]).toEqual([id, personal, false]);
      }
      // Staff names in the path stay (they are not hers).
      expect(core.sqlite.prepare('SELECT user_name FROM status_history WHERE applicant_id = ?').pluck().get(id)).toBe('agent1');
      // The anonymisation travels to the region as an 'anonymise' change; the row carries its number.
      const ch = core.sqlite.prepare(`SELECT seq FROM change_log WHERE entity = 'applicants' AND entity_id = ? AND op = 'anonymise'`).pluck().get(id) as number;
      expect(ch).toBeGreaterThan(seqBefore);
      expect(r.change_seq).toBe(ch);
    }
    // The other files are untouched.
    expect(core.sqlite.prepare(`SELECT * FROM applicants WHERE id IN (${kept.map(() => '?').join(',')}) ORDER BY id`).all(...kept)).toEqual(keptBefore);

    // Audited per file, without the removed values.
    const audit = core.sqlite.prepare(`SELECT entity_id, changes FROM audit_log WHERE method = 'retention.run' AND entity = 'applicants'`).all() as { entity_id: string; changes: string }[];
    expect(audit.map((a) => a.entity_id).sort()).toEqual([...old].sort());
    expect(audit.map((a) => a.changes).join()).not.toMatch(/Prenom|JC1|\+2126/);
    expect(verifyAudit(core.sqlite).ok).toBe(true);

    // Nothing left to do; the run is remembered.
    expect((await core.invoke('retention.preview', {}, { token: head })).count).toBe(0);
    expect((await core.invoke('retention.settings', {}, { token: head })).lastRun).toMatchObject({ anonymised: 9, years: 5 });
  });

  it('every applicant column is either removed or deliberately kept by anonymisation', async () => {
    const core = tempCore();
    cores.push(core);
    const known = new Set<string>([...APPLICANT_PERSONAL_COLUMNS, ...APPLICANT_KEPT_COLUMNS, 'birth_date']);
    expect(columnsOf(core.sqlite, 'applicants').map((c) => c.name).filter((c) => !known.has(c))).toEqual([]);
  });

  it('the number of years is a setting', async () => {
    const { core, head } = await registry();
    expect((await core.invoke('retention.settings', {}, { token: head })).years).toBe(5);
    await core.invoke('retention.setYears', { years: 9 }, { token: head });
    // Cutoff 2017-11-29: the files closed in June 2015, 2016 and 2017 (2 each).
    const p = await core.invoke('retention.preview', {}, { token: head });
    expect(p.years).toBe(9);
    expect(p.count).toBe(6);
    expect((await core.invoke('retention.preview', { years: 2 }, { token: head })).count).toBe(15);
    const row = core.sqlite.prepare(`SELECT changes FROM audit_log WHERE method = 'retention.setYears'`).pluck().get();
    expect(row).toBe('{"years":[5,9]}');
  });
});
