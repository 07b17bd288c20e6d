import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { common } from './common';
import { auth } from './auth';
import { settings } from './settings';
import { applicants } from './applicants';
import { sessions } from './sessions';
import { security } from './security';
import { matching } from './matching';
import { recovery } from './recovery';
import { network } from './network';
import { attestations } from './attestations';
import { reports } from './reports';
import { exchange } from './exchange';
import { pickers } from './pickers';
import { account } from './account';

/**
 * One resource file per feature (`i18n/<feature>.ts` exporting `{ar, fr}`), each its own i18next
 * namespace: `useTranslation('<feature>')`. A feature adds its strings with one line here.
 */
const features = {
  common,
  auth,
  settings,
  applicants,
  sessions,
  security,
  matching,
  recovery,
  network,
  attestations,
  reports,
  exchange,
  pickers,
  account,
} satisfies Record<string, { ar: object; fr: object }>;

export type Lang = 'ar' | 'fr';
export const LANGS: Lang[] = ['ar', 'fr'];
export const dirOf = (lang: Lang): 'rtl' | 'ltr' => (lang === 'ar' ? 'rtl' : 'ltr');

const resources: Record<Lang, Record<string, object>> = { ar: {}, fr: {} };
for (const [ns, r] of Object.entries(features)) {
  resources.ar[ns] = r.ar;
  resources.fr[ns] = r.fr;
}

const LANG_STORAGE = 'jisr.lang';
export function initialLang(): Lang {
  const l = localStorage.getItem(LANG_STORAGE);
  return l === 'fr' ? 'fr' : 'ar';
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLang(),
  fallbackLng: 'ar',
  ns: Object.keys(features),
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** Switches the interface language and the document direction (`<html dir lang>`). */
export function applyLang(lang: Lang) {
  localStorage.setItem(LANG_STORAGE, lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = dirOf(lang);
  if (i18n.language !== lang) void i18n.changeLanguage(lang);
}

export function currentLang(): Lang {
  return i18n.language === 'fr' ? 'fr' : 'ar';
}

export { i18n };
