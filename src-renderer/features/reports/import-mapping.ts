/** Pure helpers of the import's mapping step (no React: the e2e test checks them against the core). */
import type { ImportMapping } from '../../../src-main/shared/api/reports.contract';

/** Excel's column letters (0 → A, 26 → AA), as staff see them in the file. */
export function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** The required fields a mapping does not cover, while the user edits it: the core's own rule. */
export { missingFields as missingFor } from '../../../src-main/shared/import-mapping';

/** Whether two mappings map the same columns to the same fields. */
export const sameMapping = (a: ImportMapping, b: ImportMapping) => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};
