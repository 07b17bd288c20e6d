import { formatDate, formatDateTime, localDay } from '../../src-main/shared/format';
import { useEffect, useState } from 'react';
import type { RefItem, RefKind } from '../../src-main/shared/api/applicants.contract';
import type { Commune } from '../../src-main/shared/api/system.contract';
import { api } from '../api/client';
import { errorText } from './errors';
import type { Lang } from '../i18n';

export interface Lookups {
  refs: Record<RefKind, RefItem[]>;
  communes: Commune[];
  communeByCode: Map<string, Commune>;
}

let cached: Promise<Lookups> | null = null;
/** The lists once they came: a screen that opens after that shows them at its first render (no loader first). */
let ready: Lookups | null = null;

/** Reference lists and the office's communes, loaded once per session (they change rarely). */
export function loadLookups(provinceCode: string | null): Promise<Lookups> {
  if (!cached) {
    cached = Promise.all([
      api.call('refs.list', {}),
      api.call('territories.communes', provinceCode ? { provinceCode } : {}),
    ]).then(([items, communes]) => {
      const refs = {} as Record<RefKind, RefItem[]>;
      for (const r of items) (refs[r.kind] ??= []).push(r);
      ready = { refs, communes, communeByCode: new Map(communes.map((c) => [c.code, c])) };
      return ready;
    });
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}

export function useLookups(provinceCode: string | null): { lookups: Lookups | null; error: string | null } {
  const [lookups, setLookups] = useState<Lookups | null>(() => ready);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    loadLookups(provinceCode)
      .then((l) => live && setLookups(l))
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [provinceCode]);
  return { lookups, error };
}

export const label = (x: { labelAr: string; labelFr: string } | { nameAr: string; nameFr: string } | null | undefined, lang: Lang): string => {
  if (!x) return '';
  if ('labelAr' in x) return lang === 'ar' ? x.labelAr : x.labelFr;
  return lang === 'ar' ? x.nameAr : x.nameFr;
};

/** The name in the interface's script first, the other after it. */
export function displayName(a: { firstNameAr: string; lastNameAr: string; firstNameLat: string; lastNameLat: string }, lang: Lang): { main: string; other: string } {
  const ar = `${a.firstNameAr} ${a.lastNameAr}`.trim();
  const lat = `${a.firstNameLat} ${a.lastNameLat}`.trim();
  return lang === 'ar' ? { main: ar || lat, other: ar ? lat : '' } : { main: lat || ar, other: lat ? ar : '' };
}

/** Today (YYYY-MM-DD) in local time, Africa/Casablanca by default (docs/FORMAT.md). */
export function today(): string {
  return localDay(Date.now());
}

/** Dates shown day first (dd/mm/yyyy) in both languages, as on Moroccan forms (the shared format module). */
export function showDate(iso: string | null | undefined): string {
  return formatDate(iso);
}

/** An instant as dd/mm/yyyy HH:mm in local time. */
export function showDateTime(iso: string | null | undefined): string {
  return formatDateTime(iso);
}
