import { startOfLocalDayUtc } from '../../shared/time';
import { AppError } from '../../shared/errors';

/** A reporting period: a month (2026-11), a quarter (2026-Q4) or a year (2026). */
export interface Period {
  /** As given: 2026-11 | 2026-Q4 | 2026. */
  code: string;
  kind: 'month' | 'quarter' | 'year';
  /** First day, YYYY-MM-DD (inclusive). */
  start: string;
  /** Day after the last day, YYYY-MM-DD (exclusive). */
  end: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  last: string;
  /** The instant the period begins (local midnight of `start` in the office's time zone), ISO UTC: compared with stored timestamps. */
  startAt: string;
  /** The instant the period ends (local midnight of `end`), ISO UTC, exclusive. */
  endAt: string;
  /** The months of the period, YYYY-MM, in order. */
  months: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

function monthAdd(y: number, m: number, add: number): [number, number] {
  const t = y * 12 + (m - 1) + add;
  return [Math.floor(t / 12), (t % 12) + 1];
}

function fromMonths(code: string, kind: Period['kind'], y: number, m: number, count: number): Period {
  const months: string[] = [];
  for (let i = 0; i < count; i++) {
    const [yy, mm] = monthAdd(y, m, i);
    months.push(`${yy}-${pad(mm)}`);
  }
  const [ey, em] = monthAdd(y, m, count);
  const end = `${ey}-${pad(em)}-01`;
  const lastDate = new Date(Date.UTC(ey, em - 1, 1) - 86400000);
  const start = `${y}-${pad(m)}-01`;
  return { code, kind, start, end, last: lastDate.toISOString().slice(0, 10), months, startAt: startOfLocalDayUtc(start), endAt: startOfLocalDayUtc(end) };
}

export const PERIOD_PATTERN = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;

export function parsePeriod(code: string): Period {
  const m = PERIOD_PATTERN.exec(code.trim());
  if (!m) throw new AppError('reports.period_invalid', { period: code });
  const y = Number(m[1]);
  if (y < 2000 || y > 2100) throw new AppError('reports.period_invalid', { period: code });
  if (m[2]) return fromMonths(code, 'month', y, Number(m[2]), 1);
  if (m[3]) return fromMonths(code, 'quarter', y, (Number(m[3]) - 1) * 3 + 1, 3);
  return fromMonths(code, 'year', y, 1, 12);
}

/** The twelve months ending with the period's last month (the dashboard's registration trend). */
export function trailingMonths(p: Period, count = 12): string[] {
  const [y, m] = p.months[p.months.length - 1].split('-').map(Number);
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const [yy, mm] = monthAdd(y, m, -i);
    out.push(`${yy}-${pad(mm)}`);
  }
  return out;
}

/** The period's label in Arabic or French (نونبر 2026, T4 2026 …). */
export function periodLabel(p: Period, lang: 'ar' | 'fr'): string {
  const MONTHS_AR = ['يناير', 'فبراير', 'مارس', 'أبريل', 'ماي', 'يونيو', 'يوليوز', 'غشت', 'شتنبر', 'أكتوبر', 'نونبر', 'دجنبر'];
  const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
  const y = p.start.slice(0, 4);
  if (p.kind === 'month') {
    const mi = Number(p.start.slice(5, 7)) - 1;
    return lang === 'ar' ? `${MONTHS_AR[mi]} ${y}` : `${MONTHS_FR[mi]} ${y}`;
  }
  if (p.kind === 'quarter') {
    const q = (Number(p.start.slice(5, 7)) - 1) / 3 + 1;
    return lang === 'ar' ? `الفصل ${q} من سنة ${y}` : `${q}${q === 1 ? 'er' : 'e'} trimestre ${y}`;
  }
  return lang === 'ar' ? `سنة ${y}` : `Année ${y}`;
}

export function monthLabel(ym: string, lang: 'ar' | 'fr'): string {
  return periodLabel(parsePeriod(ym), lang);
}
