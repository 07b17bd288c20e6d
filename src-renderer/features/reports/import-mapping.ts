/** Pure helpers of the import's mapping step (no React: the e2e test checks them against the core). */
import type { ImportMapping } from '../../../src-main/shared/api/reports.contract';

/** Excel's column letters (0 → A, 26 → AA), as staff see them in the file. */
export function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * The required fields a mapping does not cover, while the user edits it (the same rule as the core's
 * `missingFields`, core/reports/import/mapping.ts; the core checks again on every analyse/commit and
 * answers import.mapping_incomplete). The first display uses the core's own answer (preview.missing).
 */
export function missingFor(m: ImportMapping): string[] {
  const f = new Set(Object.values(m));
  const missing: string[] = [];
  if (!f.has('cin')) missing.push('cin');
  const names =
    f.has('fullName') ||
    (f.has('lastName') && f.has('firstName')) ||
    (f.has('lastNameAr') && f.has('firstNameAr')) ||
    (f.has('lastNameLat') && f.has('firstNameLat'));
  if (!names) missing.push('names');
  if (!f.has('birthDate')) missing.push('birthDate');
  if (!f.has('commune')) missing.push('commune');
  return missing;
}

/** Sheet box → the import's `sheet`: a number up to 100 is the sheet's position, anything else its name. */
export function sheetInput(s: string): string | number | undefined {
  const v = s.trim();
  if (!v) return undefined;
  return /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 100 ? Number(v) : v;
}

/** Whether two mappings map the same columns to the same fields. */
export const sameMapping = (a: ImportMapping, b: ImportMapping) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};
