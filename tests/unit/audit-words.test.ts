import { describe, expect, it } from 'vitest';
import { contract } from '../../src-main/shared/api/contract';
import { AUDIT_ACTIONS, actionLabel, auditFieldLabel, auditSentence, auditValue } from '../../src-main/shared/i18n/audit-words';
import { cli, setupOffice, tempCore, userToken } from '../helpers/core';

// Issue 15: the audit trail reads as sentences with people's names, in words, filterable by person, action, file.
describe('audit trail in words', () => {
  it('every write method of the contract has its words in both languages', () => {
    const writes = Object.entries(contract).filter(([, v]) => (v as { write?: boolean }).write).map(([k]) => k);
    const missing = writes.filter((m) => !AUDIT_ACTIONS[m]);
    expect(missing).toEqual([]);
    for (const m of writes) for (const lang of ['ar', 'fr'] as const) expect(actionLabel(m, lang)).not.toMatch(/\{\{|[a-z][A-Z]|\./);
  });

  it('sentences with names; fields and values in words, identifiers hidden', () => {
    expect(auditSentence('applicants.create', 'Souad Idrissi', 'Fatima Zahra Benali (ERR-2026-000001)', 'fr')).toBe('Souad Idrissi a enregistré Fatima Zahra Benali (ERR-2026-000001)');
    expect(auditSentence('users.setLanguage', 'Souad Idrissi', null, 'ar')).toBe('Souad Idrissi غير لغة الواجهة');
    expect(auditFieldLabel('phone', 'fr')).toBe('Téléphone');
    expect(auditFieldLabel('first_name_ar', 'ar')).toBe('الاسم الشخصي (بالعربية)');
    expect(auditFieldLabel('name_fr', 'fr')).toBe('Nom en français');
    expect(auditFieldLabel('name_skel', 'fr')).toBeNull();
    expect(auditValue('office_head', 'ar', 'role')).toBe('رئيس المكتب');
    expect(auditValue('2026-02-12', 'fr')).toBe('12/02/2026');
    expect(auditValue('01a2353c-7450-721a-9de0-6bb1e2340994', 'fr')).toBeNull();
    expect(auditValue('a'.repeat(64), 'fr')).toBeNull();
    expect(auditValue(true, 'fr')).toBe('oui');
  });

  it('audit.list gives people’s names and the file in words, and filters by file', async () => {
    const core = tempCore({ clock: () => new Date('2026-11-20T10:00:00Z') });
    try {
      const { token } = await setupOffice(core);
      const agent = await userToken(core, token, 'souad2', 'agent');
      const communes = await core.invoke('territories.communes', {}, { actor: cli });
      const created = await core.invoke(
        'applicants.create',
        {
          cin: 'U123456', idcs: '', firstNameAr: 'فاطمة الزهراء', lastNameAr: 'بنعلي', firstNameLat: 'Fatima Zahra', lastNameLat: 'Benali', sex: 'F', birthDate: '1990-03-09',
          phone: '0612345678', phoneOwner: null, address: '', douar: '', communeCode: (communes as { code: string }[])[0].code, isProjectHolder: true, isDifficultSituation: false,
          situations: [], hasDisability: false, disabilityTypes: [], rsuRegistered: false,
          consent: { given: true, date: '2026-11-20', textVersion: '2026-01', channel: 'paper' },
        } as never,
        { token: agent },
      );
      const list = await core.invoke('audit.list', { file: (created as { fileNo: string }).fileNo }, { token });
      expect(list.items.length).toBeGreaterThan(0);
      const it0 = list.items.find((i) => i.method === 'applicants.create')!;
      expect(it0.subject?.fr).toBe(`Fatima Zahra Benali (${(created as { fileNo: string }).fileNo})`);
      const dn = (core.sqlite.prepare(`SELECT display_name FROM users WHERE username = 'souad2'`).get() as { display_name: string }).display_name;
      expect(it0.actorLabel).toBe(dn);
    } finally {
      await core.dispose();
    }
  });
});
