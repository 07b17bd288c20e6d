import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { Sqlite } from '../db/connection';
import type { ReadableDB, WritableDB } from '../db/handles';
import { getOwnKey, insertOwnKey, listRegionKeys } from './repo/keys.repo';
import type { Office } from '../db/schema';
import { keyFingerprint } from '../crypto/keys';
import { generateEncryptionKeyPair } from './crypto';

/**
 * Keys are exchanged once, as small JSON files (`keys show --out FILE`), and checked by reading the
 * fingerprints over the phone:
 *  - each office's file carries its Ed25519 public key (the region verifies its exchange files with it);
 *  - the region's file also carries its X25519 public key (offices encrypt to it) and its Ed25519 key
 *    (offices verify its receipts with it).
 */

export const KeyFileSchema = z.object({
  kind: z.literal('jisr-office-key'),
  version: z.literal(1),
  officeId: z.string().min(1).max(100),
  slug: z.string().min(1).max(40),
  code: z.string().min(1).max(10),
  officeKind: z.enum(['province', 'region']),
  provinceCode: z.string().nullable(),
  nameAr: z.string().max(300),
  nameFr: z.string().max(300),
  ed25519: z.object({ publicKey: z.string().min(40).max(2000), fingerprint: z.string() }),
  x25519: z.object({ publicKey: z.string().min(40).max(2000), fingerprint: z.string() }).nullable(),
});
export type KeyFile = z.infer<typeof KeyFileSchema>;

export interface OwnEncryptionKey {
  privatePem: string;
  publicPem: string;
  fingerprint: string;
}

export function ownEncryptionKey(db: ReadableDB | Sqlite): OwnEncryptionKey | null {
  const r = getOwnKey(db as ReadableDB); // a handle, or the connection as a test holds it
  return r ? { privatePem: r.x25519_private, publicPem: r.x25519_public, fingerprint: r.fingerprint } : null;
}

/** Makes this installation's X25519 key pair on first use (the region's, in practice). */
export function ensureOwnEncryptionKey(db: WritableDB, now: string): OwnEncryptionKey & { created: boolean } {
  const have = ownEncryptionKey(db);
  if (have) return { ...have, created: false };
  const k = generateEncryptionKeyPair();
  const fingerprint = keyFingerprint(k.publicKey);
  insertOwnKey(db, { privatePem: k.privateKey, publicPem: k.publicKey, fingerprint, now });
  return { privatePem: k.privateKey, publicPem: k.publicKey, fingerprint, created: true };
}

export function makeKeyFile(office: Office, enc: OwnEncryptionKey | null): KeyFile {
  if (!office.public_key) throw new AppError('exchange.no_signing_key');
  return {
    kind: 'jisr-office-key',
    version: 1,
    officeId: office.id,
    slug: office.slug,
    code: office.code,
    officeKind: office.kind,
    provinceCode: office.province_code,
    nameAr: office.name_ar,
    nameFr: office.name_fr,
    ed25519: { publicKey: office.public_key, fingerprint: keyFingerprint(office.public_key) },
    x25519: enc ? { publicKey: enc.publicPem, fingerprint: enc.fingerprint } : null,
  };
}

/** Parses and checks a key file: the fingerprints written in it must be those of the keys it carries. */
export function parseKeyFile(text: string): KeyFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('exchange.bad_key_file');
  }
  const r = KeyFileSchema.safeParse(json);
  if (!r.success) throw new AppError('exchange.bad_key_file');
  const f = r.data;
  const check = (pem: string, type: string, fp: string) => {
    let k;
    try {
      k = createPublicKey(pem);
    } catch {
      throw new AppError('exchange.bad_key_file');
    }
    if (k.asymmetricKeyType !== type || keyFingerprint(pem) !== fp) throw new AppError('exchange.bad_key_file');
  };
  check(f.ed25519.publicKey, 'ed25519', f.ed25519.fingerprint);
  if (f.x25519) check(f.x25519.publicKey, 'x25519', f.x25519.fingerprint);
  return f;
}

export interface RegionKey {
  id: number;
  slug: string;
  code: string;
  x25519Public: string;
  ed25519Public: string | null;
  fingerprint: string;
  loadedAt: string;
  active: boolean;
}

export function regionKeys(db: ReadableDB): RegionKey[] {
  return listRegionKeys(db).map((r) => ({
    id: r.id,
    slug: r.office_slug,
    code: r.office_code,
    x25519Public: r.x25519_public,
    ed25519Public: r.ed25519_public,
    fingerprint: r.fingerprint,
    loadedAt: r.loaded_at,
    active: r.active === 1,
  }));
}

/** The key files are encrypted to: the newest active region key. */
export function activeRegionKey(db: ReadableDB): RegionKey {
  const k = regionKeys(db).find((r) => r.active);
  if (!k) throw new AppError('exchange.no_region_key');
  return k;
}

/** The fingerprints of a key file in the order they are read over the phone: signing, then the region's encryption key. */
export function keyFileFingerprints(f: KeyFile): { kind: 'signing' | 'encryption'; fingerprint: string }[] {
  return [{ kind: 'signing' as const, fingerprint: f.ed25519.fingerprint }, ...(f.x25519 ? [{ kind: 'encryption' as const, fingerprint: f.x25519.fingerprint }] : [])];
}

/**
 * When the caller says which fingerprints were read and confirmed (the window's wizard), they must be exactly
 * the file's: nothing is trusted on a confirmation of another key. The command line prints them instead.
 */
export function requireConfirmed(f: KeyFile, confirmed: string[] | undefined): void {
  if (confirmed === undefined) return;
  const expected = keyFileFingerprints(f).map((x) => x.fingerprint);
  if (confirmed.length !== expected.length || confirmed.some((c, i) => c !== expected[i])) throw new AppError('exchange.fingerprint_not_confirmed');
}
