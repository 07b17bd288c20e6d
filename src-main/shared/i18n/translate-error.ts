import type { ErrorPayload } from '../errors';
import { errorMessages } from './errors';
import { applicantsErrorMessages } from './errors-applicants';
import { sessionsErrorMessages } from './errors-sessions';
import { attestationsErrorMessages } from './errors-attestations';
import { reportsErrorMessages } from './errors-reports';
import { exchangeErrorMessages } from './errors-exchange';
import { securityErrorMessages } from './errors-security';
import { desktopErrorMessages } from './errors-desktop';
import { jobsErrorMessages } from './errors-jobs';
import { hardeningErrorMessages } from './errors-hardening';

export type Lang = 'ar' | 'fr';

/** Extra error messages registered by features (merged once at import time). */
const extra: Record<Lang, Record<string, string>> = { ar: {}, fr: {} };
for (const m of [applicantsErrorMessages, sessionsErrorMessages, attestationsErrorMessages, reportsErrorMessages, exchangeErrorMessages, securityErrorMessages, desktopErrorMessages, jobsErrorMessages, hardeningErrorMessages]) {
  Object.assign(extra.ar, m.ar);
  Object.assign(extra.fr, m.fr);
}
export function registerErrorMessages(m: Record<Lang, Record<string, string>>) {
  Object.assign(extra.ar, m.ar);
  Object.assign(extra.fr, m.fr);
}

export function errorTemplate(code: string, lang: Lang): string | undefined {
  return extra[lang][code] ?? (errorMessages[lang] as Record<string, string>)[code];
}

/** Translates an error payload; unknown codes fall back to the code itself. */
export function translateError(err: ErrorPayload, lang: Lang): string {
  const params: Record<string, unknown> = { ...(err.params ?? {}) };
  if (err.code === 'validation.failed' && Array.isArray(params.issues)) {
    params.fields = (params.issues as { path: string; message: string }[])
      .map((i) => {
        const specific = errorTemplate(i.message, lang);
        return specific ? `${i.path}: ${specific}` : i.path || i.message;
      })
      .join('، ');
  }
  if (err.code === 'auth.locked' && typeof params.until === 'string') {
    params.minutes = Math.max(1, Math.ceil((new Date(params.until).getTime() - Date.now()) / 60000));
  }
  const tpl = errorTemplate(err.code, lang) ?? err.code;
  return tpl.replace(/\{\{(\w+)\}\}/g, (_, k) => (params[k] === undefined ? '' : String(params[k])));
}
