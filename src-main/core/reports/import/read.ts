/**
 * Reading a legacy list: the first sheet with data of an .xlsx, or a .csv (UTF-8 with or without BOM, else
 * Windows-1256 as Arabic Excel saves it; ; , or tab separated). Cells come out as plain values: text, number,
 * Date (date-formatted cells), or null; formulas give their cached result, rich text its plain text.
 */
import { readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../../shared/errors';

export type RawValue = string | number | Date | null;

export interface RawSheet {
  sheet: string;
  /** Every sheet of the workbook, in the workbook's order (a csv: its one pseudo-sheet). */
  sheets: string[];
  /** rows[i] is sheet row i + 1 (blank rows kept, so row numbers match what staff see in Excel). */
  rows: RawValue[][];
}

export function cellToRaw(v: ExcelJS.CellValue | undefined): RawValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return cellToRaw((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('text' in v) return cellToRaw((v as ExcelJS.CellHyperlinkValue).text);
    if ('error' in v) return null;
  }
  return String(v);
}

/** A raw value as the text staff see (dates as dd/mm/yyyy). */
export function rawText(v: RawValue): string {
  if (v === null) return '';
  if (v instanceof Date) {
    const d = v.toISOString().slice(0, 10).split('-');
    return `${d[2]}/${d[1]}/${d[0]}`;
  }
  return String(v).trim();
}

function isBlankRow(r: RawValue[]): boolean {
  return r.every((v) => v === null || (typeof v === 'string' && v.trim() === ''));
}

/** Rows made rectangular: every row (blank ones too) as wide as the widest, missing cells null. */
function rectangular(rows: RawValue[][]): RawValue[][] {
  let width = 0;
  for (const r of rows) if (r && r.length > width) width = r.length;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] ?? [];
    for (let j = 0; j < width; j++) if (r[j] === undefined) r[j] = null;
    rows[i] = r;
  }
  return rows;
}

/**
 * Reads the workbook: streamed first (a large list is not held twice in memory), and when the streaming reader
 * fails or loses the workbook's list of sheets, again from the whole file in memory.
 *
 * exceljs' streaming reader (4.4.0) reads the zip's entries in one pass, in their stored order. A workbook written
 * by exceljs (and others) stores its worksheets before `xl/workbook.xml`; the reader sometimes loses that entry
 * under load (exceljs issue #3064, a race in its async iteration of unzipper's entries) and then throws
 * "Cannot read properties of undefined (reading 'sheets')" or names no sheet. Seen here as a list refused as
 * unreadable in one e2e run out of many, the same file read a moment before. The in-memory reader opens the zip
 * by its central directory and has no such race.
 */
async function readXlsx(data: Buffer, sheet?: string | number): Promise<RawSheet> {
  let streamed: RawSheet | null = null;
  try {
    streamed = await readXlsxStreamed(data, sheet);
  } catch (e) {
    if (e instanceof AppError && e.code !== 'import.sheet_not_found') throw e;
  }
  return streamed ?? readXlsxInMemory(data, sheet);
}

/**
 * The streaming reader (exceljs WorkbookReader). It gives merged ranges' value in their top-left cell only, which
 * is what the header search wants. Null when the workbook's list of sheets was not read (see readXlsx).
 */
export async function readXlsxStreamed(data: Buffer, sheet?: string | number): Promise<RawSheet | null> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let index = 0;
  let found: RawSheet | null = null;
  for await (const ws of reader) {
    index++;
    const name = (ws as unknown as { name?: string }).name;
    if (name === undefined) return null; // the workbook's sheet list was lost
    const wanted = typeof sheet === 'number' ? index === sheet : typeof sheet === 'string' ? name === sheet : found === null;
    const rows: RawValue[][] = [];
    for await (const row of ws) {
      if (!wanted) continue;
      const values = (row.values as ExcelJS.CellValue[]).slice(1);
      rows[row.number - 1] = values.map((v) => cellToRaw(v));
    }
    if (!wanted) continue;
    rectangular(rows);
    // An empty first sheet: try the next one (unless a sheet was named).
    if (sheet === undefined && !rows.some((r) => !isBlankRow(r))) continue;
    found = { sheet: name, sheets: [], rows };
    if (sheet !== undefined || found) break;
  }
  // workbook.xml (read before the sheets are parsed) names every sheet, the ones not streamed too.
  const listed = (reader as unknown as { model?: { sheets?: { name?: string }[] } }).model?.sheets?.map((x) => x.name ?? '').filter(Boolean);
  if (!listed?.length) return null;
  if (!found) throw new AppError('import.sheet_not_found', { sheet: sheet ?? 1 });
  found.sheets = listed;
  return found;
}

/** The same from the whole workbook in memory (exceljs Workbook.xlsx.load); merged ranges keep their top-left value only. */
export async function readXlsxInMemory(data: Buffer, sheet?: string | number): Promise<RawSheet> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new AppError('import.file_unreadable');
  }
  const sheets = wb.worksheets;
  const read = (ws: ExcelJS.Worksheet): RawValue[][] => {
    const rows: RawValue[][] = [];
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      const out: RawValue[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        out[col - 1] = cell.isMerged && cell.master !== cell ? null : cellToRaw(cell.value);
      });
      rows[n - 1] = out;
    });
    return rectangular(rows);
  };
  let found: RawSheet | null = null;
  for (const [i, ws] of sheets.entries()) {
    const wanted = typeof sheet === 'number' ? i + 1 === sheet : typeof sheet === 'string' ? ws.name === sheet : true;
    if (!wanted) continue;
    const rows = read(ws);
    if (sheet === undefined && !rows.some((r) => !isBlankRow(r))) continue;
    found = { sheet: ws.name, sheets: sheets.map((w) => w.name), rows };
    break;
  }
  if (!found) throw new AppError('import.sheet_not_found', { sheet: sheet ?? 1 });
  return found;
}

/** CSV text → rows (RFC 4180 quotes; the separator is the most frequent of ; , tab on the first lines). */
export function parseCsv(text: string): string[][] {
  const s = text.replace(/^\uFEFF/, '');
  const head = s.slice(0, 4000).split(/\r?\n/).slice(0, 10).join('\n');
  const count = (c: string) => head.split(c).length - 1;
  const sep = [';', ',', '\t'].sort((a, b) => count(b) - count(a))[0];
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === sep) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function decodeText(data: Buffer): string {
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(data);
  if (!utf8.includes('\uFFFD')) return utf8;
  try {
    return new TextDecoder('windows-1256').decode(data);
  } catch {
    return utf8;
  }
}

export async function readLegacyFile(data: Buffer, fileName: string, sheet?: string | number): Promise<RawSheet> {
  const isZip = data.length > 4 && data[0] === 0x50 && data[1] === 0x4b;
  if (isZip) return readXlsx(data, sheet);
  if (/\.xls$/i.test(fileName) || (data.length > 8 && data.readUInt32BE(0) === 0xd0cf11e0)) throw new AppError('import.xls_not_supported');
  if (!/\.(csv|txt)$/i.test(fileName) && data.includes(0)) throw new AppError('import.file_unreadable');
  const rows = parseCsv(decodeText(data)).map((r) => r.map((v) => (v.trim() === '' ? null : v)));
  return { sheet: 'csv', sheets: ['csv'], rows };
}

export function readLegacyPath(path: string): Buffer {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new AppError('import.file_not_found', { path });
  }
  if (!isFile) throw new AppError('import.not_a_file', { path });
  try {
    return readFileSync(path);
  } catch {
    throw new AppError('import.file_not_found', { path });
  }
}

export { isBlankRow };
