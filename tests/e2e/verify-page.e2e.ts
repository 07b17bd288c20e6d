import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cli, setupOffice, tempCore } from '../helpers/core';
import { runCli } from '../../src-main/cli/run-cli';
import type { Core } from '../../src-main/core/core';
import { attend, insertCohort, insertSessions, participant } from '../../src-main/core/attestations/test-fixtures';
import { recordChanges } from '../../src-main/core/changes/changes.repo';
import { CHROMIUM_ARGS, SCREENSHOTS } from './harness';
import { writable } from '../../src-main/core/db/handles';

/**
 * Issue 14: the verification page a phone opens from the QR code. A province issues and revokes attestations with
 * the region's page address (received in the exchange receipt) in its QR codes; its register reaches the region by
 * an exchange file; the region writes the page with the CLI; Chromium at phone size opens the page from file://
 * with the address read back from the PDF's QR code (pdftoppm + zbarimg), and shows valid, revoked, replaced and
 * altered, in Arabic and French, with WebCrypto and with the library fallback.
 */
const clock = () => new Date('2026-05-20T10:00:00Z');
const as = { actor: cli };
const ADDRESS = 'https://verifier.jisr.example.ma/';
const SHOTS = '/tmp/h14';

type TCore = ReturnType<typeof tempCore>;
let region: TCore;
let province: TCore;
let browser: Browser;
let pageUrl: string;
const codes: Record<string, string> = {};

/** The text of the QR code printed on a PDF of the outbox (rendered at 150 dpi, read by zbarimg). */
function qrOfPdf(core: Core, fileId: string, dir: string, name: string): string {
  const pdf = join(dir, `${name}.pdf`);
  copyFileSync(core.outbox.get(fileId)!.path, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', pdf, join(dir, name)]);
  const png = join(dir, `${name}-1.png`);
  return execFileSync('zbarimg', ['--quiet', '--raw', png], { encoding: 'utf8' }).trim();
}

/** The raw fixture rows get their change numbers, as the app's own writes would (so that they are exported). */
function numberFixtures(core: Core) {
  const office = core.sqlite.prepare('SELECT office_id FROM installation').pluck().get() as string;
  for (const table of ['organisations', 'applicants', 'cohorts', 'cohort_members', 'training_sessions', 'attendance']) {
    const ids = core.sqlite.prepare(`SELECT id FROM ${table} WHERE change_seq = 0`).pluck().all() as string[];
    const seqs = recordChanges(writable(core.sqlite), table, ids, 'insert', office, clock().toISOString());
    const upd = core.sqlite.prepare(`UPDATE ${table} SET change_seq = ? WHERE id = ?`);
    for (const [id, seq] of seqs) upd.run(seq, id);
  }
}

async function exchangeOnce() {
  numberFixtures(province);
  const r = await province.invoke('exchange.export', {}, as);
  const file = join(province.dir, r.fileName);
  copyFileSync(province.outbox.get(r.fileId)!.path, file);
  const imp = await region.invoke('exchange.import', { files: [{ path: file }] }, as);
  const receipt = imp.receipts[0];
  if (!receipt) throw new Error(JSON.stringify(imp).slice(0, 1500));
  await province.invoke('exchange.loadReceipt', { text: readFileSync(region.outbox.get(receipt.fileId)!.path, 'utf8') }, as);
}

async function open(fragment: string, opts: { lang?: 'ar' | 'fr'; noWebCrypto?: boolean; shot?: string } = {}): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: opts.lang === 'fr' ? 'fr-FR' : 'ar-MA' });
  const page = await ctx.newPage();
  if (opts.noWebCrypto) await page.addInitScript(() => Object.defineProperty(globalThis.crypto, 'subtle', { value: undefined, configurable: true }));
  await page.goto(`${pageUrl}#${fragment}`);
  await page.waitForSelector('body[data-ready="1"]');
  if (opts.shot) await page.screenshot({ path: join(SHOTS, `${opts.shot}.png`), fullPage: true });
  if (opts.shot) await page.screenshot({ path: join(SCREENSHOTS, `${opts.shot}.png`), fullPage: true });
  return page;
}
const verdict = (p: Page) => p.getAttribute('#verdict', 'data-verdict');

describe('verification page from file:// on a phone-sized Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(SCREENSHOTS, { recursive: true });
    region = tempCore({ clock });
    await setupOffice(region, 'region');
    await region.invoke('attestations.setVerifyUrl', { url: ADDRESS }, as);
    province = tempCore({ clock });
    await setupOffice(province, 'errachidia');
    await province.invoke('exchange.keysRegion', { keyFile: (await region.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    await region.invoke('exchange.keysTrust', { keyFile: (await province.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    // First exchange: the receipt brings the page address to the province.
    await exchangeOnce();
    expect((await province.invoke('attestations.verifySettings', {}, as)).url).toBe(ADDRESS);

    const c = insertCohort(province.sqlite);
    const sessions = insertSessions(province.sqlite, c, 12);
    const valid = participant(province.sqlite, c, sessions, 12, { firstNameLat: 'Amina', lastNameLat: 'Valid' });
    const revoked = participant(province.sqlite, c, sessions, 12, { firstNameLat: 'Rachida', lastNameLat: 'Revoked' });
    const changed = participant(province.sqlite, c, sessions.slice(0, 11), 11, { firstNameLat: 'Hafsa', lastNameLat: 'Changed' });
    const dir = join(province.dir, 'pdf');
    mkdirSync(dir, { recursive: true });
    for (const [name, id] of [['valid', valid], ['revoked', revoked], ['replaced', changed]] as const) {
      const r = await province.invoke('attestations.issue', { applicantId: id, kind: 'participation' }, as);
      codes[name] = qrOfPdf(province, r.fileId, dir, name);
    }
    await province.invoke('attestations.revoke', { serial: JSON.parse(Buffer.from(codes.revoked.split('#')[1].split('.')[1], 'base64url').toString())[0], reason: 'Erreur sur le nom' }, as);
    attend(province.sqlite, [sessions[11]], changed, 1);
    const renewed = await province.invoke('attestations.issue', { applicantId: changed, kind: 'participation' }, as);
    codes.renewed = qrOfPdf(province, renewed.fileId, dir, 'renewed');
    // The province's register (revocation and replacement included) reaches the region.
    await exchangeOnce();

    const out = join(region.dir, 'site');
    const lines: string[] = [];
    const code = await runCli(['verify-page', '--db', 'x', '--out', out], {
      io: { out: (l) => lines.push(l), err: (l) => lines.push(l), stdin: async () => '' },
      open: () => ({ ...region, close: async () => undefined }) as Core,
    });
    expect(code, lines.join('\n')).toBe(0);
    expect(JSON.parse(lines[0])).toMatchObject({ revoked: 1, replaced: 1, url: ADDRESS });
    pageUrl = pathToFileURL(join(out, 'index.html')).href;
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await region?.dispose();
    await province?.dispose();
  });

  it('the QR code holds the page address with the signed code in the fragment', () => {
    for (const c of Object.values(codes)) expect(c).toMatch(/^https:\/\/verifier\.jisr\.example\.ma\/#JISR1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
  });

  it('valid: the holder, kind, hours, date and office, in Arabic then French', async () => {
    const p = await open(codes.valid.split('#')[1], { shot: 'verify-page-valid-ar' });
    expect(await verdict(p)).toBe('valid');
    const text = await p.innerText('#app');
    expect(text).toContain('شهادة صحيحة');
    expect(text).toContain('Amina VALID');
    expect(text).toContain('36');
    expect(text).toContain('شهادة المشاركة');
    expect(await p.getAttribute('html', 'dir')).toBe('rtl');
    await p.click('#lang');
    expect(await p.getAttribute('html', 'dir')).toBe('ltr');
    expect(await p.textContent('#verdict')).toContain('Attestation authentique');
    expect(await p.textContent('#facts')).toContain('20/05/2026');
    await p.screenshot({ path: join(SHOTS, 'verify-page-valid-fr.png'), fullPage: true });
    // Nothing was fetched: the page is one file.
    const fr = await open(codes.valid.split('#')[1], { lang: 'fr' });
    expect(await fr.getAttribute('html', 'lang')).toBe('fr');
  });

  it('revoked with its date and reason; replaced with the new serial; the new one valid', async () => {
    const p = await open(codes.revoked.split('#')[1], { shot: 'verify-page-revoked-ar' });
    expect(await verdict(p)).toBe('revoked');
    expect(await p.textContent('#explain')).toContain('Erreur sur le nom');
    expect(await p.textContent('#explain')).toContain('20/05/2026');
    const r = await open(codes.replaced.split('#')[1], { lang: 'fr', shot: 'verify-page-replaced-fr' });
    expect(await verdict(r)).toBe('replaced');
    expect(await r.textContent('#explain')).toMatch(/ERR-2026-P-00000\d/);
    expect(await verdict(await open(codes.renewed.split('#')[1]))).toBe('valid');
  });

  it('altered: never the altered values; also with the library when the browser has no WebCrypto', async () => {
    const [, payload, sig] = codes.valid.split('#')[1].split('.');
    const facts = JSON.parse(Buffer.from(payload, 'base64url').toString());
    facts[5] = 93.5;
    facts[2] = 'Forged NAME';
    const forged = `JISR1.${Buffer.from(JSON.stringify(facts)).toString('base64url')}.${sig}`;
    for (const noWebCrypto of [false, true]) {
      const p = await open(forged, { noWebCrypto, shot: noWebCrypto ? undefined : 'verify-page-altered-ar' });
      expect(await verdict(p)).toBe('altered');
      const text = await p.innerText('#app');
      expect(text).not.toContain('93');
      expect(text).not.toContain('Forged');
      expect(await p.$('#facts')).toBeNull();
      // The genuine code still verifies on the library path.
      expect(await verdict(await open(codes.valid.split('#')[1], { noWebCrypto }))).toBe('valid');
    }
    expect(await verdict(await open('JISR1.garbage'))).toBe('altered');
    expect(await verdict(await open(''))).toBe('no_code');
  });

  it('an office the page does not know, and a list whose signature was changed', async () => {
    // A serial prefix with no key in the page: unknown office.
    const [, payload, sig] = codes.valid.split('#')[1].split('.');
    const facts = JSON.parse(Buffer.from(payload, 'base64url').toString());
    facts[0] = String(facts[0]).replace(/^ERR/, 'XYZ');
    expect(await verdict(await open(`JISR1.${Buffer.from(JSON.stringify(facts)).toString('base64url')}.${sig}`))).toBe('unknown_office');
    // Someone removes a revocation from the file: the list no longer matches the region's signature.
    const html = readFileSync(new URL(pageUrl), 'utf8').replace('Erreur sur le nom', 'Erreur sur le nim');
    const edited = join(region.dir, 'site', 'edited.html');
    writeFileSync(edited, html);
    const saved = pageUrl;
    pageUrl = pathToFileURL(edited).href;
    const p = await open(codes.revoked.split('#')[1]);
    expect(await p.$('#list-bad')).not.toBeNull();
    pageUrl = saved;
  });
});
