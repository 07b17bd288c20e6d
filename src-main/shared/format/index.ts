/**
 * One way to write numbers, dates, times and ranges on every screen, PDF and workbook (issues 14 and 15).
 * Pure TypeScript: imported by the core (PDFs, workbooks, CLI) and the renderer alike.
 *
 * Rules (both languages, as Moroccan administration writes them):
 * - dates day first, dd/mm/yyyy, Western digits (12/02/2026);
 * - times on 24 hours, HH:mm (09:00, 17:30);
 * - decimals with a comma: French "33,5 heures", Arabic "33,5 ساعة";
 *   thousands: French with a narrow no-break space (1 234,5), Arabic with a dot (1.234,5) — a space between
 *   digits would let the bidi algorithm reorder the groups in right-to-left text, a dot keeps them one number;
 * - ranges in words ("du … au …", "من … إلى …"), never an arrow (→ points backwards in Arabic);
 * - every timestamp (an instant, ISO with a time) is shown in local time, Africa/Casablanca unless told
 *   otherwise, whatever the machine's time zone. A calendar date (YYYY-MM-DD) is never shifted.
 */
import { wallClock } from '../time';

export type FormatLang = 'ar' | 'fr';

export const DEFAULT_TIME_ZONE = 'Africa/Casablanca';

let defaultTimeZone = DEFAULT_TIME_ZONE;

/** Change the zone used when none is passed (an office setting; tests). Returns the previous one. */
export function setDefaultTimeZone(tz: string): string {
  // Throws a RangeError on an unknown zone, before it is kept.
  new Intl.DateTimeFormat('en', { timeZone: tz });
  const prev = defaultTimeZone;
  defaultTimeZone = tz;
  return prev;
}

export function getDefaultTimeZone(): string {
  return defaultTimeZone;
}

export interface ZoneOption {
  /** IANA zone; the default zone (Africa/Casablanca) when absent. */
  tz?: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/* ------------------------------------------------------------------ numbers */

const NNBSP = '\u202F';
const NBSP = '\u00A0';

export interface NumberOptions {
  /** Most digits after the comma (trailing zeros dropped). Default 2. */
  maxDecimals?: number;
  /** Fewest digits after the comma (kept even if zero). Default 0. */
  minDecimals?: number;
}

/** 1234.5 → "1 234,5" (fr) / "1.234,5" (ar). Negative numbers with a minus sign in front. */
export function formatNumber(n: number, lang: FormatLang, opts: NumberOptions = {}): string {
  if (!Number.isFinite(n)) return '—';
  const max = opts.maxDecimals ?? 2;
  const min = Math.min(opts.minDecimals ?? 0, max);
  const neg = n < 0;
  // Round half away from zero on the decimal string, not on binary floats (2.675 → 2,68).
  const fixed = roundDecimal(Math.abs(n), max);
  let [int, frac = ''] = fixed.split('.');
  frac = frac.replace(/0+$/, '');
  while (frac.length < min) frac += '0';
  const sep = lang === 'ar' ? '.' : NNBSP;
  int = int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  const body = frac ? `${int},${frac}` : int;
  return neg && (Number(fixed) !== 0) ? `-${body}` : body;
}

function roundDecimal(x: number, digits: number): string {
  // toFixed rounds the binary value (1.005 → "1.00"); nudge by the decimal string first.
  const s = x.toPrecision(15);
  const v = Number(s);
  const f = Math.pow(10, digits);
  const r = Math.round(v * f + (v * f) * Number.EPSILON) / f;
  return r.toFixed(digits);
}

/** A whole number: 1234 → "1 234" / "1.234". */
export function formatInteger(n: number, lang: FormatLang): string {
  return formatNumber(Math.round(n), lang, { maxDecimals: 0 });
}

/** A ratio as a percentage: 0.345 → "34,5 %" (fr) / "34,5%" (ar). */
export function formatPercent(ratio: number, lang: FormatLang, maxDecimals = 1): string {
  const n = formatNumber(ratio * 100, lang, { maxDecimals });
  return lang === 'ar' ? `${n}%` : `${n}${NBSP}%`;
}

/** Hours with their word: 33.5 → "33,5 heures" / "33,5 ساعة"; 1 → "1 heure" / "ساعة واحدة". */
export function formatHours(h: number, lang: FormatLang): string {
  const n = formatNumber(h, lang, { maxDecimals: 2 });
  if (lang === 'fr') return `${n}${NBSP}${Math.abs(h) < 2 ? 'heure' : 'heures'}`;
  if (h === 1) return 'ساعة واحدة';
  if (h === 2) return 'ساعتان';
  if (Number.isInteger(h) && h >= 3 && h <= 10) return `${n}${NBSP}ساعات`;
  return `${n}${NBSP}ساعة`;
}

/** A file size: 1536 → "1,5 Ko" / "1,5 ك.ب". */
export function formatBytes(bytes: number, lang: FormatLang): string {
  const units = lang === 'ar' ? ['بايت', 'ك.ب', 'م.ب', 'ج.ب'] : ['o', 'Ko', 'Mo', 'Go'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${formatNumber(v, lang, { maxDecimals: i === 0 ? 0 : 1 })}${NBSP}${units[i]}`;
}

/* ------------------------------------------------------------------ dates and times */

export const MONTHS_AR = ['يناير', 'فبراير', 'مارس', 'أبريل', 'ماي', 'يونيو', 'يوليوز', 'غشت', 'شتنبر', 'أكتوبر', 'نونبر', 'دجنبر'];
export const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
export const WEEKDAYS_AR = ['الأحد', 'الإثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت'];
export const WEEKDAYS_FR = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'];

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

type Instant = string | number | Date;

function toDate(v: Instant): Date | null {
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The wall-clock parts of an instant in a zone (default Africa/Casablanca). */
export function localParts(at: Instant, opts: ZoneOption = {}): LocalParts | null {
  const d = toDate(at);
  if (!d) return null;
  // The office calendar's own reading (shared/time), in the zone asked for.
  return wallClock(d, opts.tz ?? defaultTimeZone);
}

/** The local calendar day (YYYY-MM-DD) of an instant: "today" is localDay(clock.now()). */
export function localDay(at: Instant, opts: ZoneOption = {}): string {
  const p = localParts(at, opts);
  if (!p) return '';
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/**
 * A date as dd/mm/yyyy. A calendar date (YYYY-MM-DD) is written as is; an instant (ISO with a time,
 * a Date, epoch ms) is first put in local time. Empty or unreadable input gives ''.
 */
export function formatDate(v: Instant | null | undefined, opts: ZoneOption = {}): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string') {
    const m = CALENDAR_DATE.exec(v);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  const p = localParts(v, opts);
  if (!p) return typeof v === 'string' ? v : '';
  return `${pad(p.day)}/${pad(p.month)}/${pad(p.year, 4)}`;
}

/**
 * A time on 24 hours, HH:mm. A wall-clock time ("9:00", "09:00:00") is written as is (padded);
 * an instant is put in local time first.
 */
export function formatTime(v: Instant | null | undefined, opts: ZoneOption = {}): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string') {
    const m = /^(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(v);
    if (m) return `${pad(Number(m[1]))}:${m[2]}`;
  }
  const p = localParts(v, opts);
  if (!p) return typeof v === 'string' ? v : '';
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** An instant as "dd/mm/yyyy HH:mm" in local time. */
export function formatDateTime(v: Instant | null | undefined, opts: ZoneOption & { seconds?: boolean } = {}): string {
  if (v === null || v === undefined || v === '') return '';
  const p = localParts(v, opts);
  if (!p) return typeof v === 'string' ? v : '';
  const s = opts.seconds ? `:${pad(p.second)}` : '';
  return `${pad(p.day)}/${pad(p.month)}/${pad(p.year, 4)} ${pad(p.hour)}:${pad(p.minute)}${s}`;
}

/** A calendar date (YYYY-MM-DD) or an instant, in words: "2 décembre 2026" / "2 دجنبر 2026". */
export function formatDateLong(v: Instant | null | undefined, lang: FormatLang, opts: ZoneOption = {}): string {
  const short = formatDate(v, opts);
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(short);
  if (!m) return short;
  const day = Number(m[1]);
  const month = (lang === 'ar' ? MONTHS_AR : MONTHS_FR)[Number(m[2]) - 1];
  return `${lang === 'fr' && day === 1 ? '1er' : day} ${month} ${m[3]}`;
}

/** "2026-11" → "novembre 2026" / "نونبر 2026". */
export function formatMonth(ym: string, lang: FormatLang): string {
  const m = /^(\d{4})-(\d{2})/.exec(ym);
  if (!m) return ym;
  return `${(lang === 'ar' ? MONTHS_AR : MONTHS_FR)[Number(m[2]) - 1]} ${m[1]}`;
}

/** The month names of a language (pickers). */
export function monthNames(lang: FormatLang): readonly string[] {
  return lang === 'ar' ? MONTHS_AR : MONTHS_FR;
}

/** Words that join the two ends of a range. */
const RANGE_WORDS = {
  date: { ar: ['من', 'إلى'], fr: ['du', 'au'] },
  time: { ar: ['من', 'إلى'], fr: ['de', 'à'] },
  number: { ar: ['من', 'إلى'], fr: ['de', 'à'] },
} as const;

export interface RangeOptions extends ZoneOption {
  /** What the ends are: dates (default), times or plain numbers/text already written. */
  kind?: 'date' | 'time' | 'number';
  /**
   * 'words' (default): "du 30/11/2026 au 06/12/2026" / "من 30/11/2026 إلى 06/12/2026";
   * 'dash': "30/11/2026 – 06/12/2026", the dash held between right-to-left marks in Arabic so that the
   * first end stays on the right.
   */
  style?: 'words' | 'dash';
}

/**
 * A range that reads right in both directions. The ends may be calendar dates, instants, times, or
 * text already formatted (kind 'number'). One end missing → only the other, with "from"/"until" words.
 */
export function formatRange(from: Instant | null | undefined, to: Instant | null | undefined, lang: FormatLang, opts: RangeOptions = {}): string {
  const kind = opts.kind ?? 'date';
  const fmt = (v: Instant | null | undefined) =>
    v === null || v === undefined || v === '' ? '' : kind === 'date' ? formatDate(v, opts) : kind === 'time' ? formatTime(v, opts) : String(v);
  const a = fmt(from);
  const b = fmt(to);
  if (!a && !b) return '';
  if (a && b && a === b) return a;
  if (opts.style === 'dash' && a && b) {
    return lang === 'ar' ? `\u200F${a}\u200F${NBSP}–${NBSP}\u200F${b}\u200F` : `${a}${NBSP}–${NBSP}${b}`;
  }
  const [w1, w2] = RANGE_WORDS[kind][lang];
  if (a && b) return `${w1} ${a} ${w2} ${b}`;
  if (a) return lang === 'ar' ? `ابتداء من ${a}` : kind === 'date' ? `à partir du ${a}` : `à partir de ${a}`;
  return lang === 'ar' ? `إلى غاية ${b}` : kind === 'date' ? `jusqu’au ${b}` : `jusqu’à ${b}`;
}

/** The day (YYYY-MM-DD) in dd/mm/yyyy typed by a person → YYYY-MM-DD, or null (also accepts ISO). */
export function parseDayMonthYear(s: string): string | null {
  const t = s
    .trim()
    .replace(/[\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (c) => String(c.charCodeAt(0) - 0x06f0));
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  let y: number, mo: number, d: number;
  if (m) [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t))) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return null;
  if (mo < 1 || mo > 12 || d < 1 || y < 1900 || y > 2100) return null;
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > dim) return null;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
}
