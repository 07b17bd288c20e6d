import { num, todayLocal } from '../../lib/format';
import { useCallback, useEffect, useState } from 'react';
import type { MethodInput, MethodName, MethodOutput } from '../../../src-main/shared/api/contract';
import { api } from '../../api/client';
import { errorText } from '../../lib/errors';
import type { Lang } from '../../i18n';

/** Loads a read method's result, with reload and a translated error. */
export function useApi<M extends MethodName>(method: M, input: MethodInput<M>, deps: unknown[]) {
  const [data, setData] = useState<MethodOutput<M> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(input);
  const load = useCallback(async () => {
    try {
      setData(await api.call(method, input));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [method, key, ...deps]);
  useEffect(() => {
    void load();
  }, [load]);
  return { data, error, reload: load };
}

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
