import { AppError } from '../../shared/errors';
import type { Handlers } from '../handler-types';
import type { ReadableDB } from '../db/handles';
import type { Office } from '../db/schema';
import { applicantLinkedTables, linkedRows } from './repo/linked-tables.repo';
import { decisionsNamingAsOther, findApplicant, findCommune, listRefItems } from '../applicants/applicants.repo';
import { cohortContext, sessionContext } from '../sessions/sessions.repo';
import { auditRowsAbout } from '../audit/audit.repo';
import { userNames } from '../accounts/accounts.repo';
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

export function collectAccessRequest(db: ReadableDB, applicantId: string, office: Office, now: string): AccessRequestData {
  const applicant = findApplicant(db, applicantId) as Record<string, unknown> | undefined;
  if (!applicant) throw new AppError('dataProtection.applicant_not_found', { id: applicantId });

  const related: AccessRequestData['related'] = {};
  const ids = new Set<string>([applicantId]);
  for (const { table, columns } of applicantLinkedTables(db)) {
    const names = columns.map((c) => c.name);
    // Index tables that hold nothing but keys (e.g. the search index's rowid map) say nothing about her.
    if (names.every((n) => /^(rowid|id|applicant_id)$/.test(n))) continue;
    let rows = linkedRows(db, table, applicantId);
    if (table === 'duplicate_decisions' && names.includes('other_id')) {
      // Decisions where she is the existing file: the decision only, not the other person's file.
      const others = decisionsNamingAsOther(db, applicantId) as Record<string, unknown>[];
      rows = rows.concat(others.map((r) => ({ ...r, _note: 'other_file' })));
    }
    if (!rows.length) continue;
    related[table] = rows;
    if (names.includes('id')) for (const r of rows) if (r._note !== 'other_file' && typeof r.id === 'string') ids.add(r.id);
  }

  // The sessions and cohorts her rows point to, through their owner (sessions.repo): their own columns only.
  const context: AccessRequestData['context'] = {};
  const sessionIds = [...new Set((related.attendance ?? []).map((r) => r.session_id).filter((x): x is string => typeof x === 'string'))];
  if (sessionIds.length) context.training_sessions = sessionIds.map((id) => sessionContext(db, id) as Record<string, unknown>).filter(Boolean);
  const cohortIds = [...new Set((related.cohort_members ?? []).map((r) => r.cohort_id).filter((x): x is string => typeof x === 'string'))];
  if (cohortIds.length) context.cohorts = cohortIds.map((id) => cohortContext(db, id) as Record<string, unknown>).filter(Boolean);

  const audit: AccessRequestData['audit'] = [];
  for (const id of ids) {
    for (const r of auditRowsAbout(db, id)) {
      audit.push({ id: r.id, at: r.at, actor: r.actor_name, method: r.method, entity: r.entity, entityId: r.entity_id, changes: r.changes ? JSON.parse(r.changes) : null });
    }
  }
  audit.sort((a, b) => a.id - b.id);

  const c = typeof applicant.commune_code === 'string' && applicant.commune_code ? findCommune(db, applicant.commune_code) : undefined;
  const commune = c ? { ar: c.name_ar, fr: c.name_fr } : undefined;
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
  const people = new Map(userNames(ctx.db).map((u) => [u.username, u.display_name]));
  const refs = new Map(
    listRefItems(ctx.db, true)
      .filter((r) => r.kind === 'topic' || r.kind === 'drop_reason')
      .map((r) => [r.code, { ar: r.label_ar, fr: r.label_fr }]),
  );
  return { file: getApplicantFile(applicantId, ctx), people, refs };
}

export const accessRequestHandlers = {
  'dataProtection.accessRequest': async ({ applicantId, format }, ctx) => {
    const office = ctx.requireOffice();
    // Her row, every table linked to her (found in the schema at run time: repo/linked-tables.repo.ts), their context.
    const data = collectAccessRequest(ctx.db, applicantId, office, ctx.now());
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
