import { AppError } from '../../shared/errors';
import type { BatchStatus, IssuePlan } from '../../shared/api/attestations.contract';
import type { Handlers, HandlersOf } from '../handler-types';
import type { attestationsContract } from '../../shared/api/attestations.contract';
import { actorName, type HandlerContext, type ReadContext } from '../context';
import type { Office } from '../db/schema';
import { stmt } from '../db/statements';
import { findById, findBySerial, insertAttestation, listAttestations, markPrinted, markReplaced, markRevoked, signingKey, toEntry } from './attestations.repo';
import { currentOf, listKinds, localDate, makeIssued, prepare, refuseSameOriginal, requireEligible, sha256Hex, verifyCode } from './attestations.service';
import { jobsOf, publicStatus, startJob, type BatchJob } from './attestations.jobs';
import { renderPages, type AttestationContent, type PageInput, type PrintMode } from './pdf-render';
import { kindLetter, nextSerial, normaliseSerialInput, peekSerial } from './serials';
import { loadLayout } from './templates';
import { buildVerifyPage, getVerifyUrl, normaliseVerifyUrl, setVerifyUrl } from './verify-page/verify-page';

function requireKey(ctx: ReadContext): string {
  const k = signingKey(ctx.sqlite);
  if (!k) throw new AppError('setup.required');
  return k;
}

function actorId(ctx: HandlerContext): string | null {
  return ctx.actor.kind === 'user' ? ctx.actor.userId : null;
}

function findRef(ctx: ReadContext, ref: { id?: string; serial?: string }) {
  const row = ref.id ? findById(ctx.sqlite, ref.id) : ref.serial ? findBySerial(ctx.sqlite, normaliseSerialInput(ref.serial)) : undefined;
  if (!row) throw new AppError('attestations.not_found', { ref: ref.id ?? ref.serial ?? '' });
  const office = ctx.requireOffice();
  if (row.office_id !== office.id && office.kind !== 'region') throw new AppError('attestations.not_found', { ref: ref.id ?? ref.serial ?? '' });
  return row;
}

async function renderOne(ctx: ReadContext, page: PageInput, fileName: string) {
  const pdf = await renderPages([page], loadLayout(), { title: page.content.serial });
  const f = ctx.services.outbox.put(fileName, 'application/pdf', pdf!);
  return { fileId: f.id, fileName: f.name, size: f.size };
}

/** Registers one attestation (inside the caller's transaction) and returns its page. */
function register(
  ctx: HandlerContext,
  office: Office,
  key: string,
  applicantId: string,
  kindCode: string,
  issueDate: string,
  opts: { printed: boolean; batchId: string | null },
) {
  const p = prepare(ctx.sqlite, ctx.services.dbPath, office, applicantId, kindCode, issueDate);
  requireEligible(p);
  // One truth per attestation: the same content again is refused (print a duplicata); changed hours or data
  // make a new original that replaces her current one.
  const current = currentOf(ctx.sqlite, p, issueDate);
  refuseSameOriginal(current);
  const year = Number(issueDate.slice(0, 4));
  const { serial, seq } = nextSerial(ctx.sqlite, office, year, p.kind.code);
  const issued = makeIssued(p, serial, issueDate, key);
  const id = ctx.newId();
  const now = ctx.now();
  const changeSeq = ctx.change('attestations', id, 'insert', office.id);
  const row = {
    id,
    office_id: office.id,
    serial,
    year,
    seq,
    kind: p.kind.code,
    kind_version: p.kind.version,
    applicant_id: p.applicant.id,
    issue_date: issueDate,
    issued_at: now,
    issued_by: actorId(ctx),
    issued_by_name: actorName(ctx.actor),
    content_json: issued.contentJson,
    content_hash: issued.contentHash,
    qr_text: issued.qrText,
    hours: p.facts.hours,
    status: 'valid' as const,
    revoked_at: null,
    revoked_by: null,
    revoke_reason: null,
    print_count: opts.printed ? 1 : 0,
    last_printed_at: opts.printed ? now : null,
    batch_id: opts.batchId,
    replaced_by: null,
    replaced_at: null,
    replaces: current?.row.serial ?? null,
    created_at: now,
    updated_at: now,
    change_seq: changeSeq,
  };
  insertAttestation(ctx.sqlite, row);
  ctx.audit({
    entity: 'attestations',
    entityId: id,
    changes: {
      serial: [null, serial],
      kind: [null, row.kind],
      applicant_id: [null, row.applicant_id],
      content_hash: [null, row.content_hash],
      ...(opts.batchId ? { batch_id: [null, opts.batchId] } : { print_count: [null, 1] }),
      ...(current ? { replaces: [null, current.row.serial] } : {}),
    },
  });
  if (current) {
    markReplaced(ctx.sqlite, current.row.id, serial, now, ctx.change('attestations', current.row.id, 'update', current.row.office_id));
    ctx.audit({ entity: 'attestations', entityId: current.row.id, changes: { replaced_by: [null, serial] } });
  }
  const page = { content: issued.content, qrText: issued.qrText, mode: 'original' as PrintMode, qrUrl: getVerifyUrl(ctx.sqlite) };
  return { id, page, applicant: p.applicant, replaced: current?.row.serial ?? null };
}

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type AttestationsHandlers = HandlersOf<typeof attestationsContract>;

export const attestationsHandlers = {
  'attestations.kinds': async (_input, ctx) => listKinds(ctx.services.dbPath),

  'attestations.check': async ({ applicantId, kind }, ctx) => {
    const office = ctx.requireOffice();
    return prepare(ctx.sqlite, ctx.services.dbPath, office, applicantId, kind, localDate(ctx.clock())).eligibility;
  },

  'attestations.preview': async ({ applicantId, kind, issueDate }, ctx) => {
    const office = ctx.requireOffice();
    const date = issueDate ?? localDate(ctx.clock());
    const p = prepare(ctx.sqlite, ctx.services.dbPath, office, applicantId, kind, date);
    requireEligible(p);
    // A preview has no number (none is taken) and no QR code; it is marked as a draft on the page.
    const draftSerial = `${office.code}-${date.slice(0, 4)}-${kindLetter(p.kind.code)}-······`;
    const content = makeIssued(p, draftSerial, date, requireKey(ctx)).content;
    const file = await renderOne(ctx, { content, qrText: null, mode: 'preview' }, `preview-${kind}-${p.applicant.file_no}.pdf`);
    const current = currentOf(ctx.sqlite, p, date);
    const part = p.eligibility.participation;
    const plan: IssuePlan = {
      kind: p.kind.code,
      fullNameAr: [p.applicant.first_name_ar, p.applicant.last_name_ar].filter((x) => x.trim()).join(' '),
      fullNameLat: [p.applicant.first_name_lat, p.applicant.last_name_lat].filter((x) => x.trim()).join(' '),
      fileNo: p.applicant.file_no,
      issueDate: date,
      hours: p.facts.hours,
      periodFrom: part?.firstSessionDate ?? null,
      periodTo: part?.lastSessionDate ?? null,
      nextSerial: peekSerial(ctx.sqlite, office, Number(date.slice(0, 4)), p.kind.code),
      current: current ? { serial: current.row.serial, issueDate: current.row.issue_date, unchanged: current.unchanged } : null,
    };
    return { ...file, eligibility: p.eligibility, plan };
  },

  'attestations.issue': async ({ applicantId, kind, issueDate }, ctx) => {
    const office = ctx.requireOffice();
    const key = requireKey(ctx);
    const r = register(ctx, office, key, applicantId, kind, issueDate ?? localDate(ctx.clock()), { printed: true, batchId: null });
    const file = await renderOne(ctx, r.page, `${r.page.content.serial}.pdf`);
    return { ...file, entry: toEntry(findById(ctx.sqlite, r.id)!) };
  },

  'attestations.reprint': async (ref, ctx) => {
    const row = findRef(ctx, ref);
    if (row.status === 'revoked') throw new AppError('attestations.reprint_revoked', { serial: row.serial, revokedAt: row.revoked_at, reason: row.revoke_reason });
    if (row.replaced_by) throw new AppError('attestations.reprint_replaced', { serial: row.serial, replacedBy: row.replaced_by });
    if (sha256Hex(row.content_json) !== row.content_hash) throw new AppError('attestations.register_corrupt', { serial: row.serial });
    const content = JSON.parse(row.content_json) as AttestationContent;
    // A first print of an attestation registered by an unfinished batch is an original, any later one a duplicata.
    const duplicata = row.print_count > 0;
    const file = await renderOne(
      ctx,
      { content, qrText: row.qr_text, mode: duplicata ? 'duplicata' : 'original', qrUrl: getVerifyUrl(ctx.sqlite) },
      `${row.serial}${duplicata ? '-duplicata' : ''}.pdf`,
    );
    const now = ctx.now();
    markPrinted(ctx.sqlite, row.id, now, ctx.change('attestations', row.id, 'update', row.office_id));
    ctx.audit({ entity: 'attestations', entityId: row.id, changes: { print_count: [row.print_count, row.print_count + 1] } });
    return { ...file, duplicata, entry: toEntry(findById(ctx.sqlite, row.id)!) };
  },

  'attestations.revoke': async ({ id, serial, reason }, ctx) => {
    if (!id && !serial) throw new AppError('validation.failed', { issues: [{ path: 'id', code: 'custom', message: 'id or serial' }] });
    const row = findRef(ctx, { id, serial });
    if (row.status === 'revoked') throw new AppError('attestations.already_revoked', { serial: row.serial, at: row.revoked_at });
    const now = ctx.now();
    const by = actorName(ctx.actor);
    markRevoked(ctx.sqlite, row.id, now, by, reason, ctx.change('attestations', row.id, 'update', row.office_id));
    ctx.audit({ entity: 'attestations', entityId: row.id, changes: { status: ['valid', 'revoked'], revoke_reason: [null, reason] } });
    return toEntry(findById(ctx.sqlite, row.id)!);
  },

  'attestations.list': async (input, ctx) => {
    ctx.requireOffice();
    const r = listAttestations(ctx.sqlite, input);
    return { rows: r.rows.map(toEntry), total: r.total };
  },

  'attestations.get': async (ref, ctx) => {
    const row = findRef(ctx, ref);
    return { ...toEntry(row), content: JSON.parse(row.content_json) as unknown, qrText: row.qr_text };
  },

  'attestations.verify': async ({ code, cin }, ctx) => verifyCode(ctx.sqlite, code, cin),

  'attestations.batchStart': async ({ cohortId, kind, mode, issueDate }, ctx) => {
    const office = ctx.requireOffice();
    const key = requireKey(ctx);
    const cohort = stmt<[string], { id: string; office_id: string; name: string }>(ctx.sqlite, 'SELECT id, office_id, name FROM cohorts WHERE id = ?').get(cohortId);
    if (!cohort || (cohort.office_id !== office.id && office.kind !== 'region')) throw new AppError('attestations.cohort_not_found', { cohortId });
    const members = stmt<[string], { applicant_id: string; name: string }>(
      ctx.sqlite,
      `SELECT m.applicant_id, trim(a.first_name_lat || ' ' || a.last_name_lat) AS name
         FROM cohort_members m JOIN applicants a ON a.id = m.applicant_id
        WHERE m.cohort_id = ? AND m.withdrawn_at IS NULL
        ORDER BY a.last_name_lat, a.first_name_lat, a.id`,
    ).all(cohortId);
    const date = issueDate ?? localDate(ctx.clock());
    const jobId = ctx.newId();
    const pages: BatchJob['pages'] = [];
    const status: BatchStatus = { jobId, state: 'running', mode, done: 0, total: 0, files: [], serials: [], skipped: [], replaced: [], error: null };
    for (const m of members) {
      const p = prepare(ctx.sqlite, ctx.services.dbPath, office, m.applicant_id, kind, date);
      if (!p.eligibility.eligible) {
        status.skipped.push({ applicantId: m.applicant_id, fullName: m.name, problems: p.eligibility.problems });
        continue;
      }
      const cur = currentOf(ctx.sqlite, p, date);
      if (cur?.unchanged) {
        status.skipped.push({
          applicantId: m.applicant_id,
          fullName: m.name,
          problems: [{ code: 'attestations.already_issued', params: { serial: cur.row.serial, issueDate: cur.row.issue_date, kind } }],
        });
        continue;
      }
      const r = register(ctx, office, key, m.applicant_id, kind, date, { printed: false, batchId: jobId });
      pages.push({ id: r.id, ...r.page });
      status.serials.push(r.page.content.serial);
      if (r.replaced) status.replaced.push({ old: r.replaced, new: r.page.content.serial });
    }
    status.total = pages.length;
    ctx.audit({ entity: 'cohorts', entityId: cohortId, changes: { attestation_batch: [null, { jobId, kind, issued: pages.length, skipped: status.skipped.length, replaced: status.replaced.length }] } });
    if (!pages.length) {
      status.state = 'done';
      return status;
    }
    const job = startJob(
      {
        status,
        cancelRequested: false,
        pages,
        fileBase: `${kind}-${cohort.name}`.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 80),
        actor: { kind: ctx.actor.kind, id: actorId(ctx), name: actorName(ctx.actor) },
        officeId: office.id,
      },
      { sqlite: ctx.sqlite, outbox: ctx.services.outbox, layout: loadLayout(), now: () => ctx.clock().toISOString(), logger: ctx.logger },
    );
    return publicStatus(job);
  },

  'attestations.verifySettings': async (_input, ctx) => ({ url: getVerifyUrl(ctx.sqlite), isRegion: ctx.requireOffice().kind === 'region' }),

  'attestations.setVerifyUrl': async ({ url }, ctx) => {
    if (ctx.requireOffice().kind !== 'region') throw new AppError('attestations.verify_url_region_only');
    const next = url ? normaliseVerifyUrl(url) : null;
    const old = getVerifyUrl(ctx.sqlite);
    setVerifyUrl(ctx.sqlite, next);
    if (old !== next) ctx.audit({ entity: 'settings', entityId: 'attestations.verify_url', changes: { verify_url: [old, next] } });
    return { url: next };
  },

  'attestations.verifyPage': async (_input, ctx) => {
    const now = ctx.now();
    const { html, data } = await buildVerifyPage(ctx.sqlite, ctx.services.dbPath, now);
    // Saved, never rendered inside the app's own origin.
    const f = ctx.services.outbox.put('index.html', 'application/octet-stream', Buffer.from(html, 'utf8'));
    return { fileId: f.id, fileName: f.name, size: f.size, offices: data.offices.length, revoked: data.list.revoked.length, replaced: data.list.replaced.length, issuedAt: now };
  },

  'attestations.batchStatus': async ({ jobId }, ctx) => {
    const job = jobsOf(ctx.services.outbox).get(jobId);
    if (!job) throw new AppError('attestations.job_not_found', { jobId });
    return publicStatus(job);
  },

  'attestations.batchCancel': async ({ jobId }, ctx) => {
    const job = jobsOf(ctx.services.outbox).get(jobId);
    if (!job) throw new AppError('attestations.job_not_found', { jobId });
    if (job.status.state === 'running') job.cancelRequested = true;
    return publicStatus(job);
  },
} satisfies Partial<Handlers>;

/** Waits for a batch to stop (tests, CLI). */
export async function waitForBatch(outbox: import('../files/outbox').Outbox, jobId: string): Promise<void> {
  await jobsOf(outbox).get(jobId)?.finished;
}
