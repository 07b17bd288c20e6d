import { toAsciiDigits } from './digits';

/** The soft format check of a CIN/CNIE number (a warning, not a refusal: older and special cases vary). */
export const CIN_FORMAT = /^[A-Z]{1,2}[0-9]{4,7}$/;

/** Uppercase, ASCII digits, no spaces, dashes, dots, slashes or underscores. */
export function normalizeCin(raw: string): string {
  return toAsciiDigits(String(raw ?? ''))
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-._/\\\u200e\u200f\u202a-\u202e]+/g, '');
}

export function cinFormatOk(normalized: string): boolean {
  return CIN_FORMAT.test(normalized);
}

/** True when a search query looks like the start of a CIN (1–2 letters then at least one digit). */
export function looksLikeCinPrefix(q: string): boolean {
  return /^[A-Z]{1,2}[0-9]{1,7}$/.test(normalizeCin(q));
}
