import type { ErrorPayload } from '../errors';
import { fieldLabel } from './field-labels';
import { ERROR_TABLES, type ErrorCode } from './error-codes';

export type Lang = 'ar' | 'fr';

/** All messages by language (every table of error-codes.ts, merged once at import time). */
const messages: Record<Lang, Record<string, string>> = { ar: {}, fr: {} };
for (const m of ERROR_TABLES) {
  Object.assign(messages.ar, m.ar);
  Object.assign(messages.fr, m.fr);
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(messages.ar, code);
}

export function errorTemplate(code: string, lang: Lang): string | undefined {
  return messages[lang][code];
}

/** A field-level issue of a `validation.failed` error, as the dispatcher writes it from zod. */
export interface ValidationIssue {
  path: string;
  code?: string;
  message: string;
  params?: Record<string, unknown>;
  /** Set by a form that checks before sending: the field was left empty. */
  empty?: boolean;
}

/** Messages for issues zod words itself (no code of ours): a required field left empty, too long, invalid. */
const GENERIC_ISSUES: Record<Lang, Record<'required' | 'too_short' | 'too_long' | 'invalid', string>> = {
  ar: { required: 'هذا الحقل إلزامي.', too_short: 'النص أقصر من المطلوب.', too_long: 'النص أطول من المسموح به.', invalid: 'القيمة المدخلة غير مقبولة.' },
  fr: { required: 'Ce champ est obligatoire.', too_short: 'Le texte est trop court.', too_long: 'Le texte est trop long.', invalid: 'La valeur saisie n’est pas acceptée.' },
};

function genericIssue(i: ValidationIssue): keyof (typeof GENERIC_ISSUES)['ar'] {
  const m = i.message ?? '';
  if (i.empty || /received (undefined|null)/.test(m)) return 'required';
  if (i.code === 'too_small') return /(>=\s*1|>\s*0)\b/.test(m) ? 'required' : 'too_short';
  if (i.code === 'too_big') return 'too_long';
  return 'invalid';
}

/**
 * Puts the parameters in a message. A parameter that is missing is taken out with the quotes around it
 * (`Période « {{period}} » invalide` → `Période invalide`): a person never sees `{{…}}`.
 */
export function fillTemplate(tpl: string, params: Record<string, unknown>): string {
  return tpl
    .replace(/\s*«\s*\{\{(\w+)\}\}\s*»/g, (all, k) => (params[k] === undefined || params[k] === null ? '' : all))
    .replace(/\{\{(\w+)\}\}/g, (_, k) => (params[k] === undefined || params[k] === null ? '' : String(params[k])))
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** The message of one field issue, without the field's name (shown under the field). */
export function issueMessage(i: ValidationIssue, lang: Lang): string {
  const tpl = errorTemplate(i.message, lang);
  if (i.empty && !tpl?.includes('{{')) return tpl ?? GENERIC_ISSUES[lang].required;
  return tpl ? fillTemplate(tpl, i.params ?? {}) : GENERIC_ISSUES[lang][genericIssue(i)];
}

/** The message of one field issue with the field named as the form names it. */
export function issueText(i: ValidationIssue, lang: Lang): string {
  const msg = issueMessage(i, lang);
  const label = fieldLabel(i.path, lang);
  return label ? `${label}${lang === 'fr' ? ' : ' : ': '}${msg}` : msg;
}

/** Translates an error payload; unknown codes fall back to the code itself. */
export function translateError(err: ErrorPayload, lang: Lang): string {
  const params: Record<string, unknown> = { ...(err.params ?? {}) };
  if (err.code === 'validation.failed' && Array.isArray(params.issues)) {
    const seen = new Set<string>();
    params.fields = (params.issues as ValidationIssue[])
      .filter((i) => (seen.has(i.path) ? false : (seen.add(i.path), true)))
      .map((i) => issueText(i, lang))
      .join(lang === 'ar' ? ' ؛ ' : ' ; ');
  }
  if (err.code === 'auth.locked' && typeof params.until === 'string') {
    params.minutes = Math.max(1, Math.ceil((new Date(params.until).getTime() - Date.now()) / 60000));
  }
  const tpl = errorTemplate(err.code, lang) ?? err.code;
  return fillTemplate(tpl, params);
}
