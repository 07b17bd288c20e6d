/** Finding the header row of a legacy list and proposing a column mapping from Arabic or French headers. */
import { hasArabic, normalizeArabic, normalizeLatin } from '../../../shared/normalize';
import type { ImportField, ImportMapping } from '../../../shared/api/reports.contract';
import { rawText, type RawValue } from './read';

const SYNONYMS: Record<ImportField, string[]> = {
  lastName: ['الاسم العائلي', 'النسب', 'اسم العائلة', 'العائلي', 'nom', 'nom de famille', 'last name', 'family name'],
  firstName: ['الاسم الشخصي', 'الاسم', 'الشخصي', 'prenom', 'prénom', 'first name'],
  fullName: ['الاسم الكامل', 'الاسم والنسب', 'الاسم و النسب', 'النسب والاسم', 'الاسم الكامل للمستفيدة', 'nom et prenom', 'nom complet', 'nom prenom', 'nom & prenom', 'nom/prenom', 'nom et prénom'],
  lastNameAr: ['الاسم العائلي بالعربية', 'النسب بالعربية', 'nom en arabe', 'nom arabe', 'nom ar'],
  firstNameAr: ['الاسم الشخصي بالعربية', 'الاسم بالعربية', 'prenom en arabe', 'prenom arabe', 'prenom ar'],
  lastNameLat: ['الاسم العائلي بالفرنسية', 'الاسم العائلي بالحروف اللاتينية', 'النسب بالفرنسية', 'nom en francais', 'nom latin', 'nom fr'],
  firstNameLat: ['الاسم الشخصي بالفرنسية', 'الاسم الشخصي بالحروف اللاتينية', 'الاسم بالفرنسية', 'prenom en francais', 'prenom latin', 'prenom fr'],
  cin: ['رقم البطاقة الوطنية', 'رقم البطاقة الوطنية للتعريف', 'البطاقة الوطنية', 'رقم البطاقة', 'ب ت و', 'ر ب و', 'cin', 'cnie', 'n cin', 'no cin', 'num cin', 'numero cin', 'carte nationale', 'numero de la cin'],
  sex: ['الجنس', 'النوع', 'sexe', 'genre'],
  birthDate: ['تاريخ الازدياد', 'تاريخ الميلاد', 'تاريخ الولادة', 'تاريخ و مكان الازدياد', 'date de naissance', 'date naissance', 'ne le', 'nee le', 'ne e le', 'ddn'],
  phone: ['الهاتف', 'رقم الهاتف', 'الهاتف المحمول', 'رقم الهاتف المحمول', 'telephone', 'tel', 'gsm', 'portable', 'mobile', 'numero de telephone', 'n tel'],
  commune: ['الجماعة', 'الجماعة الترابية', 'جماعة', 'commune', 'collectivite', 'collectivite territoriale', 'commune de residence'],
  address: ['العنوان', 'عنوان السكن', 'adresse', 'adresse de residence'],
  douar: ['الدوار', 'الدوار او الحي', 'دوار', 'القصر', 'douar', 'ksar', 'douar quartier'],
  educationLevel: ['المستوى الدراسي', 'المستوى التعليمي', 'المستوى', 'niveau scolaire', 'niveau d etudes', 'niveau detudes', 'niveau d instruction', 'niveau'],
  maritalStatus: ['الحالة العائلية', 'الحالة الاجتماعية', 'etat civil', 'situation familiale', 'situation matrimoniale'],
  isProjectHolder: ['حاملة مشروع', 'حاملة لمشروع', 'حاملة المشروع', 'porteuse de projet', 'porteur de projet'],
  projectDescription: ['المشروع', 'فكرة المشروع', 'المشروع المقترح', 'projet', 'idee de projet', 'idee du projet', 'description du projet'],
};

function keys(s: string): string[] {
  const out: string[] = [];
  const t = s.replace(/[°º#:()[\]]/g, ' ');
  if (hasArabic(t)) out.push(normalizeArabic(t));
  const lat = normalizeLatin(t);
  if (lat) out.push(lat);
  return out.filter(Boolean);
}

const INDEX: { key: string; field: ImportField }[] = Object.entries(SYNONYMS)
  .flatMap(([field, list]) => list.flatMap((s) => keys(s).map((key) => ({ key, field: field as ImportField }))))
  .sort((a, b) => b.key.length - a.key.length);

/** The field a header names, or null. */
export function fieldForHeader(header: string): ImportField | null {
  const ks = keys(header);
  for (const k of ks) for (const e of INDEX) if (e.key === k) return e.field;
  // "الاسم العائلي للمستفيدة", "Date de naissance (jj/mm/aaaa)": a known header inside a longer one (longest first).
  for (const k of ks) {
    const padded = ` ${k} `;
    for (const e of INDEX) if (e.key.length >= 3 && padded.includes(` ${e.key} `)) return e.field;
  }
  return null;
}

/** Proposes a mapping for a header row: each field once (its first column). */
export function proposeMapping(headers: string[]): ImportMapping {
  const m: ImportMapping = {};
  const used = new Set<ImportField>();
  headers.forEach((h, i) => {
    if (!h) return;
    const f = fieldForHeader(h);
    if (f && !used.has(f)) {
      used.add(f);
      m[String(i)] = f;
    }
  });
  return m;
}

/** The header row: among the first 30 rows, the one whose cells name the most distinct fields (at least 2). */
export function findHeaderRow(rows: RawValue[][]): number {
  let best = -1;
  let bestScore = 1;
  for (let i = 0; i < Math.min(rows.length, 30); i++) {
    const score = Object.keys(proposeMapping((rows[i] ?? []).map(rawText))).length;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

/** Fields a row needs that the mapping does not provide (shared with the mapping screen, which tells them while the user edits). */
export { missingFields } from '../../../shared/import-mapping';
