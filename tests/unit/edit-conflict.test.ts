import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupOffice, tempCore, userToken } from '../helpers/core';
import { AppError } from '../../src-main/shared/errors';
import { translateError } from '../../src-main/shared/i18n/translate-error';
import { clockStartingAt } from '../../src-main/core/clock';

/** A clock that moves (the conflict says when the colleague saved), starting at a fixed instant. */
const clock = clockStartingAt('2026-06-15T09:00:00.000Z');

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the save to be refused');
}

describe('two people editing the same file (optimistic concurrency on its version)', () => {
  const core = tempCore({ clock });
  let amina = '';
  let karim = '';
  let id = '';
  beforeAll(async () => {
    const admin = (await setupOffice(core)).token;
    amina = await userToken(core, admin, 'amina', 'agent');
    karim = await userToken(core, admin, 'karim', 'office_head');
    const r = await core.invoke(
      'applicants.create',
      {
        cin: 'JB123456',
        firstNameAr: 'فاطمة',
        lastNameAr: 'الزهراء',
        firstNameLat: 'Fatima',
        lastNameLat: 'Zahra',
        birthDate: '1990-03-09',
        phone: '0612345678',
        address: 'Hay Salam 3',
        communeCode: '08.201.01.01',
        isProjectHolder: true,
        consent: { given: true, date: '2026-06-15', textVersion: '2026-01', channel: 'paper' },
      },
      { token: amina },
    );
    id = r.id;
  });
  afterAll(() => core.dispose());

  it('refuses the second save on a stale version, says who, when and what (ar+fr), and saves once reapplied on the new version', async () => {
    // Both open the file at the same version.
    const seenByAmina = await core.invoke('applicants.get', { id }, { token: amina });
    const seenByKarim = await core.invoke('applicants.get', { id }, { token: karim });
    expect(seenByAmina.version).toBe(seenByKarim.version);

    // Karim saves first: the version moves on.
    const k = await core.invoke('applicants.update', { id, baseVersion: seenByKarim.version, changes: { address: 'Hay Nahda 12', hasDisability: true, disabilityTypes: ['motor'] } }, { token: karim });
    expect(k.version).toBeGreaterThan(seenByKarim.version);

    // Amina saves on the version she opened: refused, nothing written.
    const e = await refusal(core.invoke('applicants.update', { id, baseVersion: seenByAmina.version, changes: { phone: '0677001122', address: 'Douar Tizi' } }, { token: amina }));
    expect(e.code).toBe('applicant.edit_conflict');
    expect(e.params.version).toBe(k.version);
    const edits = e.params.edits as { by: string; at: string; changes: Record<string, [unknown, unknown]> }[];
    expect(edits).toHaveLength(1);
    expect(edits[0].by).toBe('karim');
    expect(edits[0].changes.address).toEqual(['Hay Salam 3', 'Hay Nahda 12']);
    const after = await core.invoke('applicants.get', { id }, { token: amina });
    expect(after.address).toBe('Hay Nahda 12');
    expect(after.phone).toBe('+212612345678');
    expect(after.version).toBe(k.version);

    // In words, both languages, with the form's field names and no keys.
    const plain = (s: string) => s.replace(/[\u2066-\u2069]/g, ''); // bidi isolates around names and values
    const fr = plain(translateError(e.toPayload(), 'fr'));
    const ar = plain(translateError(e.toPayload(), 'ar'));
    expect(fr).toContain('karim (15/06/2026 10:00)'); // Morocco time (UTC+1)
    expect(fr).toContain('Adresse: de « Hay Salam 3 » à « Hay Nahda 12 »');
    expect(fr).toContain('Personne en situation de handicap');
    expect(fr).not.toMatch(/address|hasDisability|disabilityTypes|\{\{/);
    expect(ar).toContain('العنوان: من «Hay Salam 3» إلى «Hay Nahda 12»');
    expect(ar).toContain('نوع الإعاقة');
    expect(ar).not.toMatch(/address|\{\{/);

    // Reapplied on the new version: saved, Karim's address kept unless she changes it too.
    const a = await core.invoke('applicants.update', { id, baseVersion: e.params.version as number, changes: { phone: '0677001122' } }, { token: amina });
    expect(a.version).toBeGreaterThan(k.version);
    const final = await core.invoke('applicants.get', { id }, { token: amina });
    expect(final).toMatchObject({ address: 'Hay Nahda 12', phone: '+212677001122', version: a.version });
  });

  it('counts a change of status as a change of the file, and names sensitive fields without their values', async () => {
    const f = await core.invoke('applicants.get', { id }, { token: karim });
    await core.invoke('applicants.setStatus', { id, to: 'oriented' }, { token: karim });
    await core.invoke('applicants.update', { id, baseVersion: (await core.invoke('applicants.get', { id }, { token: karim })).version, changes: { disabilitySeverity: 'severe' } }, { token: karim });
    const e = await refusal(core.invoke('applicants.update', { id, baseVersion: f.version, changes: { douar: 'Aït Ali' } }, { token: amina }));
    expect(e.code).toBe('applicant.edit_conflict');
    const edits = e.params.edits as { changes: Record<string, [unknown, unknown]> }[];
    expect(edits.map((x) => Object.keys(x.changes))).toEqual([expect.arrayContaining(['status']), ['disabilitySeverity']]);
    expect(translateError(e.toPayload(), 'fr')).toContain('Statut');
    // A sensitive field is named, never with its value, whoever reads the message.
    expect(translateError(e.toPayload(), 'fr')).toMatch(/Degré du handicap(?!:)/);
  });

  it('an edit without a version (command line, imports) is not checked; the same version twice is', async () => {
    const f = await core.invoke('applicants.get', { id }, { token: amina });
    await core.invoke('applicants.update', { id, changes: { douar: 'Ksar 1' } }, { token: amina });
    const e = await refusal(core.invoke('applicants.update', { id, baseVersion: f.version, changes: { douar: 'Ksar 2' } }, { token: amina }));
    expect(e.code).toBe('applicant.edit_conflict');
    expect((await core.invoke('applicants.get', { id }, { token: amina })).douar).toBe('Ksar 1');
  });
});
