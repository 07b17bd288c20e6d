import type { ExportHistoryRow, ExportResult, RegionKeyInfo } from '../../shared/api/exchange.contract';
import type { MethodParsed } from '../../shared/api/contract';
import { AppError } from '../../shared/errors';
import { actorName, type ReadContext, type WriteContext } from '../context';
import { connectionOf } from '../db/handles';
import type { Office } from '../db/schema';
import { keyFingerprint } from '../crypto/keys';
import { changesAfter, lastChangeSeq } from '../changes/changes.repo';
import { hashAtRow, manifestAudit, recordAnchor } from '../security/audit-chain-anchors';
import { getVerifyUrl, normaliseVerifyUrl, setVerifyUrl } from '../attestations/verify-page/verify-page';
import { buildExportContent } from './export';
import { exchangeFileName, parseInner, sealFile, sha256 } from './file-format';
import { activeRegionKey, parseKeyFile, regionKeys, requireConfirmed, type RegionKey } from './keys';
import { officeCounts, verifyReceipt } from './receipts';
import { addCadence, cadence, exchangeJob, lateness, purgeSentContents, readFileRef, requireProvince, signingKey } from './exchange.service';
import { getExport, insertExport, lastExport, latestReceipt, listExports, maxExportFileSeq, saveReceipt, type ExportRow } from './repo/exports.repo';
import { loadRegionKey } from './repo/keys.repo';
import { setSettingValue } from './repo/settings.repo';

/** A province's side of the exchange: the region's key, the files it sends, their cadence, the region's receipts. */

// The audit chain (core/security) and the verification page's address (core/attestations) take the connection
// until their owners move them to the handles.
const conn = connectionOf;

const MIME = 'application/octet-stream';

export function regionKeyInfo(k: RegionKey): RegionKeyInfo {
  return {
    id: k.id,
    slug: k.slug,
    fingerprint: k.fingerprint,
    signingFingerprint: k.ed25519Public ? keyFingerprint(k.ed25519Public) : null,
    loadedAt: k.loadedAt,
    active: k.active,
  };
}

function historyRow(r: ExportRow): ExportHistoryRow {
  return {
    id: r.id,
    fileSeq: r.file_seq,
    prevFileSeq: r.prev_file_seq,
    type: r.kind,
    changeSeq: { from: r.from_change_seq, to: r.to_change_seq },
    counts: JSON.parse(r.counts) as Record<string, number>,
    fileName: r.file_name,
    sha256: r.sha256,
    size: r.size,
    recipientFingerprint: r.recipient_fingerprint,
    remadeOf: r.remade_of,
    createdAt: r.created_at,
    madeAt: r.made_at,
    madeBy: r.made_by,
    canRemake: r.kept === 1,
  };
}

/** Loads the region's key file at a province: files are encrypted to it from now on. */
export function loadRegionKeyFile({ keyFile, confirmedFingerprints }: MethodParsed<'exchange.keysRegion'>, ctx: WriteContext): RegionKeyInfo {
  requireProvince(ctx);
  const k = parseKeyFile(keyFile);
  if (k.officeKind !== 'region' || !k.x25519) throw new AppError('exchange.key_not_region');
  requireConfirmed(k, confirmedFingerprints);
  loadRegionKey(ctx.db, { slug: k.slug, code: k.code, x25519: k.x25519.publicKey, ed25519: k.ed25519.publicKey, fingerprint: k.x25519.fingerprint, now: ctx.now(), by: actorName(ctx.actor) });
  ctx.audit({ entity: 'exchange_region_keys', entityId: k.x25519.fingerprint, changes: { fingerprint: [null, k.x25519.fingerprint], signing_fingerprint: [null, k.ed25519.fingerprint] } });
  return regionKeyInfo(activeRegionKey(ctx.db));
}

/** Encrypts the signed content to the region's key, puts the file in the outbox and records it in the history. */
function writeExport(
  ctx: WriteContext,
  office: Office,
  inner: Buffer,
  meta: { fileSeq: number; prevFileSeq: number; type: 'delta' | 'full'; from: number; to: number; counts: Record<string, number>; createdAt: string; remadeOf: number | null },
): ExportResult {
  const key = activeRegionKey(ctx.db);
  const data = sealFile(inner, key.x25519Public, key.fingerprint, office.slug, meta.fileSeq);
  const fileName = exchangeFileName(office.slug, meta.fileSeq);
  const f = ctx.services.outbox.put(fileName, MIME, data);
  const hash = sha256(data);
  const id = insertExport(ctx.db, {
    file_seq: meta.fileSeq,
    prev_file_seq: meta.prevFileSeq,
    kind: meta.type,
    from_change_seq: meta.from,
    to_change_seq: meta.to,
    counts: JSON.stringify(meta.counts),
    file_name: fileName,
    sha256: hash,
    payload_sha256: sha256(parseInner(inner).manifestBytes),
    size: data.length,
    recipient_fingerprint: key.fingerprint,
    remade_of: meta.remadeOf,
    created_at: meta.createdAt,
    made_at: ctx.now(),
    made_by: actorName(ctx.actor),
    content: inner,
  });
  ctx.audit({
    entity: 'exchange_exports',
    entityId: String(id),
    changes: {
      file_seq: [null, meta.fileSeq],
      kind: [null, meta.type],
      change_range: [null, `${meta.from}..${meta.to}`],
      sha256: [null, hash],
      ...(meta.remadeOf ? { remade_of: [null, meta.remadeOf] } : {}),
    },
  });
  return {
    exportId: id,
    fileId: f.id,
    fileName,
    fileSeq: meta.fileSeq,
    prevFileSeq: meta.prevFileSeq,
    type: meta.type,
    changeSeq: { from: meta.from, to: meta.to },
    counts: meta.counts,
    sha256: hash,
    size: data.length,
    recipientFingerprint: key.fingerprint,
    createdAt: meta.createdAt,
    remadeOf: meta.remadeOf,
  };
}

/** The next file for the region: everything changed since the last file (a delta), or everything (a full snapshot). */
export async function exportFile({ full }: MethodParsed<'exchange.export'>, ctx: WriteContext): Promise<ExportResult> {
  const office = requireProvince(ctx);
  activeRegionKey(ctx.db); // before the work: a clear message when the region key is missing
  const last = lastExport(ctx.db);
  const fileSeq = (last?.file_seq ?? 0) + 1;
  const type = full || !last ? 'full' : 'delta';
  const from = type === 'full' ? 0 : last!.to_change_seq;
  const to = lastChangeSeq(ctx.db);
  const createdAt = ctx.now();
  const job = exchangeJob(ctx);
  job.step({ phase: 'export', done: 0, total: 0 });
  const { manifest, inner } = await buildExportContent(ctx.db, {
    ...job.control,
    office,
    signingKeyPem: signingKey(ctx.db),
    fileSeq,
    prevFileSeq: last?.file_seq ?? 0,
    type,
    from,
    to,
    createdAt,
    appVersion: ctx.services.appVersion,
    schemaVersion: ctx.services.schemaVersion,
    audit: manifestAudit(conn(ctx.db), office.id),
  });
  // The head this file anchors outside the office: the next file proves the chain still passes through it.
  if (manifest.audit) recordAnchor(conn(ctx.db), office.id, 'sent', manifest.audit, fileSeq, createdAt);
  const rows = Object.entries(manifest.counts).reduce((a, [k, n]) => a + (k.startsWith('changes.') ? 0 : n), 0);
  job.step({ phase: 'export', done: rows, total: rows });
  // Cancelled up to here: no file in the outbox, no row in the history (and the transaction rolls back).
  await job.beforeCommit();
  job.step({ phase: 'finish', done: rows, total: rows });
  return writeExport(ctx, office, inner, { fileSeq, prevFileSeq: manifest.prevFileSeq, type, from, to, counts: manifest.counts, createdAt, remadeOf: null });
}

/** A lost file made again from its kept content (the same content, encrypted again). */
export function remakeFile({ exportId }: MethodParsed<'exchange.remake'>, ctx: WriteContext): ExportResult {
  const office = requireProvince(ctx);
  const r = getExport(ctx.db, exportId);
  if (!r) throw new AppError('exchange.export_not_found', { exportId });
  if (r.content.length === 0) throw new AppError('exchange.content_purged', { fileSeq: r.file_seq });
  parseInner(r.content); // the stored content is still whole
  return writeExport(ctx, office, r.content, {
    fileSeq: r.file_seq,
    prevFileSeq: r.prev_file_seq,
    type: r.kind,
    from: r.from_change_seq,
    to: r.to_change_seq,
    counts: JSON.parse(r.counts) as Record<string, number>,
    createdAt: r.created_at,
    remadeOf: r.remade_of ?? r.id,
  });
}

export function exportHistory({ limit }: MethodParsed<'exchange.history'>, ctx: ReadContext): ExportHistoryRow[] {
  requireProvince(ctx);
  return listExports(ctx.db, limit).map(historyRow);
}

/** When the next file is due, what waits to be sent, the region's key and its last receipt. */
export function schedule(_input: MethodParsed<'exchange.schedule'>, ctx: ReadContext) {
  const office = ctx.requireOffice();
  const c = cadence(ctx.db);
  const last = lastExport(ctx.db);
  const nextDueAt = addCadence(last?.created_at ?? office.created_at, c);
  const rk = regionKeys(ctx.db).find((k) => k.active);
  const rec = latestReceipt(ctx.db);
  return {
    cadence: c,
    lastFileAt: last?.created_at ?? null,
    lastFileSeq: last?.file_seq ?? 0,
    nextDueAt,
    ...lateness(nextDueAt, ctx.now()),
    pendingChanges: changesAfter(ctx.db, last?.to_change_seq ?? 0),
    regionKey: rk ? regionKeyInfo(rk) : null,
    lastReceipt: rec
      ? { lastFileSeq: rec.last_file_seq, lastChangeSeq: rec.last_change_seq, counts: JSON.parse(rec.counts) as Record<string, number>, issuedAt: rec.issued_at, loadedAt: rec.loaded_at }
      : null,
  };
}

export function setCadence({ cadence: next }: MethodParsed<'exchange.setCadence'>, ctx: WriteContext) {
  ctx.requireOffice();
  const before = cadence(ctx.db);
  setSettingValue(ctx.db, 'exchange.cadence', JSON.stringify(next));
  if (before !== next) ctx.audit({ entity: 'settings', entityId: 'exchange.cadence', changes: { cadence: [before, next] } });
  return { cadence: next };
}

/**
 * The region's receipt, loaded at the province: kept, the sent contents it covers emptied, the audit chain anchored
 * up to the head the region holds, the verification page's address taken; compared with the office's own counts.
 */
export function loadReceipt(input: MethodParsed<'exchange.loadReceipt'>, ctx: WriteContext) {
  const office = requireProvince(ctx);
  const text = 'text' in input ? input.text : readFileRef(ctx, input).data.toString('utf8');
  const body = verifyReceipt(ctx.db, office, text);
  const now = ctx.now();
  saveReceipt(ctx.db, {
    region_fingerprint: body.region.fingerprint,
    last_file_seq: body.lastFileSeq,
    last_change_seq: body.lastChangeSeq,
    counts: JSON.stringify(body.counts),
    issued_at: body.issuedAt,
    loaded_at: now,
  });
  // The region holds these files: their kept copy of personal data goes.
  const purged = purgeSentContents(ctx.db, body.lastFileSeq);
  // The head of this office's audit chain the region holds: the trail is anchored outside up to there.
  if (body.audit) recordAnchor(conn(ctx.db), office.id, 'acknowledged', body.audit, body.lastFileSeq, now);
  // The region's verification page address, printed from now on in this office's QR codes.
  const oldUrl = getVerifyUrl(ctx.db);
  if (body.verifyUrl && body.verifyUrl !== oldUrl) {
    setVerifyUrl(ctx.db, normaliseVerifyUrl(body.verifyUrl));
    ctx.audit({ entity: 'settings', entityId: 'attestations.verify_url', changes: { verify_url: [oldUrl, body.verifyUrl] } });
  }
  ctx.audit({ entity: 'exchange_receipts', entityId: body.issuedAt, changes: { last_file_seq: [null, body.lastFileSeq], ...(purged ? { sent_contents_emptied: [null, purged] } : {}) } });
  const ours = officeCounts(ctx.db, office.id);
  const sent = maxExportFileSeq(ctx.db);
  const upToDate = body.lastFileSeq === (sent ?? 0) && Object.entries(ours).every(([t, n]) => body.counts[t] === n);
  return {
    receipt: {
      lastFileSeq: body.lastFileSeq,
      lastChangeSeq: body.lastChangeSeq,
      counts: body.counts,
      issuedAt: body.issuedAt,
      loadedAt: now,
      ...(body.audit ? { audit: { rows: body.audit.rows, intact: hashAtRow(conn(ctx.db), body.audit.rows) === body.audit.hash } } : {}),
    },
    ours,
    lastFileSeqSent: sent ?? 0,
    upToDate,
  };
}
