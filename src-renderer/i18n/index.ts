import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { common } from './common';
import { auth } from './auth';
import { recovery } from './recovery';
import { network } from './network';

/**
 * One resource file per feature (`i18n/<feature>.ts` exporting `{ar, fr}`), each its own i18next
 * namespace: `useTranslation('<feature>')`. A feature adds its strings with one line here: in `features` when the
 * login screen (or the boot) shows them, in `later` otherwise.
 *
 * Issue 15 (first load ≤ 1.5 s): the login screen carries only its own strings; the others are one chunk fetched
 * with the shell, the setup and the pairing screens (`loadLaterStrings`, awaited before any of them shows), both
 * languages at once, so that switching language never waits.
 */
const features = {
  common,
  auth,
  recovery,
  network,
} satisfies Record<string, { ar: object; fr: object }>;

const later = () => import('./later').then((m) => m.later);
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

let laterLoaded: Promise<void> | null = null;

/**
 * The strings of every screen after the login (the features' namespaces not in `features`), both languages; once.
 * The shell, the setup and the pairing screens wait for it before they show (App.tsx), so no screen shows a key.
 */
export function loadLaterStrings(): Promise<void> {
  laterLoaded ??= later().then(
    (namespaces) => {
      for (const [ns, r] of Object.entries(namespaces)) {
        i18n.addResourceBundle('ar', ns, r.ar, true, true);
        i18n.addResourceBundle('fr', ns, r.fr, true, true);
      }
    },
    (e: unknown) => {
      laterLoaded = null;
      throw e;
    },
  );
  return laterLoaded;
}

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
