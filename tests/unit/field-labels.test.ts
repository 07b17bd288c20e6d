import { describe, expect, it } from 'vitest';
import { applicants } from '../../src-renderer/i18n/applicants';
import { sessions } from '../../src-renderer/i18n/sessions';
import { settings } from '../../src-renderer/i18n/settings';
import { auth } from '../../src-renderer/i18n/auth';
import { FORM_FIELD_LABELS, fieldLabel } from '../../src-main/shared/i18n/field-labels';
import { errorTemplate, issueMessage, translateError } from '../../src-main/shared/i18n/translate-error';
import { errorMessages } from '../../src-main/shared/i18n/errors';
import { systemContract } from '../../src-main/shared/api/system.contract';
import { applicantsContract } from '../../src-main/shared/api/applicants.contract';

// Issue 15: every error names the field as the form does, and no message keeps a {{parameter}}.
const LANGS = ['ar', 'fr'] as const;

describe('field labels are the forms’ own', () => {
  it('applicant and session fields', () => {
    for (const lang of LANGS) {
      const forms = { ...sessions[lang].field, ...applicants[lang].field } as Record<string, string>;
      for (const [k, l] of Object.entries(FORM_FIELD_LABELS)) expect(l[lang], `${lang} ${k}`).toBe(forms[k]);
    }
  });
  it('setup form fields', () => {
    for (const lang of LANGS) {
      for (const k of ['nameAr', 'nameFr', 'addressAr', 'addressFr', 'signatoryTitleAr', 'signatoryTitleFr'] as const) {
        expect(fieldLabel(`settings.${k}`, lang)).toBe(settings[lang].office[k]);
      }
      expect(fieldLabel('admin.username', lang)).toBe(auth[lang].setup.username);
      expect(fieldLabel('admin.displayName', lang)).toBe(auth[lang].setup.displayName);
      expect(fieldLabel('admin.password', lang)).toBe(auth[lang].setup.password);
    }
  });
  it('nested and list paths find the field', () => {
    expect(fieldLabel('changes.firstNameAr', 'fr')).toBe('Prénom (en arabe)');
    expect(fieldLabel('rows.3.birthDate', 'ar')).toBe('تاريخ الازدياد');
    expect(fieldLabel('zzz', 'ar')).toBeNull();
  });
});

describe('validation messages in words', () => {
  it('names the fields, never their keys (was: "بعض الحقول غير صحيحة: nameAr، nameFr")', () => {
    const r = systemContract['system.setup'].input.safeParse({
      office: 'errachidia',
      settings: { nameAr: '', nameFr: '', addressAr: '', addressFr: '', signatoryTitleAr: '', signatoryTitleFr: '' },
      admin: { username: '', displayName: '', password: '' },
    });
    expect(r.success).toBe(false);
    // As the dispatcher reports them: with whether the field was empty (tests/unit below checks the core does).
    const issues = r.error!.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message, empty: true }));
    // All the mistakes of the setup form in one answer: both names, the signatory, the administrator.
    const paths = new Set(issues.map((i) => i.path));
    for (const p of ['settings.nameAr', 'settings.nameFr', 'admin.username', 'admin.displayName', 'admin.password']) expect(paths).toContain(p);
    for (const lang of LANGS) {
      const text = translateError({ code: 'validation.failed', params: { issues } }, lang);
      expect(text).not.toMatch(/\b(nameAr|nameFr|settings|admin|username|displayName)\b/);
      expect(text).not.toMatch(/[A-Z][a-z]+: expected|Too small|Invalid input/);
      expect(text).toContain(fieldLabel('settings.nameAr', lang)!);
    }
    expect(translateError({ code: 'validation.failed', params: { issues } }, 'ar')).toContain('اسم المكتب بالعربية: هذا الحقل إلزامي.');
  });

  it('an empty required field says it is required, not "invalid value"', () => {
    expect(issueMessage({ path: 'displayName', code: 'too_small', message: 'Too small: expected string to have >=1 characters' }, 'ar')).toBe('هذا الحقل إلزامي.');
    expect(issueMessage({ path: 'x', code: 'invalid_type', message: 'Invalid input: expected string, received undefined' }, 'fr')).toBe('Ce champ est obligatoire.');
    expect(issueMessage({ path: 'displayName', code: 'too_small', message: 'Too small: expected string to have >=2 characters', empty: true }, 'fr')).toBe('Ce champ est obligatoire.');
  });

  it('no commune chosen: "the commune is required", not "invalid commune code"', () => {
    const r = applicantsContract['applicants.create'].input.safeParse({ communeCode: '' });
    const commune = r.error!.issues.find((i) => i.path.join('.') === 'communeCode')!;
    expect(commune.message).toBe('applicant.commune_required');
    expect(issueMessage({ path: 'communeCode', message: commune.message }, 'fr')).toBe('La commune est obligatoire.');
  });

  it('a message whose parameter is missing never shows {{…}} (was: Période « {{period}} » invalide)', () => {
    const text = translateError({ code: 'validation.failed', params: { issues: [{ path: 'period', code: 'invalid_format', message: 'reports.period_invalid' }] } }, 'fr');
    expect(text).not.toContain('{{');
    expect(text).not.toContain('«');
    expect(text).toContain('Période : Période invalide');
    for (const lang of LANGS) {
      for (const code of Object.keys(errorMessages[lang])) expect(translateError({ code, params: {} }, lang), code).not.toContain('{{');
    }
  });

  it('registered feature messages have no leftover parameter either', () => {
    const codes = ['reports.period_invalid', 'applicant.cin_taken', 'backup.passphrase_too_short'];
    for (const lang of LANGS) for (const c of codes) if (errorTemplate(c, lang)) expect(translateError({ code: c }, lang)).not.toContain('{{');
  });
});

describe('the core reports empty fields as required', () => {
  it('system.setup with empty names', async () => {
    const { tempCore } = await import('../helpers/core');
    const core = tempCore();
    try {
      const e = await core
        .invoke('system.setup', { office: 'errachidia', settings: { nameAr: '', nameFr: 'x', addressAr: '', addressFr: '', signatoryTitleAr: 'a', signatoryTitleFr: 'b' }, admin: { username: 'admin', displayName: '', password: 'a-long-password-1' } })
        .then(() => null, (x: { code: string; params: Record<string, unknown> }) => x);
      expect(e?.code).toBe('validation.failed');
      const ar = translateError({ code: e!.code, params: e!.params }, 'ar');
      expect(ar).toContain('اسم المكتب بالعربية: هذا الحقل إلزامي.');
      expect(ar).toContain('الاسم الكامل: هذا الحقل إلزامي.');
      expect(translateError({ code: e!.code, params: e!.params }, 'fr')).toContain('Nom complet : Ce champ est obligatoire.');
    } finally {
      await core.dispose();
    }
  });
});
