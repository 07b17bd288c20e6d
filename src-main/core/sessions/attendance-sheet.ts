import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { ReadableDB } from '../db/handles';
import { sheetPeople, type SheetSession } from './sessions.repo';
import { paragraph, renderPdf } from '../attestations/pdf-render';
import { formatDate, formatDateLong, formatHours } from '../../shared/format';

/**
 * Attendance sheets (issue 14): for each session, one printable A4 sheet to be signed on the day — Arabic and
 * French header, the office, the cohort, date, times, topic, facilitator, place, then every woman expected that
 * day (enrolled on or before it, not withdrawn before it: the hours rule of participation.ts) in both scripts with
 * a signature column, and blank lines for walk-ins. One session, or every session of a week, in one PDF.
 * Text goes through bidi-layout like the attestations (Arabic joined and right to left).
 */

const KINDS: Record<string, { ar: string; fr: string }> = {
  group_training: { ar: 'تكوين جماعي', fr: 'Formation collective' },
  mentoring: { ar: 'مواكبة فردية', fr: 'Accompagnement individuel' },
  workshop: { ar: 'ورشة', fr: 'Atelier' },
  field_visit: { ar: 'زيارة ميدانية', fr: 'Visite de terrain' },
};

const PAGE_W = 595.28;
const MARGIN = 34;
const WIDTH = PAGE_W - 2 * MARGIN;
/** Table columns, left to right on paper: signature, Latin name, Arabic name, file number, number (read from the right). */
const COLS = [150, 115, 125, 80, 27];
const GREY = '#555555';

const cell = (text: string, dir: 'rtl' | 'ltr', width: number, size: number, o: { bold?: boolean; align?: 'left' | 'right' | 'center' } = {}) =>
  paragraph(text, dir, width - 8, size, { bold: o.bold, align: o.align });

function sheetContent(db: ReadableDB, s: SheetSession, first: boolean): Content[] {
  const people = sheetPeople(db, s);
  const half = WIDTH / 2;
  // A range in words (an arrow or a dash between two times reads backwards in Arabic).
  const timeAr = s.start_time && s.end_time ? `من ${s.start_time} إلى ${s.end_time}` : s.start_time ?? '';
  const timeFr = s.start_time && s.end_time ? `de ${s.start_time} à ${s.end_time}` : s.start_time ?? '';
  const hoursAr = formatHours(s.duration_min / 60, 'ar');
  const hoursFr = formatHours(s.duration_min / 60, 'fr');
  const kind = KINDS[s.kind] ?? { ar: s.kind, fr: s.kind };
  const rows: [string, string, string, string][] = [
    ['الفوج', s.cohort_name ?? kind.ar, 'Cohorte', s.cohort_name ?? kind.fr],
    ['التاريخ', `${formatDateLong(s.date, 'ar')} (${formatDate(s.date)})`, 'Date', `${formatDateLong(s.date, 'fr')} (${formatDate(s.date)})`],
    ['التوقيت', `${timeAr} · ${hoursAr}`.replace(/^ · /, ''), 'Horaire', `${timeFr} · ${hoursFr}`.replace(/^ · /, '')],
    ['الموضوع', s.topic_ar ?? s.topic_code, 'Thème', s.topic_fr ?? s.topic_code],
    ['المؤطر(ة)', s.facilitator ?? '—', 'Formateur·rice', s.facilitator ?? '—'],
    ['المؤسسة والمكان', [s.org_ar, s.place].filter(Boolean).join(' — '), 'Organisme et lieu', [s.org_fr, s.place].filter(Boolean).join(' — ')],
  ];
  const out: Content[] = [];
  out.push({
    columns: [
      { width: half, stack: [paragraph(s.office_fr, 'ltr', half, 10, { bold: true }), paragraph("Programme « Jisr pour l'autonomisation et le leadership »", 'ltr', half, 9, { color: GREY })] },
      { width: half, stack: [paragraph(s.office_ar, 'rtl', half, 11, { bold: true }), paragraph('برنامج «جسر للتمكين والريادة»', 'rtl', half, 10, { color: GREY })] },
    ],
    ...(first ? {} : { pageBreak: 'before' }),
  } as Content);
  out.push({ canvas: [{ type: 'line', x1: 0, y1: 4, x2: WIDTH, y2: 4, lineWidth: 0.6, lineColor: GREY }], margin: [0, 2, 0, 4] } as Content);
  out.push(paragraph('ورقة الحضور', 'rtl', WIDTH, 18, { align: 'center', bold: true }));
  out.push(paragraph('FEUILLE DE PRÉSENCE', 'ltr', WIDTH, 12, { align: 'center', bold: true, margin: [0, 0, 0, 6] }));
  for (const [la, va, lf, vf] of rows) {
    out.push({
      columns: [
        { width: half, stack: [paragraph(`${lf} : ${vf}`, 'ltr', half - 6, 10)] },
        { width: half, stack: [paragraph(`${la}: ${va}`, 'rtl', half - 6, 11)] },
      ],
      margin: [0, 1, 0, 1],
    } as Content);
  }
  const header = [
    cell('التوقيع — Signature', 'rtl', COLS[0], 9.5, { bold: true, align: 'center' }),
    cell('Nom et prénom', 'ltr', COLS[1], 9.5, { bold: true, align: 'center' }),
    cell('الاسم الكامل', 'rtl', COLS[2], 10, { bold: true, align: 'center' }),
    cell('رقم الملف — N° dossier', 'rtl', COLS[3], 8.5, { bold: true, align: 'center' }),
    cell('ر.ت', 'rtl', COLS[4], 9, { bold: true, align: 'center' }),
  ];
  const body: Content[][] = people.map((p, i) => [
    { text: '' },
    cell(`${p.first_name_lat} ${p.last_name_lat.toUpperCase()}`.trim(), 'ltr', COLS[1], 9.5),
    cell(`${p.first_name_ar} ${p.last_name_ar}`.trim(), 'rtl', COLS[2], 11),
    cell(p.file_no, 'ltr', COLS[3], 8.5, { align: 'center' }),
    cell(String(i + 1), 'ltr', COLS[4], 9, { align: 'center' }),
  ]);
  // Blank lines for women who come without being on the list (walk-ins): at least 5, the page filled to 13 lines.
  const blanks = Math.max(5, 13 - people.length);
  for (let k = 0; k < blanks; k++) body.push([{ text: '' }, { text: '' }, { text: '' }, { text: '' }, cell(String(people.length + k + 1), 'ltr', COLS[4], 9, { align: 'center' })]);
  out.push({
    table: { headerRows: 1, widths: COLS, heights: (row: number) => (row === 0 ? 22 : 25), body: [header, ...body], dontBreakRows: true },
    layout: { hLineWidth: () => 0.5, vLineWidth: () => 0.5, hLineColor: () => '#777777', vLineColor: () => '#777777', fillColor: (row: number) => (row === 0 ? '#eeeeee' : null) },
    margin: [0, 8, 0, 8],
  } as unknown as Content);
  out.push({
    columns: [
      { width: half, stack: [paragraph('Signature du formateur / de la formatrice :', 'ltr', half, 10)] },
      { width: half, stack: [paragraph('توقيع المؤطر(ة):', 'rtl', half, 11)] },
    ],
    margin: [0, 4, 0, 0],
    unbreakable: true,
  } as Content);
  out.push(
    paragraph(
      `عدد الحاضرات: ........    عدد المسجلات: ${people.length}  —  Présentes : ........    Inscrites : ${people.length}`,
      'rtl',
      WIDTH,
      9.5,
      { align: 'center', color: GREY, margin: [0, 12, 0, 0] },
    ),
  );
  return out;
}

/** The PDF of the sheets of these sessions (one or more pages each). */
export async function renderSheets(db: ReadableDB, sessions: SheetSession[], title: string): Promise<Buffer> {
  const content = sessions.flatMap((s, i) => sheetContent(db, s, i === 0));
  const def: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: [MARGIN, 30, MARGIN, 34],
    info: { title, creator: 'Jisr Desk', producer: 'Jisr Desk' },
    defaultStyle: { font: 'Amiri', fontSize: 10 },
    content,
    footer: (page: number, pages: number) =>
      ({ ...(paragraph(`${page} / ${pages}`, 'ltr', WIDTH, 8, { align: 'center', color: GREY }) as object), margin: [MARGIN, 8, MARGIN, 0] }) as Content,
    compress: true,
  };
  return renderPdf(def);
}
