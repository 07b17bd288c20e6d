import { num, todayLocal } from '../../lib/format';
import type { Lang } from '../../i18n';

/** Today (YYYY-MM-DD) in local time, Africa/Casablanca by default (docs/FORMAT.md). */
export const todayIso = (): string => todayLocal();

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Full name in the interface language (Arabic first; Latin when the Arabic is empty, and the reverse). */
export function personName(p: { firstNameAr: string; lastNameAr: string; firstNameLat: string; lastNameLat: string }, lang: Lang): string {
  const ar = `${p.firstNameAr} ${p.lastNameAr}`.trim();
  const lat = `${p.firstNameLat} ${p.lastNameLat}`.trim();
  return lang === 'ar' ? ar || lat : lat || ar;
}

export const label = (x: { nameAr?: string; nameFr?: string; labelAr?: string; labelFr?: string }, lang: Lang) =>
  lang === 'ar' ? (x.nameAr ?? x.labelAr ?? '') : (x.nameFr ?? x.labelFr ?? '');

/** Hours and percentages with the decimal comma of the language (docs/FORMAT.md). */
export const fmtHours = (h: number) => num(h, { maxDecimals: 2 });
export const fmtPercent = (r: number) => num(r * 100, { maxDecimals: 1 });
