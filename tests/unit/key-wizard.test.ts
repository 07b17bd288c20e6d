import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore } from '../helpers/core';

/**
 * The key exchange as a wizard (issue 15): a key file is read first (`exchange.keyPreview`: whose it is, the
 * fingerprints to read over the phone, new / same / changed) with nothing trusted; the trust is given only with
 * the fingerprints the person confirmed, and refused, with nothing changed, when they are not the file's.
 */
type TCore = ReturnType<typeof tempCore>;
const as = { actor: cli };

describe('key exchange wizard', () => {
  let region: TCore;
  let province: TCore;
  let other: TCore;
  let regionKey: string;
  let provinceKey: string;
  let coordinator: string;
  let head: string;

  beforeAll(async () => {
    region = tempCore();
    const r = await setupOffice(region, 'region');
    province = tempCore();
    const p = await setupOffice(province, 'errachidia');
    other = tempCore();
    await setupOffice(other, 'errachidia');
    coordinator = r.token;
    head = p.token;
    regionKey = (await region.invoke('exchange.keysShow', {}, as)).keyFile;
    provinceKey = (await province.invoke('exchange.keysShow', {}, as)).keyFile;
  });
  afterAll(async () => {
    for (const c of [region, province, other]) await c.dispose();
  });

  const trustedCount = () => region.sqlite.prepare("SELECT COUNT(*) FROM offices WHERE kind = 'province' AND trusted = 1").pluck().get() as number;
  const regionKeyCount = () => province.sqlite.prepare('SELECT COUNT(*) FROM exchange_region_keys').pluck().get() as number;

  it('the region previews a province key without trusting it: its name and its signing fingerprint, new', async () => {
    const before = trustedCount();
    const pv = await region.invoke('exchange.keyPreview', { keyFile: provinceKey }, { token: coordinator });
    expect(pv.officeKind).toBe('province');
    expect(pv.nameFr).toContain('Errachidia');
    expect(pv.status).toBe('new');
    expect(pv.fingerprints).toHaveLength(1);
    expect(pv.fingerprints[0]).toMatchObject({ kind: 'signing' });
    expect(pv.fingerprints[0].fingerprint).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    expect(trustedCount()).toBe(before);
  });

  it('a confirmation of other fingerprints is refused and trusts nothing; the right ones trust the office', async () => {
    const pv = await region.invoke('exchange.keyPreview', { keyFile: provinceKey }, { token: coordinator });
    await expect(region.invoke('exchange.keysTrust', { keyFile: provinceKey, confirmedFingerprints: ['0000-0000-0000-0000'] }, { token: coordinator })).rejects.toMatchObject({
      code: 'exchange.fingerprint_not_confirmed',
    });
    expect(trustedCount()).toBe(0);
    const t = await region.invoke('exchange.keysTrust', { keyFile: provinceKey, confirmedFingerprints: pv.fingerprints.map((f) => f.fingerprint) }, { token: coordinator });
    expect(t).toMatchObject({ slug: 'errachidia', trusted: true, created: true });
    expect(trustedCount()).toBe(1);
    expect((await region.invoke('exchange.keyPreview', { keyFile: provinceKey }, { token: coordinator })).status).toBe('same');
  });

  it('another key for a known office is previewed as a change; another installation of it is refused', async () => {
    // Another installation of the same province has its own office id: refused as a mismatch.
    const otherKey = (await other.invoke('exchange.keysShow', {}, as)).keyFile;
    await expect(region.invoke('exchange.keyPreview', { keyFile: otherKey }, { token: coordinator })).rejects.toMatchObject({ code: 'exchange.office_id_mismatch' });
    // The office's key as the region holds it differs from the file's (the province made a new key): a change.
    const held = region.sqlite.prepare("SELECT public_key FROM offices WHERE slug = 'errachidia'").pluck().get() as string;
    region.sqlite.prepare("UPDATE offices SET public_key = ? WHERE slug = 'errachidia'").run((JSON.parse(otherKey) as { ed25519: { publicKey: string } }).ed25519.publicKey);
    expect((await region.invoke('exchange.keyPreview', { keyFile: provinceKey }, { token: coordinator })).status).toBe('changed');
    region.sqlite.prepare("UPDATE offices SET public_key = ? WHERE slug = 'errachidia'").run(held);
  });

  it('a province previews the region key (signing then encryption), then loads it only with both confirmed', async () => {
    const pv = await province.invoke('exchange.keyPreview', { keyFile: regionKey }, { token: head });
    expect(pv.officeKind).toBe('region');
    expect(pv.status).toBe('new');
    expect(pv.fingerprints.map((f) => f.kind)).toEqual(['signing', 'encryption']);
    expect(regionKeyCount()).toBe(0);
    const fps = pv.fingerprints.map((f) => f.fingerprint);
    await expect(province.invoke('exchange.keysRegion', { keyFile: regionKey, confirmedFingerprints: [fps[1], fps[0]] }, { token: head })).rejects.toMatchObject({
      code: 'exchange.fingerprint_not_confirmed',
    });
    await expect(province.invoke('exchange.keysRegion', { keyFile: regionKey, confirmedFingerprints: [fps[0]] }, { token: head })).rejects.toMatchObject({
      code: 'exchange.fingerprint_not_confirmed',
    });
    expect(regionKeyCount()).toBe(0);
    const k = await province.invoke('exchange.keysRegion', { keyFile: regionKey, confirmedFingerprints: fps }, { token: head });
    expect(k.fingerprint).toBe(fps[1]);
    expect((await province.invoke('exchange.keyPreview', { keyFile: regionKey }, { token: head })).status).toBe('same');
  });

  it('the wrong kind of key is named at the preview', async () => {
    await expect(province.invoke('exchange.keyPreview', { keyFile: provinceKey }, { token: head })).rejects.toMatchObject({ code: 'exchange.key_not_region' });
    await expect(region.invoke('exchange.keyPreview', { keyFile: regionKey }, { token: coordinator })).rejects.toMatchObject({ code: 'exchange.key_not_province' });
    await expect(region.invoke('exchange.keyPreview', { keyFile: '{"not":"a key"}' }, { token: coordinator })).rejects.toMatchObject({ code: 'exchange.bad_key_file' });
  });
});
