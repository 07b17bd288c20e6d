import type { Sqlite } from '../db/connection';
import { stmt } from '../db/statements';

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
export function peekSerial(sqlite: Sqlite, office: { id: string; code: string }, year: number, kind: string): string {
  const counter = stmt<[string, number], { last_seq: number }>(sqlite, 'SELECT last_seq FROM attestation_counters WHERE office_id = ? AND year = ?').get(office.id, year);
  const inRegister = stmt<[string, number], { m: number | null }>(sqlite, 'SELECT MAX(seq) AS m FROM attestations WHERE office_id = ? AND year = ?').get(office.id, year);
  return formatSerial(office.code, year, Math.max(counter?.last_seq ?? 0, inRegister?.m ?? 0) + 1, kind);
}

export function nextSerial(sqlite: Sqlite, office: { id: string; code: string }, year: number, kind: string): { serial: string; seq: number } {
  const counter = stmt<[string, number], { last_seq: number }>(sqlite, 'SELECT last_seq FROM attestation_counters WHERE office_id = ? AND year = ?').get(office.id, year);
  const inRegister = stmt<[string, number], { m: number | null }>(sqlite, 'SELECT MAX(seq) AS m FROM attestations WHERE office_id = ? AND year = ?').get(office.id, year);
  const seq = Math.max(counter?.last_seq ?? 0, inRegister?.m ?? 0) + 1;
  stmt(
    sqlite,
    `INSERT INTO attestation_counters (office_id, year, last_seq) VALUES (?, ?, ?)
     ON CONFLICT (office_id, year) DO UPDATE SET last_seq = excluded.last_seq`,
  ).run(office.id, year, seq);
  return { serial: formatSerial(office.code, year, seq, kind), seq };
}
