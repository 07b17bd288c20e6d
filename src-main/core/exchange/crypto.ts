import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { KeyPairPem } from '../crypto/keys';

/**
 * Encryption of exchange files to the region: an ephemeral X25519 key pair per file, ECDH with the region's
 * X25519 public key, HKDF-SHA256 to a 256-bit key, AES-256-GCM over the whole content. The header (magic,
 * version, ephemeral key, salt, IV, recipient fingerprint, office, file number) is authenticated as AAD, so
 * any flipped byte anywhere in the file makes decryption fail.
 */

export const CIPHER = 'aes-256-gcm';
const INFO = Buffer.from('jisr-exchange/v1', 'utf8');

export function generateEncryptionKeyPair(): KeyPairPem {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function x25519Public(pem: string): KeyObject {
  let k: KeyObject;
  try {
    k = createPublicKey(pem);
  } catch {
    throw new AppError('exchange.bad_key');
  }
  if (k.asymmetricKeyType !== 'x25519') throw new AppError('exchange.bad_key');
  return k;
}

function deriveKey(shared: Buffer, salt: Buffer, epkDer: Buffer, recipientDer: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, salt, Buffer.concat([INFO, epkDer, recipientDer]), 32));
}

export interface Sealed {
  /** Ephemeral public key (SPKI DER, base64). */
  epk: string;
  salt: string;
  iv: string;
}

/** Encrypts `plain` to the recipient; `aad(params)` builds the authenticated header from the chosen parameters. */
export function seal(recipientPublicPem: string, plain: Buffer, aad: (p: Sealed) => Buffer): { params: Sealed; header: Buffer; ciphertext: Buffer; tag: Buffer } {
  const recipient = x25519Public(recipientPublicPem);
  const eph = generateKeyPairSync('x25519');
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
  const epkDer = eph.publicKey.export({ type: 'spki', format: 'der' });
  const recipientDer = recipient.export({ type: 'spki', format: 'der' });
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = deriveKey(shared, salt, epkDer, recipientDer);
  const params: Sealed = { epk: epkDer.toString('base64'), salt: salt.toString('base64'), iv: iv.toString('base64') };
  const header = aad(params);
  const c = createCipheriv(CIPHER, key, iv);
  c.setAAD(header);
  const body = c.update(plain);
  const rest = c.final(); // empty for GCM (a stream mode): no second copy of a file of tens of megabytes
  const ciphertext = rest.length ? Buffer.concat([body, rest]) : body;
  return { params, header, ciphertext, tag: c.getAuthTag() };
}

/** Decrypts; throws `exchange.wrong_key` when the key does not fit and `exchange.corrupt` when anything was altered. */
export function open(recipientPrivatePem: string, params: Sealed, header: Buffer, ciphertext: Buffer, tag: Buffer): Buffer {
  const priv = createPrivateKey(recipientPrivatePem);
  let epk: KeyObject;
  let salt: Buffer;
  let iv: Buffer;
  try {
    epk = createPublicKey({ key: Buffer.from(params.epk, 'base64'), format: 'der', type: 'spki' });
    salt = Buffer.from(params.salt, 'base64');
    iv = Buffer.from(params.iv, 'base64');
    if (epk.asymmetricKeyType !== 'x25519' || iv.length !== 12 || salt.length !== 16 || tag.length !== 16) throw new Error('bad');
  } catch {
    throw new AppError('exchange.corrupt', { part: 'header' });
  }
  const shared = diffieHellman({ privateKey: priv, publicKey: epk });
  const recipientDer = createPublicKey(priv).export({ type: 'spki', format: 'der' });
  const key = deriveKey(shared, salt, Buffer.from(params.epk, 'base64'), recipientDer);
  const d = createDecipheriv(CIPHER, key, iv);
  d.setAAD(header);
  d.setAuthTag(tag);
  try {
    return Buffer.concat([d.update(ciphertext), d.final()]);
  } catch {
    throw new AppError('exchange.corrupt', { part: 'content' });
  }
}
