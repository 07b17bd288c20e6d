import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { MAX_SHEET_PENDING, sheetBytesPending } from './list-export';

/**
 * The beneficiary list waits for the zip (issue 19: the whole region's list held its sheet in memory, 745 MB). What it
 * reads lives in exceljs' and archiver's internals: this fails if an upgrade moves them, and shows that the wait bounds
 * what is pending.
 */
const dir = mkdtempSync(join(tmpdir(), 'jisr-list-bp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the list waits for the zip', () => {
  it('finds the bytes the zip has not compressed yet, and waiting keeps them under the bound', async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(dir, 'l.xlsx'), useSharedStrings: false, useStyles: true });
    const ws = wb.addWorksheet('l');
    let most = 0;
    let waited = false;
    for (let i = 0; i < 30_000; i++) {
      ws.addRow(Array.from({ length: 20 }, (_, j) => `${i}-${j} فاطمة الزهراء أيت علي`)).commit();
      if (i % 1000 === 999) {
        const pending = sheetBytesPending(ws);
        expect(pending).not.toBeNull();
        most = Math.max(most, pending!);
        while ((sheetBytesPending(ws) ?? 0) > MAX_SHEET_PENDING / 8) {
          waited = true;
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    }
    ws.commit();
    await wb.commit();
    expect(most).toBeGreaterThan(0); // the rows did wait in the zip's input: the figure is a real one
    expect(waited).toBe(true);
    expect(most).toBeLessThan(MAX_SHEET_PENDING / 8 + 2 * 1024 * 1024); // a thousand rows past the bound at most
  });
});
