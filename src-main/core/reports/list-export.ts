/**
 * The beneficiary list as xlsx, the rows of the registry search's query and filters, written with exceljs's
 * streaming writer (rows go to disk as they are read: 100,000 rows stay well under 500 MB).
 */
import ExcelJS from 'exceljs';
import type { ReadableDB } from '../db/handles';
import { listRefLabels, listRows } from './reports.repo';
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


/**
 * Bytes of the sheet that exceljs has handed to the zip and the zip has not compressed yet. exceljs' sheet stream
 * writes into archiver's input (a PassThrough) without waiting for it, so a loop that adds rows faster than zlib
 * compresses them holds the whole sheet in memory (measured at the full-size region: 521,448 rows, 745 MB peak, the
 * bare exceljs loop 612 MB). Read from exceljs' and archiver's internals; null if a later version moves them (the
 * list is then written without waiting, as before; list-backpressure.test.ts fails so that it is noticed).
 */
export function sheetBytesPending(ws: unknown): number | null {
  const dest = (ws as { _stream?: { pipes?: { _writableState?: { length?: unknown } }[] } })._stream?.pipes?.[0];
  const n = dest?._writableState?.length;
  return typeof n === 'number' ? n : null;
}
/** At most this much of the sheet waits for the zip; the rows wait for it below. */
export const MAX_SHEET_PENDING = 8 * 1024 * 1024;

/** Writes the list to `path` (streaming); returns the number of rows. */
export async function writeBeneficiaryList(
  db: ReadableDB,
  s: Scope,
  opts: { match: Match; lang: Lang; today: string; path: string },
): Promise<number> {
  const { lang, match } = opts;
  const refs = new Map<string, string>();
  for (const r of listRefLabels(db)) refs.set(`${r.kind}:${r.code}`, lang === 'ar' ? r.label_ar : r.label_fr);
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

  // The rows the registry search selects (applicants/search.ts matchSql), within the office's scope.
  const it = listRows(db, s, match.kind === 'none' ? null : { from: match.from, where: match.where.sql, params: match.where.params }, lang);
  let n = 0;
  const none = (v: string | null) => (v === '' ? null : v);
  const refLabel = (kind: string, code: string | null) => (code ? (refs.get(`${kind}:${code}`) ?? code) : null);
  for (const r of it) {
    // One array per row, in LIST_COLUMNS' order (empty text written as an empty cell).
    const values: (string | number | null)[] = [
      none(r.file_no),
      none(r.cin),
      none(r.last_name_ar),
      none(r.first_name_ar),
      none(r.last_name_lat),
      none(r.first_name_lat),
      sex[r.sex] ?? none(r.sex),
      none(r.birth_date),
      r.birth_date ? ageOn(r.birth_date, opts.today) : null,
      none(r.phone),
      none(r.commune),
      r.area ? area[r.area] : null,
      none(r.province),
      refLabel('education', r.education_level),
      refLabel('marital', r.marital_status),
      r.is_project_holder ? yes : no,
      r.is_difficult_situation ? yes : no,
      STATUS_LABELS[r.status as ApplicantStatus]?.[lang] ?? r.status,
      consent[r.consent_status] ?? r.consent_status,
      none(r.registered),
    ];
    const xr = ws.addRow(values);
    // Text from user data that a spreadsheet could take for a formula: text format '@' as well (it is a string cell anyway).
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === 'string' && looksLikeFormula(v)) xr.getCell(i + 1).numFmt = '@';
    }
    xr.commit();
    n++;
    // Wait for the zip now and then (the rows stay in SQLite meanwhile: the statement is paused, not copied).
    if (n % 1000 === 0) while ((sheetBytesPending(ws) ?? 0) > MAX_SHEET_PENDING) await new Promise((r) => setTimeout(r, 2));
  }
  ws.commit();
  await wb.commit();
  return n;
}
