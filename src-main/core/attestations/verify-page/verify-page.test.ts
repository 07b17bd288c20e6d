import { afterEach, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore } from '../../../../tests/helpers/core';
import { AppError } from '../../../shared/errors';
import { translateError } from '../../../shared/i18n/translate-error';
import { canonicalJson, makeReceipt } from '../../exchange/receipts';
import type { Office } from '../../db/schema';
import { signingKey } from '../attestations.repo';
import { check, verifyEd25519 } from './page-script';
import { normaliseVerifyUrl, pageData } from './verify-page';

const clock = () => new Date('2026-05-20T10:00:00Z');
const as = { actor: cli };
const cores: { dispose(): Promise<void> }[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose();
});

describe('verification page: address and data', () => {
  it('accepts https addresses (http only for localhost), refuses the rest with a coded, translated error', () => {
    expect(normaliseVerifyUrl(' https://verifier.jisr.ma ')).toBe('https://verifier.jisr.ma/');
    expect(normaliseVerifyUrl('http://localhost:8080/v/')).toBe('http://localhost:8080/v/');
    for (const bad of ['ftp://x.ma/', 'http://verifier.jisr.ma/', 'https://x.ma/#a', 'not a url', 'https://user:pw@x.ma/']) {
      let err: unknown;
      try {
        normaliseVerifyUrl(bad);
      } catch (e) {
        err = e;
      }
      expect((err as AppError).code, bad).toBe('attestations.verify_url_invalid');
    }
    expect(translateError({ code: 'attestations.verify_url_invalid', params: {} }, 'ar')).toContain('https://');
  });

  it('only the region sets the address and writes the page; receipts carry it (version 2), and stay version 1 without it', async () => {
    const province = tempCore({ clock });
    cores.push(province);
    await setupOffice(province, 'errachidia');
    await expect(province.invoke('attestations.setVerifyUrl', { url: 'https://v.jisr.ma/' }, as)).rejects.toMatchObject({ code: 'attestations.verify_url_region_only' });
    await expect(province.invoke('attestations.verifyPage', {}, as)).rejects.toMatchObject({ code: 'attestations.verify_page_region_only' });

    const region = tempCore({ clock });
    cores.push(region);
    await setupOffice(region, 'region');
    const regionOffice = region.sqlite.prepare('SELECT o.* FROM installation i JOIN offices o ON o.id = i.office_id').get() as Office;
    const err = regionOffice; // any office: the receipt's shape is what is checked here (the e2e test loads one at a province)
    const v1 = makeReceipt(region.sqlite, regionOffice, signingKey(region.sqlite)!, err, clock().toISOString());
    expect(v1.body.version).toBe(1);
    expect('verifyUrl' in v1.body).toBe(false);
    await region.invoke('attestations.setVerifyUrl', { url: 'https://v.jisr.ma' }, as);
    expect((await region.invoke('attestations.verifySettings', {}, as)).url).toBe('https://v.jisr.ma/');
    const v2 = makeReceipt(region.sqlite, regionOffice, signingKey(region.sqlite)!, err, clock().toISOString(), 'https://v.jisr.ma/');
    expect(v2.body).toMatchObject({ version: 2, verifyUrl: 'https://v.jisr.ma/' });
    const audit = region.sqlite.prepare("SELECT changes FROM audit_log WHERE entity_id = 'attestations.verify_url'").pluck().get() as string;
    expect(JSON.parse(audit)).toEqual({ verify_url: [null, 'https://v.jisr.ma/'] });
  });

  it("the page's data: the list is signed by the region, and the page's own check refuses a code with no known office", async () => {
    const region = tempCore({ clock });
    cores.push(region);
    await setupOffice(region, 'region');
    const data = pageData(region.sqlite, region.dbPath, clock().toISOString());
    expect(data.list).toMatchObject({ kind: 'jisr-attestation-status', issuedAt: '2026-05-20T10:00:00.000Z', revoked: [], replaced: [] });
    const b = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));
    expect(await verifyEd25519(b(data.regionKey), b(data.listSignature), new TextEncoder().encode(canonicalJson(data.list)))).toBe(true);
    const tampered = { ...data.list, revoked: [{ serial: 'ERR-2026-P-000001', at: '2026-05-20', reason: 'x' }] };
    expect(await verifyEd25519(b(data.regionKey), b(data.listSignature), new TextEncoder().encode(canonicalJson(tampered)))).toBe(false);
    expect((await check('', data)).verdict).toBe('no_code');
    expect((await check('#JISR1.not-a-code', data)).verdict).toBe('altered');
  });
});
