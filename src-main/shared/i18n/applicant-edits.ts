import { formatDate, formatDateTime } from '../format';

/**
 * An applicant file's edits in words (Arabic, French), for the edit-conflict message (issue 17): who changed the
 * file while someone else was editing it, when, and what, field by field — with the field's name as the form
 * shows it, never its key. Coded fields (lists, references) and sensitive ones are named without their values.
 */
export type EditLang = 'ar' | 'fr';

export interface ConflictEdit {
  by: string;
  at: string;
  /** field → [from, to]; values are withheld ('•••') for roles that may not see them. */
  changes: Record<string, [unknown, unknown]>;
}

const LABELS: Record<EditLang, Record<string, string>> = {
  ar: {
    cin: 'رقم البطاقة الوطنية',
    idcs: 'المعرف المدني والاجتماعي',
    firstNameAr: 'الاسم الشخصي (بالعربية)',
    lastNameAr: 'الاسم العائلي (بالعربية)',
    firstNameLat: 'الاسم الشخصي (بالحروف اللاتينية)',
    lastNameLat: 'الاسم العائلي (بالحروف اللاتينية)',
    sex: 'الجنس',
    birthDate: 'تاريخ الازدياد',
    phone: 'الهاتف',
    phoneOwner: 'صاحب الهاتف',
    address: 'العنوان',
    douar: 'الدوار / الحي',
    communeCode: 'الجماعة',
    educationLevel: 'المستوى الدراسي',
    vocationalLevel: 'مستوى التكوين المهني',
    maritalStatus: 'الحالة العائلية',
    isProjectHolder: 'امرأة حاملة لمشروع',
    isDifficultSituation: 'امرأة في وضعية صعبة',
    situations: 'الوضعيات',
    hasDisability: 'شخص في وضعية إعاقة',
    disabilityTypes: 'نوع الإعاقة',
    disabilitySeverity: 'درجة الإعاقة',
    disabilityCardNumber: 'رقم بطاقة الإعاقة',
    disabilityCardExpiry: 'تاريخ انتهاء صلاحية البطاقة',
    rsuRegistered: 'مسجلة في السجل الاجتماعي الموحد',
    rsuIndex: 'المؤشر الاجتماعي والاقتصادي',
    projectSector: 'قطاع المشروع',
    projectDescription: 'فكرة المشروع',
    projectStage: 'مرحلة المشروع',
    projectLegalForm: 'الشكل القانوني المرغوب',
    heardFrom: 'كيف عرفت البرنامج',
    status: 'الوضعية',
    financingSource: 'مصدر التمويل',
    consentStatus: 'الموافقة',
  },
  fr: {
    cin: 'N° de CIN',
    idcs: 'Identifiant civil et social',
    firstNameAr: 'Prénom (en arabe)',
    lastNameAr: 'Nom (en arabe)',
    firstNameLat: 'Prénom (en lettres latines)',
    lastNameLat: 'Nom (en lettres latines)',
    sex: 'Sexe',
    birthDate: 'Date de naissance',
    phone: 'Téléphone',
    phoneOwner: 'Titulaire du téléphone',
    address: 'Adresse',
    douar: 'Douar / quartier',
    communeCode: 'Commune',
    educationLevel: 'Niveau scolaire',
    vocationalLevel: 'Formation professionnelle',
    maritalStatus: 'Situation familiale',
    isProjectHolder: 'Femme porteuse de projet',
    isDifficultSituation: 'Femme en situation difficile',
    situations: 'Situations',
    hasDisability: 'Personne en situation de handicap',
    disabilityTypes: 'Type de handicap',
    disabilitySeverity: 'Degré du handicap',
    disabilityCardNumber: 'N° de carte de handicap',
    disabilityCardExpiry: 'Expiration de la carte',
    rsuRegistered: 'Inscrite au RSU',
    rsuIndex: 'Indice socio-économique',
    projectSector: 'Secteur du projet',
    projectDescription: 'Idée de projet',
    projectStage: 'Stade du projet',
    projectLegalForm: 'Forme juridique envisagée',
    heardFrom: 'Comment a-t-elle connu le programme',
    status: 'Statut',
    financingSource: 'Source de financement',
    consentStatus: 'Consentement',
  },
};

/** Fields whose values are written out (free text, names, dates, yes/no); the others are only named. */
const SHOWN = new Set([
  'cin', 'idcs', 'firstNameAr', 'lastNameAr', 'firstNameLat', 'lastNameLat', 'birthDate', 'phone', 'address', 'douar',
  'isProjectHolder', 'isDifficultSituation', 'rsuRegistered', 'projectDescription',
]);

const WORDS = {
  ar: { yes: 'نعم', no: 'لا', none: 'فارغ', from: 'من', to: 'إلى', sep: '، ', by: 'بواسطة', on: 'في' },
  fr: { yes: 'oui', no: 'non', none: 'vide', from: 'de', to: 'à', sep: ' ; ', by: 'par', on: 'le' },
} as const;

export function fieldLabel(field: string, lang: EditLang): string | null {
  return LABELS[lang][field] ?? null;
}

function value(field: string, v: unknown, lang: EditLang): string {
  const w = WORDS[lang];
  if (v === null || v === undefined || v === '') return w.none;
  if (typeof v === 'boolean') return v ? w.yes : w.no;
  const s = String(v);
  if (field === 'birthDate' && /^\d{4}-\d{2}-\d{2}$/.test(s)) return formatDate(s);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** "Adresse : de « A » à « B » ; Statut" — the fields of the edits, in order, each once (its latest value). */
export function describeEditedFields(edits: readonly ConflictEdit[], lang: EditLang): string {
  const w = WORDS[lang];
  const first = new Map<string, unknown>();
  const last = new Map<string, unknown>();
  for (const e of edits) {
    for (const [f, [from, to]] of Object.entries(e.changes)) {
      if (!fieldLabel(f, lang)) continue; // bookkeeping entries (import batch…) are not fields of the form
      if (!first.has(f)) first.set(f, from);
      last.set(f, to);
    }
  }
  // Values and names are isolated (FSI … PDI): a Latin address inside an Arabic sentence keeps its order.
  const q = (s: string) => (lang === 'ar' ? `«\u2068${s}\u2069»` : `« \u2068${s}\u2069 »`);
  return [...last.keys()]
    .map((f) => {
      const label = fieldLabel(f, lang)!;
      const from = first.get(f);
      const to = last.get(f);
      if (!SHOWN.has(f) || from === '•••' || to === '•••') return label;
      return `${label}: ${w.from} ${q(value(f, from, lang))} ${w.to} ${q(value(f, to, lang))}`;
    })
    .join(w.sep);
}

/** "amina (02/12/2026 10:15)" — who changed the file, and when (Morocco time); each part isolated for bidi. */
export function describeEditors(edits: readonly ConflictEdit[]): string {
  const seen = new Map<string, string>();
  for (const e of edits) seen.set(e.by, e.at);
  return [...seen.entries()].map(([by, at]) => `\u2068${by}\u2069 (\u2066${formatDateTime(at)}\u2069)`).join('، ');
}
