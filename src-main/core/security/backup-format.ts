import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AppError } from '../../shared/errors';

/**
 * The encrypted backup file (.jisrbak):
 *
 *   magic "JISRBAK1" (8 bytes)
 *   format version (1 byte) = 1
 *   scrypt log2(N), r, p (3 bytes)
 *   salt (16 bytes), nonce (12 bytes)
 *   header length (4 bytes, big-endian) + header (UTF-8 JSON: office, when, schema and app versions, sizes)
 *   ciphertext of gzip(SQLite database image)
 *   GCM tag (16 bytes)
 *
 * The key is scrypt(passphrase, salt). Everything before the ciphertext is the GCM additional data, so
 * the readable header cannot be altered either: a wrong passphrase, an edited header or any damaged byte
 * fails the tag check, and nothing is written anywhere before the whole file has been authenticated.
 *
 * Format version 2 (written since the database is encrypted at rest) opens with the passphrase OR with the
 * recovery sheet of the office's database: the content key is random, and is stored twice, wrapped
 * (AES-256-GCM) by scrypt(passphrase, salt) and by a key derived (HKDF) from the database's recovery secret:
 *
 *   magic "JISRBAK1", version 2, scrypt log2(N), r, p, salt (16), nonce (12)
 *   passphrase slot: nonce (12) + wrapped content key (32) + tag (16)
 *   recovery slot length (1 byte: 0 or 60) + recovery slot: nonce (12) + wrapped content key (32) + tag (16)
 *   header length (4) + header, ciphertext of gzip(image) under the content key, GCM tag (16)
 * Version 1 files (passphrase only) are still read.
 */
export const BACKUP_MAGIC = Buffer.from('JISRBAK1', 'ascii');
export const BACKUP_FORMAT_VERSION = 2;
const SLOT_LEN = 12 + 32 + 16;
export const BACKUP_EXTENSION = '.jisrbak';
const SALT_LEN = 16;
const NONCE_LEN = 12;
const TAG_LEN = 16;
const FIXED_LEN = BACKUP_MAGIC.length + 1 + 3 + SALT_LEN + NONCE_LEN + 4;
/** scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, about 0.1 s): slows down guessing on a lost USB stick. */
const KDF = { logN: 15, r: 8, p: 1 };

export interface BackupHeader {
  app: 'jisr-desk';
  createdAt: string;
  officeId: string | null;
  officeSlug: string | null;
  officeCode: string | null;
  schemaVersion: string;
  appVersion: string;
  trigger: string;
  /** Size of the SQLite image before compression. */
  dbSize: number;
  counts: Record<string, number>;
  /**
   * The audit trail's head (last row id and hash) when the backup was taken: an anchor outside the
   * database. Someone who rewrites the whole chain and its head in the database cannot change the copies
   * on the backup medium; `audit anchors` compares them.
   */
  auditHead?: { id: number; hash: string } | null;
}

function deriveKey(passphrase: string, salt: Buffer, logN: number, r: number, p: number): Buffer {
  if (logN < 10 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 16) throw new AppError('backup.not_a_backup');
  const N = 2 ** logN;
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r + 16 * 1024 * 1024 });
}

/** The key that opens a backup's recovery slot, from the database's recovery secret (the sheet's 12 words). */
function recoveryWrapKey(recoverySecret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', recoverySecret, Buffer.from('jisr-desk'), Buffer.from('backup-recovery-slot-v1'), 32));
}

function wrap(key: Buffer, contentKey: Buffer): Buffer {
  const nonce = randomBytes(NONCE_LEN);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  const ct = Buffer.concat([c.update(contentKey), c.final()]);
  return Buffer.concat([nonce, ct, c.getAuthTag()]);
}

function unwrap(key: Buffer, slot: Buffer): Buffer | null {
  try {
    const d = createDecipheriv('aes-256-gcm', key, slot.subarray(0, NONCE_LEN));
    d.setAuthTag(slot.subarray(NONCE_LEN + 32));
    return Buffer.concat([d.update(slot.subarray(NONCE_LEN, NONCE_LEN + 32)), d.final()]);
  } catch {
    return null;
  }
}

/** How a backup is opened: its passphrase, or the recovery secret of the database it was taken from. */
export type BackupOpener = string | { recoverySecret: Buffer };

export function encryptBackup(dbImage: Buffer, header: BackupHeader, passphrase: string, recoverySecret: Buffer | null = null): Buffer {
  const salt = randomBytes(SALT_LEN);
  const nonce = randomBytes(NONCE_LEN);
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(FIXED_LEN);
  let o = 0;
  BACKUP_MAGIC.copy(prefix, o);
  o += BACKUP_MAGIC.length;
  prefix[o++] = BACKUP_FORMAT_VERSION;
  prefix[o++] = KDF.logN;
  prefix[o++] = KDF.r;
  prefix[o++] = KDF.p;
  salt.copy(prefix, o);
  o += SALT_LEN;
  nonce.copy(prefix, o);
  o += NONCE_LEN;
  prefix.writeUInt32BE(headerBytes.length, o);
  const contentKey = randomBytes(32);
  const passSlot = wrap(deriveKey(passphrase, salt, KDF.logN, KDF.r, KDF.p), contentKey);
  const recSlot = recoverySecret ? wrap(recoveryWrapKey(recoverySecret), contentKey) : Buffer.alloc(0);
  // The slots sit between the fixed part and the header length, all inside the additional data.
  const fixed = prefix.subarray(0, FIXED_LEN - 4);
  const aad = Buffer.concat([fixed, passSlot, Buffer.from([recSlot.length]), recSlot, prefix.subarray(FIXED_LEN - 4), headerBytes]);
  const cipher = createCipheriv('aes-256-gcm', contentKey, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(gzipSync(dbImage, { level: 6 })), cipher.final()]);
  return Buffer.concat([aad, body, cipher.getAuthTag()]);
}

interface Parsed {
  version: number;
  logN: number;
  r: number;
  p: number;
  salt: Buffer;
  nonce: Buffer;
  passSlot: Buffer | null;
  recoverySlot: Buffer | null;
  header: BackupHeader;
  aad: Buffer;
  body: Buffer;
  tag: Buffer;
}

function parse(file: Buffer): Parsed {
  if (file.length < FIXED_LEN + TAG_LEN || !file.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) {
    throw new AppError('backup.not_a_backup');
  }
  let o = BACKUP_MAGIC.length;
  const version = file[o++];
  if (version !== 1 && version !== 2) throw new AppError('backup.unknown_format', { version });
  const logN = file[o++];
  const r = file[o++];
  const p = file[o++];
  const salt = file.subarray(o, o + SALT_LEN);
  o += SALT_LEN;
  const nonce = file.subarray(o, o + NONCE_LEN);
  o += NONCE_LEN;
  let passSlot: Buffer | null = null;
  let recoverySlot: Buffer | null = null;
  if (version === 2) {
    if (o + SLOT_LEN + 1 + 4 + TAG_LEN > file.length) throw new AppError('backup.damaged');
    passSlot = file.subarray(o, o + SLOT_LEN);
    o += SLOT_LEN;
    const rlen = file[o++];
    if (rlen !== 0 && rlen !== SLOT_LEN) throw new AppError('backup.damaged');
    if (o + rlen + 4 + TAG_LEN > file.length) throw new AppError('backup.damaged');
    recoverySlot = rlen ? file.subarray(o, o + rlen) : null;
    o += rlen;
  }
  const hlen = file.readUInt32BE(o);
  o += 4;
  if (hlen > 1_000_000 || o + hlen + TAG_LEN > file.length) throw new AppError('backup.damaged');
  let header: BackupHeader;
  try {
    header = JSON.parse(file.subarray(o, o + hlen).toString('utf8')) as BackupHeader;
  } catch {
    throw new AppError('backup.damaged');
  }
  o += hlen;
  return {
    version,
    logN,
    r,
    p,
    salt,
    nonce,
    passSlot,
    recoverySlot,
    header,
    aad: file.subarray(0, o),
    body: file.subarray(o, file.length - TAG_LEN),
    tag: file.subarray(file.length - TAG_LEN),
  };
}

/** The readable header, without the passphrase (not authenticated until decryptBackup succeeds). */
export function readBackupHeader(file: Buffer): BackupHeader {
  return parse(file).header;
}

/**
 * Authenticates and decrypts a backup. A wrong passphrase and a damaged file both fail the GCM tag;
 * they cannot be told apart, so the error says both.
 */
export function decryptBackup(file: Buffer, opener: BackupOpener): { header: BackupHeader; dbImage: Buffer } {
  const p = parse(file);
  let key: Buffer | null;
  if (typeof opener !== 'string') {
    // The recovery sheet: only a version 2 backup taken from that database has its slot.
    if (!p.recoverySlot) throw new AppError('backup.no_recovery_slot');
    key = unwrap(recoveryWrapKey(opener.recoverySecret), p.recoverySlot);
    if (!key) throw new AppError('backup.recovery_key_wrong');
  } else if (p.passSlot) {
    key = unwrap(deriveKey(opener, p.salt, p.logN, p.r, p.p), p.passSlot);
    if (!key) throw new AppError('backup.wrong_passphrase_or_damaged');
  } else key = deriveKey(opener, p.salt, p.logN, p.r, p.p);
  const decipher = createDecipheriv('aes-256-gcm', key, p.nonce);
  decipher.setAAD(p.aad);
  decipher.setAuthTag(p.tag);
  let compressed: Buffer;
  try {
    compressed = Buffer.concat([decipher.update(p.body), decipher.final()]);
  } catch {
    throw new AppError('backup.wrong_passphrase_or_damaged');
  }
  let dbImage: Buffer;
  try {
    dbImage = gunzipSync(compressed);
  } catch {
    throw new AppError('backup.damaged');
  }
  return { header: p.header, dbImage };
}
