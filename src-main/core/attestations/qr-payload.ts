import { createPrivateKey, pbkdf2Sync, sign, type KeyObject } from 'node:crypto';
import { verifyBytes } from '../crypto/keys';
import { parseSerial } from './serials';

/**
 * The signed text printed as QR code: `JISR1.<payload>.<signature>`, both base64url.
 * payload = UTF-8 JSON array [serial, kind, name, cinHash, issueDate, hours]; the signature is Ed25519 by
 * the issuing office's key over the ASCII text `JISR1.<payload>`. The office is the prefix of the serial.
 *
 * The CIN is not printed in the code: cinHash = PBKDF2-SHA256(CIN, "JISR1|" + serial, 4096 rounds), 9 bytes.
 * The serial as salt means one table of hashes cannot serve for every attestation, and the rounds make
 * trying the whole CIN space per attestation expensive; whoever holds the person's card can still check it.
 */
export const QR_PREFIX = 'JISR1';
const CIN_ROUNDS = 4096;

export interface QrFacts {
  serial: string;
  kind: string;
  name: string;
  cinHash: string;
  issueDate: string;
  hours: number | null;
}

export function normaliseCin(cin: string): string {
  return cin.toUpperCase().replace(/[\s-]+/g, '');
}

export function cinHash(cin: string, serial: string): string {
  return pbkdf2Sync(normaliseCin(cin), `${QR_PREFIX}|${serial}`, CIN_ROUNDS, 9, 'sha256').toString('base64url');
}

/** The parsed private key of the last PEM seen (a batch signs a thousand codes with the same key). */
let lastKey: { pem: string; key: KeyObject } | null = null;
function privateKey(pem: string): KeyObject {
  if (lastKey?.pem !== pem) lastKey = { pem, key: createPrivateKey(pem) };
  return lastKey.key;
}

export function signQr(facts: QrFacts, privateKeyPem: string): string {
  const payload = Buffer.from(JSON.stringify([facts.serial, facts.kind, facts.name, facts.cinHash, facts.issueDate, facts.hours]), 'utf8').toString('base64url');
  const signed = `${QR_PREFIX}.${payload}`;
  const sig = sign(null, Buffer.from(signed, 'ascii'), privateKey(privateKeyPem)).toString('base64url');
  return `${signed}.${sig}`;
}

export type ParsedQr = { ok: true; facts: QrFacts; signed: string; signature: Buffer } | { ok: false; reason: string };

/** Reads the text without checking the signature (any malformed text is refused here). */
export function parseQr(text: string): ParsedQr {
  const m = /^JISR1\.([A-Za-z0-9_-]{8,2000})\.([A-Za-z0-9_-]{86})$/.exec(text.trim());
  if (!m) return { ok: false, reason: 'format' };
  let arr: unknown;
  try {
    arr = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'payload' };
  }
  if (!Array.isArray(arr) || arr.length !== 6) return { ok: false, reason: 'payload' };
  const [serial, kind, name, hash, issueDate, hours] = arr as unknown[];
  if (typeof serial !== 'string' || !parseSerial(serial) || typeof kind !== 'string' || typeof name !== 'string' || typeof hash !== 'string') {
    return { ok: false, reason: 'payload' };
  }
  if (typeof issueDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(issueDate) || !(hours === null || typeof hours === 'number')) {
    return { ok: false, reason: 'payload' };
  }
  return {
    ok: true,
    facts: { serial, kind, name, cinHash: hash, issueDate, hours: hours as number | null },
    signed: `${QR_PREFIX}.${m[1]}`,
    signature: Buffer.from(m[2], 'base64url'),
  };
}

export function verifyQrSignature(parsed: Extract<ParsedQr, { ok: true }>, publicKeyPem: string): boolean {
  return verifyBytes(publicKeyPem, Buffer.from(parsed.signed, 'ascii'), parsed.signature);
}
