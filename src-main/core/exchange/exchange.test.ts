import { copyDatabaseKey } from '../../../tests/helpers/keys';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore, setupOffice, cli, userToken } from '../../../tests/helpers/core';
import { seedDatabase } from '../seed/seed';
import '../seed/seeders';
import type { Core } from '../core';
import type { OfficeSlug } from '../../shared/offices';
import type { FileResult } from '../../shared/api/exchange.contract';
import { applicantNameKeys } from '../../shared/normalize/names';
import { addApplicants, anonymiseApplicant, contentHash, deleteApplicant, editApplicant, officeRows } from './exchange.fixtures';
import { officeCounts } from './receipts';
import { SYNC_TABLES, unregisteredSyncTables } from './registry';
import { buildInner, openFile, parseInner, peekFile, sealFile } from './file-format';
import { ownEncryptionKey } from './keys';
import { generateSigningKeyPair } from '../crypto/keys';
import { translateError } from '../../shared/i18n/translate-error';
import { recordChange } from '../changes/changes.repo';
import { writable } from '../db/handles';

type TCore = ReturnType<typeof tempCore>;
const PROVINCES: OfficeSlug[] = ['errachidia', 'ouarzazate', 'midelt', 'tinghir', 'zagora'];
const as = { actor: cli };
/** Every table but the audit trail, which records each import attempt, refused ones included. */
const dataHash = (db: Core['sqlite']) => contentHash(db, ['audit_log']);

async function exportTo(p: TCore, name: string, input: { full?: boolean } = {}): Promise<string> {
  const r = await p.invoke('exchange.export', input, as);
  const target = join(p.dir, name);
  copyFileSync(p.outbox.get(r.fileId)!.path, target);
  return target;
}

async function importPaths(region: Core, paths: string[], dryRun = false) {
  return region.invoke('exchange.import', { files: paths.map((path) => ({ path })), dryRun }, as);
}

function officeId(c: Core): string {
  return c.sqlite.prepare('SELECT office_id FROM installation').pluck().get() as string;
}

/** Every exchanged table: the province's rows of its office equal the region's rows of that office. */
function expectSameData(p: Core, region: Core) {
  const id = officeId(p);
  expect(officeCounts(region.sqlite, id)).toEqual(officeCounts(p.sqlite, id));
  for (const t of SYNC_TABLES) {
    if (t.updateOnly) continue;
    const cols = p.sqlite.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t.table) as string[];
    if (!cols.includes('office_id')) continue;
    expect(officeRows(region.sqlite, t.table, id), t.table).toEqual(officeRows(p.sqlite, t.table, id));
  }
}

async function makeProvince(slug: OfficeSlug, regionKeyFile: string, region: Core | null, n: number, seed: number): Promise<TCore> {
  const p = tempCore();
  await setupOffice(p, slug);
  addApplicants(p.sqlite, n, { seed });
  await seedDatabase(p, { applicants: n, office: slug, seed });
  await p.invoke('exchange.keysRegion', { keyFile: regionKeyFile }, as);
  if (region) {
    const k = await p.invoke('exchange.keysShow', {}, as);
    await region.invoke('exchange.keysTrust', { keyFile: k.keyFile }, as);
  }
  return p;
}

describe('exchange: five provinces into the region', () => {
  let region: TCore;
  let regionKey: string;
  const provinces = new Map<OfficeSlug, TCore>();

  beforeAll(async () => {
    region = tempCore();
    await setupOffice(region, 'region');
    regionKey = (await region.invoke('exchange.keysShow', {}, as)).keyFile;
    let seed = 1;
    for (const slug of PROVINCES) provinces.set(slug, await makeProvince(slug, regionKey, region, 25, seed++));
  });
  afterAll(async () => {
    await region.dispose();
    for (const p of provinces.values()) await p.dispose();
  });

  it('every synchronised table is in the registry (or deliberately stays home)', () => {
    expect(unregisteredSyncTables(region.sqlite)).toEqual([]);
  });

  it('keys: fingerprints are short, the region key file carries the encryption key', async () => {
    const k = await region.invoke('exchange.keysShow', {}, as);
    expect(k.x25519?.fingerprint).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    expect(k.ed25519.fingerprint).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    // The key pair is made once.
    expect((await region.invoke('exchange.keysShow', {}, as)).x25519?.fingerprint).toBe(k.x25519?.fingerprint);
    const list = await region.invoke('exchange.keysList', {}, as);
    expect(list.trustedOffices.filter((o) => o.kind === 'province' && o.trusted)).toHaveLength(5);
  });

  it('round-trips five provinces with every count and every row checked; the dry run first changes nothing', async () => {
    const paths: string[] = [];
    for (const [slug, p] of provinces) paths.push(await exportTo(p, `${slug}-1.jisrx`));
    const before = dataHash(region.sqlite);
    const dry = await importPaths(region, paths, true);
    expect(dry.results.map((r) => r.status)).toEqual(Array(5).fill('would_apply'));
    expect(dry.results.every((r) => (r.tables?.applicants.new ?? 0) >= 25)).toBe(true);
    expect(dataHash(region.sqlite)).toBe(before);

    const res = await importPaths(region, paths);
    expect(res.refused).toBe(0);
    expect(res.results.map((r) => r.status)).toEqual(Array(5).fill('applied'));
    expect(res.receipts).toHaveLength(5);
    for (const r of res.results) expect(r.tables!.applicants.new).toBe(dry.results.find((d) => d.office === r.office)!.tables!.applicants.new);
    for (const p of provinces.values()) expectSameData(p, region);
    // The training seeder ran: sessions and attendance travelled too.
    const err = officeCounts(region.sqlite, officeId(provinces.get('errachidia')!));
    expect(err.attendance).toBeGreaterThan(0);
    expect(err.applicant_situations).toBeGreaterThan(0);

    const offices = await region.invoke('exchange.offices', {}, as);
    expect(offices.map((o) => [o.slug, o.lastFileSeq])).toEqual(PROVINCES.slice().sort().map((s) => [s, 1]));
  });

  it('sends only the changes, with edits, anonymisations and deletions; re-importing changes nothing', async () => {
    const p = provinces.get('errachidia')!;
    // Registered women only: no cohort, session or attestation refers to them, so one can be deleted.
    const ids = p.sqlite.prepare(`SELECT id FROM applicants WHERE office_id = ? AND status = 'registered' ORDER BY id LIMIT 4`).pluck().all(officeId(p)) as string[];
    editApplicant(p.sqlite, ids[0], '+212600000001');
    anonymiseApplicant(p.sqlite, ids[1]);
    deleteApplicant(p.sqlite, ids[2]);
    addApplicants(p.sqlite, 3, { seed: 9 });
    const f2 = await exportTo(p, 'err-2.jisrx');
    const r = await importPaths(region, [f2]);
    const s = r.results[0];
    expect(s.status).toBe('applied');
    expect(s.type).toBe('delta');
    expect(s.tables!.applicants).toMatchObject({ new: 3, updated: 2, deleted: 1 });
    expect(s.changes).toEqual({ delete: 2, anonymise: 1, close: 0 });
    expectSameData(p, region);
    const anon = region.sqlite.prepare('SELECT cin, first_name_ar, anonymised_at FROM applicants WHERE id = ?').get(ids[1]) as Record<string, unknown>;
    expect(anon).toMatchObject({ cin: null, first_name_ar: '' });
    expect(anon.anonymised_at).not.toBeNull();

    const before = dataHash(region.sqlite);
    const again = await importPaths(region, [f2]);
    expect(again.results[0].status).toBe('already_imported');
    expect(dataHash(region.sqlite)).toBe(before);

    // A file made again from the history: the same content, a new file, recognised too.
    const hist = await p.invoke('exchange.history', {}, as);
    expect(hist[0]).toMatchObject({ fileSeq: 2, type: 'delta' });
    const remade = await p.invoke('exchange.remake', { exportId: hist[0].id }, as);
    expect(remade.fileSeq).toBe(2);
    expect(remade.sha256).not.toBe(hist[0].sha256);
    const remadePath = join(p.dir, 'err-2-again.jisrx');
    copyFileSync(p.outbox.get(remade.fileId)!.path, remadePath);
    expect((await importPaths(region, [remadePath])).results[0].status).toBe('already_imported');
    expect(dataHash(region.sqlite)).toBe(before);
  });

  it('a receipt tells the province what the region holds', async () => {
    const p = provinces.get('errachidia')!;
    const rc = await region.invoke('exchange.receipt', { office: 'errachidia' }, as);
    const text = readFileSync(region.outbox.get(rc.fileId)!.path, 'utf8');
    const loaded = await p.invoke('exchange.loadReceipt', { text }, as);
    expect(loaded.upToDate).toBe(true);
    expect(loaded.receipt.lastFileSeq).toBe(2);
    const sched = await p.invoke('exchange.schedule', {}, as);
    expect(sched.lastReceipt?.lastFileSeq).toBe(2);
    // A receipt altered on the way is refused.
    const forged = text.replace(/"lastFileSeq": 2/, '"lastFileSeq": 3');
    await expect(p.invoke('exchange.loadReceipt', { text: forged }, as)).rejects.toMatchObject({ code: 'exchange.bad_receipt' });
  });

  it('holds a file after a gap, applies it when the missing one arrives', async () => {
    const p = provinces.get('ouarzazate')!;
    addApplicants(p.sqlite, 2, { seed: 21 });
    const f2 = await exportTo(p, 'oua-2.jisrx');
    addApplicants(p.sqlite, 2, { seed: 22 });
    const f3 = await exportTo(p, 'oua-3.jisrx');
    const dataBefore = contentHash(region.sqlite, ['exchange_held_files', 'audit_log']);
    const held = await importPaths(region, [f3]);
    expect(held.results[0]).toMatchObject({ status: 'held', missing: { from: 2, to: 2 } });
    expect(contentHash(region.sqlite, ['exchange_held_files', 'audit_log'])).toBe(dataBefore);
    expect((await region.invoke('exchange.offices', {}, as)).find((o) => o.slug === 'ouarzazate')!.held).toHaveLength(1);
    const r = await importPaths(region, [f2]);
    expect(r.results.map((x) => [x.fileSeq, x.status])).toEqual([
      [2, 'applied'],
      [3, 'applied'],
    ]);
    expectSameData(p, region);
    expect((await region.invoke('exchange.offices', {}, as)).find((o) => o.slug === 'ouarzazate')!.held).toHaveLength(0);
  });

  it('the coordinator can accept a gap', async () => {
    const p = provinces.get('midelt')!;
    addApplicants(p.sqlite, 2, { seed: 31 });
    await exportTo(p, 'mid-2.jisrx'); // lost on the way
    addApplicants(p.sqlite, 2, { seed: 32 });
    const f3 = await exportTo(p, 'mid-3.jisrx');
    expect((await importPaths(region, [f3])).results[0].status).toBe('held');
    const acc = await region.invoke('exchange.acceptGap', { office: 'midelt' }, as);
    expect(acc.skipped).toEqual({ from: 2, to: 2 });
    expect(acc.results[0]).toMatchObject({ fileSeq: 3, status: 'applied' });
    const st = (await region.invoke('exchange.offices', {}, as)).find((o) => o.slug === 'midelt')!;
    expect(st.lastFileSeq).toBe(3);
    // A full snapshot brings back what the lost file carried.
    const full = await exportTo(p, 'mid-4-full.jisrx', { full: true });
    expect((await importPaths(region, [full])).results[0].status).toBe('applied');
    expectSameData(p, region);
  });

  it('cross-province duplicates (same CIN, same name and birth date) go to the review list', async () => {
    const a = provinces.get('tinghir')!;
    const b = provinces.get('zagora')!;
    const sameCin = { cin: 'ZZ999001', first: 1, last: 2, birthDate: '1990-05-05' };
    const samePerson = { cin: 'TT123456', first: 3, last: 4, birthDate: '1988-08-08' };
    // The matching engine (issue 13): one woman written in Arabic only at Tinghir and in Latin letters only at Zagora,
    // the article merged and the birth date one day apart (same); a sister with another first name (different).
    const alaoui = { cin: 'TT500001', first: 0, last: 0, birthDate: '1991-01-10', names: { firstAr: 'فاطمة', lastAr: 'العلوي', firstLat: '', lastLat: '' } };
    const fresh = addApplicants(a.sqlite, 3, { people: [sameCin, samePerson, alaoui] });
    fresh.push(...addApplicants(b.sqlite, 5, {
      people: [
        { ...sameCin, first: 5 },
        { ...samePerson, cin: 'UU654321' },
        { cin: 'UU500002', first: 0, last: 0, birthDate: '1991-01-11', names: { firstAr: '', lastAr: '', firstLat: 'Fatma', lastLat: 'Lalaoui' } },
        { cin: 'UU500003', first: 0, last: 0, birthDate: '1991-01-10', names: { firstAr: '', lastAr: '', firstLat: 'Fatiha', lastLat: 'Alaoui' } },
        // Maybe her: the same names, born months apart the same year (weak: listed for a look, marked as such).
        { cin: 'UU500004', first: 0, last: 0, birthDate: '1991-09-30', names: { firstAr: '', lastAr: '', firstLat: 'Fatima', lastLat: 'El Alaoui' } },
      ],
    }));
    // The name keys every writer stores (the fixture writes rows directly).
    for (const db of [a.sqlite, b.sqlite]) {
      for (const r of db.prepare('SELECT id, first_name_ar, last_name_ar, first_name_lat, last_name_lat FROM applicants WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(fresh)) as Record<string, string>[]) {
        const k = applicantNameKeys({ firstNameAr: r.first_name_ar, lastNameAr: r.last_name_ar, firstNameLat: r.first_name_lat, lastNameLat: r.last_name_lat });
        db.prepare('UPDATE applicants SET name_skel = ?, name_words = ? WHERE id = ?').run(k.nameSkel, k.nameWords, r.id);
      }
    }
    const fa = await exportTo(a, 'tin-2.jisrx');
    const fb = await exportTo(b, 'zag-2.jisrx');
    expect((await importPaths(region, [fa])).results[0].status).toBe('applied');
    const dry = await importPaths(region, [fb], true);
    expect(dry.results[0].duplicates).toMatchObject({ sameCin: 1, samePerson: 2 });
    const r = await importPaths(region, [fb]);
    expect(r.results[0].duplicates).toMatchObject({ sameCin: 1, samePerson: 2 });
    // The record is stored whole at the region; the CIN held by the other office is kept aside.
    expect(officeCounts(region.sqlite, officeId(b))).toEqual(officeCounts(b.sqlite, officeId(b)));
    const list = await region.invoke('exchange.reviews', { status: 'open' }, as);
    const cinItem = list.items.find((i) => i.kind === 'same_cin')!;
    expect(cinItem.a.cin).toBe('ZZ999001');
    expect(cinItem.b?.cin).toBe('ZZ999001');
    expect(new Set([cinItem.a.office, cinItem.b?.office])).toEqual(new Set(['tinghir', 'zagora']));
    expect(list.items.some((i) => i.kind === 'same_person')).toBe(true);
    // Side by side, with the engine's reasons: the Arabic-only file and the Latin-only one.
    const fatma = list.items.find((i) => i.kind === 'same_person' && [i.a.nameLat, i.b?.nameLat].includes('Fatma Lalaoui'))!;
    expect(fatma.match).toMatchObject({ level: 'strong' });
    expect(fatma.match!.reasons.map((x) => x.code)).toEqual(['birth_one_day', 'first_variant', 'family_variant']);
    expect(new Set([fatma.a.nameAr, fatma.b?.nameAr])).toEqual(new Set(['', 'فاطمة العلوي']));
    expect(fatma.a).toMatchObject({ sex: 'F', provinceCode: expect.stringMatching(/^08\.\d{3}$/) });
    expect(fatma.a.communeNameAr).toBeTruthy();
    // The sister (Fatiha) is not proposed.
    expect(list.items.filter((i) => [i.a.nameLat, i.b?.nameLat].includes('Fatiha Alaoui'))).toEqual([]);
    // Maybe her: listed too, as weak, with the same side-by-side fields and its reasons.
    const maybe = list.items.filter((i) => i.kind === 'same_person' && [i.a.nameLat, i.b?.nameLat].includes('Fatima El Alaoui'));
    expect(maybe.map((i) => i.match?.level)).toEqual(['weak']);
    expect(maybe[0].match!.reasons.map((x) => x.code)).toContain('birth_same_year');
    expect(maybe[0].detail).toMatchObject({ level: 'weak' });
    expect(new Set([maybe[0].a.nameAr, maybe[0].b?.nameAr])).toEqual(new Set(['', 'فاطمة العلوي']));
    expect(r.results[0].duplicates?.maybePerson).toBeGreaterThanOrEqual(1);
    expect(r.results[0].duplicates?.sample.some((d) => d.kind === 'same_person' && d.level === 'weak')).toBe(true);
    const resolved = await region.invoke('exchange.resolveReview', { id: cinItem.id, decision: 'same', note: 'vérifié par téléphone' }, as);
    expect(resolved.status).toBe('same');
    expect((await region.invoke('exchange.reviews', { status: 'open', kind: 'same_cin' }, as)).total).toBe(0);
  });

  it('an update that leaves her identity as it was is not checked again; one that changes it is', async () => {
    const a = provinces.get('tinghir')!;
    const b = provinces.get('zagora')!;
    const keys = (db: Core['sqlite'], id: string) => {
      const r = db.prepare('SELECT first_name_ar, last_name_ar, first_name_lat, last_name_lat FROM applicants WHERE id = ?').get(id) as Record<string, string>;
      const k = applicantNameKeys({ firstNameAr: r.first_name_ar, lastNameAr: r.last_name_ar, firstNameLat: r.first_name_lat, lastNameLat: r.last_name_lat });
      db.prepare('UPDATE applicants SET name_skel = ?, name_words = ? WHERE id = ?').run(k.nameSkel, k.nameWords, id);
    };
    const [x] = addApplicants(a.sqlite, 1, { people: [{ cin: 'TT700001', first: 6, last: 7, birthDate: '1979-03-03' }] });
    keys(a.sqlite, x);
    const [y] = addApplicants(b.sqlite, 1, { people: [{ cin: 'UU700002', first: 8, last: 9, birthDate: '1979-03-03' }] });
    keys(b.sqlite, y);
    expect((await importPaths(region, [await exportTo(a, 'tin-x.jisrx')])).results[0].status).toBe('applied');
    expect((await importPaths(region, [await exportTo(b, 'zag-y.jisrx')])).results[0].duplicates).toMatchObject({ samePerson: 0 });
    // A new phone number (most of a month's updates: her identity unchanged): applied, nothing to check.
    editApplicant(b.sqlite, y, '+212677700002');
    const phone = await importPaths(region, [await exportTo(b, 'zag-y2.jisrx')]);
    expect(phone.results[0]).toMatchObject({ status: 'applied', duplicates: { samePerson: 0 } });
    // Her names corrected at Zagora to those of the Tinghir woman born the same day: checked again, and found.
    const at = '2026-04-05T10:00:00.000Z';
    const o = b.sqlite.prepare('SELECT office_id FROM installation').pluck().get() as string;
    const seq = recordChange(writable(b.sqlite), 'applicants', y, 'update', o, at);
    const xr = a.sqlite.prepare('SELECT first_name_ar, last_name_ar, first_name_lat, last_name_lat, name_key_ar, name_key_lat FROM applicants WHERE id = ?').get(x) as Record<string, string>;
    b.sqlite
      .prepare('UPDATE applicants SET first_name_ar = ?, last_name_ar = ?, first_name_lat = ?, last_name_lat = ?, name_key_ar = ?, name_key_lat = ?, updated_at = ?, change_seq = ? WHERE id = ?')
      .run(xr.first_name_ar, xr.last_name_ar, xr.first_name_lat, xr.last_name_lat, xr.name_key_ar, xr.name_key_lat, at, seq, y);
    keys(b.sqlite, y);
    const renamed = await importPaths(region, [await exportTo(b, 'zag-y3.jisrx')]);
    expect(renamed.results[0]).toMatchObject({ status: 'applied', duplicates: { samePerson: 1 } });
  });

  it('provincial records are read-only at the region', () => {
    const id = region.sqlite.prepare(`SELECT id FROM applicants LIMIT 1`).pluck().get() as string;
    expect(() => region.sqlite.prepare(`UPDATE applicants SET phone = '+212611111111' WHERE id = ?`).run(id)).toThrow(/exchange.read_only/);
    expect(() => region.sqlite.prepare(`DELETE FROM applicants WHERE id = ?`).run(id)).toThrow(/exchange.read_only/);
  });

  describe('bad files are refused with a clear message and change nothing', () => {
    let good: Buffer;
    let goodPath: string;
    let p: TCore;
    beforeAll(async () => {
      p = provinces.get('tinghir')!;
      addApplicants(p.sqlite, 3, { seed: 41 });
      goodPath = await exportTo(p, 'tin-3.jisrx');
      good = readFileSync(goodPath);
    });

    async function refusedWith(data: Buffer, code: string | string[]): Promise<FileResult> {
      const path = join(p.dir, `bad-${Date.now()}.jisrx`);
      writeFileSync(path, data);
      const before = dataHash(region.sqlite);
      const r = await importPaths(region, [path]);
      expect(r.results[0].status).toBe('refused');
      expect(Array.isArray(code) ? code : [code]).toContain(r.results[0].error?.code);
      expect(r.refused).toBe(1);
      expect(dataHash(region.sqlite)).toBe(before);
      const msg = translateError(r.results[0].error!, 'ar');
      expect(msg).not.toBe(r.results[0].error!.code);
      expect(translateError(r.results[0].error!, 'fr')).not.toBe(r.results[0].error!.code);
      return r.results[0];
    }

    it('truncated', async () => {
      await refusedWith(good.subarray(0, good.length - 1000), 'exchange.truncated');
      await refusedWith(good.subarray(0, 10), 'exchange.truncated');
    });
    it('a flipped byte (content, header, tag)', async () => {
      for (const at of [Math.floor(good.length / 2), good.length - 3, 200]) {
        const bad = Buffer.from(good);
        bad[at] ^= 0x01;
        await refusedWith(bad, 'exchange.corrupt');
      }
      // In the clear header a flipped byte breaks its JSON or changes a value the encryption authenticates.
      for (const at of [20, 40, 60, 80, 100]) {
        const bad = Buffer.from(good);
        bad[at] ^= 0x01;
        await refusedWith(bad, ['exchange.corrupt', 'exchange.wrong_key', 'exchange.truncated']);
      }
    });
    it('not an exchange file', async () => {
      await refusedWith(Buffer.from('PK\u0003\u0004 this is a zip'), 'exchange.not_exchange_file');
    });
    it('a newer format', async () => {
      const bad = Buffer.from(good);
      bad.writeUInt16BE(2, 6);
      await refusedWith(bad, 'exchange.newer_format');
    });
    it('oversized', async () => {
      region.sqlite.prepare(`UPDATE settings SET value = '1000' WHERE key = 'exchange.max_file_bytes'`).run();
      try {
        const path = join(p.dir, 'big.jisrx');
        writeFileSync(path, good);
        const before = dataHash(region.sqlite);
        const r = await importPaths(region, [path]);
        expect(r.results[0].error?.code).toBe('exchange.too_large');
        expect(dataHash(region.sqlite)).toBe(before);
      } finally {
        region.sqlite.prepare(`UPDATE settings SET value = '536870912' WHERE key = 'exchange.max_file_bytes'`).run();
      }
    });
    it('encrypted to another key', async () => {
      const other = tempCore();
      try {
        await setupOffice(other, 'region');
        const otherKey = (await other.invoke('exchange.keysShow', {}, as)).keyFile;
        const q = await makeProvince('errachidia', otherKey, null, 2, 77);
        try {
          await refusedWith(readFileSync(await exportTo(q, 'wrong.jisrx')), 'exchange.wrong_key');
        } finally {
          await q.dispose();
        }
      } finally {
        await other.dispose();
      }
    });
    it('an unknown office, an untrusted office', async () => {
      // Another installation claiming to be Errachidia, whose key the region never trusted.
      const q = await makeProvince('errachidia', regionKey, null, 2, 78);
      try {
        await refusedWith(readFileSync(await exportTo(q, 'unknown.jisrx')), 'exchange.unknown_office');
      } finally {
        await q.dispose();
      }
      region.sqlite.prepare(`UPDATE offices SET trusted = 0 WHERE slug = 'tinghir'`).run();
      try {
        await refusedWith(good, 'exchange.untrusted_office');
      } finally {
        region.sqlite.prepare(`UPDATE offices SET trusted = 1 WHERE slug = 'tinghir'`).run();
      }
    });
    it('a forged signature (re-encrypted by someone holding the region public key)', async () => {
      const own = ownEncryptionKey(region.sqlite)!;
      const peek = peekFile(good, 1 << 30);
      const inner = openFile(good, peek, own.privatePem);
      const parsed = parseInner(inner);
      const manifest = { ...parsed.manifest, counts: { ...parsed.manifest.counts, applicants: 999 } };
      const parts = inner.subarray(parsed.partsStart);
      const forger = generateSigningKeyPair();
      const { sign } = await import('node:crypto');
      const forgedInner = buildInner(manifest, [parts], (m) => sign(null, m, forger.privateKey));
      await refusedWith(sealFile(forgedInner, own.publicPem, own.fingerprint, peek.header.office, peek.header.fileSeq), 'exchange.bad_signature');
    });
    it('a file numbered like one already applied, made after it (the office restored an older backup)', async () => {
      // The same province restored from an old backup makes a different file numbered like one already applied: not a
      // replay but a restart of its numbering, which the coordinator can accept (tests/unit/exchange-numbering-restart.test.ts).
      const z = provinces.get('zagora')!;
      const copy = join(z.dir, 'backup.db');
      z.sqlite.prepare('VACUUM INTO ?').run(copy);
      // The copy is encrypted with the database's key: the restored installation has that key too.
      copyDatabaseKey(join(z.dir, 'jisr.db'), copy);
      addApplicants(z.sqlite, 1, { seed: 51 });
      const f3 = await exportTo(z, 'zag-3.jisrx');
      expect((await importPaths(region, [f3])).results[0].status).toBe('applied');
      const { createCore } = await import('../core');
      const restored = createCore({ dbPath: copy });
      try {
        addApplicants(restored.sqlite, 1, { seed: 52 });
        const r = await restored.invoke('exchange.export', {}, as);
        await refusedWith(readFileSync(restored.outbox.get(r.fileId)!.path), 'exchange.numbering_restarted');
      } finally {
        await restored.close();
      }
    });
    it('the good file still applies afterwards', async () => {
      expect((await importPaths(region, [goodPath])).results[0].status).toBe('applied');
      expectSameData(p, region);
    });
  });

  it('roles: export for the office head, import and trust for the coordinator', async () => {
    const p = provinces.get('errachidia')!;
    const admin = (await p.invoke('auth.login', { username: 'admin', password: 'admin-password-1' })).token;
    const agent = await userToken(p, admin, 'agent1', 'agent');
    const head = await userToken(p, admin, 'head1', 'office_head');
    expect((await p.call('exchange.export', {}, { token: agent })).ok).toBe(false);
    expect((await p.call('exchange.export', {}, { token: head })).ok).toBe(true);
    expect((await p.call('exchange.schedule', {}, { token: agent })).ok).toBe(true);
    const radmin = (await region.invoke('auth.login', { username: 'admin', password: 'admin-password-1' })).token;
    const coord = await userToken(region, radmin, 'coord1', 'coordinator');
    // A path from a session is refused as a whole call, before anything is read (issue 16).
    expect(await region.call('exchange.import', { files: [{ path: '/etc/hostname' }] }, { token: coord })).toMatchObject({ ok: false, error: { code: 'api.cli_only', params: { field: 'files.0.path' } } });
    const rhead = await userToken(region, radmin, 'rhead', 'office_head');
    expect((await region.call('exchange.import', { files: [{ path: '/x' }] }, { token: rhead })).ok).toBe(false);
    expect((await region.call('exchange.keysShow', {}, { token: coord })).ok).toBe(true);
  });

  it('the schedule says when the next file is due and whether it is late', async () => {
    const p = provinces.get('errachidia')!;
    const s = await p.invoke('exchange.schedule', {}, as);
    expect(s.cadence).toBe('monthly');
    expect(new Date(s.nextDueAt).getTime()).toBeGreaterThan(new Date(s.lastFileAt!).getTime());
    await p.invoke('exchange.setCadence', { cadence: 'weekly' }, as);
    const w = await p.invoke('exchange.schedule', {}, as);
    expect(new Date(w.nextDueAt).getTime() - new Date(w.lastFileAt!).getTime()).toBe(7 * 86_400_000);
    expect(w.late).toBe(false);
  });
});

describe('exchange: the late schedule', () => {
  it('is late once the cadence has passed without a file', async () => {
    let now = new Date('2026-01-10T09:00:00Z');
    const p = tempCore({ clock: () => now });
    try {
      await setupOffice(p, 'errachidia');
      expect((await p.invoke('exchange.schedule', {}, as)).late).toBe(false);
      now = new Date('2026-02-20T09:00:00Z');
      const s = await p.invoke('exchange.schedule', {}, as);
      expect(s).toMatchObject({ late: true, daysLate: 10, nextDueAt: '2026-02-10T09:00:00.000Z' });
      await expect(p.invoke('exchange.export', {}, as)).rejects.toMatchObject({ code: 'exchange.no_region_key' });
    } finally {
      await p.dispose();
    }
  });
});

describe('exchange: a large file (the bulk paths)', () => {
  const N = 700; // over the size from which the import fills the search index after the applicants part
  let region: TCore;
  let p: TCore;
  /** The schema as SQLite stores it: the search trigger is dropped during a large applicants part and must come back. */
  const schema = (db: Core['sqlite']) => db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`).all();
  /** Applicants a trigram search finds (as the registry's search does), as sorted ids. */
  const found = (db: Core['sqlite'], fragment: string) =>
    db
      .prepare(`SELECT s.applicant_id FROM applicants_fts f JOIN applicant_search s ON s.rowid = f.rowid WHERE f.names MATCH ? ORDER BY 1`)
      .pluck()
      .all(`"${fragment.replace(/"/g, '""')}"`) as string[];

  beforeAll(async () => {
    region = tempCore();
    await setupOffice(region, 'region');
    const regionKey = (await region.invoke('exchange.keysShow', {}, as)).keyFile;
    // Applicants with their situations and status history only (no training rows: a deletion here stays simple).
    p = tempCore();
    await setupOffice(p, 'midelt');
    addApplicants(p.sqlite, N, { seed: 91 });
    await p.invoke('exchange.keysRegion', { keyFile: regionKey }, as);
    await region.invoke('exchange.keysTrust', { keyFile: (await p.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    // REAL values whose shortest decimal form has 16–17 digits: SQLite's own JSON would print 15 and lose them.
    const reals = [1 / 3, 0.1 + 0.2, 2 / 3, 1e-7 / 3, 123456.789e-3, 9.87654321012345e5];
    const ids = p.sqlite.prepare('SELECT id FROM applicants ORDER BY id LIMIT 60').pluck().all() as string[];
    ids.forEach((id, i) => p.sqlite.prepare('UPDATE applicants SET rsu_registered = 1, rsu_index = ? WHERE id = ?').run(reals[i % reals.length] * (i + 1), id));
  });
  afterAll(async () => {
    await region.dispose();
    await p.dispose();
  });

  it('a refused file leaves the schema and the data as they were, though it failed in the middle of the applicants part', async () => {
    const good = readFileSync(await exportTo(p, 'mid-full.jisrx', { full: true }));
    // A row of another office in the middle of the applicants part: refused after hundreds of rows were applied.
    const own = ownEncryptionKey(region.sqlite)!;
    const peek = peekFile(good, 1 << 30);
    const { manifest, partsStart } = parseInner(openFile(good, peek, own.privatePem));
    const inner = openFile(good, peek, own.privatePem);
    const { gunzipSync, gzipSync } = await import('node:zlib');
    const { createHash } = await import('node:crypto');
    const { signBytes } = await import('../crypto/keys');
    let offset = 0;
    const parts: Buffer[] = [];
    const infos = manifest.parts.map((info) => {
      let data = inner.subarray(partsStart + info.offset, partsStart + info.offset + info.length);
      if (info.table === 'applicants') {
        const lines = gunzipSync(data).toString('utf8').split('\n');
        const cols = JSON.parse(lines[0]) as string[];
        const row = JSON.parse(lines[N - 50]) as unknown[];
        row[cols.indexOf('office_id')] = officeId(region);
        lines[N - 50] = JSON.stringify(row);
        data = gzipSync(lines.join('\n'));
      }
      parts.push(data);
      const out = { ...info, offset, length: data.length, sha256: createHash('sha256').update(data).digest('hex') };
      offset += data.length;
      return out;
    });
    const key = p.sqlite.prepare('SELECT signing_key_pem FROM installation').pluck().get() as string;
    const bad = sealFile(buildInner({ ...manifest, parts: infos }, parts, (m) => signBytes(key, m)), own.publicPem, own.fingerprint, peek.header.office, peek.header.fileSeq);
    const path = join(p.dir, 'mid-bad.jisrx');
    writeFileSync(path, bad);
    const before = dataHash(region.sqlite);
    const schemaBefore = schema(region.sqlite);
    const r = await importPaths(region, [path]);
    expect(r.results[0]).toMatchObject({ status: 'refused', error: { code: 'exchange.foreign_rows' } });
    expect(dataHash(region.sqlite)).toBe(before);
    expect(schema(region.sqlite)).toEqual(schemaBefore);

    // A dry run of the good file: a summary, then nothing changed.
    const dry = await importPaths(region, [join(p.dir, 'mid-full.jisrx')], true);
    expect(dry.results[0].status).toBe('would_apply');
    expect(dry.results[0].tables!.applicants.new).toBe(N);
    expect(dataHash(region.sqlite)).toBe(before);
    expect(schema(region.sqlite)).toEqual(schemaBefore);
  });

  it('applies every row exactly (REAL values included) and the search finds the same women as in the province', async () => {
    const schemaBefore = schema(region.sqlite);
    const r = await importPaths(region, [join(p.dir, 'mid-full.jisrx')]);
    expect(r.results[0].status).toBe('applied');
    expect(r.results[0].tables!.applicants.new).toBe(N);
    expectSameData(p, region);
    expect(schema(region.sqlite)).toEqual(schemaBefore);
    expect(region.sqlite.prepare('SELECT COUNT(*) FROM applicant_search').pluck().get()).toBe(N);
    expect(() => region.sqlite.prepare(`INSERT INTO applicants_fts (applicants_fts) VALUES ('integrity-check')`).run()).not.toThrow();
    const sample = p.sqlite.prepare('SELECT name_key_ar, name_key_lat FROM applicants ORDER BY id LIMIT 8').all() as { name_key_ar: string; name_key_lat: string }[];
    let hits = 0;
    for (const a of sample) {
      for (const frag of [a.name_key_lat.slice(0, 5), a.name_key_ar.slice(-4), a.name_key_lat.split(' ').at(-1)!]) {
        if (frag.trim().length < 3) continue;
        const there = found(region.sqlite, frag);
        expect(there, frag).toEqual(found(p.sqlite, frag));
        hits += there.length;
      }
    }
    expect(hits).toBeGreaterThan(0);
  });

  it('after it, the search trigger is back: a deletion and a new applicant reach the search index', async () => {
    const gone = p.sqlite.prepare('SELECT id, name_key_lat FROM applicants ORDER BY id LIMIT 1').get() as { id: string; name_key_lat: string };
    deleteApplicant(p.sqlite, gone.id);
    const [added] = addApplicants(p.sqlite, 1, { seed: 92 });
    const r = await importPaths(region, [await exportTo(p, 'mid-delta.jisrx')]);
    expect(r.results[0].status).toBe('applied');
    expectSameData(p, region);
    const ids = region.sqlite.prepare('SELECT applicant_id FROM applicant_search').pluck().all() as string[];
    expect(ids).toContain(added);
    expect(ids).not.toContain(gone.id);
    const key = region.sqlite.prepare('SELECT name_key_lat FROM applicants WHERE id = ?').pluck().get(added) as string;
    expect(found(region.sqlite, key.trim().split(' ')[0])).toContain(added);
  });
});
