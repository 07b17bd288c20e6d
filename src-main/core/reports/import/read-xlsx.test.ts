import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { readXlsxInMemory, readXlsxStreamed, readLegacyFile } from './read';

/** A workbook as exceljs writes it: its worksheets stored before xl/workbook.xml (what exceljs issue #3064 races on). */
async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('vide');
  const a = wb.addWorksheet('2024');
  a.addRow(['Liste des bénéficiaires']);
  a.mergeCells('A1:C1');
  a.addRow(['Nom', 'Prénom', 'Date de naissance']);
  a.addRow(['Amrani', 'نعيمة', new Date(Date.UTC(1992, 1, 2))]);
  a.addRow([]);
  a.addRow(['Idrissi', { richText: [{ text: 'Sam' }, { text: 'ira' }] }, { formula: '1+1', result: 2 }]);
  const b = wb.addWorksheet('2025');
  b.addRow(['Nom', 'Prénom']);
  b.addRow(['Alaoui', 'Hanane']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('reading an .xlsx list: streamed, and from memory when the streaming reader fails', () => {
  it('both readers give the same sheet, rows, merged title and sheet list', async () => {
    const data = await workbook();
    for (const sheet of [undefined, '2024', '2025', 3] as const) {
      const streamed = await readXlsxStreamed(data, sheet);
      const inMemory = await readXlsxInMemory(data, sheet);
      expect(streamed).not.toBeNull();
      expect(inMemory).toEqual(streamed);
    }
    const first = await readXlsxInMemory(data);
    expect(first.sheet).toBe('2024'); // the empty first sheet is passed over
    expect(first.sheets).toEqual(['vide', '2024', '2025']);
    expect(first.rows[0]).toEqual(['Liste des bénéficiaires', null, null]); // a merged title: its first cell only
    expect(first.rows[3]).toEqual([null, null, null]); // the blank row is kept: row numbers as in Excel
    expect(first.rows[4]).toEqual(['Idrissi', 'Samira', 2]);
  });

  it('a sheet that is not there is named in the refusal by both; a file that is not a workbook is unreadable', async () => {
    const data = await workbook();
    await expect(readXlsxStreamed(data, '2030')).rejects.toMatchObject({ code: 'import.sheet_not_found' });
    await expect(readXlsxInMemory(data, '2030')).rejects.toMatchObject({ code: 'import.sheet_not_found' });
    await expect(readLegacyFile(data, 'liste.xlsx', '2030')).rejects.toMatchObject({ code: 'import.sheet_not_found' });
    const broken = Buffer.concat([data.subarray(0, 200), Buffer.alloc(100)]);
    await expect(readLegacyFile(broken, 'liste.xlsx')).rejects.toMatchObject({ code: 'import.file_unreadable' });
  });

  it('reads the same workbook a hundred times at once without a refusal', async () => {
    const data = await workbook();
    const out = await Promise.all(Array.from({ length: 100 }, (_, i) => readLegacyFile(data, 'liste.xlsx', i % 2 ? '2025' : undefined)));
    expect(out.filter((r, i) => r.sheet !== (i % 2 ? '2025' : '2024'))).toEqual([]);
  });
});
