import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import type { SessionAttachment } from '../../shared/api/sessions.contract';
import type { MethodParsed } from '../../shared/api/contract';
import { actorName, type ReadContext, type WriteContext } from '../context';
import { renderSheets } from './attendance-sheet';
import * as repo from './sessions.repo';
import { requireCohort, requireOwnRow, requireTrainingSession, scopeOf } from './sessions.service';

/**
 * Attendance sheets to print (one session or a week) and the signed sheets scanned back, attached to their
 * session. The scan reaches the core only through the app's upload flow (an outbox upload id: the web bridge's
 * /api/upload or the window's pickFiles/uploadFile), never as a path; it is kept in the database (so in the
 * backups) and never exchanged with the region.
 */

/** 20 MB: a scanned A4 page in colour at 300 dpi is 1–3 MB as JPEG or PDF. */
export const MAX_ATTACHMENT = 20 * 1024 * 1024;

/** The type of a scan from its first bytes (the name it was uploaded with is not trusted). */
export function sniffMime(b: Buffer): SessionAttachment['mime'] | null {
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  return null;
}

const EXT: Record<SessionAttachment['mime'], string> = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' };

/** A file name safe to show and to save under: no folders, no control characters. */
function cleanName(name: string, mime: SessionAttachment['mime']): string {
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f<>:"|?*]+/g, '_').trim().slice(0, 120);
  return base || `feuille-signee.${EXT[mime]}`;
}

export async function sheet(input: MethodParsed<'sessions.sheet'>, ctx: ReadContext) {
  const scope = scopeOf(ctx);
  let sessions;
  let title: string;
  if ('sessionId' in input) {
    requireTrainingSession(ctx, input.sessionId);
    const s = repo.sheetSession(ctx.db, input.sessionId)!;
    sessions = [s];
    title = `feuille-presence-${s.date}${s.cohort_name ? `-${s.cohort_name}` : ''}`;
  } else {
    if (input.to < input.from) throw new AppError('session.sheet_range', { from: input.from, to: input.to });
    const days = (Date.parse(`${input.to}T00:00:00Z`) - Date.parse(`${input.from}T00:00:00Z`)) / 86_400_000;
    if (days > 31) throw new AppError('session.sheet_range', { from: input.from, to: input.to });
    if (input.cohortId) requireCohort(ctx, input.cohortId);
    sessions = repo.sheetSessions(ctx.db, input.from, input.to, { officeId: scope.all ? null : scope.officeId, cohortId: input.cohortId });
    if (!sessions.length) throw new AppError('session.sheet_none', { from: input.from, to: input.to });
    title = `feuilles-presence-${input.from}-${input.to}`;
  }
  const pdf = await renderSheets(ctx.db, sessions, title);
  const f = ctx.services.outbox.put(`${title.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 90)}.pdf`, 'application/pdf', pdf);
  return { fileId: f.id, fileName: f.name, size: f.size, sessions: sessions.length };
}

export function attachSheet({ sessionId, uploadId }: MethodParsed<'sessions.attachSheet'>, ctx: WriteContext): SessionAttachment {
  const s = requireTrainingSession(ctx, sessionId);
  const up = ctx.services.outbox.get(uploadId);
  if (!up) throw new AppError('session.upload_not_found');
  if (up.size > MAX_ATTACHMENT) throw new AppError('session.attachment_too_large', { maxMb: MAX_ATTACHMENT / 1024 / 1024 });
  const data = readFileSync(up.path);
  const mime = sniffMime(data);
  if (!mime) throw new AppError('session.attachment_type');
  const sha256 = createHash('sha256').update(data).digest('hex');
  if (repo.attachmentWithHash(ctx.db, sessionId, sha256)) throw new AppError('session.attachment_duplicate');
  const id = ctx.newId();
  const now = ctx.now();
  const by = actorName(ctx.actor);
  const name = cleanName(up.name, mime);
  const row = { id, office_id: s.office_id, session_id: sessionId, kind: 'signed_sheet' as const, file_name: name, mime, size: data.length, sha256, data, created_at: now, created_by: by };
  repo.insertAttachment(ctx.db, row);
  ctx.audit({ entity: 'session_attachments', entityId: id, changes: { session_id: [null, sessionId], file_name: [null, name], size: [null, data.length], sha256: [null, sha256] } });
  return repo.toAttachment(row);
}

export function attachments({ sessionId }: MethodParsed<'sessions.attachments'>, ctx: ReadContext): SessionAttachment[] {
  requireTrainingSession(ctx, sessionId);
  return repo.listAttachments(ctx.db, sessionId);
}

export function openAttachment({ id }: MethodParsed<'sessions.openAttachment'>, ctx: ReadContext) {
  const r = requireOwnRow(ctx, repo.findAttachment(ctx.db, id), 'session.attachment_not_found', {});
  const f = ctx.services.outbox.put(r.file_name, r.mime, r.data);
  return { fileId: f.id, fileName: f.name, size: f.size, mime: r.mime };
}
