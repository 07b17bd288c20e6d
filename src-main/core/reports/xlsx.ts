/** Helpers shared by the workbooks of this feature (indicator workbook, list, rejected rows). */
import type ExcelJS from 'exceljs';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Characters that make a spreadsheet treat typed text as a formula (or a DDE payload). */
const FORMULA_LEAD = /^[=+\-@\t\r]/;

export function looksLikeFormula(s: string): boolean {
  return FORMULA_LEAD.test(s);
}

/**
 * Writes user data into a cell as text, never as a formula. exceljs stores a JS string as a string cell
 * (never a formula: formulas need {formula}); a text that starts with =, +, -, @, a tab or a carriage return
 * also gets the text number format '@', so that editing the cell in Excel and pressing Enter keeps it text.
 * Objects are never passed through (they could carry {formula} or {sharedFormula}).
 */
export function setText(cell: ExcelJS.Cell, v: string | null | undefined): void {
  const s = v === null || v === undefined ? '' : String(v);
  cell.value = s === '' ? null : s;
  if (s && FORMULA_LEAD.test(s)) cell.numFmt = '@';
}

/** A plain value for a streamed row: strings stay strings, numbers numbers; anything else becomes its text. */
export function plainValue(v: unknown): string | number | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return String(v);
}

/** A4 landscape, fitted to the page width, with the header row repeated on each printed page. */
export function printSetup(ws: ExcelJS.Worksheet, headerRow: number): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${headerRow}:${headerRow}`,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
  };
}

export const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
export const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

/** Column letter(s) of a 1-based column number. */
export function colLetter(n: number): string {
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** An Excel sheet name: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetName(s: string): string {
  return s.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);
}
