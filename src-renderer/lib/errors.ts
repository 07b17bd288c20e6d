import { issueMessage, translateError, type ValidationIssue } from '../../src-main/shared/i18n/translate-error';
import { asApiError } from '../api/client';
import { i18n, currentLang } from '../i18n';

/** The translated message of any failure (an ApiError code, a UI code `ui.*`, or an unexpected exception). */
export function errorText(e: unknown): string {
  const err = asApiError(e);
  const lang = currentLang();
  if (err.code.startsWith('ui.')) return i18n.t(`common:errors.${err.code}`);
  return translateError(err.payload, lang);
}

/** One translated message per field of a `validation.failed` error (the zod path, e.g. `admin.password`). */
export function fieldErrors(e: unknown): Record<string, string> {
  const err = asApiError(e);
  const lang = currentLang();
  const out: Record<string, string> = {};
  if (err.code !== 'validation.failed' || !Array.isArray(err.params.issues)) return out;
  for (const i of err.params.issues as ValidationIssue[]) {
    if (!(i.path in out)) out[i.path] = issueMessage(i, lang);
  }
  return out;
}

/** A message code (error or warning code) with parameters → text. */
export function codeText(code: string, params: Record<string, unknown> = {}): string {
  return translateError({ code, params }, currentLang());
}
