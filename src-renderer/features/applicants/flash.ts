import type { AppWarning } from '../../../src-main/shared/api/applicants.contract';

/** A message carried from one page to the next (the form → the new file). */
let pending: { id: string; text: string; warnings: AppWarning[] } | null = null;

export function setFlash(id: string, text: string, warnings: AppWarning[]) {
  pending = { id, text, warnings };
}
export function takeFlash(id: string) {
  if (pending?.id !== id) return null;
  const p = pending;
  pending = null;
  return p;
}
