import type { ImportMapping } from './api/reports.contract';

/**
 * The fields an imported row needs that a column mapping does not provide: the CIN, names (a full name, or a
 * last and first name in one script), the birth date and the commune. The core refuses a mapping that misses
 * one (import.mapping_incomplete); the mapping screen tells them while the user edits, with this same rule.
 */
export function missingFields(m: ImportMapping): string[] {
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
