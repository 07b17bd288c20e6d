import { createHash, webcrypto } from 'node:crypto';

type X509 = typeof import('@peculiar/x509');
let x509Module: X509 | undefined;
/**
 * @peculiar/x509 (and the reflect-metadata it needs first) loaded when a certificate is made, not when the core
 * starts: loading it took about a quarter of every CLI call's start (issue 19).
 */
async function loadX509(): Promise<X509> {
  if (!x509Module) {
    await import('reflect-metadata');
    const m = await import('@peculiar/x509');
    m.cryptoProvider.set(webcrypto as unknown as Crypto);
    x509Module = m;
  }
  return x509Module;
}

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
  const x509 = await loadX509();
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
