import { readFileSync } from 'node:fs';
import { createHash, createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { readable, type ReadableDB, type WritableDB } from '../../db/handles';
import type { Sqlite } from '../../db/connection';
import { installationOffice, readSetting, statusLists, trustedOffices, writeSetting } from '../attestations.repo';
import { signBytes } from '../../crypto/keys';
import { projectRoot } from '../../paths';
import { AppError } from '../../../shared/errors';
import { canonicalJson } from '../../exchange/receipts';
import { listKinds } from '../attestations.service';
import { COLOURS, type PageData, type StatusList } from './page-script';

/**
 * The verification page anyone can open with a phone: one self-contained HTML file written by the region
 * (`npm run cli -- verify-page --out DIR`, or the button on the region's exchange screen), to be put on any static
 * web host at the address set by the region (setting `attestations.verify_url`, sent to the provinces in the
 * exchange receipts, printed in every QR code as `<address>#JISR1.…`).
 *
 * It holds: the trusted office public keys (raw Ed25519), the labels of the kinds, and the list of revoked and
 * replaced serials of the whole region (the provinces' registers reach the region with their exchange files,
 * revocations and replacements included), dated and signed by the region's key. Its script (page-script.ts) is
 * bundled with esbuild into the file: no CDN, no server, works from file://.
 */

export const VERIFY_URL_KEY = 'attestations.verify_url';

export function getVerifyUrl(db: ReadableDB): string | null {
  const r = readSetting(db, VERIFY_URL_KEY);
  if (r === undefined) return null;
  try {
    const v = JSON.parse(r);
    return typeof v === 'string' && v ? v : null;
  } catch {
    return null;
  }
}

/** https://…, or http://localhost / 127.0.0.1 for a trial; no fragment (the code goes there); at most 200 characters. */
export function normaliseVerifyUrl(input: string): string {
  const text = input.trim();
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new AppError('attestations.verify_url_invalid', { url: text });
  }
  const local = u.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(u.hostname);
  if ((u.protocol !== 'https:' && !local) || text.includes('#') || u.username || u.password || text.length > 200) {
    throw new AppError('attestations.verify_url_invalid', { url: text });
  }
  return u.toString();
}

export function setVerifyUrl(db: WritableDB, url: string | null): void {
  writeSetting(db, VERIFY_URL_KEY, url === null ? null : JSON.stringify(url));
}

/** The 32 raw bytes of an Ed25519 SPKI public key, base64url. */
export function rawPublicKey(pem: string): string {
  const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32).toString('base64url');
}

/** The data the page holds, with the status list signed by the region. */
export function pageData(dbIn: ReadableDB | Sqlite, dbPath: string, now: string): PageData {
  const db = 'prepare' in dbIn ? readable(dbIn) : dbIn; // the CLI and tests may pass the core's connection
  const inst = installationOffice(db);
  if (!inst?.signing_key_pem || !inst.public_key) throw new AppError('setup.required');
  if (inst.kind !== 'region') throw new AppError('attestations.verify_page_region_only');
  const offices = trustedOffices(db).map((o) => ({ code: o.code, nameAr: o.name_ar, nameFr: o.name_fr, key: rawPublicKey(o.public_key) }));
  const { revoked, replaced } = statusLists(db);
  const list: StatusList = {
    kind: 'jisr-attestation-status',
    version: 1,
    region: { code: inst.code, nameAr: inst.name_ar, nameFr: inst.name_fr },
    issuedAt: now,
    revoked,
    replaced,
  };
  const kinds = Object.fromEntries(listKinds(dbPath).map((k) => [k.code, { ar: k.labelAr, fr: k.labelFr }]));
  return {
    offices,
    kinds,
    list,
    listSignature: signBytes(inst.signing_key_pem, Buffer.from(canonicalJson(list), 'utf8')).toString('base64url'),
    regionKey: rawPublicKey(inst.public_key),
  };
}

let bundled: Promise<string> | null = null;

/** The page script bundled once per process (esbuild: @noble/ed25519 and SHA-512 inside, nothing fetched). */
export function pageScript(): Promise<string> {
  bundled ??= (async () => {
    let esbuild: typeof import('esbuild');
    try {
      esbuild = await import('esbuild');
    } catch {
      // The packaged app (no devDependencies): the script bundled by `npm run build:electron`.
      return readFileSync(join(projectRoot(), 'dist-electron', 'verify-page-script.js'), 'utf8');
    }
    const r = await esbuild.build({
      entryPoints: [join(projectRoot(), 'src-main', 'core', 'attestations', 'verify-page', 'page-script.ts')],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      minify: true,
      write: false,
      legalComments: 'inline',
      logLevel: 'silent',
    });
    return r.outputFiles[0].text;
  })();
  bundled.catch(() => (bundled = null));
  return bundled;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,"Noto Naskh Arabic","Amiri","Segoe UI",Tahoma,sans-serif;background:#f4f5f7;color:#1d1d1f;font-size:17px;line-height:1.5}
#app{max-width:560px;margin:0 auto;padding:16px}
header{display:flex;gap:12px;align-items:flex-start;justify-content:space-between}
h1{font-size:18px;margin:0 0 12px}
#lang{border:1px solid #888;background:#fff;border-radius:8px;padding:6px 12px;font-size:15px;white-space:nowrap}
#verdict{background:#fff;border:3px solid;border-radius:14px;padding:16px;margin:8px 0 16px}
.badge{color:#fff;border-radius:10px;padding:10px 14px;font-size:24px;font-weight:700;text-align:center}
#explain{margin:12px 0 0}
#facts{width:100%;border-collapse:collapse;background:#fff;border-radius:12px;overflow:hidden}
#facts th,#facts td{padding:10px 12px;border-bottom:1px solid #e3e3e8;text-align:start;vertical-align:top}
#facts th{width:40%;color:#555;font-weight:600}
.warn{background:#fff3cd;border:1px solid #e0b400;border-radius:10px;padding:10px}
footer{color:#666;font-size:13px;margin-top:16px}
${Object.entries(COLOURS)
  .map(([v, c]) => `#verdict.v-${v}{border-color:${c}}.v-${v} .badge{background:${c}}`)
  .join('\n')}
bdi{unicode-bidi:isolate}
`;

/** The whole HTML file (data and script inside; a Content-Security-Policy allows nothing but them). */
export async function buildVerifyPage(db: ReadableDB, dbPath: string, now: string): Promise<{ html: string; data: PageData }> {
  const data = pageData(db, dbPath, now);
  const script = await pageScript();
  // "</" never appears inside the inline JSON or script (it would end the element).
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const safeScript = script.replace(/<\/(script)/gi, '<\\/$1');
  const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
  const csp = `default-src 'none'; script-src ${hash(safeScript)}; style-src ${hash(STYLE)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const html = `<!doctype html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<title>التحقق من شهادة — Vérification d'une attestation</title>
<style>${STYLE}</style>
</head>
<body>
<main id="app"><noscript>JavaScript est nécessaire pour vérifier l'attestation. / يلزم تفعيل JavaScript للتحقق من الشهادة.</noscript></main>
<script type="application/json" id="jisr-data">${json}</script>
<script>${safeScript}</script>
</body>
</html>
`;
  return { html, data };
}
