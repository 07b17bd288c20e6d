import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

export interface KeyPairPem {
  publicKey: string; // SPKI PEM
  privateKey: string; // PKCS#8 PEM
}

/** The office's Ed25519 signing key pair (attestations and exchange files). */
export function generateSigningKeyPair(): KeyPairPem {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** A short fingerprint to read out over the phone: 4 groups of 4 hex digits of SHA-256(SPKI DER). */
export function keyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  const hex = createHash('sha256').update(der).digest('hex').slice(0, 16).toUpperCase();
  return hex.match(/.{4}/g)!.join('-');
}

export function signBytes(privateKeyPem: string, data: Buffer): Buffer {
  return sign(null, data, createPrivateKey(privateKeyPem));
}

export function verifyBytes(publicKeyPem: string, data: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, data, createPublicKey(publicKeyPem), signature);
  } catch {
    return false;
  }
}
