/**
 * One legacy row → the registry's applicant fields, validated with the registry's own schema
 * (ApplicantFieldsSchema: CIN, phone E.164, dates incl. dd/mm/yyyy, Excel serials and Arabic-Indic digits,
 * name scripts) and its rules (names present, birth date not in the future, commune of the office's province,
 * reference codes).
 */
import { createHash } from 'node:crypto';
import type { ApplicantValues } from '../../applicants/repo/fields';
import { ApplicantFieldsSchema } from '../../../shared/api/applicants.contract';
import type { ImportField, ImportMapping } from '../../../shared/api/reports.contract';
import { hasArabic, normalizeArabic, toAsciiDigits, applicantNameKeys } from '../../../shared/normalize';
import { birthDateRule, hasFullName, type RegistryRules } from '../../applicants/applicants.service';
import { splitFullName } from '../../../shared/matching';
import type { CommuneMatcher } from './communes';
import { rawText, type RawValue } from './read';

/** The applicant's values (applicants/repo/fields: the schema's output). */
export type ApplicantFields = ApplicantValues;

export interface RowReason {
  field: string;
  code: string;
  params?: Record<string, unknown>;
}

export interface ValidatedRow {
  rowNo: number;
  cells: string[];
  values: ApplicantFields | null;
  reasons: RowReason[];
  approximateCommune: { given: string; communeCode: string; nameAr: string; nameFr: string } | null;
  /** sha256 of the row's normalised identity (CIN, names, birth date, phone, commune). */
  hash: string;
  nameSkel: string;
  /** The registry's name keys (search and duplicate blocking) of a valid row, computed once. */
  nameKeys: { nameKeyAr: string; nameKeyLat: string; nameSkel: string; nameWords: string } | null;
}

export interface RefLookup {
  education: Map<string, string>;
  marital: Map<string, string>;
}

/** A comparison key: Arabic folded (normalizeArabic); Latin lowercase without accents, keeping digits (Bac+2 ≠ Bac). */
const norm = (s: string) =>
  hasArabic(s)
    ? normalizeArabic(s).replace(/ /g, '')
    : s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '');

/** Reference labels (Arabic and French) and codes → code, plus a few spellings met on legacy lists. */
export function buildRefLookup(rows: { kind: string; code: string; label_ar: string; label_fr: string }[]): RefLookup {
  const out: RefLookup = { education: new Map(), marital: new Map() };
  for (const r of rows) {
    const m = r.kind === 'education' ? out.education : r.kind === 'marital' ? out.marital : null;
    if (!m) continue;
    for (const l of [r.code, r.label_ar, r.label_fr, ...r.label_fr.split('/'), ...r.label_ar.split('/')]) if (l.trim()) m.set(norm(l), r.code);
  }
  const extra: [Map<string, string>, string, string[]][] = [
    [out.education, 'NONE', ['بدون', 'أمية', 'امية', 'analphabete', 'aucun', 'neant', 'sans']],
    [out.education, 'PRIMAIRE', ['ابتدائي', 'الابتدائي', 'primaire']],
    [out.education, 'COLLEGE', ['إعدادي', 'اعدادي', 'الإعدادي', 'college', 'collegial']],
    [out.education, 'LYCEE', ['ثانوي', 'الثانوي', 'ثانوي تأهيلي', 'lycee', 'secondaire']],
    [out.education, 'BAC', ['باكالوريا', 'بكالوريا', 'البكالوريا', 'bac', 'baccalaureat']],
    [out.education, 'LICENCE', ['إجازة', 'اجازة', 'licence', 'licencie']],
    [out.education, 'MASTER', ['ماستر', 'master']],
    [out.marital, 'single', ['عازبة', 'عزباء', 'celibataire']],
    [out.marital, 'married', ['متزوجة', 'mariee', 'marie']],
    [out.marital, 'divorced', ['مطلقة', 'divorcee', 'divorce']],
    [out.marital, 'widowed', ['أرملة', 'ارملة', 'veuve', 'veuf']],
  ];
  for (const [m, code, list] of extra) for (const l of list) if (!m.has(norm(l))) m.set(norm(l), code);
  return out;
}

function sexOf(v: string): 'F' | 'M' | null {
  const n = norm(v);
  if (['f', 'femme', 'feminin', 'fille', 'انثى', 'انثي', 'امراه', 'ام'].includes(n) || n === norm('أنثى')) return 'F';
  if (['m', 'h', 'homme', 'masculin', 'ذكر', 'رجل'].includes(n)) return 'M';
  return null;
}

function yesNo(v: string): boolean | null {
  const n = norm(v);
  if (!n) return null;
  if (['نعم', 'oui', 'yes', 'x', '1', 'o', 'true', 'vrai'].includes(n)) return true;
  if (['لا', 'non', 'no', '0', 'n', 'false', 'faux'].includes(n)) return false;
  return null;
}

/** A date cell as the schema takes it: Date cells as YYYY-MM-DD, numbers as Excel serials, text as typed. */
function dateInput(v: RawValue): string | number | null {
  if (v === null) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number') return v;
  return v.trim() || null;
}

/** Text of a cell for a text field: numbers without ".0" (a CIN or phone typed as a number). */
function text(v: RawValue): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  return rawText(v);
}

export function validateRow(
  rowNo: number,
  raw: RawValue[],
  mapping: ImportMapping,
  ctx: { communes: CommuneMatcher; refs: RefLookup; today: string; rules: Pick<RegistryRules, 'ageMin' | 'ageMax'> },
): ValidatedRow {
  const reasons: RowReason[] = [];
  const by = new Map<ImportField, RawValue>();
  for (const [col, field] of Object.entries(mapping)) by.set(field, raw[Number(col)] ?? null);
  const get = (f: ImportField) => text(by.get(f) ?? null);

  // Names: a generic column goes to the Arabic or Latin field by the script of its content.
  const names = { firstNameAr: get('firstNameAr'), lastNameAr: get('lastNameAr'), firstNameLat: get('firstNameLat'), lastNameLat: get('lastNameLat') };
  const put = (kind: 'first' | 'last', v: string) => {
    if (!v) return;
    const k = `${kind}Name${hasArabic(v) ? 'Ar' : 'Lat'}` as keyof typeof names;
    if (!names[k]) names[k] = v;
  };
  put('last', get('lastName'));
  put('first', get('firstName'));
  const full = get('fullName').replace(/\s+/g, ' ').trim();
  if (full) {
    // Family name first ("العلوي فاطمة الزهراء", "ALAOUI Fatima Zahra") or last ("Fatima Zahra Alaoui"): the
    // first-name dictionary tells where a compound first name ends (فاطمة الزهراء, عبد الرحيم, Mohamed Amine).
    const { first, last } = splitFullName(full);
    put('last', last);
    put('first', first);
  }

  let communeCode: string | undefined;
  let approximateCommune: ValidatedRow['approximateCommune'] = null;
  const communeText = get('commune');
  if (communeText) {
    const m = ctx.communes.match(communeText);
    if (m.ok) {
      communeCode = m.commune.code;
      if (m.approximate) approximateCommune = { given: communeText, communeCode: m.commune.code, nameAr: m.commune.nameAr, nameFr: m.commune.nameFr };
    } else reasons.push({ field: 'commune', code: m.code, params: m.params });
  } else reasons.push({ field: 'commune', code: 'applicant.commune_required' });

  let sex: 'F' | 'M' | undefined;
  const sexText = get('sex');
  if (sexText) {
    const s = sexOf(sexText);
    if (s) sex = s;
    else reasons.push({ field: 'sex', code: 'applicant.sex_invalid', params: { value: sexText } });
  }
  const refField = (f: 'educationLevel' | 'maritalStatus', m: Map<string, string>) => {
    const t = get(f);
    if (!t) return null;
    const code = m.get(norm(t));
    if (!code) reasons.push({ field: f, code: 'applicant.ref_unknown', params: { field: f, code: t } });
    return code ?? null;
  };
  const educationLevel = refField('educationLevel', ctx.refs.education);
  const maritalStatus = refField('maritalStatus', ctx.refs.marital);
  const holderText = get('isProjectHolder');
  const holder = holderText ? yesNo(holderText) : null;
  if (holderText && holder === null) reasons.push({ field: 'isProjectHolder', code: 'import.yes_no_invalid', params: { value: holderText } });

  const phone = get('phone');
  const input = {
    cin: toAsciiDigits(get('cin')),
    ...names,
    ...(sex ? { sex } : {}),
    birthDate: dateInput(by.get('birthDate') ?? null) ?? '',
    phone: phone || null,
    address: get('address'),
    douar: get('douar'),
    communeCode: communeCode ?? '08.000.00.00',
    educationLevel,
    maritalStatus,
    isProjectHolder: holder ?? false,
    projectDescription: get('projectDescription'),
  };
  const parsed = ApplicantFieldsSchema.safeParse(input);
  let values: ApplicantFields | null = null;
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const field = String(i.path[0] ?? '');
      if (field === 'communeCode') continue; // reported above with the name given
      const code = i.message.includes('.') ? i.message : `applicant.${field === 'birthDate' ? 'date_invalid' : 'invalid'}`;
      if (field === 'birthDate' && !input.birthDate) reasons.push({ field, code: 'import.birth_date_required' });
      else reasons.push({ field, code, params: { value: text(by.get(field as ImportField) ?? null) || undefined } });
    }
    // One reason per field: "required" says it all.
    const required = new Set(reasons.filter((r) => r.code.endsWith('_required')).map((r) => r.field));
    for (let i = reasons.length - 1; i >= 0; i--) if (required.has(reasons[i].field) && !reasons[i].code.endsWith('_required')) reasons.splice(i, 1);
  } else {
    values = parsed.data;
    // The registration's rules (applicants.service), reported as the row's reasons.
    if (!hasFullName(values)) reasons.push({ field: 'names', code: 'applicant.name_required' });
    const birth = birthDateRule(values.birthDate, ctx.today, ctx.rules);
    if (birth.future) reasons.push({ field: 'birthDate', code: 'applicant.birth_date_future', params: { birthDate: values.birthDate } });
    // The programme's age range (the office head's setting the registration form warns with): refused here,
    // where nobody is there to look at a warning.
    else if (!birth.inRange) reasons.push({ field: 'birthDate', code: 'import.age_out_of_range', params: { age: birth.age, min: ctx.rules.ageMin, max: ctx.rules.ageMax } });
  }
  const cells = raw.map(rawText);
  // The name keys are the normalised names of the identity (normalizeArabic / normalizeLatin of "first last").
  const nameKeys = values ? applicantNameKeys(values) : null;
  const identity = values && nameKeys ? [values.cin, nameKeys.nameKeyAr, nameKeys.nameKeyLat, values.birthDate, values.phone ?? '', values.communeCode] : cells;
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex');
  return { rowNo, cells, values: reasons.length ? null : values, reasons, approximateCommune, hash, nameSkel: nameKeys?.nameSkel ?? '', nameKeys: reasons.length ? null : nameKeys };
}
