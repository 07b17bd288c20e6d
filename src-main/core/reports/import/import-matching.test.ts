/**
 * Issue 13, the Excel import with the matching engine: people already in the registry by name and birth date (not only
 * CIN), a pair of each kind (same: stopped until decided, maybe: imported with its candidate shown, different: no
 * candidate), a decision per row (import as new / attach to the existing file) taken alike by the dry run and the
 * import; lines that are not people counted apart; future birth dates and ages outside the programme's range refused;
 * a "full name" column with compound first names.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore } from '../../../../tests/helpers/core';
import type { ApplicantInput } from '../../../shared/api/applicants.contract';

const NOW = new Date('2026-11-20T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'jisr-import-matching-'));
const core = tempCore({ clock: () => NOW });
const CONSENT = { given: true, date: '2026-11-20', textVersion: '2026-01', channel: 'paper' } as const;
let existing = { id: '', fileNo: '' };

const csv = (name: string, lines: string[]) => {
  const p = join(dir, name);
  writeFileSync(p, '\uFEFF' + lines.join('\n') + '\n');
  return p;
};
const HEADER = 'Nom et prénom;CIN;Date de naissance;Commune;Sexe';

beforeAll(async () => {
  await setupOffice(core, 'errachidia');
  existing = await core.invoke(
    'applicants.create',
    { cin: 'U900001', firstNameAr: 'فاطمة الزهراء', lastNameAr: 'العلوي', firstNameLat: '', lastNameLat: '', sex: 'F', birthDate: '1990-03-09', communeCode: '08.201.01.05', isProjectHolder: true, consent: CONSENT } as ApplicantInput,
    { actor: cli },
  );
}, 60_000);
afterAll(async () => {
  await core.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('import with the matching engine', () => {
  const list = () =>
    csv('liste.csv', [
      HEADER,
      'ALAOUI Fatima Zahra;UA100001;10/03/1990;Errachidia;F', // 2 same (one day apart, other script, no shared CIN): strong
      'Lalaoui Fatima-Zahra;UA100002;20/11/1990;Errachidia;F', // 3 maybe: same year only: weak, imported
      'Alaoui Fatiha;UA100003;09/03/1990;Errachidia;F', // 4 different first name: no candidate
      ';;;;', // 5 blank between people
      'BEN MOUSSA Mohamed Amine;UA100004;01/01/1990;Errachidia;M', // 6 compound first name, particle
      HEADER, // 7 repeated header
      'التازي عبد الرحيم;UA100005;02/02/1991;Errachidia;M', // 8 compound Arabic first name
      'Tazi Meriem;UA100006;01/01/2030;Errachidia;F', // 9 future birth date
      'Tazi Rkia;UA100007;01/01/1940;Errachidia;F', // 10 age 86: outside the programme's range (18 to 70)
      'Tazi Hiba;UA100008;01/01/2012;Errachidia;F', // 11 age 14: outside the range too (the form only warns)
      'المجموع;;;;', // 12 totals
      '', // trailing blank: not counted
    ]);

  it('a dry run: candidates with reasons, skipped lines apart, refusals with reasons, names split right', async () => {
    const s = await core.invoke('imports.analyse', { path: list() }, { actor: cli });
    expect(s.skipped).toEqual([
      { rowNo: 5, reason: 'blank' },
      { rowNo: 7, reason: 'header' },
      { rowNo: 12, reason: 'total' },
    ]);
    expect(s).toMatchObject({ total: 8, new: 4, duplicate: 1, invalid: 3 });
    expect(s.duplicates).toEqual([{ rowNo: 2, reason: 'name_birth', fileNo: existing.fileNo, otherRow: null }]);
    const byRow = Object.fromEntries(s.candidates.map((c) => [c.rowNo, c]));
    expect(Object.keys(byRow)).toEqual(['2', '3']);
    expect(byRow[2]).toMatchObject({ outcome: 'stopped', decision: null, row: { firstNameLat: 'Fatima Zahra', lastNameLat: 'ALAOUI' } });
    expect(byRow[2].matches[0]).toMatchObject({ fileNo: existing.fileNo, level: 'strong', firstNameAr: 'فاطمة الزهراء', lastNameAr: 'العلوي', birthDate: '1990-03-09' });
    expect(byRow[2].matches[0].reasons).toEqual([
      { code: 'birth_one_day', a: '1990-03-10', b: '1990-03-09' },
      { code: 'first_variant', a: 'Fatima Zahra', b: 'فاطمة الزهراء' },
      { code: 'family_variant', a: 'ALAOUI', b: 'العلوي' },
    ]);
    expect(byRow[3]).toMatchObject({ outcome: 'new', matches: [{ fileNo: existing.fileNo, level: 'weak' }] });
    const reasons = Object.fromEntries(s.invalidRows.map((r) => [r.rowNo, r.reasons]));
    expect(reasons[9]).toEqual([{ field: 'birthDate', code: 'applicant.birth_date_future', params: { birthDate: '2030-01-01' } }]);
    expect(reasons[10]).toEqual([{ field: 'birthDate', code: 'import.age_out_of_range', params: { age: 86, min: 18, max: 70 } }]);
    expect(reasons[11]).toEqual([{ field: 'birthDate', code: 'import.age_out_of_range', params: { age: 14, min: 18, max: 70 } }]);
  });

  it('decisions per row: the dry run and the import agree; attach links the row to the file, new records the decision', async () => {
    const path = list();
    const decisions = { '2': 'attach' as const };
    const dry = await core.invoke('imports.analyse', { path, decisions }, { actor: cli });
    const real = await core.invoke('imports.commit', { path, decisions }, { actor: cli });
    const strip = (x: typeof dry) => ({ new: x.new, duplicate: x.duplicate, invalid: x.invalid, attached: x.attached, candidates: x.candidates, skipped: x.skipped, duplicates: x.duplicates });
    expect(strip(real)).toEqual(strip(dry));
    expect(real.attached).toEqual([{ rowNo: 2, fileNo: existing.fileNo }]);
    expect(real.created.map((c) => c.rowNo)).toEqual([3, 4, 6, 8]);
    expect(core.sqlite.prepare('SELECT applicant_id FROM import_rows WHERE row_no = 2').pluck().get()).toBe(existing.id);
    const names = core.sqlite
      .prepare("SELECT first_name_lat, last_name_lat, first_name_ar, last_name_ar FROM applicants WHERE source = 'import' ORDER BY file_no")
      .all();
    expect(names).toEqual([
      { first_name_lat: 'Fatima-Zahra', last_name_lat: 'Lalaoui', first_name_ar: '', last_name_ar: '' },
      { first_name_lat: 'Fatiha', last_name_lat: 'Alaoui', first_name_ar: '', last_name_ar: '' },
      { first_name_lat: 'Mohamed Amine', last_name_lat: 'BEN MOUSSA', first_name_ar: '', last_name_ar: '' },
      { first_name_lat: '', last_name_lat: '', first_name_ar: 'عبد الرحيم', last_name_ar: 'التازي' },
    ]);
    // The same list again: the attached row counts as already imported, like the created ones.
    const again = await core.invoke('imports.analyse', { path }, { actor: cli });
    expect(again.duplicates.filter((d) => d.reason === 'already_imported').map((d) => d.rowNo)).toEqual([2, 3, 4, 6, 8]);

    // "Another person": imported as new, the decision recorded as the registration form records it.
    const other = csv('autre.csv', [HEADER, 'EL ALAOUI Fatima Zahra;UA200001;09/03/1990;Errachidia;F']);
    const stopped = await core.invoke('imports.analyse', { path: other }, { actor: cli });
    expect(stopped).toMatchObject({ new: 0, duplicate: 1 });
    const asNew = await core.invoke('imports.commit', { path: other, decisions: { '2': 'new' } }, { actor: cli });
    expect(asNew).toMatchObject({ new: 1, duplicate: 0 });
    expect(asNew.candidates[0]).toMatchObject({ rowNo: 2, decision: 'new', outcome: 'new' });
    const dec = core.sqlite.prepare('SELECT applicant_id, other_id, decision FROM duplicate_decisions WHERE other_id = ?').all(existing.id);
    expect(dec).toEqual([{ applicant_id: asNew.created[0].id, other_id: existing.id, decision: 'distinct' }]);
  });
});

describe('within one list: a pair of each kind, the maybe pair shown with the other row and decided', () => {
  const pairs = () =>
    csv('paires.csv', [
      HEADER,
      'BENNANI Naima;UB300001;01/02/1985;Errachidia;F', // 2
      'بناني نعيمة;UB300002;01/02/1985;Errachidia;F', // 3 same as row 2 (other script, same birth date): strong, a repeat
      'OUHAMMOU Khadija;UB300003;05/07/1988;Errachidia;F', // 4
      'Ouhamou Khadija;UB300004;12/01/1988;Errachidia;F', // 5 maybe row 4 (consonant undoubled, same year only): weak
      'TAHIRI Karim;UB300005;03/03/1987;Errachidia;M', // 6
      'TAHIRI Karima;UB300006;03/03/1987;Errachidia;F', // 7 different from row 6 (Karim M / Karima F): nothing
    ]);

  it('same: a repeat; maybe: shown with the other row (number, names as written), to decide; different: nothing', async () => {
    const path = pairs();
    const s = await core.invoke('imports.analyse', { path }, { actor: cli });
    expect(s.duplicates).toEqual([{ rowNo: 3, reason: 'repeated_in_file', fileNo: null, otherRow: 2 }]);
    expect(s.candidates.map((c) => c.rowNo)).toEqual([5]);
    const maybe = s.candidates[0];
    expect(maybe).toMatchObject({ outcome: 'new', decision: null, row: { firstNameLat: 'Khadija', lastNameLat: 'Ouhamou', birthDate: '1988-01-12', cin: 'UB300004' } });
    expect(maybe.matches).toHaveLength(1);
    expect(maybe.matches[0]).toMatchObject({
      fileNo: null, otherRow: 4, pairDecision: null, level: 'weak',
      firstNameLat: 'Khadija', lastNameLat: 'OUHAMMOU', birthDate: '1988-07-05', cin: 'UB300003',
    });
    expect(maybe.matches[0].reasons.map((r) => r.code)).toContain('birth_same_year');
    // Weak, as a weak registry candidate: undecided, both rows would be imported.
    expect(s).toMatchObject({ new: 5, duplicate: 1, attached: [] });
  });

  it('different: both imported, the decision recorded between the two new files; the dry run and the import agree', async () => {
    const path = pairs();
    const rowPairs = { '5:4': 'different' as const };
    const dry = await core.invoke('imports.analyse', { path, rowPairs }, { actor: cli });
    expect(dry.candidates[0]).toMatchObject({ rowNo: 5, outcome: 'new', matches: [{ otherRow: 4, pairDecision: 'different' }] });
    const real = await core.invoke('imports.commit', { path, rowPairs }, { actor: cli });
    const strip = (x: typeof dry) => ({ new: x.new, duplicate: x.duplicate, attached: x.attached, candidates: x.candidates, duplicates: x.duplicates });
    expect(strip(real)).toEqual(strip(dry));
    const id = Object.fromEntries(real.created.map((c) => [c.rowNo, c.id]));
    expect(Object.keys(id)).toEqual(['2', '4', '5', '6', '7']);
    const dec = core.sqlite.prepare('SELECT id, applicant_id, other_id, decision FROM duplicate_decisions WHERE applicant_id = ?').all(id[5]) as { id: string }[];
    expect(dec).toMatchObject([{ applicant_id: id[5], other_id: id[4], decision: 'distinct' }]);
    const audit = JSON.parse(core.sqlite.prepare("SELECT changes FROM audit_log WHERE entity = 'duplicate_decisions' AND entity_id = ?").pluck().get(dec[0].id) as string);
    expect(audit).toMatchObject({ importRow: [null, 5], otherRow: [null, 4], decision: [null, 'distinct'] });
  });

  it('same: the later row goes with the earlier row’s new file (linked, recorded), and the list again is already imported', async () => {
    const path = csv('paires-2.csv', [
      HEADER,
      'AMZIANE Hafsa;UB400001;14/07/1995;Errachidia;F', // 2
      'Amziane Hafsa;UB400002;01/12/1995;Errachidia;F', // 3 maybe row 2 (same year only), decided the same person
    ]);
    const rowPairs = { '3:2': 'same' as const };
    const dry = await core.invoke('imports.analyse', { path, rowPairs }, { actor: cli });
    expect(dry).toMatchObject({ new: 1, attached: [{ rowNo: 3, fileNo: null, otherRow: 2 }] });
    expect(dry.candidates[0]).toMatchObject({ rowNo: 3, outcome: 'same_row', matches: [{ otherRow: 2, pairDecision: 'same', level: 'weak' }] });
    const real = await core.invoke('imports.commit', { path, rowPairs }, { actor: cli });
    expect(real.attached).toEqual(dry.attached);
    expect(real.candidates).toEqual(dry.candidates);
    expect(real.created.map((c) => c.rowNo)).toEqual([2]);
    const first = real.created[0].id;
    expect(core.sqlite.prepare('SELECT row_no, applicant_id FROM import_rows WHERE batch_id = ? ORDER BY row_no').all(real.batchId)).toEqual([
      { row_no: 2, applicant_id: first },
      { row_no: 3, applicant_id: first },
    ]);
    const audit = core.sqlite.prepare("SELECT changes FROM audit_log WHERE entity = 'applicants' AND entity_id = ? AND changes LIKE '%importAttached%'").pluck().all(first) as string[];
    expect(audit.map((a) => JSON.parse(a).importAttached[1])).toEqual([{ batch: real.batchId, row: 3, sameAsRow: 2 }]);
    const again = await core.invoke('imports.analyse', { path }, { actor: cli });
    expect(again.duplicates.map((d) => [d.rowNo, d.reason])).toEqual([
      [2, 'already_imported'],
      [3, 'already_imported'],
    ]);
  });
});
