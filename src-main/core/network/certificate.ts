import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface OfficeCertificate {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the DER certificate, "AB:CD:…" (the form Node's X509Certificate.fingerprint256 and browsers show). */
  fingerprint: string;
}

export function fingerprintOf(der: Buffer | ArrayBuffer): string {
  const hex = createHash('sha256').update(Buffer.from(der as ArrayBuffer)).digest('hex').toUpperCase();
  return hex.match(/../g)!.join(':');
}

/**
 * The main PC's own certificate for the office network (ECDSA P-256, self-signed, for its address only): made when
 * the administrator turns the network on or changes the address. Workstations do not trust it by a CA but pin its
 * fingerprint at pairing.
 */
export async function makeOfficeCertificate(host: string, now: Date): Promise<OfficeCertificate> {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  const notAfter = new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=Jisr Desk ${host}, O=Jisr Desk`,
    notBefore,
    notAfter,
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: host }]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as never));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { certPem: cert.toString('pem'), keyPem, fingerprint: fingerprintOf(cert.rawData) };
}
