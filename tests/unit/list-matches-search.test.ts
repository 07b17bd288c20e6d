import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempCore } from '../helpers/core';
import { seedDatabase } from '../../src-main/core/seed/seed';
import '../../src-main/core/seed/seeders';

/**
 * "The beneficiary list with the same filters as the search": for each kind of query (name fragments of three
 * letters or more, one or two letters, CIN prefix, phone, file number, nothing) and with filters, the exported
 * workbook holds exactly the files the registry search finds.
 */
const as = { actor: cli };

describe('the exported list holds the rows of the search', () => {
  const core = tempCore();
  beforeAll(async () => {
    await seedDatabase(core, { applicants: 400, office: 'errachidia', seed: 11 });
  });
  afterAll(() => core.dispose());

  async function listed(q: string, filters: Record<string, unknown>): Promise<string[]> {
    const r = await core.invoke('reports.list', { q, filters, lang: 'fr' }, as);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(core.outbox.get(r.fileId)!.path);
    const out: string[] = [];
    wb.worksheets[0].eachRow((row, i) => {
      if (i > 1) out.push(String(row.getCell(1).value));
    });
    expect(out).toHaveLength(r.rows);
    return out.sort();
  }
  async function searched(q: string, filters: Record<string, unknown>): Promise<string[]> {
    const r = await core.invoke('applicants.search', { q, filters, limit: 500 }, as);
    expect(r.total).toBeLessThanOrEqual(500);
    return r.items.map((i) => i.fileNo).sort();
  }

  it('for every kind of query, with and without filters', async () => {
    const a = core.sqlite.prepare('SELECT file_no, cin, phone, first_name_lat, last_name_ar, commune_code FROM applicants WHERE phone IS NOT NULL LIMIT 1').get() as Record<string, string>;
    const queries = [
      '',
      a.first_name_lat.slice(0, 4).toLowerCase(), // a name fragment (FTS)
      a.first_name_lat.slice(0, 2), // two letters: start of the full name
      a.last_name_ar.slice(0, 3),
      a.cin.slice(0, 4), // CIN prefix
      a.phone.replace('+212', '0').slice(0, 6), // phone as staff type it
      a.file_no.slice(0, 10), // file number prefix
      'zzzqqq', // nothing
    ];
    const filterSets: Record<string, unknown>[] = [{}, { communeCode: a.commune_code }, { status: ['registered', 'in_training'], sex: 'F' }, { category: 'project_holder', ageMin: 25, ageMax: 44 }];
    let nonEmpty = 0;
    for (const q of queries) {
      for (const f of filterSets) {
        const s = await searched(q, f);
        expect(await listed(q, f), `q=${q} filters=${JSON.stringify(f)}`).toEqual(s);
        if (s.length) nonEmpty++;
      }
    }
    expect(nonEmpty).toBeGreaterThan(12); // the comparison is not between empty lists
  });
});
