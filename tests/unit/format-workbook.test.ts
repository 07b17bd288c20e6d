import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore } from '../helpers/core';

// Issue 15: the workbook's timestamp is local time (Africa/Casablanca), dd/mm/yyyy HH:mm, and the period's
// dates are written as a range in words — whatever the machine's zone (run under TZ=UTC and TZ=America/New_York).
const NOW = new Date('2026-12-02T23:30:00Z'); // 03/12/2026 00:30 in Morocco (UTC+1)
let core: ReturnType<typeof tempCore>;

beforeAll(async () => {
  core = tempCore({ clock: () => NOW });
  await setupOffice(core);
});
afterAll(async () => core?.dispose());

async function firstSheet(lang: 'ar' | 'fr') {
  const r = await core.invoke('reports.workbook', { period: '2026-11', lang }, { actor: cli });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(readFileSync(core.outbox.get(r.fileId)!.path) as unknown as ArrayBuffer);
  return wb.worksheets[0];
}

describe('workbook header written with the shared format module', () => {
  it('French: local timestamp, period range in words', async () => {
    const ws = await firstSheet('fr');
    expect(String(ws.getCell('A3').value)).toBe('Généré le : 03/12/2026 00:30');
    expect(String(ws.getCell('A2').value)).toContain('(du 01/11/2026 au 30/11/2026)');
    expect(String(ws.getCell('A2').value)).not.toContain('→');
  });

  it('Arabic: same timestamp, range that reads right to left', async () => {
    const ws = await firstSheet('ar');
    expect(String(ws.getCell('A3').value)).toBe('تاريخ الإنشاء : 03/12/2026 00:30');
    expect(String(ws.getCell('A2').value)).toContain('(من 01/11/2026 إلى 30/11/2026)');
  });
});
