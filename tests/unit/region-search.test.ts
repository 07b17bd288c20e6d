import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore, userToken } from '../helpers/core';
import { addApplicants } from '../../src-main/core/exchange/exchange.fixtures';
import type { OfficeSlug } from '../../src-main/shared/offices';

/**
 * The region searches and lists the whole region with the province as a dimension: files of two provinces,
 * received through exchange files, filtered by province in the registry search and in the exported list,
 * each counted against a direct SQL count.
 */
type TCore = ReturnType<typeof tempCore>;
const as = { actor: cli };

async function province(slug: OfficeSlug, regionKeyFile: string, region: TCore, n: number, seed: number): Promise<TCore> {
  const p = tempCore();
  await setupOffice(p, slug);
  addApplicants(p.sqlite, n, { seed });
  await p.invoke('exchange.keysRegion', { keyFile: regionKeyFile }, as);
  await region.invoke('exchange.keysTrust', { keyFile: (await p.invoke('exchange.keysShow', {}, as)).keyFile }, as);
  const f = await p.invoke('exchange.export', {}, as);
  const target = join(region.dir, `${slug}.jisrx`);
  copyFileSync(p.outbox.get(f.fileId)!.path, target);
  const r = await region.invoke('exchange.import', { files: [{ path: target }] }, as);
  expect(r.results[0].status).toBe('applied');
  return p;
}

describe('region: the province as a dimension of search and list', () => {
  let region: TCore;
  let admin: string;
  const provinces: TCore[] = [];
  const code = (slug: string) => region.sqlite.prepare('SELECT province_code FROM offices WHERE slug = ?').pluck().get(slug) as string;
  const sqlCount = (prov: string) =>
    region.sqlite.prepare('SELECT COUNT(*) FROM applicants a JOIN communes c ON c.code = a.commune_code WHERE c.province_code = ?').pluck().get(prov) as number;

  beforeAll(async () => {
    region = tempCore();
    admin = (await setupOffice(region, 'region')).token;
    const key = (await region.invoke('exchange.keysShow', {}, as)).keyFile;
    provinces.push(await province('errachidia', key, region, 12, 1));
    provinces.push(await province('zagora', key, region, 7, 2));
  });
  afterAll(async () => {
    await region.dispose();
    for (const p of provinces) await p.dispose();
  });

  it('filters the registry search by province; each row carries its province', async () => {
    const all = await region.invoke('applicants.search', { q: '', limit: 500 }, as);
    expect(all.total).toBe(19);
    for (const [slug, n] of [['errachidia', 12], ['zagora', 7]] as const) {
      const prov = code(slug);
      expect(sqlCount(prov)).toBe(n);
      const r = await region.invoke('applicants.search', { q: '', filters: { provinceCode: prov }, limit: 500 }, as);
      expect(r.total).toBe(n);
      expect(new Set(r.items.map((i) => i.provinceCode))).toEqual(new Set([prov]));
    }
    // Combined with a name query (the FTS path) and with a commune of another province (nothing).
    const name = await region.invoke('applicants.search', { q: 'fatima', filters: { provinceCode: code('zagora') }, limit: 500 }, as);
    expect(name.items.every((i) => i.provinceCode === code('zagora'))).toBe(true);
    const errCommune = region.sqlite.prepare('SELECT commune_code FROM applicants a JOIN communes c ON c.code = a.commune_code WHERE c.province_code = ? LIMIT 1').pluck().get(code('errachidia')) as string;
    const none = await region.invoke('applicants.search', { q: '', filters: { provinceCode: code('zagora'), communeCode: errCommune }, limit: 10 }, as);
    expect(none.total).toBe(0);
  });

  it('a malformed province code is refused by validation', async () => {
    const r = await region.call('applicants.search', { q: '', filters: { provinceCode: "08.201' OR 1=1" } }, as);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('validation.failed');
  });

  it('the exported list takes the same province filter (the coordinator, who may not export personal lists, is refused)', async () => {
    const coord = await userToken(region, admin, 'coord', 'coordinator');
    const refused = await region.call('reports.list', { filters: { provinceCode: code('zagora') }, lang: 'fr' }, { token: coord });
    expect(refused.ok ? null : refused.error.code).toBe('auth.forbidden');
    const r = await region.invoke('reports.list', { filters: { provinceCode: code('zagora') }, lang: 'fr' }, { token: admin });
    expect(r.rows).toBe(7);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(region.outbox.get(r.fileId)!.path);
    const ws = wb.worksheets[0];
    let dataRows = 0;
    ws.eachRow((row, i) => {
      if (i > 1 && row.getCell(1).value !== null) dataRows++;
    });
    expect(dataRows).toBeGreaterThanOrEqual(7);
    const all = await region.invoke('reports.list', { lang: 'fr' }, { token: admin });
    expect(all.rows).toBe(19);
  });
});
