import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore, setupOffice, userToken, cli } from '../../../../tests/helpers/core';
import { runCli } from '../../../cli/run-cli';
import { createCore } from '../../../core/core';
import { CommuneMatcher } from './communes';
import { fieldForHeader, findHeaderRow, proposeMapping } from './mapping';
import { parseCsv, readLegacyFile } from './read';

const NOW = new Date('2026-11-20T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'jisr-import-'));
let core: ReturnType<typeof tempCore>;
let adminToken: string;

const count = (table: string) => (core.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
function snapshot() {
  return {
    applicants: count('applicants'),
    history: count('status_history'),
    batches: count('import_batches'),
    rows: count('import_rows'),
    changes: count('change_log'),
    audit: count('audit_log'),
  };
}

/** A legacy list as offices keep them: merged title rows, a blank line, Arabic headers, mixed spellings. */
async function messyWorkbook(path: string, extraRows: unknown[][] = []) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('اللائحة');
  ws.getCell('A1').value = 'المندوبية الإقليمية للتعاون الوطني بالرشيدية';
  ws.mergeCells('A1:I1');
  ws.getCell('A2').value = 'لائحة النساء المستفيدات - برنامج جسر 2025';
  ws.mergeCells('A2:I2');
  // row 3 blank
  ws.getRow(4).values = ['ر.ت', 'الاسم العائلي', 'الاسم الشخصي', 'رقم البطاقة الوطنية', 'تاريخ الازدياد', 'الهاتف', 'الجماعة', 'المستوى الدراسي', 'ملاحظات'];
  const rows: unknown[][] = [
    [1, 'العلوي', 'فاطمة', 'U123456', '09/03/1990', '0612345678', 'الرشيدية', 'ابتدائي', ''], // dd/mm/yyyy text
    [2, 'Ouhammou', 'Khadija', 'ua 234567', 33000, '06 61 23 45 67', 'Goulmima', 'Bac', ''], // Excel serial, Latin names, CIN with space
    [3, 'أيت علي', 'عائشة', 'U٣٤٥٦٧٨', '١٢/٠٥/١٩٨٨', '٠٦٧٧٨٨٩٩٠٠', 'جماعة أرفود', '', ''], // Arabic-Indic digits, "جماعة" prefix
    [4, 'Amziane', 'Naima', 'U456789', new Date(Date.UTC(1995, 6, 14)), '+212 6 70 11 22 33', 'Goulmina', '', ''], // a Date cell, commune misspelt
    [],
    [5, 'بوطالب', 'مليكة', 'U567890', '1992-13-40', '0612', 'الرشيدية', '', ''], // invalid date and phone
    [6, 'الحسني', 'زهرة', 'U678901', '01/01/1985', '', 'Casablanca', '', ''], // unknown commune
    [7, 'العلوي', 'فاطمة', 'U123456', '09/03/1990', '0612345678', 'الرشيدية', '', ''], // repeated in the file
    [8, '=HYPERLINK("http://evil","x")', 'سعاد', '', '01/02/1991', '', 'الرشيدية', '', ''], // no CIN, injection attempt
    [9, 'Ouzzine', 'Hanane', 'U789012', '15/08/1993', '0700112233', 'Ouarzazate', '', ''], // other province
    ...extraRows,
  ];
  let r = 5;
  for (const row of rows) {
    if (row.length) ws.getRow(r).values = row as ExcelJS.CellValue[];
    r++;
  }
  await wb.xlsx.writeFile(path);
}

beforeAll(async () => {
  core = tempCore({ clock: () => NOW });
  const s = await setupOffice(core, 'errachidia');
  adminToken = s.token;
}, 60_000);
afterAll(async () => {
  await core?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('header row and column mapping', () => {
  it('recognises Arabic and French headers', () => {
    expect(fieldForHeader('الاسم العائلي')).toBe('lastName');
    expect(fieldForHeader('Nom')).toBe('lastName');
    expect(fieldForHeader('Prénom')).toBe('firstName');
    expect(fieldForHeader('Nom et prénom')).toBe('fullName');
    expect(fieldForHeader('رقم البطاقة الوطنية')).toBe('cin');
    expect(fieldForHeader('N° CIN')).toBe('cin');
    expect(fieldForHeader('Téléphone')).toBe('phone');
    expect(fieldForHeader('تاريخ الازدياد')).toBe('birthDate');
    expect(fieldForHeader('Date de naissance (jj/mm/aaaa)')).toBe('birthDate');
    expect(fieldForHeader('الجماعة')).toBe('commune');
    expect(fieldForHeader('ملاحظات')).toBeNull();
  });

  it('skips title rows and blank lines to find the header row', () => {
    const rows = [['Liste des bénéficiaires', null, null], [null, null, null], ['Nom', 'Prénom', 'CIN'], ['A', 'B', 'C']];
    expect(findHeaderRow(rows)).toBe(2);
    expect(proposeMapping(['N°', 'Nom', 'Prénom', 'CIN'])).toEqual({ '1': 'lastName', '2': 'firstName', '3': 'cin' });
  });

  it('parses CSV with ; separators and quotes', () => {
    expect(parseCsv('\uFEFFNom;Prénom\n"Ait; Ali";"Fa""tima"\r\nB;C')).toEqual([['Nom', 'Prénom'], ['Ait; Ali', 'Fa"tima'], ['B', 'C']]);
  });

  it('matches communes by name in either language, with near matches, within the province', () => {
    const m = new CommuneMatcher(core.sqlite, '08.201');
    expect(m.match('الرشيدية')).toMatchObject({ ok: true, commune: { code: '08.201.01.05' }, approximate: false });
    expect(m.match('Errachidia')).toMatchObject({ ok: true, commune: { code: '08.201.01.05' } });
    expect(m.match('جماعة كلميمة')).toMatchObject({ ok: true, commune: { code: '08.201.01.09' } });
    expect(m.match('Goulmina')).toMatchObject({ ok: true, commune: { code: '08.201.01.09' }, approximate: true });
    expect(m.match('Commune de Tinjdad')).toMatchObject({ ok: true, commune: { code: '08.201.01.15' } });
    expect(m.match('082010105')).toMatchObject({ ok: true, commune: { code: '08.201.01.05' } });
    expect(m.match('Ouarzazate')).toMatchObject({ ok: false, code: 'territory.out_of_scope' });
    expect(m.match('Casablanca')).toMatchObject({ ok: false, code: 'import.commune_unknown' });
    const region = new CommuneMatcher(core.sqlite, null);
    expect(region.match('Ouarzazate')).toMatchObject({ ok: true, commune: { code: '08.401.01.07' } });
  });
});

describe('reading xlsx', () => {

  it('reads strings, rich text, numbers, dates, formulas, booleans, errors and merged cells; lists the sheets; takes the sheet asked for', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('فارغة'); // an empty first sheet: the first sheet with data is taken
    const ws = wb.addWorksheet('اللائحة');
    ws.getCell('A1').value = 'لائحة & <المستفيدات>';
    ws.mergeCells('A1:F1');
    ws.getRow(3).values = ['Nom', 'Prénom', 'Date', 'N', 'Formule', 'Vrai'];
    ws.getRow(4).values = ['Aït "Ali"', { richText: [{ text: 'Fati', font: { bold: true } }, { text: 'ma' }] }, new Date(Date.UTC(1990, 2, 9)), 33000, { formula: 'D4+1', result: 33001 }, true];
    ws.getRow(5).values = ['', 'x', null, 1.5, { error: '#N/A' }, false];
    ws.getCell('H6').value = { text: 'lien', hyperlink: 'http://example.org' };
    ws.getCell('B7').value = '  espaces  ';
    const other = wb.addWorksheet('Autre');
    other.getCell('B2').value = 'seconde';
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const first = await readLegacyFile(data, 'l.xlsx');
    expect(first.sheet).toBe('اللائحة');
    expect(first.sheets).toEqual(['فارغة', 'اللائحة', 'Autre']);
    expect(first.rows[0][0]).toBe('لائحة & <المستفيدات>');
    expect(first.rows[0].slice(1, 6)).toEqual([null, null, null, null, null]); // a merged range: its value once
    expect(first.rows[3].slice(0, 6)).toEqual(['Aït "Ali"', 'Fatima', new Date(Date.UTC(1990, 2, 9)), 33000, 33001, 'true']);
    expect(first.rows[4].slice(0, 6)).toEqual([null, 'x', null, 1.5, null, 'false']); // exceljs writes no cell for ''
    expect(first.rows[5][7]).toBe('lien');
    expect(first.rows[6][1]).toBe('  espaces  ');
    // Every row as wide as the widest (blank rows kept: row numbers are Excel's).
    expect(new Set(first.rows.map((r) => r.length)).size).toBe(1);
    expect((await readLegacyFile(data, 'l.xlsx', 'Autre')).rows[1][1]).toBe('seconde');
    expect((await readLegacyFile(data, 'l.xlsx', 3)).sheet).toBe('Autre');
    await expect(readLegacyFile(data, 'l.xlsx', 'Absente')).rejects.toMatchObject({ code: 'import.sheet_not_found' });
    expect((await readLegacyFile(Buffer.from('a;b\n1;2'), 'l.csv')).sheets).toEqual(['csv']);
  });

  it('a damaged workbook is refused as unreadable', async () => {
    const data = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]);
    await expect(readLegacyFile(data, 'abime.xlsx')).rejects.toMatchObject({ code: 'import.file_unreadable' });
  });
});

describe('import of a messy legacy list', () => {
  const file = join(dir, 'liste-2025.xlsx');
  beforeAll(async () => {
    await messyWorkbook(file);
  });

  it('previews the header row, the proposed mapping and the first rows', async () => {
    const p = await core.invoke('imports.preview', { path: file }, { actor: cli });
    expect(p.headerRow).toBe(4);
    expect(p.columns.map((c) => c.field)).toEqual([null, 'lastName', 'firstName', 'cin', 'birthDate', 'phone', 'commune', 'educationLevel', null]);
    expect(p.missing).toEqual([]);
    expect(p.totalRows).toBe(9);
    expect(p.rows[0]).toEqual({ rowNo: 5, cells: ['1', 'العلوي', 'فاطمة', 'U123456', '09/03/1990', '0612345678', 'الرشيدية', 'ابتدائي', ''] });
    expect(p.sheets).toEqual([p.sheet]);
  });

  it('takes the header row the user names instead of the detected one; a row past the end is refused', async () => {
    // Row 5 as headers: its cells name no field, so nothing is proposed and everything is missing.
    const p = await core.invoke('imports.preview', { path: file, headerRow: 5 }, { actor: cli });
    expect(p.headerRow).toBe(5);
    expect(p.columns.every((c) => c.field === null)).toBe(true);
    expect(p.missing).toEqual(['cin', 'names', 'birthDate', 'commune']);
    expect(p.totalRows).toBe(8);
    expect((await core.invoke('imports.preview', { path: file, headerRow: 4 }, { actor: cli })).missing).toEqual([]);
    const r = await core.call('imports.preview', { path: file, headerRow: 999 }, { actor: cli });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'import.header_row_out_of_range', params: { row: 999 } });
  });

  it('a dry run classifies every row with its reason and changes nothing', async () => {
    const before = snapshot();
    const s = await core.invoke('imports.analyse', { path: file }, { actor: cli });
    expect(snapshot()).toEqual(before);
    expect(s).toMatchObject({ dryRun: true, total: 9, new: 4, duplicate: 1, invalid: 4, headerRow: 4 });
    expect(s.duplicates).toEqual([{ rowNo: 12, reason: 'repeated_in_file', fileNo: null, otherRow: 5 }]);
    const reasons = Object.fromEntries(s.invalidRows.map((r) => [r.rowNo, r.reasons.map((x) => x.code).sort()]));
    expect(reasons[10]).toEqual(['applicant.date_invalid', 'applicant.phone_invalid']);
    expect(reasons[11]).toEqual(['import.commune_unknown']);
    expect(reasons[13]).toEqual(expect.arrayContaining(['applicant.cin_required']));
    expect(reasons[14]).toEqual(['territory.out_of_scope']);
    expect(s.approximateCommunes.map((a) => [a.rowNo, a.communeCode])).toEqual([[8, '08.201.01.09']]);
    expect(s.rejects).not.toBeNull();
  });

  it('imports the valid rows in one transaction, consent to be confirmed, with a rejected rows workbook', async () => {
    // The commune matched approximately (Goulmina) must be confirmed first.
    const refused = await core.call('imports.commit', { path: file, lang: 'fr' }, { actor: cli });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'import.communes_to_confirm', params: { count: 1 } });
    const s = await core.invoke('imports.commit', { path: file, lang: 'fr', confirmCommunes: true }, { actor: cli });
    expect(s).toMatchObject({ dryRun: false, new: 4, duplicate: 1, invalid: 4 });
    expect(s.created).toHaveLength(4);
    const rows = core.sqlite
      .prepare("SELECT cin, first_name_ar, last_name_lat, birth_date, phone, commune_code, education_level, consent_status, source, status, file_no FROM applicants WHERE source = 'import' ORDER BY file_no")
      .all();
    expect(rows).toEqual([
      { cin: 'U123456', first_name_ar: 'فاطمة', last_name_lat: '', birth_date: '1990-03-09', phone: '+212612345678', commune_code: '08.201.01.05', education_level: 'PRIMAIRE', consent_status: 'to_confirm', source: 'import', status: 'registered', file_no: 'ERR-2026-000001' },
      { cin: 'UA234567', first_name_ar: '', last_name_lat: 'Ouhammou', birth_date: '1990-05-07', phone: '+212661234567', commune_code: '08.201.01.09', education_level: 'BAC', consent_status: 'to_confirm', source: 'import', status: 'registered', file_no: 'ERR-2026-000002' },
      { cin: 'U345678', first_name_ar: 'عائشة', last_name_lat: '', birth_date: '1988-05-12', phone: '+212677889900', commune_code: '08.201.01.01', education_level: null, consent_status: 'to_confirm', source: 'import', status: 'registered', file_no: 'ERR-2026-000003' },
      { cin: 'U456789', first_name_ar: '', last_name_lat: 'Amziane', birth_date: '1995-07-14', phone: '+212670112233', commune_code: '08.201.01.09', education_level: null, consent_status: 'to_confirm', source: 'import', status: 'registered', file_no: 'ERR-2026-000004' },
    ]);
    expect(count('status_history')).toBe(4);
    expect(count('import_rows')).toBe(4);
    const audit = core.sqlite.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE method = 'imports.commit' AND entity = 'applicants'").get() as { n: number };
    expect(audit.n).toBe(4);
    expect(core.sqlite.prepare("SELECT COUNT(*) AS n FROM change_log WHERE entity = 'applicants'").get()).toEqual({ n: 4 });
    // Every imported row (the file and her first path step) carries the change number recorded for it, in file order.
    const numbered = core.sqlite
      .prepare(
        `SELECT a.file_no, a.change_seq AS a_seq, h.change_seq AS h_seq, h.to_status, h.from_status,
                (SELECT seq FROM change_log WHERE entity = 'applicants' AND entity_id = a.id AND op = 'insert') AS a_log,
                (SELECT seq FROM change_log WHERE entity = 'status_history' AND entity_id = h.id AND op = 'insert') AS h_log
           FROM applicants a JOIN status_history h ON h.applicant_id = a.id WHERE a.source = 'import' ORDER BY a.file_no`,
      )
      .all() as { a_seq: number; h_seq: number; a_log: number; h_log: number; to_status: string; from_status: string | null }[];
    expect(numbered).toHaveLength(4);
    for (const n of numbered) expect([n.a_log, n.h_log, n.to_status, n.from_status]).toEqual([n.a_seq, n.h_seq, 'registered', null]);
    expect(numbered.map((n) => n.a_seq)).toEqual([...numbered.map((n) => n.a_seq)].sort((x, y) => x - y));

    // The rejected rows, in the file's own columns plus the line and the reason, to fix and import again.
    const f = core.outbox.get(s.rejects!.fileId)!;
    const data = readFileSync(f.path);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.views[0]).toMatchObject({ rightToLeft: false, state: 'frozen', ySplit: 1 });
    expect(ws.getRow(1).getCell(2).value).toBe('الاسم العائلي');
    expect(ws.getRow(1).getCell(11).value).toBe('Motif du rejet');
    expect(ws.actualRowCount).toBe(1 + 5);
    const byLine = new Map<number, ExcelJS.Row>();
    ws.eachRow((row, n) => n > 1 && byLine.set(Number(row.getCell(10).value), row));
    expect(String(byLine.get(11)!.getCell(11).value)).toContain('Casablanca');
    expect(String(byLine.get(12)!.getCell(11).value)).toContain('ligne 5');
    // The injection attempt comes back as text, never as a formula.
    const evil = byLine.get(13)!.getCell(2);
    expect(evil.value).toBe('=HYPERLINK("http://evil","x")');
    expect(evil.type).toBe(ExcelJS.ValueType.String);
    const xml = await (await JSZip.loadAsync(data)).file('xl/worksheets/sheet1.xml')!.async('string');
    expect(xml).not.toMatch(/<f>/);
  });

  it('importing the same file again creates nothing new', async () => {
    const before = snapshot();
    const s = await core.invoke('imports.commit', { path: file, confirmCommunes: true }, { actor: cli });
    expect(s.new).toBe(0);
    expect(s.created).toEqual([]);
    // The four imported rows, and the row repeating the first one (same content, same hash).
    expect(s.duplicates.filter((d) => d.reason === 'already_imported').map((d) => d.rowNo)).toEqual([5, 6, 7, 8, 12]);
    const after = snapshot();
    expect(after.applicants).toBe(before.applicants);
    expect(after.batches).toBe(before.batches);
    expect(after.rows).toBe(before.rows);
  });

  it('a corrected rejects file imports the fixed rows only', async () => {
    const fixed = join(dir, 'corrige.xlsx');
    await messyWorkbook(fixed, [[10, 'Bennani', 'Latifa', 'U890123', '3/4/1987', '0655443322', 'Tinjdad', '', '']]);
    const s = await core.invoke('imports.commit', { path: fixed, confirmCommunes: true }, { actor: cli });
    expect(s.new).toBe(1);
    expect(s.created[0].fileNo).toBe('ERR-2026-000005');
  });

  it('finds people already registered by CIN and by name and birth date', async () => {
    const csv = join(dir, 'liste.csv');
    writeFileSync(
      csv,
      '\uFEFFNom et prénom;CIN;Date de naissance;Commune;Téléphone\n' +
        'OUHAMMOU Khadija;UA999999;07/05/1990;Goulmima;\n' + // same person, other CIN
        'ALAOUI Fatima;U123456;09/03/1990;Errachidia;\n' + // same CIN
        'SEDDIKI Rkia;U111222;21/02/1979;Aoufous;0612121212\n',
    );
    const s = await core.invoke('imports.analyse', { path: csv }, { actor: cli });
    expect(s).toMatchObject({ total: 3, new: 1, duplicate: 2, invalid: 0 });
    expect(s.duplicates.map((d) => [d.rowNo, d.reason, d.fileNo])).toEqual([
      [2, 'name_birth', 'ERR-2026-000002'],
      [3, 'cin', 'ERR-2026-000001'],
    ]);
  });

  it('audits each imported person compactly (who, batch, row) and the batch with its file', async () => {
    const batch = core.sqlite.prepare("SELECT id, file_name, file_hash FROM import_batches ORDER BY imported_at, id LIMIT 1").get() as { id: string; file_name: string; file_hash: string };
    const entries = core.sqlite
      .prepare("SELECT a.entity_id, a.actor_name, a.changes FROM audit_log a WHERE a.method = 'imports.commit' AND a.entity = 'applicants' AND json_extract(a.changes, '$.importBatch[1]') = ?")
      .all(batch.id) as { entity_id: string; actor_name: string; changes: string }[];
    expect(entries).toHaveLength(4);
    for (const e of entries) {
      const c = JSON.parse(e.changes);
      const row = core.sqlite.prepare('SELECT r.row_no, a.file_no FROM import_rows r JOIN applicants a ON a.id = r.applicant_id WHERE r.applicant_id = ?').get(e.entity_id) as { row_no: number; file_no: string };
      expect(c).toEqual({ fileNo: [null, row.file_no], source: [null, 'import'], consentStatus: [null, 'to_confirm'], importBatch: [null, batch.id], importRow: [null, row.row_no] });
      expect(e.actor_name).toBe('cli:test');
    }
    const b = core.sqlite.prepare("SELECT changes FROM audit_log WHERE entity = 'import_batches' AND entity_id = ?").get(batch.id) as { changes: string };
    expect(JSON.parse(b.changes)).toMatchObject({ fileName: [null, batch.file_name], fileHash: [null, batch.file_hash], sheet: [null, 'اللائحة'], created: [null, 4] });
  });

  it('imported people are found by the search (the index is written in bulk)', async () => {
    const r = await core.invoke('applicants.search', { q: 'Ouhammou' }, { actor: cli });
    expect(r.items.map((i) => i.fileNo)).toContain('ERR-2026-000002');
    const ar = await core.invoke('applicants.search', { q: 'عائشة' }, { actor: cli });
    expect(ar.items.map((i) => i.fileNo)).toContain('ERR-2026-000003');
    expect(core.sqlite.prepare("SELECT COUNT(*) AS n FROM temp.sqlite_schema WHERE name = 'import_applicants_stage'").get()).toEqual({ n: 0 });
  });

  it('a failing import leaves the database as it was', async () => {
    const failing = join(dir, 'failing.xlsx');
    await messyWorkbook(failing, [
      [11, 'Tazi', 'Meriem', 'U300001', '01/01/1990', '', 'Errachidia', '', ''],
      [12, 'Tazi', 'Samira', 'ZZ999999', '02/01/1990', '', 'Errachidia', '', ''],
    ]);
    core.sqlite.exec("CREATE TRIGGER test_fail BEFORE INSERT ON applicants WHEN new.cin = 'ZZ999999' BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    try {
      const before = snapshot();
      const r = await core.call('imports.commit', { path: failing }, { actor: cli });
      expect(r.ok).toBe(false);
      expect(snapshot()).toEqual(before);
      expect(core.sqlite.prepare("SELECT COUNT(*) AS n FROM applicants WHERE cin = 'U300001'").get()).toEqual({ n: 0 });
    } finally {
      core.sqlite.exec('DROP TRIGGER test_fail');
    }
  });

  it('refuses a path from a window session, and an upload by id works', async () => {
    const agent = await userToken(core, adminToken, 'agent1', 'agent');
    const r = await core.call('imports.analyse', { path: file }, { token: agent });
    expect(r.ok ? null : r.error.code).toBe('api.cli_only');
    const up = core.outbox.put('liste-2025.xlsx', 'application/octet-stream', readFileSync(file));
    const s = await core.invoke('imports.analyse', { uploadId: up.id }, { token: agent });
    expect(s.fileName).toBe('liste-2025.xlsx');
    expect(s.new).toBe(0);
  });

  it('lists the imported people whose consent is to be confirmed, and records it (audited)', async () => {
    const agent = (await core.invoke('auth.login', { username: 'agent1', password: 'agent1-pass-123' })).token;
    const list = await core.invoke('imports.consentPending', {}, { token: agent });
    expect(list.total).toBe(5);
    const id = list.items[0].id;
    const r = await core.invoke('imports.recordConsent', { id, decision: 'given', date: '20/11/2026', channel: 'paper' }, { token: agent });
    expect(r.consentStatus).toBe('given');
    expect(core.sqlite.prepare('SELECT consent_status, consent_date, consent_channel, consent_text_version FROM applicants WHERE id = ?').get(id)).toEqual({
      consent_status: 'given',
      consent_date: '2026-11-20',
      consent_channel: 'paper',
      consent_text_version: '2026-01',
    });
    const a = core.sqlite.prepare("SELECT changes FROM audit_log WHERE method = 'imports.recordConsent' AND entity_id = ?").get(id) as { changes: string };
    expect(JSON.parse(a.changes).consentStatus).toEqual(['to_confirm', 'given']);
    expect((await core.invoke('imports.consentPending', {}, { token: agent })).total).toBe(4);
    const again = await core.call('imports.recordConsent', { id, decision: 'given', date: '20/11/2026', channel: 'paper' }, { token: agent });
    expect(again.ok ? null : again.error.code).toBe('import.consent_already_recorded');
  });
});

describe('the same person twice in one list', () => {
  let other: ReturnType<typeof tempCore>;
  beforeAll(async () => {
    other = tempCore({ clock: () => NOW });
    await setupOffice(other, 'errachidia');
  }, 60_000);
  afterAll(async () => {
    await other?.dispose();
  });

  it('the same person twice in a list (day and month swapped) is caught by the dry run as by the import', async () => {
    const twice = join(dir, 'twice.csv');
    writeFileSync(twice, 'Nom;Prénom;CIN;Date de naissance;Commune\nTazi;Meriem;U400001;03/04/1991;Errachidia\nTazi;Meriem;U400002;04/03/1991;Errachidia\n');
    const dry = await other.invoke('imports.analyse', { path: twice }, { actor: cli });
    expect(dry).toMatchObject({ new: 1, duplicate: 1 });
    expect(dry.duplicates).toEqual([{ rowNo: 3, reason: 'repeated_in_file', fileNo: null, otherRow: 2 }]);
    const real = await other.invoke('imports.commit', { path: twice }, { actor: cli });
    expect(real).toMatchObject({ new: 1, duplicate: 1 });
    expect(real.duplicates).toEqual(dry.duplicates);
    expect(real.created.map((c) => c.rowNo)).toEqual([2]);
  });

  it('within one list, a pair of each kind: same (a repeat), maybe (a year apart: shown beside the other row, imported), different (imported)', async () => {
    const pairs = join(dir, 'pairs.csv');
    writeFileSync(
      pairs,
      'Nom;Prénom;CIN;Date de naissance;Commune\n' +
        'Ouhammou;Zineb;U500001;12/05/1993;Errachidia\n' + // 2
        'أوحمو;زينب;U500002;13/05/1993;Errachidia\n' + // 3 same: her name in Arabic, one day apart → a repeat of row 2
        'Ouhammou;Zaynab;U500003;20/09/1994;Errachidia\n' + // 4 maybe: a year apart → shown beside row 2, imported
        'Ouhammou;Zahra;U500004;12/05/1993;Errachidia\n', // 5 different first name, the same day → imported
    );
    const dry = await other.invoke('imports.analyse', { path: pairs }, { actor: cli });
    expect(dry).toMatchObject({ new: 3, duplicate: 1 });
    expect(dry.duplicates).toEqual([{ rowNo: 3, reason: 'repeated_in_file', fileNo: null, otherRow: 2 }]);
    expect(dry.candidates).toMatchObject([{ rowNo: 4, outcome: 'new', matches: [{ fileNo: null, otherRow: 2, pairDecision: null, level: 'weak', firstNameLat: 'Zineb' }] }]);
    const real = await other.invoke('imports.commit', { path: pairs }, { actor: cli });
    expect(real.duplicates).toEqual(dry.duplicates);
    expect(real.created.map((c) => c.rowNo)).toEqual([2, 4, 5]);
  });
});

describe('CLI', () => {
  async function run(args: string[], stdin = '') {
    const out: string[] = [];
    const err: string[] = [];
    // The CLI's core gets the test's clock, so the period asked for below is the one the people were imported in.
    const code = await runCli(args, { io: { stdin: async () => stdin, out: (l) => out.push(l), err: (l) => err.push(l) }, open: (dbPath) => createCore({ dbPath, clock: () => NOW }) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('import-excel (dry run, rejects), report and list', async () => {
    const db = join(dir, 'cli.db');
    const init = await run(['init', '--db', db, '--office', 'errachidia', '--admin', 'chef'], 'strong-pass-2026\n');
    expect(init.code, init.err).toBe(0);
    const file = join(dir, 'cli.xlsx');
    await messyWorkbook(file);
    const rejects = join(dir, 'rejects.xlsx');
    const dry = await run(['import-excel', '--db', db, file, '--dry-run', '--rejects', rejects]);
    expect(dry.code, dry.err).toBe(0);
    const s = JSON.parse(dry.out);
    expect(s).toMatchObject({ dryRun: true, new: 4, duplicate: 1, invalid: 4, created: 0, rejectsPath: rejects });
    expect(readFileSync(rejects).subarray(0, 2).toString()).toBe('PK');
    expect(s.approximateCommunes).toHaveLength(1);
    expect(s.skipped).toEqual([{ rowNo: 9, reason: 'blank' }]);
    const refused = await run(['import-excel', '--db', db, file]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('import.communes_to_confirm');
    const real = await run(['import-excel', '--db', db, file, '--confirm-communes']);
    expect(JSON.parse(real.out)).toMatchObject({ dryRun: false, new: 4, created: 4 });
    const out = join(dir, 'report.xlsx');
    const rep = await run(['report', '--db', db, '--period', '2026-11', '--out', out, '--lang', 'fr']);
    expect(rep.code, rep.err).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.getWorksheet('Synthèse')!.getCell('B6').value).toBe(4);
    const listOut = join(dir, 'list.xlsx');
    const list = await run(['list', '--db', db, '--out', listOut, '--commune', '08.201.01.09']);
    expect(JSON.parse(list.out).rows).toBe(2);
    const bad = await run(['report', '--db', db, '--period', 'novembre', '--out', out]);
    expect(bad.code).not.toBe(0);
  });
});
