/**
 * The recovery key: the database's 128-bit secret written as 12 words (BIP-0039 style: 128 bits + a 4-bit
 * checksum from SHA-256, 11 bits a word, French word list in recovery-words.ts). Printed on the recovery
 * sheet; typed back (any case, accents optional, spaces or dashes) it opens the database or a backup on
 * another computer and lets an administrator back in.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { SECRET_BYTES } from '../db/encryption';
import { RECOVERY_WORDS } from './recovery-words';

const strip = (w: string) =>
  w
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

let index: Map<string, number> | null = null;
function wordIndex(): Map<string, number> {
  if (!index) index = new Map(RECOVERY_WORDS.map((w, i) => [strip(w), i]));
  return index;
}

export function secretToWords(secret: Buffer): string[] {
  if (secret.length !== SECRET_BYTES) throw new Error('recovery: the secret must be 16 bytes');
  const check = createHash('sha256').update(secret).digest()[0] >> 4;
  let bits = '';
  for (const b of secret) bits += b.toString(2).padStart(8, '0');
  bits += check.toString(2).padStart(4, '0');
  const words: string[] = [];
  for (let i = 0; i < bits.length; i += 11) words.push(RECOVERY_WORDS[parseInt(bits.slice(i, i + 11), 2)]);
  return words;
}

/** The 12 words back to the secret; recovery.words_invalid (with the position of an unknown word) or recovery.words_checksum. */
export function wordsToSecret(text: string): Buffer {
  const words = text
    .trim()
    .split(/[\s,;.\-–—]+/)
    .filter(Boolean)
    .map(strip);
  if (words.length !== 12) throw new AppError('recovery.words_invalid', { count: words.length });
  let bits = '';
  words.forEach((w, i) => {
    const n = wordIndex().get(w);
    if (n === undefined) throw new AppError('recovery.words_invalid', { position: i + 1 });
    bits += n.toString(2).padStart(11, '0');
  });
  const secret = Buffer.alloc(SECRET_BYTES);
  for (let i = 0; i < SECRET_BYTES; i++) secret[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const check = createHash('sha256').update(secret).digest()[0] >> 4;
  if (check !== parseInt(bits.slice(128), 2)) throw new AppError('recovery.words_checksum');
  return secret;
}

/** Whether typed words are this database's recovery key (constant time). */
export function wordsMatch(text: string, secret: Buffer | null): boolean {
  if (!secret) return false;
  let typed: Buffer;
  try {
    typed = wordsToSecret(text);
  } catch {
    return false;
  }
  return typed.length === secret.length && timingSafeEqual(typed, secret);
}
