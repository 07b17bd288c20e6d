import type { AuditChainDecision, FileResult, KeyFilePreview, RegionOfficeStatus, ReviewItem, ReviewSide, TrustedOffice } from '../../shared/api/exchange.contract';
import type { MethodParsed } from '../../shared/api/contract';
import { comparePeople } from '../../shared/matching';
import { AppError } from '../../shared/errors';
import { actorName, type ReadContext, type WriteContext } from '../context';
import type { Office } from '../db/schema';
import { keyFingerprint } from '../crypto/keys';
import { getVerifyUrl } from '../attestations/verify-page/verify-page';
import { acceptGap, importFiles, verifyFile, type IncomingFile, type VerifiedFile } from './import';
import { acceptNewChain, chainBreak, isManifestAudit, type ChainBreak } from '../security/audit-chain-anchors';
import { connectionOf } from '../db/handles';
import { ensureOwnEncryptionKey, keyFileFingerprints, makeKeyFile, ownEncryptionKey, parseKeyFile, requireConfirmed } from './keys';
import { makeReceipt, officeCounts } from './receipts';
import { addCadence, cadence, exchangeJob, lateness, readFileRef, refusedCount, requireProvince, requireRegion, signingKey, type ExchangeJob } from './exchange.service';
import { regionKeyInfo } from './province.service';
import { regionKeys } from './keys';
import { getOfficeState, listHeldFiles, listImports } from './repo/imports.repo';
import { insertTrustedProvince, listOffices, listProvinceOffices, officeById, officeBySlug, officeSlugs, provinceOfficeBySlug, trustOffice } from './repo/offices.repo';
import { getReview, listReviews, resolveReview as saveResolution, reviewSide, type ReviewRow, type ReviewSideRow } from './repo/reviews.repo';

/** The region's side of the exchange (and what both sides share: the keys shown and listed). */

function trustedOffice(o: Office): TrustedOffice {
  return { id: o.id, slug: o.slug, code: o.code, kind: o.kind, trusted: o.trusted === 1, fingerprint: o.public_key ? keyFingerprint(o.public_key) : null };
}

/** This office's key file (the region's X25519 key made on first use). */
export function showKeys(_input: MethodParsed<'exchange.keysShow'>, ctx: WriteContext) {
  const office = ctx.requireOffice();
  const enc = office.kind === 'region' ? ensureOwnEncryptionKey(ctx.db, ctx.now()) : ownEncryptionKey(ctx.db);
  if (enc && 'created' in enc && enc.created) {
    ctx.audit({ entity: 'exchange_own_keys', entityId: '1', changes: { x25519_fingerprint: [null, enc.fingerprint] } });
  }
  const file = makeKeyFile(office, enc);
  return {
    office: { id: office.id, slug: office.slug, code: office.code, kind: office.kind },
    ed25519: file.ed25519,
    x25519: file.x25519,
    keyFile: JSON.stringify(file, null, 1),
  };
}

/** The region trusts a province from its key file (its office row made on first sight). */
export function trustProvince({ keyFile, confirmedFingerprints }: MethodParsed<'exchange.keysTrust'>, ctx: WriteContext): TrustedOffice & { created: boolean; keyChanged: boolean } {
  requireRegion(ctx);
  const k = parseKeyFile(keyFile);
  if (k.officeKind !== 'province') throw new AppError('exchange.key_not_province');
  requireConfirmed(k, confirmedFingerprints);
  const bySlug = officeBySlug(ctx.db, k.slug);
  if (bySlug && bySlug.id !== k.officeId) throw new AppError('exchange.office_id_mismatch', { office: k.slug });
  const now = ctx.now();
  let created = false;
  let keyChanged = false;
  if (!bySlug) {
    created = true;
    insertTrustedProvince(ctx.db, { id: k.officeId, slug: k.slug, code: k.code, provinceCode: k.provinceCode, nameAr: k.nameAr, nameFr: k.nameFr, publicKey: k.ed25519.publicKey, now });
    ctx.audit({ entity: 'offices', entityId: k.officeId, changes: { slug: [null, k.slug], trusted: [null, 1], fingerprint: [null, k.ed25519.fingerprint] } });
  } else {
    keyChanged = bySlug.public_key !== k.ed25519.publicKey;
    trustOffice(ctx.db, bySlug.id, k.ed25519.publicKey, now);
    ctx.audit({
      entity: 'offices',
      entityId: bySlug.id,
      changes: {
        ...(bySlug.trusted !== 1 ? { trusted: [bySlug.trusted, 1] } : {}),
        ...(keyChanged ? { fingerprint: [bySlug.public_key ? keyFingerprint(bySlug.public_key) : null, k.ed25519.fingerprint] } : {}),
      },
    });
  }
  return { ...trustedOffice(officeById(ctx.db, k.officeId)!), created, keyChanged };
}

/**
 * The key-exchange wizard's first step: what a key file holds, nothing trusted. At the region a province's key
 * (new, the one trusted, or a change of key); at a province the region's keys (new, the active ones, or a change).
 */
export function previewKeyFile({ keyFile }: MethodParsed<'exchange.keyPreview'>, ctx: ReadContext): KeyFilePreview {
  const here = ctx.requireOffice();
  const k = parseKeyFile(keyFile);
  let status: KeyFilePreview['status'];
  if (here.kind === 'region') {
    if (k.officeKind !== 'province') throw new AppError('exchange.key_not_province');
    const known = officeBySlug(ctx.db, k.slug);
    if (known && known.id !== k.officeId) throw new AppError('exchange.office_id_mismatch', { office: k.slug });
    status = !known?.public_key || known.trusted !== 1 ? 'new' : known.public_key === k.ed25519.publicKey ? 'same' : 'changed';
  } else {
    if (k.officeKind !== 'region' || !k.x25519) throw new AppError('exchange.key_not_region');
    const active = regionKeys(ctx.db).find((r) => r.active);
    status = !active ? 'new' : active.x25519Public === k.x25519.publicKey && active.ed25519Public === k.ed25519.publicKey ? 'same' : 'changed';
  }
  return { officeKind: k.officeKind, slug: k.slug, nameAr: k.nameAr, nameFr: k.nameFr, fingerprints: keyFileFingerprints(k), status };
}

export function listKeys(_input: MethodParsed<'exchange.keysList'>, ctx: ReadContext) {
  ctx.requireOffice();
  return { trustedOffices: listOffices(ctx.db).map(trustedOffice), regionKeys: regionKeys(ctx.db).map(regionKeyInfo) };
}

export function importOptions(ctx: WriteContext, dryRun: boolean, job: ExchangeJob) {
  const pause = process.env.JISR_EXCHANGE_TEST_PAUSE_AFTER_ROWS;
  return { ...job.control, dryRun, now: ctx.now(), actorName: actorName(ctx.actor), pauseAfterRows: pause ? Number(pause) : undefined };
}

/** Rows a file result went through (for the last progress step). */
const resultRows = (results: FileResult[]) =>
  results.reduce((a, r) => a + Object.values(r.tables ?? {}).reduce((b, t) => b + t.new + t.updated + t.unchanged + t.conflicts + t.deleted, 0), 0);

/** Imports provinces' files at the region (or tries them: a dry run), then makes a receipt for each office applied. */
export async function importExchangeFiles({ files, dryRun }: MethodParsed<'exchange.import'>, ctx: WriteContext) {
  const region = requireRegion(ctx);
  const job = exchangeJob(ctx);
  const incoming: IncomingFile[] = [];
  const results: FileResult[] = [];
  for (const [i, ref] of files.entries()) {
    job.step({ phase: 'read', table: 'path' in ref ? (ref.path.split(/[\\/]/).pop() ?? '') : (ctx.services.outbox.get(ref.uploadId)?.name ?? ''), done: i, total: files.length });
    if (job.control.signal?.aborted) throw new AppError('exchange.cancelled');
    try {
      incoming.push(readFileRef(ctx, ref));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      const name = 'path' in ref ? ref.path : ref.uploadId;
      results.push({ file: name, office: null, fileSeq: null, status: 'refused', error: { code: e.code, params: e.params } });
    }
  }
  results.push(...(await importFiles(ctx.db, incoming, importOptions(ctx, dryRun, job))));
  const rows = resultRows(results);
  job.step({ phase: 'import', done: rows, total: rows });
  // Cancelled up to here: every file's rows are rolled back with the transaction, no receipt is made.
  await job.beforeCommit();
  job.step({ phase: 'finish', done: rows, total: rows });
  const receipts: { office: string; fileId: string; name: string }[] = [];
  if (!dryRun) {
    const key = signingKey(ctx.db);
    const offices = new Set(results.filter((r) => r.status === 'applied' && r.office).map((r) => r.office!));
    for (const slug of offices) {
      const o = officeBySlug(ctx.db, slug)!;
      const rc = makeReceipt(ctx.db, region, key, o, ctx.now(), getVerifyUrl(ctx.db));
      const f = ctx.services.outbox.put(rc.name, 'application/json', Buffer.from(rc.text, 'utf8'));
      receipts.push({ office: slug, fileId: f.id, name: rc.name });
    }
    auditImportResults(ctx, results);
  }
  return { dryRun, results, receipts, refused: refusedCount(results) };
}

/** One audit row per file gone through: its office and number, what became of it, the rows it changed per table. */
export function auditImportResults(ctx: WriteContext, results: FileResult[]): void {
  for (const r of results) {
    ctx.audit({
      entity: 'exchange_imports',
      entityId: r.importId ? String(r.importId) : r.file,
      changes: {
        file: [null, r.file],
        office: [null, r.office],
        file_seq: [null, r.fileSeq],
        status: [null, r.status],
        ...(r.error ? { error: [null, r.error.code] } : {}),
        ...(r.tables ? { rows: [null, Object.fromEntries(Object.entries(r.tables).map(([t, s]) => [t, s.new + s.updated + s.deleted]))] } : {}),
      },
    });
  }
}

export async function acceptOfficeGap({ office: slug }: MethodParsed<'exchange.acceptGap'>, ctx: WriteContext) {
  requireRegion(ctx);
  const o = provinceOfficeBySlug(ctx.db, slug);
  if (!o) throw new AppError('exchange.unknown_office', { office: slug });
  const job = exchangeJob(ctx);
  const r = await acceptGap(ctx.db, o.id, importOptions(ctx, false, job));
  await job.beforeCommit();
  ctx.audit({ entity: 'exchange_office_state', entityId: o.id, changes: { gap_accepted: [null, `${r.skipped.from}..${r.skipped.to}`] } });
  return r;
}

/** Shortest reason the coordinator must type to accept an office's new audit chain. */
export const MIN_REASON = 10;

/**
 * The coordinator accepts an office's new audit chain (issue 16): a legitimate restore of an older backup at the
 * office shortens its trail, and the region then refuses its files (exchange.audit_not_extended). Given the refused
 * file (signed by the office) and a typed reason, the heads kept for the office are replaced by that file's head; the
 * next files must extend it. What the region held before, and the reason, stay in the region's audit trail.
 */
function auditChainBreakOf(ctx: ReadContext, file: MethodParsed<'exchange.auditChainBreak'>['refusedFile']) {
  requireRegion(ctx);
  const f = readFileRef(ctx, file);
  const v = verifyFile(ctx.db, f.data, f.name);
  const audit = v.manifest.audit;
  if (!isManifestAudit(audit)) throw new AppError('exchange.audit_chain_absent', { office: v.office.slug });
  const found = chainBreakOf(ctx, v);
  if (!found) throw new AppError('exchange.audit_chain_extends', { office: v.office.slug });
  return found;
}

/** Why a verified file's audit chain does not extend the last head the region kept for its office; null when it does (or carries none). */
export function chainBreakOf(ctx: ReadContext, v: VerifiedFile): { v: VerifiedFile; br: ChainBreak; decision: AuditChainDecision } | null {
  const audit = v.manifest.audit;
  if (!isManifestAudit(audit)) return null;
  const br = chainBreak(ctx.db, v.office.id, audit);
  if (!br) return null;
  const decision: AuditChainDecision = {
    office: v.office.slug,
    fileSeq: v.manifest.fileSeq,
    fileCreatedAt: v.manifest.createdAt,
    seen: { rows: br.seen.rows, at: br.seen.at, fileSeq: br.seen.fileSeq },
    offered: { rows: br.offered.rows },
    atSeen: br.atSeen,
    accepted: false,
  };
  return { v, br, decision };
}

/** What the region holds of an office's chain against the refused file's (nothing changes). */
export function auditChainBreak({ refusedFile }: MethodParsed<'exchange.auditChainBreak'>, ctx: ReadContext): AuditChainDecision {
  return auditChainBreakOf(ctx, refusedFile).decision;
}

export function acceptAuditChain({ refusedFile, reason }: MethodParsed<'exchange.acceptAuditChain'>, ctx: WriteContext): AuditChainDecision {
  const why = reason.trim();
  if (why.length < MIN_REASON) throw new AppError('exchange.audit_reason_required', { min: MIN_REASON });
  const { v, br, decision: out } = auditChainBreakOf(ctx, refusedFile);
  // The anchors take the connection (core/security, not yet on the handles), as the import does.
  acceptNewChain(connectionOf(ctx.db), v.office.id, br.offered, v.manifest.fileSeq, ctx.now());
  ctx.audit({
    entity: 'exchange_office_state',
    entityId: v.office.id,
    changes: {
      audit_rows_kept: [br.seen.rows, br.offered.rows],
      audit_chain_break: [null, br.atSeen],
      audit_seen_file: [br.seen.fileSeq, v.manifest.fileSeq],
      reason: [null, why],
    },
  });
  return { ...out, accepted: true };
}

/** Each province as the region sees it: its position, whether it is late, its held files, the rows held of it. */
export function regionOffices(_input: MethodParsed<'exchange.offices'>, ctx: ReadContext): RegionOfficeStatus[] {
  requireRegion(ctx);
  const c = cadence(ctx.db);
  const now = ctx.now();
  return listProvinceOffices(ctx.db).map((o) => {
    const st = getOfficeState(ctx.db, o.id);
    const held = listHeldFiles(ctx.db, o.id).map((h) => ({ fileSeq: h.file_seq, fileName: h.file_name, receivedAt: h.received_at }));
    const nextDueAt = addCadence(st?.last_file_created_at ?? o.created_at, c);
    return {
      officeId: o.id,
      slug: o.slug,
      code: o.code,
      trusted: o.trusted === 1,
      fingerprint: o.public_key ? keyFingerprint(o.public_key) : null,
      lastFileSeq: st?.last_file_seq ?? 0,
      lastChangeSeq: st?.last_change_seq ?? 0,
      lastFileCreatedAt: st?.last_file_created_at ?? null,
      lastImportedAt: st?.last_imported_at ?? null,
      nextDueAt,
      late: lateness(nextDueAt, now).late,
      held,
      counts: officeCounts(ctx.db, o.id),
    };
  });
}

export function importHistory({ office, limit }: MethodParsed<'exchange.imports'>, ctx: ReadContext) {
  requireRegion(ctx);
  return listImports(ctx.db, office ?? null, limit).map((r) => ({
    id: r.id,
    office: r.slug,
    fileSeq: r.file_seq,
    prevFileSeq: r.prev_file_seq,
    kind: r.kind,
    changeSeq: { from: r.from_change_seq, to: r.to_change_seq },
    fileName: r.file_name,
    summary: JSON.parse(r.summary) as unknown,
    fileCreatedAt: r.file_created_at,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
    supersededAt: r.superseded_at,
  }));
}

/** One side of a review: what a coordinator needs to decide, side by side (names in both scripts, birth date, CIN, phone, commune, province, file number). */
function side(ctx: ReadContext, entity: string, id: string | null, officeId: string | null, slugs: Map<string, string>, raw?: { row?: ReviewSideRow }): ReviewSide | null {
  if (!id) return null;
  const office = officeId ? (slugs.get(officeId) ?? officeId) : '';
  if (entity !== 'applicants') return { id, office, fileNo: null, name: null, birthDate: null, cin: null };
  const a = reviewSide(ctx.db, id);
  if (!a) return { id, office, fileNo: null, name: null, birthDate: null, cin: null };
  if (raw) raw.row = a;
  const nameAr = [a.first_name_ar, a.last_name_ar].join(' ').trim();
  const nameLat = [a.first_name_lat, a.last_name_lat].join(' ').trim();
  return {
    id, office, fileNo: a.file_no, name: nameAr || nameLat, birthDate: a.birth_date, cin: a.cin,
    nameAr, nameLat, sex: a.sex, phone: a.phone, communeNameAr: a.commune_ar, communeNameFr: a.commune_fr, provinceCode: a.province_code,
  };
}

const personOf = (r: ReviewSideRow) => ({
  firstNameAr: r.first_name_ar, lastNameAr: r.last_name_ar, firstNameLat: r.first_name_lat, lastNameLat: r.last_name_lat, sex: r.sex, birthDate: r.birth_date, cin: r.cin,
});

function reviewItem(ctx: ReadContext, r: ReviewRow, slugs: Map<string, string>): ReviewItem {
  const ra: { row?: ReviewSideRow } = {};
  const rb: { row?: ReviewSideRow } = {};
  const a = side(ctx, r.entity, r.entity_id, r.office_id, slugs, ra)!;
  const b = r.kind === 'conflict' ? { id: r.other_id ?? '', office: r.other_office_id ? (slugs.get(r.other_office_id) ?? '') : '', fileNo: null, name: null, birthDate: null, cin: null } : side(ctx, r.entity, r.other_id, r.other_office_id, slugs, rb);
  // The matching engine's view of the pair (the same as the registration form's), with its reasons in words.
  const m = r.kind !== 'conflict' && ra.row && rb.row ? comparePeople(personOf(ra.row), personOf(rb.row)) : null;
  return {
    id: r.id,
    kind: r.kind,
    entity: r.entity,
    status: r.status,
    a,
    b,
    match: m ? { score: m.score, level: m.level, reasons: m.reasons } : null,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    note: r.note,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
  };
}

export function reviews({ status, kind, limit, offset }: MethodParsed<'exchange.reviews'>, ctx: ReadContext) {
  requireRegion(ctx);
  const { total, rows } = listReviews(ctx.db, { status: status ?? undefined, kind: kind ?? undefined, limit, offset });
  const slugs = officeSlugs(ctx.db);
  return { total, items: rows.map((r) => reviewItem(ctx, r, slugs)) };
}

export function resolveReview({ id, decision, note }: MethodParsed<'exchange.resolveReview'>, ctx: WriteContext): ReviewItem {
  requireRegion(ctx);
  const r = getReview(ctx.db, id);
  if (!r) throw new AppError('exchange.review_not_found', { id });
  const now = ctx.now();
  saveResolution(ctx.db, { id, status: decision, note, now, by: actorName(ctx.actor) });
  ctx.audit({ entity: 'exchange_reviews', entityId: id, changes: { status: [r.status, decision], ...(note !== r.note ? { note: [r.note, note] } : {}) } });
  return reviewItem(ctx, { ...r, status: decision, note, resolved_at: now, resolved_by: actorName(ctx.actor) }, officeSlugs(ctx.db));
}

/** A receipt for one province, made on demand. */
export function receipt({ office: slug }: MethodParsed<'exchange.receipt'>, ctx: ReadContext) {
  const region = requireRegion(ctx);
  const o = provinceOfficeBySlug(ctx.db, slug);
  if (!o) throw new AppError('exchange.unknown_office', { office: slug });
  const rc = makeReceipt(ctx.db, region, signingKey(ctx.db), o, ctx.now(), getVerifyUrl(ctx.db));
  const f = ctx.services.outbox.put(rc.name, 'application/json', Buffer.from(rc.text, 'utf8'));
  return { fileId: f.id, name: rc.name, lastFileSeq: rc.body.lastFileSeq, counts: rc.body.counts };
}

export { requireProvince };
