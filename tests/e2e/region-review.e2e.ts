/**
 * Issue 13 at the region, in Chromium: the cross-province review lists a woman probably registered twice (strong:
 * "probably the same person") and one maybe registered twice (weak: "maybe the same person", the weak badge beside
 * the strong one), each side by side with the engine's reasons; her sister is not listed. In Arabic and in French.
 * Built on a region database as the other region tests are: two provinces' files received through exchange files.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/core';
import type { Actor } from '../../src-main/core/context';
import { addApplicants, type FixturePerson } from '../../src-main/core/exchange/exchange.fixtures';
import { applicantNameKeys } from '../../src-main/shared/normalize/names';
import { setupOfficeCore, startApp, type E2eApp } from './harness';
import { LoginPageObject, ShellPageObject } from './pages/auth.page';

const as = { actor: { kind: 'cli', osUser: 'e2e' } as Actor };

/** Files written by the fixture, with the name keys every writer of the registry stores (the fixture writes rows directly). */
function addPeople(p: Core, people: FixturePerson[]) {
  const ids = addApplicants(p.sqlite, people.length, { people });
  const keys = p.sqlite.prepare('UPDATE applicants SET name_skel = ?, name_words = ? WHERE id = ?');
  for (const r of p.sqlite.prepare('SELECT id, first_name_ar, last_name_ar, first_name_lat, last_name_lat FROM applicants WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Record<string, string>[]) {
    const k = applicantNameKeys({ firstNameAr: r.first_name_ar, lastNameAr: r.last_name_ar, firstNameLat: r.first_name_lat, lastNameLat: r.last_name_lat });
    keys.run(k.nameSkel, k.nameWords, r.id);
  }
}

const only = (names: Partial<NonNullable<FixturePerson['names']>>) => ({ names: { firstAr: '', lastAr: '', firstLat: '', lastLat: '', ...names }, first: 0, last: 0 });

describe('region review: probably and maybe the same person, side by side (web bridge + Chromium)', () => {
  let region: E2eApp;
  const dir = mkdtempSync(join(tmpdir(), 'jisr-e2e-rr-'));
  const provinces: Core[] = [];

  beforeAll(async () => {
    region = await startApp();
    await setupOfficeCore(region.core, 'region');
    await region.core.invoke('users.create', { username: 'coord', displayName: 'المنسقة الجهوية', role: 'coordinator', password: 'coord-pass-2026', mustChange: false }, as);
    const regionKey = (await region.core.invoke('exchange.keysShow', {}, as)).keyFile;
    const people: Record<'tinghir' | 'zagora', FixturePerson[]> = {
      // Written in Arabic only at Tinghir.
      tinghir: [{ cin: 'TT500001', birthDate: '1991-01-10', ...only({ firstAr: 'فاطمة', lastAr: 'العلوي' }) }],
      zagora: [
        // Probably her: Latin letters only, the article merged, born one day apart.
        { cin: 'UU500002', birthDate: '1991-01-11', ...only({ firstLat: 'Fatma', lastLat: 'Lalaoui' }) },
        // Maybe her: the same names, born months apart the same year.
        { cin: 'UU500004', birthDate: '1991-09-30', ...only({ firstLat: 'Fatima', lastLat: 'El Alaoui' }) },
        // Her sister (another first name, the same birth date): not listed.
        { cin: 'UU500003', birthDate: '1991-01-10', ...only({ firstLat: 'Fatiha', lastLat: 'Alaoui' }) },
      ],
    };
    for (const slug of ['tinghir', 'zagora'] as const) {
      const p = createCore({ dbPath: join(dir, `${slug}.db`) });
      provinces.push(p);
      await setupOfficeCore(p, slug);
      addPeople(p, people[slug]);
      await p.invoke('exchange.keysRegion', { keyFile: regionKey }, as);
      await region.core.invoke('exchange.keysTrust', { keyFile: (await p.invoke('exchange.keysShow', {}, as)).keyFile }, as);
      const f = await p.invoke('exchange.export', {}, as);
      const target = join(dir, `${slug}.jisrx`);
      copyFileSync(p.outbox.get(f.fileId)!.path, target);
      const r = await region.core.invoke('exchange.import', { files: [{ path: target }] }, as);
      expect(r.results[0].status).toBe('applied');
    }
  });
  afterAll(async () => {
    await region?.close();
    for (const p of provinces) await p.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the strong and the weak pair with their badges and reasons, in Arabic then in French', async () => {
    const r = await region.open();
    await new LoginPageObject(r).login('coord', 'coord-pass-2026');
    const shell = new ShellPageObject(r);
    await shell.waitVisible();
    await shell.go('exchange');
    const rows = r.getByTestId('review-row');
    await rows.first().waitFor();
    const probably = rows.filter({ hasText: 'Lalaoui' });
    const maybe = rows.filter({ hasText: 'El Alaoui' });
    expect(await probably.count()).toBe(1);
    expect(await maybe.count()).toBe(1);
    expect(await rows.filter({ hasText: 'Fatiha' }).count()).toBe(0);
    expect(await probably.getByTestId('review-level').getAttribute('data-level')).toBe('strong');
    expect(await maybe.getByTestId('review-level').getAttribute('data-level')).toBe('weak');

    expect(await probably.getByTestId('review-level').textContent()).toBe('على الأرجح نفس الشخص');
    expect(await maybe.getByTestId('review-level').textContent()).toBe('ربما نفس الشخص (تشابه ضعيف)');
    const weak = (await maybe.textContent()) ?? '';
    // Side by side: the names in both scripts, birth dates, CINs, provinces, and the reasons in words.
    for (const s of ['فاطمة العلوي', 'Fatima El Alaoui', '10/01/1991', '30/09/1991', 'TT500001', 'UU500004', 'تنغير', 'زاكورة']) expect(weak).toContain(s);
    expect(weak).toContain('نفس سنة الازدياد فقط');
    expect(weak).not.toMatch(/birth_same_year|family_variant|first_variant|weak/);
    expect(await probably.textContent()).toContain('تاريخ الازدياد بفارق يوم واحد');
    // The kind says "close", not "the same": the weak pair's birth dates are months apart.
    expect(weak).toContain('اسم وتاريخ ازدياد متقاربان');
    // The whole page from the top (scrolled, the shell's fixed header would be drawn over the list).
    await r.evaluate(() => window.scrollTo(0, 0));
    await region.screenshot(r, 'region-review-maybe-ar');

    await shell.switchLanguage('fr');
    await expect.poll(() => maybe.getByTestId('review-level').textContent()).toBe('Peut-être la même personne (ressemblance faible)');
    expect(await probably.getByTestId('review-level').textContent()).toBe('Probablement la même personne');
    const weakFr = (await maybe.textContent()) ?? '';
    expect(weakFr).toContain('Même année de naissance seulement');
    expect(weakFr).toContain('Tinghir');
    expect(weakFr).toContain('Zagora');
    expect(weakFr).not.toMatch(/birth_same_year|family_variant|first_variant|weak/);
    // The whole page from the top (scrolled, the shell's fixed header would be drawn over the list).
    await r.evaluate(() => window.scrollTo(0, 0));
    await region.screenshot(r, 'region-review-maybe-fr');
  });
});
