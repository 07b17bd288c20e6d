import { AppError } from '../../shared/errors';
import type { Handlers } from '../handler-types';
import type { Sqlite } from '../db/connection';
import type { Office } from '../db/schema';
import { applicantLinkedTables, q, tableExists } from './schema-info';
import { linkedTablesConnection } from './retention';
import { accessRequestPdf, type AccessRequestWords } from './access-request-pdf';
import { getApplicantFile } from '../applicants/applicants.service';
import type { ReadContext } from '../context';

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

/** What the PDF names in words: her file as the form shows it, people's names, the topics and reasons. */
function accessRequestWords(applicantId: string, ctx: ReadContext): AccessRequestWords {
  const sqlite = linkedTablesConnection(ctx.db);
  const people = new Map((sqlite.prepare('SELECT username, display_name FROM users').all() as { username: string; display_name: string }[]).map((u) => [u.username, u.display_name]));
  const refs = new Map(
    (sqlite.prepare(`SELECT code, label_ar, label_fr FROM ref_items WHERE kind IN ('topic', 'drop_reason')`).all() as { code: string; label_ar: string; label_fr: string }[]).map((r) => [
      r.code,
      { ar: r.label_ar, fr: r.label_fr },
    ]),
  );
  return { file: getApplicantFile(applicantId, ctx), people, refs };
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
        : ctx.services.outbox.put(`${base}.pdf`, 'application/pdf', await accessRequestPdf(data, accessRequestWords(applicantId, ctx)));
    const summary: Record<string, number> = { audit: data.audit.length };
    for (const [t, rows] of Object.entries(data.related)) summary[t] = rows.length;
    ctx.audit({ entity: 'applicants', entityId: applicantId, changes: { access_request: [null, format] } });
    return { file: { id: file.id, name: file.name, mime: file.mime, size: file.size }, summary };
  },
} satisfies Partial<Handlers>;
