/**
 * A lean reader of the cell values of an .xlsx: the ZIP's central directory, then the workbook, its relations,
 * the shared strings, the cell styles (to tell a date cell from a number) and one sheet's XML, read with
 * regular expressions into plain values. A legacy list needs nothing else (no styles, formulas, layout), and
 * exceljs's streaming reader builds a Row and a Cell object per cell (most of the time of reading a 10,000-row
 * list). Values follow exceljs's rules: shared and inline strings (rich text joined), numbers, dates for numbers
 * whose format is a date format (exceljs's isDateFmt, its built-in formats, 1900 or 1904 date system),
 * booleans, errors as null, a formula's cached result.
 *
 * What it does not know (ZIP64, encryption, another compression, a missing part) throws XlsxUnsupported: the
 * caller then reads the file with exceljs.
 */
import { inflateRawSync } from 'node:zlib';
import type { RawValue } from './read';

export class XlsxUnsupported extends Error {}

// ---------------------------------------------------------------------------------------------
// ZIP
// ---------------------------------------------------------------------------------------------

interface ZipEntry {
  method: number;
  flags: number;
  compressedSize: number;
  localOffset: number;
}

function zipEntries(data: Buffer): Map<string, ZipEntry> {
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new XlsxUnsupported('no end of central directory');
  const count = data.readUInt16LE(eocd + 10);
  const cdOffset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new XlsxUnsupported('zip64');
  const out = new Map<string, ZipEntry>();
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > data.length || data.readUInt32LE(p) !== 0x02014b50) throw new XlsxUnsupported('bad central directory');
    const flags = data.readUInt16LE(p + 8);
    const method = data.readUInt16LE(p + 10);
    const compressedSize = data.readUInt32LE(p + 20);
    const nameLen = data.readUInt16LE(p + 28);
    const extraLen = data.readUInt16LE(p + 30);
    const commentLen = data.readUInt16LE(p + 32);
    const localOffset = data.readUInt32LE(p + 42);
    const name = data.toString('utf8', p + 46, p + 46 + nameLen);
    out.set(name.replace(/^\//, ''), { method, flags, compressedSize, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function zipText(data: Buffer, entries: Map<string, ZipEntry>, name: string): string | null {
  const e = entries.get(name);
  if (!e) return null;
  if (e.flags & 1) throw new XlsxUnsupported('encrypted');
  const p = e.localOffset;
  if (p + 30 > data.length || data.readUInt32LE(p) !== 0x04034b50) throw new XlsxUnsupported('bad local header');
  const start = p + 30 + data.readUInt16LE(p + 26) + data.readUInt16LE(p + 28);
  const raw = data.subarray(start, start + e.compressedSize);
  if (e.method === 0) return raw.toString('utf8');
  if (e.method === 8) return inflateRawSync(raw).toString('utf8');
  throw new XlsxUnsupported(`compression ${e.method}`);
}

// ---------------------------------------------------------------------------------------------
// XML (the few shapes SpreadsheetML uses; element names may carry a namespace prefix, e.g. x:row)
// ---------------------------------------------------------------------------------------------

const P = '(?:[A-Za-z_][\\w.-]*:)?';

const attrRes = new Map<string, RegExp>();
const elementRes = new Map<string, RegExp>();

function attr(attrs: string, name: string): string | undefined {
  let re = attrRes.get(name);
  if (!re) attrRes.set(name, (re = new RegExp(`(?:^|\\s)${P}${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)));
  const m = re.exec(attrs);
  return m ? decodeXml(m[1] ?? m[2]) : undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

/** Every element `name` (self-closing or not, not nested in itself): its attributes and its inner XML. */
function elements(xml: string, name: string): { attrs: string; inner: string }[] {
  let re = elementRes.get(name);
  if (!re) elementRes.set(name, (re = new RegExp(`<${P}${name}(?=[\\s/>])([^>]*?)(?:/>|>([\\s\\S]*?)</${P}${name}\\s*>)`, 'g')));
  const out: { attrs: string; inner: string }[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push({ attrs: m[1], inner: m[2] ?? '' });
  return out;
}

/** The first element `name`, or null. */
function element(xml: string, name: string): { attrs: string; inner: string } | null {
  return elements(xml, name)[0] ?? null;
}

/** The text of a string item (<si> or <is>): its <t> runs joined, phonetic runs (<rPh>) left out. */
function stringItem(inner: string): string {
  const s = inner.includes('rPh') ? inner.replace(new RegExp(`<${P}rPh[\\s>][\\s\\S]*?</${P}rPh\\s*>`, 'g'), '') : inner;
  let out = '';
  for (const t of elements(s, 't')) out += t.inner;
  return decodeXml(out);
}

// ---------------------------------------------------------------------------------------------
// Number formats (exceljs's built-in table and isDateFmt)
// ---------------------------------------------------------------------------------------------

const BUILTIN_FORMATS: Record<number, string> = {
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy "h":mm',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
};

function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhMsb]+/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** Style index (the s of a cell) → whether its number format shows a date. */
function dateStyles(stylesXml: string | null): boolean[] {
  if (!stylesXml) return [];
  const custom = new Map<number, string>();
  for (const f of elements(stylesXml, 'numFmt')) custom.set(Number(attr(f.attrs, 'numFmtId')), attr(f.attrs, 'formatCode') ?? '');
  const xfs = element(stylesXml, 'cellXfs');
  if (!xfs) return [];
  const out: boolean[] = [];
  for (const xf of elements(xfs.inner, 'xf')) {
    const id = Number(attr(xf.attrs, 'numFmtId') ?? 0);
    out.push(id !== 0 && isDateFormat(custom.get(id) ?? BUILTIN_FORMATS[id]));
  }
  return out;
}

/** Excel's serial day → Date (exceljs's excelToDate). */
function excelDate(v: number, date1904: boolean): Date {
  return new Date(Math.round((v - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

// ---------------------------------------------------------------------------------------------
// Workbook
// ---------------------------------------------------------------------------------------------

export interface XlsxWorkbook {
  /** The sheets in the workbook's order (the tabs staff see). */
  sheets: string[];
  /** A sheet's rows: rows[i] is sheet row i + 1 (absent rows left undefined), each a list of values by column. */
  readSheet(index: number): RawValue[][];
}

function colIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return n - 1;
}

export function openXlsx(data: Buffer): XlsxWorkbook {
  const entries = zipEntries(data);
  const workbook = zipText(data, entries, 'xl/workbook.xml');
  const rels = zipText(data, entries, 'xl/_rels/workbook.xml.rels');
  if (!workbook || !rels) throw new XlsxUnsupported('no workbook');
  const targets = new Map<string, string>();
  for (const r of elements(rels, 'Relationship')) {
    const id = attr(r.attrs, 'Id');
    const target = attr(r.attrs, 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`);
  }
  const sheets: { name: string; path: string }[] = [];
  for (const s of elements(workbook, 'sheet')) {
    const path = targets.get(attr(s.attrs, 'id') ?? '');
    if (!path) throw new XlsxUnsupported('sheet without a part');
    sheets.push({ name: attr(s.attrs, 'name') ?? `Sheet${sheets.length + 1}`, path });
  }
  const pr = element(workbook, 'workbookPr');
  const date1904 = pr ? ['1', 'true'].includes(attr(pr.attrs, 'date1904') ?? '') : false;
  let shared: string[] | null = null;
  let dates: boolean[] | null = null;

  return {
    sheets: sheets.map((s) => s.name),
    readSheet(index) {
      const xml = zipText(data, entries, sheets[index].path);
      if (xml === null) throw new XlsxUnsupported('missing sheet part');
      shared ??= elements(zipText(data, entries, 'xl/sharedStrings.xml') ?? '', 'si').map((si) => stringItem(si.inner));
      dates ??= dateStyles(zipText(data, entries, 'xl/styles.xml'));
      const rows: RawValue[][] = [];
      let rowNo = 0;
      for (const row of elements(xml, 'row')) {
        const r = Number(attr(row.attrs, 'r'));
        rowNo = Number.isInteger(r) && r > 0 ? r : rowNo + 1;
        const values: RawValue[] = [];
        let col = -1;
        for (const c of elements(row.inner, 'c')) {
          const ref = attr(c.attrs, 'r');
          col = ref ? colIndex(ref) : col + 1;
          const v = cellValue(c.attrs, c.inner, shared, dates, date1904);
          // An empty string is an empty cell (as exceljs has it).
          if (v !== null && v !== '' && col >= 0) {
            while (values.length < col) values.push(null);
            values[col] = v;
          }
        }
        rows[rowNo - 1] = values;
      }
      return rows;
    },
  };
}

function cellValue(attrs: string, inner: string, shared: string[], dates: boolean[], date1904: boolean): RawValue {
  const t = attr(attrs, 't') ?? 'n';
  if (t === 'inlineStr') {
    const is = element(inner, 'is');
    return is ? stringItem(is.inner) : null;
  }
  const vEl = element(inner, 'v');
  if (!vEl) return null;
  const v = decodeXml(vEl.inner);
  switch (t) {
    case 's': {
      const s = shared[Number(v)];
      if (s === undefined) throw new XlsxUnsupported('shared string out of range');
      return s;
    }
    case 'str':
      return v;
    case 'b':
      return Number(v) !== 0 ? 'true' : 'false';
    case 'e':
      return null;
    case 'd': {
      const d = new Date(v);
      return Number.isNaN(d.getTime()) ? null : d;
    }
    default: {
      const n = parseFloat(v);
      if (!Number.isFinite(n)) return null;
      const s = Number(attr(attrs, 's') ?? 0);
      return s && dates[s] ? excelDate(n, date1904) : n;
    }
  }
}
