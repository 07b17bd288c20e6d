import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../../src-main/shared/errors';
import { ERROR_TABLES } from '../../src-main/shared/i18n/error-codes';
import { isErrorCode } from '../../src-main/shared/i18n/translate-error';

describe('error codes', () => {
  it('are checked by the compiler: a code without messages does not compile', () => {
    // @ts-expect-error — not a code of any table (a typo): tsc refuses it, and `npm test` runs tsc first.
    const typo: ErrorCode = 'applicant.not_fuond';
    expect(isErrorCode(typo)).toBe(false);
    expect(new AppError('applicant.not_found').code).toBe('applicant.not_found');
  });

  it('every table has the same codes in Arabic and French, each with one prefix of its feature', () => {
    const prefixes = new Set<string>();
    for (const t of ERROR_TABLES) {
      expect(Object.keys(t.fr).sort()).toEqual(Object.keys(t.ar).sort());
      for (const code of Object.keys(t.ar)) {
        expect(code).toMatch(/^[a-zA-Z]+\.[a-z0-9_]+$/);
        prefixes.add(code.split('.')[0]!);
      }
    }
    // One prefix per feature: no singular/plural pair (applicant/applicants, session/sessions).
    for (const p of prefixes) expect(prefixes.has(`${p}s`), `${p} and ${p}s`).toBe(false);
  });
});
