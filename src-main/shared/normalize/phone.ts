import { toAsciiDigits } from './digits';

/** Moroccan numbers in E.164: fixed 05…, mobile 06…/07… (ANRT plan, 9-digit national significant number). */
export const PHONE_E164 = /^\+212[5-7]\d{8}$/;

/** Only the digits and a leading '+' (spaces, dots, dashes, brackets and direction marks dropped). */
function compact(raw: string): string {
  const s = toAsciiDigits(String(raw ?? '')).trim();
  const plus = s.startsWith('+');
  return (plus ? '+' : '') + s.replace(/\D+/g, '');
}

/**
 * A Moroccan phone number in any usual spelling (06…, 07…, 05…, 6…, 212…, 00212…, +212…, +212 (0)6…,
 * with spaces, dots or dashes, Arabic-Indic digits) → E.164 `+2126XXXXXXXX`, or null when it is not one.
 */
export function normalizePhone(raw: string): string | null {
  let d = compact(raw);
  if (d.startsWith('+')) d = d.slice(1);
  else if (d.startsWith('00')) d = d.slice(2);
  else if (d.startsWith('0')) d = '212' + d.slice(1);
  else if (d.length === 9) d = '212' + d;
  if (d.startsWith('2120')) d = '212' + d.slice(4); // +212 (0)6 …
  const e164 = '+' + d;
  return PHONE_E164.test(e164) ? e164 : null;
}

/**
 * The E.164 prefix of a partly typed phone number (search as you type): "06 12" → "+212612",
 * "+2126" → "+2126". Null when the text is not the start of a Moroccan number.
 */
export function phonePrefix(raw: string): string | null {
  let d = compact(raw);
  if (!/^\+?\d+$/.test(d)) return null;
  if (d.startsWith('+')) d = d.slice(1);
  else if (d.startsWith('00')) d = d.slice(2);
  else if (d.startsWith('0')) d = '212' + d.slice(1);
  else if (!d.startsWith('212')) return null;
  if (d.startsWith('2120')) d = '212' + d.slice(4);
  if (d.length > 12) return null;
  if (d.length > 3 && !/^212[5-7]/.test(d)) return null;
  return '+' + d;
}
