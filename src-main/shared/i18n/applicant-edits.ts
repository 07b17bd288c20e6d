import { formatDate, formatDateTime } from '../format';
import { ApplicantChangesSchema } from '../api/applicants.contract';
import { FORM_FIELD_LABELS } from './field-labels';

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

/**
 * The applicant's fields that an edit names, by the key the API uses: the contract's own field list (the zod shape)
 * and the status steps. Their labels are the form's (field-labels.ts), without the form's "(several possible)"
 * hints: one table, so the edit-conflict message, the access-request document and the form never name a field
 * two ways. Keys outside this set (an import batch, bookkeeping) are not fields of the form and get no label.
 */
const EDITED_FIELDS: ReadonlySet<string> = new Set([...Object.keys(ApplicantChangesSchema.shape), 'status', 'financingSource', 'consentStatus']);
/** Keys whose label the form holds under another key. */
const LABEL_KEY: Readonly<Record<string, string>> = { consentStatus: 'consent' };
const HINT = / ?\((?:يمكن اختيار عدة|plusieurs possibles)\)$/;

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
  if (!EDITED_FIELDS.has(field)) return null;
  const l = FORM_FIELD_LABELS[LABEL_KEY[field] ?? field];
  return l ? l[lang].replace(HINT, '') : null;
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
