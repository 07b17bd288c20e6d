/**
 * The beneficiary list as xlsx, with the registry search's query and filters, written with exceljs's
 * streaming writer (rows go to disk as they are read: 100,000 rows stay well under 500 MB).
 */
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { Sqlite } from '../db/connection';
import type { Scope } from './indicators';
import { STATUS_LABELS } from './indicators';
import { SearchFiltersSchema, type ApplicantStatus } from '../../shared/api/applicants.contract';
import { LIST_COLUMNS } from '../../shared/api/reports.contract';
import { ageOn, birthDateForAge, looksLikeCinPrefix, normalizeCin, phonePrefix, searchFragments } from '../../shared/normalize';
import { looksLikeFormula } from './xlsx';

export type ListFilters = z.output<typeof SearchFiltersSchema>;
type Lang = 'ar' | 'fr';

const HEADERS: Record<(typeof LIST_COLUMNS)[number], { ar: string; fr: string; width: number }> = {
  fileNo: { ar: 'رقم الملف', fr: 'N° dossier', width: 18 },
  cin: { ar: 'رقم البطاقة الوطنية', fr: 'CIN', width: 13 },
  lastNameAr: { ar: 'الاسم العائلي', fr: 'Nom (arabe)', width: 16 },
  firstNameAr: { ar: 'الاسم الشخصي', fr: 'Prénom (arabe)', width: 16 },
  lastNameLat: { ar: 'الاسم العائلي (لاتيني)', fr: 'Nom', width: 16 },
  firstNameLat: { ar: 'الاسم الشخصي (لاتيني)', fr: 'Prénom', width: 16 },
  sex: { ar: 'الجنس', fr: 'Sexe', width: 7 },
  birthDate: { ar: 'تاريخ الازدياد', fr: 'Date de naissance', width: 13 },
  age: { ar: 'السن', fr: 'Âge', width: 6 },
  phone: { ar: 'الهاتف', fr: 'Téléphone', width: 15 },
  commune: { ar: 'الجماعة', fr: 'Commune', width: 20 },
  area: { ar: 'الوسط', fr: 'Milieu', width: 8 },
  province: { ar: 'الإقليم', fr: 'Province', width: 12 },
  education: { ar: 'المستوى الدراسي', fr: 'Niveau d’études', width: 18 },
  maritalStatus: { ar: 'الحالة العائلية', fr: 'État civil', width: 11 },
  projectHolder: { ar: 'حاملة مشروع', fr: 'Porteuse de projet', width: 10 },
  difficultSituation: { ar: 'وضعية صعبة', fr: 'Situation difficile', width: 10 },
  status: { ar: 'المرحلة', fr: 'Étape', width: 16 },
  consent: { ar: 'الموافقة', fr: 'Consentement', width: 14 },
  registeredAt: { ar: 'تاريخ التسجيل', fr: 'Inscrite le', width: 12 },
};

/** The WHERE clause of the registry search (query and filters), over `applicants a`. */
export function searchWhere(q: string, f: ListFilters, today: string, s: Scope): { where: string; params: Record<string, unknown> } {
  const w: string[] = [];
  const p: Record<string, unknown> = {};
  if (s.officeId) {
    w.push('a.office_id = @officeId');
    p.officeId = s.officeId;
  }
  const query = q.trim();
  if (query) {
    const fileNo = query.toUpperCase().replace(/\s+/g, '');
    if (/^[A-Z]{3}-\d{4}-\d{1,6}$/.test(fileNo)) {
      w.push('a.file_no LIKE @fileNo');
      p.fileNo = `${fileNo}%`;
    } else if (looksLikeCinPrefix(query)) {
      w.push('a.cin LIKE @cin');
      p.cin = `${normalizeCin(query)}%`;
    } else if (/^[+\d\s().\-\u0660-\u0669]+$/.test(query) && phonePrefix(query)) {
      w.push('a.phone LIKE @phone');
      p.phone = `${phonePrefix(query)}%`;
    } else {
      searchFragments(query).forEach((frag, i) => {
        if (frag.length >= 3) {
          w.push(`a.id IN (SELECT s.applicant_id FROM applicants_fts JOIN applicant_search s ON s.rowid = applicants_fts.rowid WHERE applicants_fts MATCH @frag${i})`);
          p[`frag${i}`] = `"${frag.replace(/"/g, '""')}"`;
        } else {
          w.push(`(a.name_key_ar LIKE @frag${i} OR a.name_key_lat LIKE @frag${i})`);
          p[`frag${i}`] = `%${frag}%`;
        }
      });
    }
  }
  if (f.communeCode) {
    w.push(`(a.commune_code = @commune OR a.commune_code LIKE @communePrefix)`);
    p.commune = f.communeCode;
    p.communePrefix = `${f.communeCode}.%`;
  }
  if (f.provinceCode) {
    // As the registry search: the commune's province, else the owning office's.
    w.push('(a.commune_code IN (SELECT code FROM communes WHERE province_code = @province) OR (a.commune_code IS NULL AND a.office_id IN (SELECT id FROM offices WHERE province_code = @province)))');
    p.province = f.provinceCode;
  }
  if (f.category === 'project_holder') w.push('a.is_project_holder = 1');
  if (f.category === 'difficult_situation') w.push('a.is_difficult_situation = 1');
  if (f.category === 'disability') w.push('a.has_disability = 1');
  if (f.situation) {
    w.push('EXISTS (SELECT 1 FROM applicant_situations x WHERE x.applicant_id = a.id AND x.code = @situation)');
    p.situation = f.situation;
  }
  if (f.status && f.status.length) {
    w.push(`a.status IN (${f.status.map((_, i) => `@st${i}`).join(', ')})`);
    f.status.forEach((st, i) => (p[`st${i}`] = st));
  }
  if (f.ageMin !== undefined) {
    w.push('a.birth_date <= @bornBy');
    p.bornBy = birthDateForAge(f.ageMin, today);
  }
  if (f.ageMax !== undefined) {
    w.push('a.birth_date > @bornAfter');
    p.bornAfter = birthDateForAge(f.ageMax + 1, today);
  }
  if (f.hasDisability !== undefined) w.push(`a.has_disability = ${f.hasDisability ? 1 : 0}`);
  if (f.sex) {
    w.push('a.sex = @sex');
    p.sex = f.sex;
  }
  if (f.registeredFrom) {
    w.push('a.created_at >= @regFrom');
    p.regFrom = f.registeredFrom;
  }
  if (f.registeredTo) {
    const d = new Date(`${f.registeredTo}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    w.push('a.created_at < @regTo');
    p.regTo = d.toISOString().slice(0, 10);
  }
  return { where: w.length ? `WHERE ${w.join(' AND ')}` : '', params: p };
}

type Row = [
  string, string | null, string, string, string, string, string, string | null, string | null, string | null, string | null,
  string | null, string | null, string | null, string | null, number, number, string, string, string,
];

/** Writes the list to `path` (streaming); returns the number of rows. */
export async function writeBeneficiaryList(
  db: Sqlite,
  s: Scope,
  opts: { q: string; filters: ListFilters; lang: Lang; today: string; path: string },
): Promise<number> {
  const { lang } = opts;
  const { where, params } = searchWhere(opts.q, opts.filters, opts.today, s);
  const refs = new Map<string, string>();
  for (const r of db.prepare("SELECT kind, code, label_ar, label_fr FROM ref_items WHERE kind IN ('education', 'marital')").all() as {
    kind: string;
    code: string;
    label_ar: string;
    label_fr: string;
  }[])
    refs.set(`${r.kind}:${r.code}`, lang === 'ar' ? r.label_ar : r.label_fr);
  const consent = {
    given: lang === 'ar' ? 'معطاة' : 'Donné',
    to_confirm: lang === 'ar' ? 'يجب تأكيدها' : 'À confirmer',
    refused: lang === 'ar' ? 'مرفوضة' : 'Refusé',
  } as Record<string, string>;
  const yes = lang === 'ar' ? 'نعم' : 'Oui';
  const no = lang === 'ar' ? 'لا' : 'Non';
  const area = { urbaine: lang === 'ar' ? 'حضري' : 'Urbain', rurale: lang === 'ar' ? 'قروي' : 'Rural' } as Record<string, string>;
  const sex = { F: lang === 'ar' ? 'أنثى' : 'F', M: lang === 'ar' ? 'ذكر' : 'M' } as Record<string, string>;

  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: opts.path, useSharedStrings: false, useStyles: true });
  wb.creator = 'Jisr Desk';
  const ws = wb.addWorksheet(lang === 'ar' ? 'لائحة المستفيدات' : 'Liste des bénéficiaires', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, rightToLeft: lang === 'ar', activeCell: 'A2' }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' },
  });
  ws.columns = LIST_COLUMNS.map((c) => ({ key: c, width: HEADERS[c].width }));
  const header = ws.addRow(LIST_COLUMNS.map((c) => HEADERS[c][lang]));
  header.font = { bold: true };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } };
  header.commit();
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: LIST_COLUMNS.length } };

  const sql = `SELECT a.file_no, a.cin, a.last_name_ar, a.first_name_ar, a.last_name_lat, a.first_name_lat, a.sex, a.birth_date, a.phone,
                      ${lang === 'ar' ? 'c.name_ar' : 'c.name_fr'}, c.type, ${lang === 'ar' ? 'pr.name_ar' : 'pr.name_fr'},
                      a.education_level, a.marital_status, a.is_project_holder, a.is_difficult_situation, a.status, a.consent_status,
                      substr(a.created_at, 1, 10)
                 FROM applicants a LEFT JOIN communes c ON c.code = a.commune_code LEFT JOIN provinces pr ON pr.code = c.province_code
                 ${where} ORDER BY a.file_no`;
  const it = db.prepare(sql).raw(true).iterate(params) as IterableIterator<unknown[]>;
  let n = 0;
  for (const r of it) {
    const birth = r[7] as string | null;
    const row: Row = [
      r[0] as string,
      r[1] as string | null,
      r[2] as string,
      r[3] as string,
      r[4] as string,
      r[5] as string,
      sex[r[6] as string] ?? (r[6] as string),
      birth,
      birth ? String(ageOn(birth, opts.today)) : null,
      r[8] as string | null,
      r[9] as string | null,
      r[10] ? area[r[10] as string] : null,
      r[11] as string | null,
      r[12] ? (refs.get(`education:${r[12]}`) ?? (r[12] as string)) : null,
      r[13] ? (refs.get(`marital:${r[13]}`) ?? (r[13] as string)) : null,
      r[14] as number,
      r[15] as number,
      STATUS_LABELS[r[16] as ApplicantStatus]?.[lang] ?? (r[16] as string),
      consent[r[17] as string] ?? (r[17] as string),
      r[18] as string,
    ];
    const values: (string | number | null)[] = row.map((v, i) => {
      if (i === 8) return v === null ? null : Number(v);
      if (i === 15 || i === 16) return v ? yes : no;
      return v === '' ? null : v;
    });
    const xr = ws.addRow(values);
    // Text from user data that a spreadsheet could take for a formula: text format '@' as well (it is a string cell anyway).
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === 'string' && looksLikeFormula(v)) xr.getCell(i + 1).numFmt = '@';
    }
    xr.commit();
    n++;
  }
  ws.commit();
  await wb.commit();
  return n;
}
