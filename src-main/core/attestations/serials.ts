import type { ReadableDB, WritableDB } from '../db/handles';
import { lastSeq, setCounter } from './attestations.repo';

/**
 * Serial numbers OFFICECODE-YEAR-K-NNNNNN, K a letter for the kind (P participation, R registration, C completion,
 * else the kind code's first letter), so that a serial never looks like a file number (OFFICECODE-YEAR-NNNNNN).
 * Serials issued before (OFFICECODE-YEAR-NNNNNN, no letter) stay valid: parseSerial reads both. The office code (offices.code) is unique, so offices working
 * offline never collide; within an office and year the number comes from a counter that only grows, and is
 * never below the highest number in the register (a restored or imported register cannot make it go back).
 * Call inside the write transaction that inserts the register row.
 */
export const SERIAL_RE = /^([A-Z]{2,6})-(\d{4})-(?:([A-Z])-)?(\d{6,9})$/;

const KIND_LETTERS: Record<string, string> = { participation: 'P', registration: 'R', completion: 'C' };

/** The letter of a kind in its serials. */
export function kindLetter(kind: string): string {
  return KIND_LETTERS[kind] ?? (kind.match(/[a-z]/i)?.[0] ?? 'X').toUpperCase();
}

export function formatSerial(officeCode: string, year: number, seq: number, kind: string): string {
  return `${officeCode}-${year}-${kindLetter(kind)}-${String(seq).padStart(6, '0')}`;
}

export function parseSerial(serial: string): { officeCode: string; year: number; seq: number; letter: string | null } | null {
  const m = SERIAL_RE.exec(serial.trim().toUpperCase());
  if (!m) return null;
  return { officeCode: m[1], year: Number(m[2]), seq: Number(m[4]), letter: m[3] ?? null };
}

/** Normalises what a person typed: trims, uppercases, accepts spaces or underscores for dashes. */
export function normaliseSerialInput(text: string): string {
  return text.trim().toUpperCase().replace(/[\s_–—]+/g, '-');
}

/** The serial the next attestation of this office, year and kind would receive (nothing written). */
export function peekSerial(db: ReadableDB, office: { id: string; code: string }, year: number, kind: string): string {
  return formatSerial(office.code, year, lastSeq(db, office.id, year) + 1, kind);
}

export function nextSerial(db: WritableDB, office: { id: string; code: string }, year: number, kind: string): { serial: string; seq: number } {
  const seq = lastSeq(db, office.id, year) + 1;
  setCounter(db, office.id, year, seq);
  return { serial: formatSerial(office.code, year, seq, kind), seq };
}
