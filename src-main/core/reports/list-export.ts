/**
 * The beneficiary list as xlsx, the rows of the registry search's query and filters, written with exceljs's
 * streaming writer (rows go to disk as they are read: 100,000 rows stay well under 500 MB).
 */
import ExcelJS from 'exceljs';
import type { Sqlite } from '../db/connection';
import type { Scope } from './indicators';
import { STATUS_LABELS } from './indicators';
import type { ApplicantStatus } from '../../shared/api/applicants.contract';
import { LIST_COLUMNS } from '../../shared/api/reports.contract';
import { ageOn } from '../../shared/normalize';
import type { Match } from '../applicants/search';
import { looksLikeFormula } from './xlsx';

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

type Row = [
  string, string | null, string, string, string, string, string, string | null, string | null, string | null, string | null,
  string | null, string | null, string | null, string | null, number, number, string, string, string,
];

/** Writes the list to `path` (streaming); returns the number of rows. */
export async function writeBeneficiaryList(
  db: Sqlite,
  s: Scope,
  opts: { match: Match; lang: Lang; today: string; path: string },
): Promise<number> {
  const { lang, match } = opts;
  // The rows the registry search selects (applicants/search.ts matchSql), within the office's scope.
  const conditions = match.kind === 'none' ? ['0'] : [...match.where.sql];
  const params: unknown[] = match.kind === 'none' ? [] : [...match.where.params];
  if (s.officeId) conditions.push('a.office_id = ?'), params.push(s.officeId);
  const from = match.kind === 'none' ? 'applicants a' : match.from;
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
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
                 FROM ${from} LEFT JOIN communes c ON c.code = a.commune_code LEFT JOIN provinces pr ON pr.code = c.province_code
                 ${where} ORDER BY a.file_no`;
  const it = db.prepare(sql).raw(true).iterate(...params) as IterableIterator<unknown[]>;
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
