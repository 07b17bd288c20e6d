/**
 * Issue 13 through the registry: search from either script and variant spellings (exact matches first), a phone in
 * any form, a file number from its end; the duplicate check with a pair of each kind; stored keys made again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore } from '../../../tests/helpers/core';
import { APPLICANT_STATUSES, type ApplicantInput } from '../../shared/api/applicants.contract';
import { MATCHING_KEYS_VERSION, refreshMatchingKeys } from './matching-keys';
import { matchSql } from './search';
import { countFts } from './repo/search.repo';

const clock = () => new Date('2026-06-15T09:00:00.000Z');
const CONSENT = { given: true, date: '2026-06-15', textVersion: '2026-01', channel: 'paper' } as const;
let n = 0;
const person = (over: Partial<ApplicantInput>): ApplicantInput =>
  ({
    cin: `UX${String(100000 + ++n)}`,
    firstNameAr: '',
    lastNameAr: '',
    firstNameLat: '',
    lastNameLat: '',
    sex: 'F',
    birthDate: '1990-01-01',
    phone: '0612345678',
    communeCode: '08.201.01.01',
    isProjectHolder: true,
    consent: CONSENT,
    ...over,
  }) as ApplicantInput;

describe('search and duplicates with the matching engine', () => {
  const core = tempCore({ clock });
  const ids: Record<string, { id: string; fileNo: string }> = {};
  const add = async (k: string, over: Partial<ApplicantInput>) => (ids[k] = await core.invoke('applicants.create', person(over), { actor: cli }));
  const search = (q: string) => core.invoke('applicants.search', { q } as never, { actor: cli });
  const names = async (q: string) => (await search(q)).items.map((i) => i.fileNo);

  beforeAll(async () => {
    await setupOffice(core);
    await add('latin', { firstNameLat: 'Fatima', lastNameLat: 'Alaoui', birthDate: '1980-02-02', phone: '0661234567' });
    await add('arabic', { firstNameAr: 'خديجة', lastNameAr: 'الإدريسي', birthDate: '1985-05-05' });
    await add('fatma', { firstNameLat: 'Fatma', lastNameLat: 'Ouhammou', birthDate: '1970-07-07' });
    await add('both', { firstNameAr: 'زينب', lastNameAr: 'أيت باها', firstNameLat: 'Zineb', lastNameLat: 'Ait Baha', birthDate: '1992-09-09' });
  });
  afterAll(() => core.dispose());

  it('finds a file written in Latin letters only from an Arabic query, and the other way round', async () => {
    expect(await names('فاطمة العلوي')).toEqual([ids.latin.fileNo]);
    expect(await names('Khadija Idrissi')).toEqual([ids.arabic.fileNo]);
    expect(await names('Lidrissi')).toEqual([ids.arabic.fileNo]);
    expect(await names('زينب')).toEqual([ids.both.fileNo]);
  });

  it('finds the usual variant spellings, exact matches ranked first', async () => {
    // "fatma": the file written Fatma first (its letters), then Fatima (a variant of the name).
    expect(await names('fatma')).toEqual([ids.fatma.fileNo, ids.latin.fileNo]);
    expect(await names('fatima')).toEqual([ids.latin.fileNo, ids.fatma.fileNo]);
    expect(await names('Zaynab Aitbaha')).toEqual([ids.both.fileNo]);
    // Not everything: another name finds nothing.
    expect(await names('Hanane')).toEqual([]);
  });

  it('finds a phone in any form and a file number from its end digits', async () => {
    for (const q of ['661234567', '0661234567', '+212661234567', '00212661234567', '+212 661 23 45 67', '06 61 23 45 67', '٠٦٦١٢٣٤٥٦٧']) {
      const r = await search(q);
      expect(r.mode, q).toBe('phone');
      expect(r.items.map((i) => i.fileNo), q).toEqual([ids.latin.fileNo]);
    }
    const tail = ids.fatma.fileNo.slice(-6); // 000003
    expect(tail).toBe('000003');
    for (const q of ['000003', '3', '03']) {
      const r = await search(q);
      expect(r.mode, q).toBe('file_no');
      expect(r.items.map((i) => i.fileNo), q).toEqual([ids.fatma.fileNo]);
    }
    expect((await search('000009')).items).toEqual([]);
  });

  it('the duplicate check with a pair of each kind: same (blocking, reasons), maybe (weak, shown), different (none)', async () => {
    const same = await core.invoke('applicants.checkDuplicates', { firstNameAr: 'فاطمة', lastNameAr: 'العلوي', birthDate: '02/02/1980', sex: 'F' }, { actor: cli });
    expect(same.candidates).toHaveLength(1);
    expect(same.candidates[0]).toMatchObject({ id: ids.latin.id, level: 'strong', reason: 'name_birth' });
    expect(same.candidates[0].reasons).toEqual([
      { code: 'birth_same', a: '1980-02-02' },
      { code: 'first_variant', a: 'فاطمة', b: 'Fatima' },
      { code: 'family_variant', a: 'العلوي', b: 'Alaoui' },
    ]);
    const maybe = await core.invoke('applicants.checkDuplicates', { firstNameLat: 'Fatima', lastNameLat: 'Alaoui', birthDate: '1980-10-20' }, { actor: cli });
    expect(maybe.candidates.map((c) => [c.id, c.level])).toEqual([[ids.latin.id, 'weak']]);
    expect(maybe.candidates[0].score).toBeLessThan(0.8);
    const different = await core.invoke('applicants.checkDuplicates', { firstNameLat: 'Fatiha', lastNameLat: 'Alaoui', birthDate: '1980-02-02' }, { actor: cli });
    expect(different.candidates).toEqual([]);
    const otherSex = await core.invoke('applicants.checkDuplicates', { firstNameLat: 'Zine', lastNameLat: 'Ait Baha', birthDate: '1992-09-09', sex: 'M' }, { actor: cli });
    expect(otherSex.candidates).toEqual([]);

    // Registration: the strong one blocks until decided; a weak one does not block.
    const e = await core.call('applicants.create', person({ firstNameAr: 'فاطمة', lastNameAr: 'العلوي', birthDate: '1980-02-03' }), { actor: cli });
    expect(e.ok ? null : e.error.code).toBe('applicant.possible_duplicates');
    const weakOk = await core.call('applicants.create', person({ firstNameLat: 'Fatima', lastNameLat: 'Alaoui', birthDate: '1980-10-20' }), { actor: cli });
    expect(weakOk.ok).toBe(true);
  });

  it('an edit with a pair of each kind: same (refused until decided, the decision recorded), maybe and different (saved)', async () => {
    const x = await core.invoke('applicants.create', person({ firstNameLat: 'Hanane', lastNameLat: 'Berrada', birthDate: '1975-04-04' }), { actor: cli });
    const edit = (changes: Record<string, unknown>, distinctFrom?: string[]) =>
      core.call('applicants.update', { id: x.id, changes, ...(distinctFrom ? { distinctFrom } : {}) }, { actor: cli });
    // Different: Fatiha Alaoui born the same day as Fatima Alaoui.
    expect((await edit({ firstNameLat: 'Fatiha', lastNameLat: 'Alaoui', birthDate: '1980-02-02' })).ok).toBe(true);
    // Maybe: Fatima Alaoui, born months apart — shown by the check, not blocking.
    const maybe = await edit({ firstNameLat: 'Fatima', birthDate: '1980-06-20' });
    expect(maybe.ok ? null : maybe.error).toBe(null);
    // Same: her name in the other script, born a day apart — refused with the candidate and its reasons, as at registration.
    const refused = await edit({ firstNameLat: '', lastNameLat: '', firstNameAr: 'فاطمة', lastNameAr: 'العلوي', birthDate: '1980-02-03' });
    expect(refused.ok ? null : refused.error.code).toBe('applicant.possible_duplicates');
    const candidates = (refused.ok ? [] : (refused.error.params as { candidates: { id: string; level: string; reasons: { code: string }[] }[] }).candidates);
    expect(candidates.map((c) => [c.id, c.level])).toEqual([[ids.latin.id, 'strong']]);
    expect(candidates[0].reasons.map((r) => r.code)).toContain('birth_one_day');
    const unchanged = await core.invoke('applicants.get', { id: x.id }, { actor: cli });
    expect([unchanged.firstNameLat, unchanged.birthDate]).toEqual(['Fatima', '1980-06-20']);
    // Decided "another person" with the edit: saved, the decision recorded (and audited) as at registration.
    expect((await edit({ firstNameLat: '', lastNameLat: '', firstNameAr: 'فاطمة', lastNameAr: 'العلوي', birthDate: '1980-02-03' }, [ids.latin.id])).ok).toBe(true);
    const decisions = core.sqlite.prepare('SELECT applicant_id, other_id, decision FROM duplicate_decisions WHERE applicant_id = ?').all(x.id);
    expect(decisions).toEqual([{ applicant_id: x.id, other_id: ids.latin.id, decision: 'distinct' }]);
    // Decided once: later edits of the file are not stopped by the same pair again.
    expect((await edit({ phone: '0699887766' })).ok).toBe(true);
  });

  it('makes the stored keys again when the engine changed (or for files written before migration 0010)', () => {
    core.sqlite.prepare("UPDATE applicants SET name_words = '', name_skel = 'x' WHERE id = ?").run(ids.latin.id);
    core.sqlite.prepare("UPDATE matching_keys SET version = 'old'").run();
    expect(refreshMatchingKeys(core.sqlite)).toBe(1);
    expect(core.sqlite.prepare('SELECT version FROM matching_keys').pluck().get()).toBe(MATCHING_KEYS_VERSION);
    expect(core.sqlite.prepare('SELECT name_words FROM applicants WHERE id = ?').pluck().get(ids.latin.id)).toBe('#ftm# #lwy#');
    expect(refreshMatchingKeys(core.sqlite)).toBe(0);
  });
});

describe('search order without filters (sorted in the index, or from the text of a few matches) is the order with filters (SQL)', () => {
  const core = tempCore({ clock });
  beforeAll(async () => {
    await setupOffice(core);
    const { applicantsSeeder } = await import('../seed/seed-applicants');
    const { makeRng } = await import('../seed/seed');
    core.sqlite.transaction(() => applicantsSeeder.run(core, { applicants: 2000, office: 'errachidia', seed: 7 }, makeRng(7)))();
  });
  afterAll(() => core.dispose());

  it('the same files in the same order, the same total, on every page', async () => {
    const everyStatus = { status: [...APPLICANT_STATUSES] };
    const ctx = { db: core.sqlite, role: 'admin', today: () => '2026-06-15' } as never;
    let large = 0;
    // Few letters' matches (a name only another spelling finds, a full name) and many (over a hundred: the index's groups).
    for (const q of ['Zaynab', 'Lalaoui', 'Elidrissi', 'Aitbaha', 'خديجة الإدريسي', 'fatima', 'fatma', 'فاطمة', 'العلوي', 'أيت علي', 'khadija ou', 'hammou', 'ait', 'ben', 'ima', 'ane', 'ine', 'fatima z', 'xyzw']) {
      for (const offset of [0, 20, 90, 150]) {
        const plain = await core.invoke('applicants.search', { q, limit: 20, offset } as never, { actor: cli });
        const filtered = await core.invoke('applicants.search', { q, limit: 20, offset, filters: everyStatus } as never, { actor: cli });
        expect(plain.total, `${q} @${offset}`).toBe(filtered.total);
        expect(plain.items.map((i) => i.id), `${q} @${offset}`).toEqual(filtered.items.map((i) => i.id));
        if (offset === 0 && (matchSql(q, {}, ctx) as { all?: string }).all && countFts(core.sqlite as never, (matchSql(q, {}, ctx) as { all: string }).all) > 100) large++;
      }
    }
    expect(large).toBeGreaterThanOrEqual(4);
  });
});
