import { localDate } from '../../shared/time';
import type { Content } from 'pdfmake/interfaces';
import { AppError } from '../../shared/errors';
import type { Handlers } from '../handler-types';
import type { Sqlite } from '../db/connection';
import type { Office } from '../db/schema';
import { applicantLinkedTables, q, tableExists } from './schema-info';
import { linkedTablesConnection } from './retention';
import { cell, renderPdf, rtl, rtlPieces } from './pdf';

/**
 * Access requests (law 09-08, right of access): everything this office holds about one person.
 * Rows come from the applicant row and from every table with an `applicant_id` column (so sessions,
 * attendance, attestations … are included as their features add them), duplicate decisions naming her,
 * and the audit entries about those rows. Nothing about other people: duplicate decisions show only the
 * other file's id, group sessions only their date, kind and topic, and audit entries about rows that
 * are not hers are left out.
 */
export interface AccessRequestData {
  generatedAt: string;
  office: { slug: string; nameAr: string; nameFr: string };
  subject: { id: string; fileNo: string };
  applicant: Record<string, unknown>;
  labels: { commune: { ar: string; fr: string } | null };
  related: Record<string, Record<string, unknown>[]>;
  context: Record<string, Record<string, unknown>[]>;
  audit: { id: number; at: string; actor: string; method: string; entity: string | null; entityId: string | null; changes: unknown }[];
}

export function collectAccessRequest(sqlite: Sqlite, applicantId: string, office: Office, now: string): AccessRequestData {
  if (!tableExists(sqlite, 'applicants')) throw new AppError('dataProtection.applicant_not_found', { id: applicantId });
  const applicant = sqlite.prepare('SELECT * FROM applicants WHERE id = ?').get(applicantId) as Record<string, unknown> | undefined;
  if (!applicant) throw new AppError('dataProtection.applicant_not_found', { id: applicantId });

  const related: AccessRequestData['related'] = {};
  const ids = new Set<string>([applicantId]);
  for (const { table, columns } of applicantLinkedTables(sqlite)) {
    const names = columns.map((c) => c.name);
    // Index tables that hold nothing but keys (e.g. the search index's rowid map) say nothing about her.
    if (names.every((n) => /^(rowid|id|applicant_id)$/.test(n))) continue;
    let rows = sqlite.prepare(`SELECT * FROM ${q(table)} WHERE applicant_id = ?`).all(applicantId) as Record<string, unknown>[];
    if (table === 'duplicate_decisions' && names.includes('other_id')) {
      // Decisions where she is the existing file: the decision only, not the other person's file.
      const others = sqlite.prepare(`SELECT * FROM duplicate_decisions WHERE other_id = ? AND (applicant_id IS NULL OR applicant_id <> ?)`).all(applicantId, applicantId) as Record<string, unknown>[];
      rows = rows.concat(others.map((r) => ({ ...r, _note: 'other_file' })));
    }
    if (!rows.length) continue;
    related[table] = rows;
    if (names.includes('id')) for (const r of rows) if (r._note !== 'other_file' && typeof r.id === 'string') ids.add(r.id);
  }

  const context: AccessRequestData['context'] = {};
  const sessionIds = [...new Set((related.attendance ?? []).map((r) => r.session_id).filter((x): x is string => typeof x === 'string'))];
  if (sessionIds.length && tableExists(sqlite, 'training_sessions')) {
    const st = sqlite.prepare('SELECT id, kind, date, start_time, end_time, duration_min, topic_code, place FROM training_sessions WHERE id = ?');
    context.training_sessions = sessionIds.map((id) => st.get(id) as Record<string, unknown>).filter(Boolean);
  }
  const cohortIds = [...new Set((related.cohort_members ?? []).map((r) => r.cohort_id).filter((x): x is string => typeof x === 'string'))];
  if (cohortIds.length && tableExists(sqlite, 'cohorts')) {
    const st = sqlite.prepare('SELECT id, name, start_date, end_date, place FROM cohorts WHERE id = ?');
    context.cohorts = cohortIds.map((id) => st.get(id) as Record<string, unknown>).filter(Boolean);
  }

  const auditStmt = sqlite.prepare('SELECT id, at, actor_name, method, entity, entity_id, changes FROM audit_log WHERE entity_id = ? ORDER BY id');
  const audit: AccessRequestData['audit'] = [];
  for (const id of ids) {
    for (const r of auditStmt.all(id) as { id: number; at: string; actor_name: string; method: string; entity: string | null; entity_id: string | null; changes: string | null }[]) {
      audit.push({ id: r.id, at: r.at, actor: r.actor_name, method: r.method, entity: r.entity, entityId: r.entity_id, changes: r.changes ? JSON.parse(r.changes) : null });
    }
  }
  audit.sort((a, b) => a.id - b.id);

  const commune = applicant.commune_code
    ? (sqlite.prepare('SELECT name_ar AS ar, name_fr AS fr FROM communes WHERE code = ?').get(applicant.commune_code) as { ar: string; fr: string } | undefined)
    : undefined;
  return {
    generatedAt: now,
    office: { slug: office.slug, nameAr: office.name_ar, nameFr: office.name_fr },
    subject: { id: applicantId, fileNo: String(applicant.file_no) },
    applicant,
    labels: { commune: commune ?? null },
    related,
    context,
    audit,
  };
}

/** Labels of the applicant's fields: French / Arabic. Other columns show their name. */
const FIELD_LABELS: Record<string, [string, string]> = {
  file_no: ['N° de dossier', 'رقم الملف'],
  cin: ['CIN', 'رقم البطاقة الوطنية'],
  idcs: ['IDCS (RNP)', 'المعرف المدني والاجتماعي'],
  first_name_ar: ['Prénom (arabe)', 'الاسم الشخصي'],
  last_name_ar: ['Nom (arabe)', 'الاسم العائلي'],
  first_name_lat: ['Prénom', 'الاسم الشخصي (بالحروف اللاتينية)'],
  last_name_lat: ['Nom', 'الاسم العائلي (بالحروف اللاتينية)'],
  sex: ['Sexe', 'الجنس'],
  birth_date: ['Date de naissance', 'تاريخ الازدياد'],
  phone: ['Téléphone', 'الهاتف'],
  address: ['Adresse', 'العنوان'],
  douar: ['Douar', 'الدوار'],
  commune_code: ['Commune', 'الجماعة'],
  education_level: ['Niveau scolaire', 'المستوى الدراسي'],
  marital_status: ['Situation familiale', 'الحالة العائلية'],
  has_disability: ['Handicap', 'إعاقة'],
  disability_severity: ['Degré du handicap', 'درجة الإعاقة'],
  disability_card_number: ['N° carte handicap', 'رقم بطاقة الإعاقة'],
  status: ['Statut', 'الوضعية'],
  consent_status: ['Consentement', 'الموافقة'],
  consent_date: ['Date du consentement', 'تاريخ الموافقة'],
  created_at: ['Enregistrée le', 'تاريخ التسجيل'],
  closed_at: ['Clôturé le', 'تاريخ الإغلاق'],
};

const TABLE_TITLES: Record<string, [string, string]> = {
  applicant_situations: ['Situations', 'الوضعيات'],
  applicant_disabilities: ['Types de handicap', 'أنواع الإعاقة'],
  status_history: ['Parcours (historique des statuts)', 'المسار'],
  duplicate_decisions: ['Décisions sur les doublons', 'قرارات التكرار'],
  cohort_members: ['Groupes', 'الأفواج'],
  training_sessions: ['Séances individuelles', 'الحصص الفردية'],
  attendance: ['Présences', 'الحضور'],
  business_plans: ['Plan d’affaires', 'مخطط الأعمال'],
};

const HIDDEN = new Set(['change_seq', 'office_id', 'applicant_id', 'name_key_ar', 'name_key_lat']);

function kvTable(row: Record<string, unknown>): Content {
  const body = Object.entries(row)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => {
      const l = FIELD_LABELS[k];
      return [cell(l ? l[0] : k, { bold: true }), cell(v), cell(l ? l[1] : '', { bold: true })];
    });
  return { table: { widths: [130, '*', 130], body }, layout: 'lightHorizontalLines', margin: [0, 2, 0, 8] };
}

export async function accessRequestPdf(d: AccessRequestData): Promise<Buffer> {
  const content: Content[] = [
    { text: rtl('طلب الولوج إلى المعطيات الشخصية (القانون 09.08)'), alignment: 'right', fontSize: 15, bold: true } as Content,
    { text: 'Demande d’accès aux données personnelles (loi 09-08)', fontSize: 13, bold: true, margin: [0, 0, 0, 4] },
    { text: rtl(d.office.nameAr), alignment: 'right' } as Content,
    { text: `${d.office.nameFr} — ${localDate(d.generatedAt)} — N° ${d.subject.fileNo}`, margin: [0, 0, 0, 10] },
    { text: 'Dossier / الملف', bold: true, fontSize: 12 },
    kvTable({ ...d.applicant, commune_code: d.labels.commune ? `${d.applicant.commune_code} ${d.labels.commune.fr}` : d.applicant.commune_code }),
  ];
  if (d.labels.commune) content.push({ text: rtl(`الجماعة: ${d.labels.commune.ar}`), alignment: 'right', margin: [0, 0, 0, 8] } as Content);
  for (const [table, rows] of Object.entries(d.related)) {
    const t = TABLE_TITLES[table];
    content.push({ text: t ? [`${t[0]} / `, ...rtlPieces(t[1])] : table, bold: true, fontSize: 12, margin: [0, 6, 0, 2] });
    for (const r of rows) content.push(kvTable(r));
  }
  for (const [table, rows] of Object.entries(d.context)) {
    content.push({ text: `${table} (contexte)`, bold: true, fontSize: 11, margin: [0, 6, 0, 2] });
    for (const r of rows) content.push(kvTable(r));
  }
  content.push({ text: ['Journal d’audit / ', ...rtlPieces('سجل التتبع'), ` (${d.audit.length})`], bold: true, fontSize: 12, margin: [0, 8, 0, 2] });
  if (d.audit.length) {
    content.push({
      table: {
        headerRows: 1,
        widths: [70, 60, 80, '*'],
        body: [
          [cell('Date', { bold: true }), cell('Par', { bold: true }), cell('Opération', { bold: true }), cell('Changements', { bold: true })],
          ...d.audit.map((a) => [
            cell(a.at.replace('T', ' ').slice(0, 19), { fontSize: 7 }),
            cell(a.actor, { fontSize: 7 }),
            cell(a.method, { fontSize: 7 }),
            {
              stack: Object.entries((a.changes ?? {}) as Record<string, [unknown, unknown]>).map(([k, [from, to]]) => cell(`${k}: ${from ?? '—'} → ${to ?? '—'}`, { fontSize: 7 })),
            } as Content,
          ]),
        ],
      },
      layout: 'lightHorizontalLines',
    });
  }
  return renderPdf({ info: { title: `Accès aux données — ${d.subject.fileNo}` }, pageMargins: [36, 36, 36, 36], content });
}

export const accessRequestHandlers = {
  'dataProtection.accessRequest': async ({ applicantId, format }, ctx) => {
    const office = ctx.requireOffice();
    // Every table linked to the applicant, found in the schema at run time: raw SQL on the connection (see retention.ts).
    const data = collectAccessRequest(linkedTablesConnection(ctx.db), applicantId, office, ctx.now());
    const base = `acces-${data.subject.fileNo}`;
    const file =
      format === 'json'
        ? ctx.services.outbox.put(`${base}.json`, 'application/json', Buffer.from(JSON.stringify(data, null, 2), 'utf8'))
        : ctx.services.outbox.put(`${base}.pdf`, 'application/pdf', await accessRequestPdf(data));
    const summary: Record<string, number> = { audit: data.audit.length };
    for (const [t, rows] of Object.entries(data.related)) summary[t] = rows.length;
    ctx.audit({ entity: 'applicants', entityId: applicantId, changes: { access_request: [null, format] } });
    return { file: { id: file.id, name: file.name, mime: file.mime, size: file.size }, summary };
  },
} satisfies Partial<Handlers>;
