/**
 * The shared formatting module (src-main/shared/format, docs/FORMAT.md) bound to the interface language:
 * every screen writes numbers, dates, times and ranges through these, never toLocaleString / toFixed.
 */
import * as f from '../../src-main/shared/format';
import { currentLang } from '../i18n';

export { formatDate, formatTime, formatDateTime, localDay, parseDayMonthYear, getDefaultTimeZone } from '../../src-main/shared/format';

export const num = (n: number, opts?: f.NumberOptions) => f.formatNumber(n, currentLang(), opts);
export const integer = (n: number) => f.formatInteger(n, currentLang());
export const percent = (ratio: number, maxDecimals = 1) => f.formatPercent(ratio, currentLang(), maxDecimals);
export const hours = (h: number) => f.formatHours(h, currentLang());
export const bytes = (n: number) => f.formatBytes(n, currentLang());
export const dateLong = (v: string | null | undefined) => f.formatDateLong(v, currentLang());
export const month = (ym: string) => f.formatMonth(ym, currentLang());
export const range = (from: string | null | undefined, to: string | null | undefined, opts?: f.RangeOptions) =>
  f.formatRange(from, to, currentLang(), opts);
/** Today's date (YYYY-MM-DD) in local time (Africa/Casablanca by default), not the machine's zone. */
export const todayLocal = () => f.localDay(Date.now());
