import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { Sqlite } from '../db/connection';
import { stmt } from '../db/statements';
import { paragraph, renderPdf } from '../attestations/pdf-render';
import { formatDate, formatDateLong, formatHours } from '../../shared/format';

/**
 * Attendance sheets (issue 14): for each session, one printable A4 sheet to be signed on the day — Arabic and
 * French header, the office, the cohort, date, times, topic, facilitator, place, then every woman expected that
 * day (enrolled on or before it, not withdrawn before it: the hours rule of participation.ts) in both scripts with
 * a signature column, and blank lines for walk-ins. One session, or every session of a week, in one PDF.
 * Text goes through bidi-layout like the attestations (Arabic joined and right to left).
 */

export interface SheetSession {
  id: string;
  kind: string;
  date: string;
  start_time: string | null;
  end_time: string | null;
  duration_min: number;
  place: string;
  cohort_id: string | null;
  applicant_id: string | null;
  cohort_name: string | null;
  topic_ar: string | null;
  topic_fr: string | null;
  topic_code: string;
  facilitator: string | null;
  org_ar: string;
  org_fr: string;
  office_ar: string;
  office_fr: string;
}

interface SheetPerson {
  file_no: string;
  first_name_ar: string;
  last_name_ar: string;
  first_name_lat: string;
  last_name_lat: string;
}

const SESSION_SQL = `
  SELECT s.id, s.kind, s.date, s.start_time, s.end_time, s.duration_min, s.place, s.cohort_id, s.applicant_id, s.topic_code,
         c.name AS cohort_name, t.label_ar AS topic_ar, t.label_fr AS topic_fr, f.full_name AS facilitator,
         o.name_ar AS org_ar, o.name_fr AS org_fr, ofc.name_ar AS office_ar, ofc.name_fr AS office_fr
    FROM training_sessions s
    JOIN organisations o ON o.id = s.organisation_id
    JOIN offices ofc ON ofc.id = s.office_id
    LEFT JOIN cohorts c ON c.id = s.cohort_id
    LEFT JOIN facilitators f ON f.id = s.facilitator_id
    LEFT JOIN ref_items t ON t.kind = 'topic' AND t.code = s.topic_code`;

export function sheetSession(db: Sqlite, id: string): SheetSession | undefined {
  return stmt<[string], SheetSession>(db, `${SESSION_SQL} WHERE s.id = ?`).get(id);
}

/** The office's (or, at the region, every office's) non-cancelled sessions of [from, to], in date and time order. */
export function sheetSessions(db: Sqlite, from: string, to: string, scope: { officeId: string | null; cohortId?: string }): SheetSession[] {
  return stmt<[string, string, string | null, string | null, string | null, string | null], SheetSession>(
    db,
    `${SESSION_SQL}
      WHERE s.date >= ? AND s.date <= ? AND s.cancelled_at IS NULL
        AND (? IS NULL OR s.office_id = ?) AND (? IS NULL OR s.cohort_id = ?)
      ORDER BY s.date, s.start_time, s.id`,
  ).all(from, to, scope.officeId, scope.officeId, scope.cohortId ?? null, scope.cohortId ?? null);
}

/** Who is expected at the session: the cohort's members enrolled on that day (or the mentored woman). */
function expectedPeople(db: Sqlite, s: SheetSession): SheetPerson[] {
  if (s.cohort_id) {
    return stmt<[string, string, string], SheetPerson>(
      db,
      `SELECT a.file_no, a.first_name_ar, a.last_name_ar, a.first_name_lat, a.last_name_lat
         FROM cohort_members m JOIN applicants a ON a.id = m.applicant_id
        WHERE m.cohort_id = ? AND m.enrolled_at <= ? AND (m.withdrawn_at IS NULL OR m.withdrawn_at >= ?) AND a.anonymised_at IS NULL
        ORDER BY a.last_name_ar, a.first_name_ar, a.file_no`,
    ).all(s.cohort_id, s.date, s.date);
  }
  if (s.applicant_id) {
    return stmt<[string], SheetPerson>(db, 'SELECT file_no, first_name_ar, last_name_ar, first_name_lat, last_name_lat FROM applicants WHERE id = ?').all(s.applicant_id);
  }
  return [];
}

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

function sheetContent(db: Sqlite, s: SheetSession, first: boolean): Content[] {
  const people = expectedPeople(db, s);
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
export async function renderSheets(db: Sqlite, sessions: SheetSession[], title: string): Promise<Buffer> {
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
