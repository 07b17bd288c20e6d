/**
 * The indicator workbook (exceljs): one sheet per indicator, Arabic right to left (French on request),
 * the office's header, bold frozen table headers, column widths, totals as formulas Excel recomputes,
 * A4 landscape fitted to the page width.
 */
import ExcelJS from 'exceljs';
import type { Office } from '../db/schema';
import type { Indicators } from './indicators';
import { periodLabel, monthLabel } from './period';
import { formatDateTime, formatRange } from '../../shared/format';
import { colLetter, HEADER_FILL, printSetup, setText, sheetName, TOTAL_FILL } from './xlsx';

type Lang = 'ar' | 'fr';
type Text = { ar: string; fr: string };

/** A cell of a table: a number, user or reference text, or a formula built from the row number. */
type CellSpec = number | string | null | { text: string } | { f: (row: number) => string; result?: number | string };

interface ColSpec {
  header: Text;
  width: number;
  /** How the total row treats the column. */
  total?: 'sum' | 'label' | { ratio: [number, number] } | { rowFormula: (row: number, first: number, last: number) => string };
  numFmt?: string;
}

interface TableSpec {
  name: Text;
  title: Text;
  columns: ColSpec[];
  rows: CellSpec[][];
  /** Lines under the table (explanations). */
  notes?: Text[];
  /** No total row (e.g. categories where a person may count in several rows). */
  noTotal?: boolean;
}

export interface WorkbookMeta {
  office: Pick<Office, 'name_ar' | 'name_fr' | 'code' | 'kind'>;
  generatedAt: string;
  lang: Lang;
}

/** Rows of the header block: office name, report title and period, generation date, a blank line. */
export const HEADER_ROW = 5;
export const FIRST_DATA_ROW = HEADER_ROW + 1;

const T = (ar: string, fr: string): Text => ({ ar, fr });

function addTable(wb: ExcelJS.Workbook, meta: WorkbookMeta, ind: Indicators, spec: TableSpec): ExcelJS.Worksheet {
  const { lang } = meta;
  const ws = wb.addWorksheet(sheetName(spec.name[lang]), {
    views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW, rightToLeft: lang === 'ar', activeCell: `A${FIRST_DATA_ROW}` }],
  });
  ws.columns = spec.columns.map((c) => ({ width: c.width }));
  const ncol = spec.columns.length;
  const lastCol = colLetter(ncol);

  // The office's header.
  setText(ws.getCell('A1'), lang === 'ar' ? meta.office.name_ar : meta.office.name_fr);
  ws.getCell('A1').font = { bold: true, size: 13 };
  setText(ws.getCell('A2'), `${spec.title[lang]} — ${periodLabel(ind.period, lang)} (${formatRange(ind.period.start, ind.period.last, lang)})`);
  ws.getCell('A2').font = { bold: true, size: 12 };
  // Local time (Africa/Casablanca unless the default zone was changed), as every timestamp shown (docs/FORMAT.md).
  setText(ws.getCell('A3'), `${lang === 'ar' ? 'تاريخ الإنشاء' : 'Généré le'} : ${formatDateTime(meta.generatedAt)}`);
  ws.getCell('A3').font = { italic: true, size: 9, color: { argb: 'FF555555' } };
  if (ncol > 1) for (const r of [1, 2, 3]) ws.mergeCells(`A${r}:${lastCol}${r}`);

  // Table header.
  const hr = ws.getRow(HEADER_ROW);
  spec.columns.forEach((c, i) => {
    const cell = hr.getCell(i + 1);
    setText(cell, c.header[lang]);
    cell.font = { bold: true };
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.border = { bottom: { style: 'thin' } };
  });
  hr.height = 30;

  // Data.
  let r = FIRST_DATA_ROW;
  for (const row of spec.rows) {
    const xr = ws.getRow(r);
    row.forEach((v, i) => {
      const cell = xr.getCell(i + 1);
      if (v === null) return;
      if (typeof v === 'number') cell.value = v;
      else if (typeof v === 'string') setText(cell, v);
      else if ('text' in v) setText(cell, v.text);
      else cell.value = { formula: v.f(r), result: v.result } as ExcelJS.CellFormulaValue;
      const fmt = spec.columns[i].numFmt;
      if (fmt && typeof v !== 'string' && !(typeof v === 'object' && 'text' in v)) cell.numFmt = fmt;
    });
    r++;
  }
  const first = FIRST_DATA_ROW;
  const last = r - 1;

  // Totals: formulas over the column, recomputed by Excel.
  if (!spec.noTotal) {
    const tr = ws.getRow(r);
    spec.columns.forEach((c, i) => {
      const cell = tr.getCell(i + 1);
      const L = colLetter(i + 1);
      if (c.total === 'label') setText(cell, lang === 'ar' ? 'المجموع' : 'Total');
      else if (c.total === 'sum') {
        const result = spec.rows.reduce((t, row) => t + (typeof row[i] === 'number' ? (row[i] as number) : 0), 0);
        cell.value = { formula: last >= first ? `SUM(${L}${first}:${L}${last})` : '0', result };
      } else if (c.total && typeof c.total === 'object' && 'ratio' in c.total) {
        const [a, b] = c.total.ratio.map((n) => colLetter(n + 1));
        cell.value = { formula: last >= first ? `IF(SUM(${b}${first}:${b}${last})>0,SUM(${a}${first}:${a}${last})/SUM(${b}${first}:${b}${last}),"")` : '""' };
      } else if (c.total && typeof c.total === 'object' && 'rowFormula' in c.total) {
        cell.value = { formula: c.total.rowFormula(r, first, last) };
      }
      if (c.numFmt && c.total && c.total !== 'label') cell.numFmt = c.numFmt;
      cell.font = { bold: true };
      cell.fill = TOTAL_FILL;
      cell.border = { top: { style: 'thin' } };
    });
    r++;
  }
  for (const n of spec.notes ?? []) {
    r++;
    setText(ws.getCell(`A${r}`), n[lang]);
    ws.getCell(`A${r}`).font = { italic: true, size: 9 };
  }
  printSetup(ws, HEADER_ROW);
  ws.headerFooter = { oddFooter: lang === 'ar' ? '&Lصفحة &P من &N' : '&RPage &P / &N' };
  return ws;
}

const label = (x: { labelAr: string; labelFr: string }, lang: Lang) => ({ text: lang === 'ar' ? x.labelAr : x.labelFr });

/** Builds the indicator workbook from the indicators (computed once by computeIndicators). */
export function buildIndicatorWorkbook(ind: Indicators, meta: WorkbookMeta): ExcelJS.Workbook {
  const { lang } = meta;
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jisr Desk';
  wb.created = new Date(meta.generatedAt);
  wb.calcProperties.fullCalcOnLoad = true;
  const region = ind.scope.isRegion;
  const provinceName = (code: string | null) => {
    const p = ind.provinces?.find((x) => x.key === code);
    return { text: p ? (lang === 'ar' ? p.labelAr : p.labelFr) : (code ?? '') };
  };
  const provinceCol: ColSpec[] = region ? [{ header: T('الإقليم', 'Province'), width: 16, total: 'label' }] : [];
  const labelTotal = (): ColSpec['total'] => (region ? undefined : 'label');

  // Summary.
  const hours = ind.sessions.reduce((t, s) => t + s.minutes, 0) / 60;
  const present = ind.sessions.reduce((t, s) => t + s.present, 0);
  const recorded = ind.sessions.reduce((t, s) => t + s.recorded, 0);
  const financed = ind.financing.counts.flat().reduce((t, n) => t + n, 0);
  addTable(wb, meta, ind, {
    name: T('ملخص', 'Synthèse'),
    title: T('تقرير المؤشرات', 'Rapport des indicateurs'),
    columns: [
      { header: T('المؤشر', 'Indicateur'), width: 48 },
      { header: T('القيمة', 'Valeur'), width: 16, numFmt: '#,##0.##' },
    ],
    noTotal: true,
    rows: [
      [{ text: lang === 'ar' ? 'التسجيلات خلال الفترة' : 'Inscriptions de la période' }, ind.totals.period],
      [{ text: lang === 'ar' ? 'منها نساء' : 'dont femmes' }, ind.totals.women],
      [{ text: lang === 'ar' ? 'مجموع الملفات في نهاية الفترة' : 'Dossiers à la fin de la période' }, ind.totals.cumulative],
      [{ text: lang === 'ar' ? 'الحصص المنجزة' : 'Séances tenues' }, ind.sessions.reduce((t, s) => t + s.sessions, 0)],
      [{ text: lang === 'ar' ? 'ساعات التكوين والمواكبة' : 'Heures de formation et d’accompagnement' }, Math.round(hours * 100) / 100],
      [{ text: lang === 'ar' ? 'نسبة الحضور' : 'Taux de présence' }, recorded ? Math.round((present / recorded) * 10000) / 10000 : null],
      [{ text: lang === 'ar' ? 'الشهادات المسلمة' : 'Attestations délivrées' }, ind.attestations.reduce((t, a) => t + a.issued, 0)],
      [{ text: lang === 'ar' ? 'المشاريع الممولة' : 'Projets financés' }, financed],
    ],
  }).getCell(`B${FIRST_DATA_ROW + 5}`).numFmt = '0.0%';

  // Registrations by month.
  addTable(wb, meta, ind, {
    name: T('التسجيلات', 'Inscriptions'),
    title: T('التسجيلات حسب الشهر', 'Inscriptions par mois'),
    columns: [
      { header: T('الشهر', 'Mois'), width: 22, total: 'label' },
      { header: T('المجموع', 'Total'), width: 12, total: 'sum' },
      { header: T('نساء', 'Femmes'), width: 12, total: 'sum' },
      { header: T('رجال', 'Hommes'), width: 12, total: 'sum' },
    ],
    rows: ind.registrations.map((m) => [{ text: monthLabel(m.month, lang) }, m.total, m.women, m.men]),
  });

  // The path.
  addTable(wb, meta, ind, {
    name: T('المسار', 'Parcours'),
    title: T('المستفيدات حسب المرحلة في نهاية الفترة', 'Bénéficiaires par étape du parcours (fin de période)'),
    columns: [
      { header: T('المرحلة', 'Étape'), width: 30, total: 'label' },
      { header: T('العدد', 'Nombre'), width: 12, total: 'sum' },
      { header: T('النسبة', 'Part'), width: 10, numFmt: '0.0%', total: { rowFormula: () => '""' } },
    ],
    rows: ind.statuses.map((s) => [label(s, lang), s.count, { f: (r) => `IF(SUM(B$${FIRST_DATA_ROW}:B$${FIRST_DATA_ROW + ind.statuses.length - 1})>0,B${r}/SUM(B$${FIRST_DATA_ROW}:B$${FIRST_DATA_ROW + ind.statuses.length - 1}),0)` }]),
  });
  addTable(wb, meta, ind, {
    name: T('قمع المسار', 'Entonnoir'),
    title: T('الملفات التي بلغت كل مرحلة', 'Dossiers ayant atteint chaque étape'),
    columns: [
      { header: T('المرحلة', 'Étape'), width: 30 },
      { header: T('بلغتها', 'Atteinte'), width: 12 },
      { header: T('من المسجلات', 'des inscrites'), width: 14, numFmt: '0.0%' },
    ],
    noTotal: true,
    rows: ind.funnel.map((s) => [label(s, lang), s.count, { f: (r) => `IF(B$${FIRST_DATA_ROW}>0,B${r}/B$${FIRST_DATA_ROW},0)` }]),
  });

  // Communes.
  addTable(wb, meta, ind, {
    name: T('الجماعات', 'Communes'),
    title: T('المستفيدات حسب الجماعة', 'Bénéficiaires par commune'),
    columns: [
      ...provinceCol,
      { header: T('الجماعة', 'Commune'), width: 28, total: labelTotal() },
      { header: T('الوسط', 'Milieu'), width: 10 },
      { header: T('خلال الفترة', 'Période'), width: 12, total: 'sum' },
      { header: T('في نهاية الفترة', 'Cumul'), width: 14, total: 'sum' },
    ],
    rows: ind.communes.map((c) => [
      ...(region ? [provinceName(c.provinceCode)] : []),
      label(c, lang),
      { text: c.type === 'urbaine' ? (lang === 'ar' ? 'حضري' : 'Urbain') : c.type === 'rurale' ? (lang === 'ar' ? 'قروي' : 'Rural') : '' },
      c.period,
      c.cumulative,
    ]),
  });
  addTable(wb, meta, ind, {
    name: T('الوسط', 'Milieu'),
    title: T('المستفيدات حسب الوسط', 'Bénéficiaires par milieu (urbain / rural)'),
    columns: [
      { header: T('الوسط', 'Milieu'), width: 20, total: 'label' },
      { header: T('خلال الفترة', 'Période'), width: 12, total: 'sum' },
      { header: T('في نهاية الفترة', 'Cumul'), width: 14, total: 'sum' },
    ],
    rows: ind.areas.map((a) => [label(a, lang), a.period, a.cumulative]),
  });

  // Categories.
  const cat = ind.categories;
  const sub = (x: { labelAr: string; labelFr: string }) => ({ text: `   – ${lang === 'ar' ? x.labelAr : x.labelFr}` });
  addTable(wb, meta, ind, {
    name: T('الفئات', 'Catégories'),
    title: T('المستفيدات حسب الفئة', 'Bénéficiaires par catégorie'),
    columns: [
      { header: T('الفئة', 'Catégorie'), width: 44 },
      { header: T('خلال الفترة', 'Période'), width: 12 },
      { header: T('في نهاية الفترة', 'Cumul'), width: 14 },
    ],
    noTotal: true,
    rows: [
      [label(cat.projectHolders, lang), cat.projectHolders.period, cat.projectHolders.cumulative],
      [label(cat.difficult, lang), cat.difficult.period, cat.difficult.cumulative],
      ...cat.situations.map((x) => [sub(x), x.period, x.cumulative]),
      [label(cat.disability, lang), cat.disability.period, cat.disability.cumulative],
      ...cat.disabilityTypes.map((x) => [sub(x), x.period, x.cumulative]),
    ],
    notes: [T('قد تنتمي المستفيدة إلى أكثر من فئة فرعية واحدة.', 'Une personne peut relever de plusieurs sous-catégories.')],
  });

  // Age bands and education.
  addTable(wb, meta, ind, {
    name: T('الأعمار', 'Âges'),
    title: T('المستفيدات حسب الفئة العمرية (السن في آخر يوم من الفترة)', 'Bénéficiaires par tranche d’âge (âge au dernier jour de la période)'),
    columns: [
      { header: T('الفئة العمرية', 'Tranche d’âge'), width: 22, total: 'label' },
      { header: T('خلال الفترة', 'Période'), width: 12, total: 'sum' },
      { header: T('في نهاية الفترة', 'Cumul'), width: 14, total: 'sum' },
    ],
    rows: ind.ageBands.map((a) => [label(a, lang), a.period, a.cumulative]),
  });
  addTable(wb, meta, ind, {
    name: T('المستوى الدراسي', 'Niveau d’études'),
    title: T('المستفيدات حسب المستوى الدراسي', 'Bénéficiaires par niveau d’études'),
    columns: [
      { header: T('المستوى الدراسي', 'Niveau d’études'), width: 36, total: 'label' },
      { header: T('خلال الفترة', 'Période'), width: 12, total: 'sum' },
      { header: T('في نهاية الفترة', 'Cumul'), width: 14, total: 'sum' },
    ],
    rows: ind.education.map((a) => [label(a, lang), a.period, a.cumulative]),
  });

  // Training.
  const off = region ? 1 : 0;
  addTable(wb, meta, ind, {
    name: T('الحصص', 'Séances'),
    title: T('الحصص المنجزة وساعات التكوين ونسبة الحضور حسب المحور والمؤسسة', 'Séances tenues, heures dispensées et taux de présence par thème et organisme'),
    columns: [
      ...provinceCol,
      { header: T('المحور', 'Thème'), width: 26, total: labelTotal() },
      { header: T('المؤسسة', 'Organisme'), width: 40 },
      { header: T('الحصص', 'Séances'), width: 10, total: 'sum' },
      { header: T('الساعات', 'Heures'), width: 10, total: 'sum', numFmt: '0.0' },
      { header: T('الحضور', 'Présences'), width: 11, total: 'sum' },
      { header: T('المسجلات في اللوائح', 'Inscrites aux listes'), width: 14, total: 'sum' },
      { header: T('نسبة الحضور', 'Taux de présence'), width: 12, numFmt: '0.0%', total: { ratio: [off + 4, off + 5] } },
    ],
    rows: ind.sessions.map((s) => [
      ...(region ? [provinceName(s.provinceCode)] : []),
      { text: lang === 'ar' ? s.topicAr : s.topicFr },
      { text: lang === 'ar' ? s.organisationAr : s.organisationFr },
      s.sessions,
      Math.round((s.minutes / 60) * 100) / 100,
      s.present,
      s.recorded,
      {
        f: (r) => `IF(${colLetter(off + 6)}${r}>0,${colLetter(off + 5)}${r}/${colLetter(off + 6)}${r},"")`,
        result: s.recorded ? s.present / s.recorded : '',
      },
    ]),
    notes: [T('نسبة الحضور = الحضور ÷ المسجلات في لوائح الحصص (حاضرة، غائبة، غياب مبرر). الحصص الملغاة غير محتسبة.', 'Taux de présence = présences ÷ personnes inscrites aux listes des séances (présentes, absentes, excusées). Les séances annulées ne comptent pas.')],
  });

  // Attestations.
  addTable(wb, meta, ind, {
    name: T('الشهادات', 'Attestations'),
    title: T('الشهادات المسلمة خلال الفترة', 'Attestations délivrées dans la période'),
    columns: [
      ...provinceCol,
      { header: T('نوع الشهادة', 'Type d’attestation'), width: 34, total: labelTotal() },
      { header: T('المسلمة', 'Délivrées'), width: 12, total: 'sum' },
      { header: T('الملغاة', 'Révoquées'), width: 12, total: 'sum' },
      { header: T('السارية', 'Valides'), width: 12, total: 'sum' },
    ],
    rows: ind.attestations.map((a) => [
      ...(region ? [provinceName(a.provinceCode)] : []),
      label(a, lang),
      a.issued,
      a.revoked,
      { f: (r) => `${colLetter(off + 2)}${r}-${colLetter(off + 3)}${r}`, result: a.issued - a.revoked },
    ]),
  });

  // Financing: legal form × source.
  const fin = ind.financing;
  const ns = fin.sources.length;
  addTable(wb, meta, ind, {
    name: T('التمويل', 'Financement'),
    title: T('المشاريع الممولة حسب مصدر التمويل والشكل القانوني', 'Projets financés par source de financement et forme juridique'),
    columns: [
      { header: T('الشكل القانوني', 'Forme juridique'), width: 32, total: 'label' },
      ...fin.sources.map((s): ColSpec => ({ header: { ar: s.labelAr, fr: s.labelFr }, width: 16, total: 'sum' })),
      { header: T('المجموع', 'Total'), width: 12, total: 'sum' },
    ],
    rows: fin.legalForms.map((lf, i) => [
      label(lf, lang),
      ...fin.counts[i],
      { f: (r) => `SUM(B${r}:${colLetter(ns + 1)}${r})`, result: fin.counts[i].reduce((t, n) => t + n, 0) },
    ]),
  });

  // Region: by province.
  if (ind.provinces) {
    addTable(wb, meta, ind, {
      name: T('الأقاليم', 'Provinces'),
      title: T('المؤشرات حسب الإقليم', 'Indicateurs par province'),
      columns: [
        { header: T('الإقليم', 'Province'), width: 20, total: 'label' },
        { header: T('التسجيلات خلال الفترة', 'Inscriptions (période)'), width: 16, total: 'sum' },
        { header: T('الملفات في نهاية الفترة', 'Dossiers (cumul)'), width: 16, total: 'sum' },
        { header: T('الحصص', 'Séances'), width: 12, total: 'sum' },
        { header: T('الشهادات', 'Attestations'), width: 12, total: 'sum' },
        { header: T('المشاريع الممولة', 'Projets financés'), width: 14, total: 'sum' },
      ],
      rows: ind.provinces.map((p) => [label(p, lang), p.period, p.cumulative, p.sessions, p.attestations, p.financed]),
    });
  }
  return wb;
}
