import { toAsciiDigits } from './digits';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function valid(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return null;
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > dim) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** An Excel serial day number (1900 date system, with its 1900-02-29 bug) → YYYY-MM-DD. */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 80000) return null;
  const days = Math.floor(serial);
  // Serial 60 is the non-existent 1900-02-29; serials after it are one day ahead.
  const epoch = Date.UTC(1899, 11, 31);
  const t = epoch + (days > 60 ? days - 1 : days) * 86400000;
  const dt = new Date(t);
  return valid(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

/**
 * A date in the spellings met on forms and spreadsheets → YYYY-MM-DD, or null:
 * ISO (2001-03-09, 2001/3/9, with or without a time), dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy,
 * an Excel serial (36959), a JS Date, Arabic-Indic digits (٠٩/٠٣/٢٠٠١).
 */
export function parseDateInput(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) {
    return Number.isNaN(v.getTime()) ? null : valid(v.getUTCFullYear(), v.getUTCMonth() + 1, v.getUTCDate());
  }
  if (typeof v === 'number') return excelSerialToIso(v);
  if (typeof v !== 'string') return null;
  const s = toAsciiDigits(v).trim().replace(/[\u200e\u200f]/g, '');
  if (!s) return null;
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(s);
  if (m) return valid(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (m) return valid(+m[3], +m[2], +m[1]);
  if (/^\d{4,5}(\.\d+)?$/.test(s)) return excelSerialToIso(Number(s));
  return null;
}

/** Whole years between a birth date and a day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age--;
  return age;
}

/** The birth date that makes someone exactly `age` years old on `day` (the latest such date). */
export function birthDateForAge(age: number, day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const yy = y - age;
  const dim = new Date(Date.UTC(yy, m, 0)).getUTCDate();
  return `${pad(yy, 4)}-${pad(m)}-${pad(Math.min(d, dim))}`;
}

/** Day and month swapped (a common keying slip), when that is a different valid date. */
export function swapDayMonth(iso: string): string | null {
  const [y, m, d] = iso.split('-').map(Number);
  if (m === d) return null;
  return valid(y, d, m);
}

/**
 * A time of day as staff type it → HH:mm on 24 hours, or null: 9, 09, 9:30, 09:30, 9h30, 9H, 9.30, 0930, 930,
 * 09:30:00, Arabic-Indic digits (٠٩:٣٠). Minutes need two digits ("9:3" is not read, so a time typed digit by
 * digit is not taken half-way). No AM/PM: the form's times are on 24 hours (docs/FORMAT.md).
 */
export function parseTimeInput(v: string): string | null {
  const s = toAsciiDigits(v).trim().replace(/[\u200e\u200f\s]/g, '');
  if (!s) return null;
  const m = /^(\d{1,2})(?:[:hH.](\d{2})?(?::\d{2})?)?$/.exec(s) ?? /^(\d{1,2})(\d{2})$/.exec(s);
  if (!m) return null;
  const h = +m[1];
  const min = m[2] === undefined ? 0 : +m[2];
  if (h > 23 || min > 59) return null;
  return `${pad(h)}:${pad(min)}`;
}
