import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import type { SessionAttachment } from '../../shared/api/sessions.contract';
import type { Handlers } from '../handler-types';
import type { HandlerContext, ReadContext } from '../context';
import { stmt } from '../db/statements';
import { renderSheets, sheetSession, sheetSessions } from './attendance-sheet';
import * as repo from './sessions.repo';
import { requireOwnRow, scopeOf } from './sessions.service';

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

function requireTrainingSession(ctx: ReadContext, id: string) {
  return requireOwnRow(ctx, repo.findSession(ctx.sqlite, id), 'session.not_found', { id }) as repo.SessionRow;
}

type AttachmentRow = { id: string; session_id: string; file_name: string; mime: SessionAttachment['mime']; size: number; sha256: string; created_at: string; created_by: string };

const toAttachment = (r: AttachmentRow): SessionAttachment => ({
  id: r.id,
  sessionId: r.session_id,
  fileName: r.file_name,
  mime: r.mime,
  size: r.size,
  sha256: r.sha256,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

function listOf(ctx: ReadContext, sessionId: string): SessionAttachment[] {
  return stmt<[string], AttachmentRow>(
    ctx.sqlite,
    'SELECT id, session_id, file_name, mime, size, sha256, created_at, created_by FROM session_attachments WHERE session_id = ? ORDER BY created_at, id',
  )
    .all(sessionId)
    .map(toAttachment);
}

/** A file name safe to show and to save under: no folders, no control characters. */
function cleanName(name: string, mime: SessionAttachment['mime']): string {
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f<>:"|?*]+/g, '_').trim().slice(0, 120);
  return base || `feuille-signee.${EXT[mime]}`;
}

export const sheetsHandlers = {
  'sessions.sheet': async (input, ctx) => {
    const scope = scopeOf(ctx);
    let sessions;
    let title: string;
    if ('sessionId' in input) {
      requireTrainingSession(ctx, input.sessionId);
      const s = sheetSession(ctx.sqlite, input.sessionId)!;
      sessions = [s];
      title = `feuille-presence-${s.date}${s.cohort_name ? `-${s.cohort_name}` : ''}`;
    } else {
      if (input.to < input.from) throw new AppError('session.sheet_range', { from: input.from, to: input.to });
      const days = (Date.parse(`${input.to}T00:00:00Z`) - Date.parse(`${input.from}T00:00:00Z`)) / 86_400_000;
      if (days > 31) throw new AppError('session.sheet_range', { from: input.from, to: input.to });
      if (input.cohortId) requireOwnRow(ctx, repo.findCohort(ctx.sqlite, input.cohortId), 'session.cohort_not_found', { id: input.cohortId });
      sessions = sheetSessions(ctx.sqlite, input.from, input.to, { officeId: scope.all ? null : scope.officeId, cohortId: input.cohortId });
      if (!sessions.length) throw new AppError('session.sheet_none', { from: input.from, to: input.to });
      title = `feuilles-presence-${input.from}-${input.to}`;
    }
    const pdf = await renderSheets(ctx.sqlite, sessions, title);
    const f = ctx.services.outbox.put(`${title.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 90)}.pdf`, 'application/pdf', pdf);
    return { fileId: f.id, fileName: f.name, size: f.size, sessions: sessions.length };
  },

  'sessions.attachSheet': async ({ sessionId, uploadId }, ctx) => {
    const s = requireTrainingSession(ctx, sessionId);
    const up = ctx.services.outbox.get(uploadId);
    if (!up) throw new AppError('session.upload_not_found');
    if (up.size > MAX_ATTACHMENT) throw new AppError('session.attachment_too_large', { maxMb: MAX_ATTACHMENT / 1024 / 1024 });
    const data = readFileSync(up.path);
    const mime = sniffMime(data);
    if (!mime) throw new AppError('session.attachment_type');
    const sha256 = createHash('sha256').update(data).digest('hex');
    const dup = stmt<[string, string], { id: string }>(ctx.sqlite, 'SELECT id FROM session_attachments WHERE session_id = ? AND sha256 = ?').get(sessionId, sha256);
    if (dup) throw new AppError('session.attachment_duplicate');
    const id = ctx.newId();
    const now = ctx.now();
    const by = ctx.actor.kind === 'user' ? ctx.actor.username : ctx.actor.kind === 'cli' ? `cli:${ctx.actor.osUser}` : 'anonymous';
    const name = cleanName(up.name, mime);
    stmt(
      ctx.sqlite,
      `INSERT INTO session_attachments (id, office_id, session_id, kind, file_name, mime, size, sha256, data, created_at, created_by)
       VALUES (?, ?, ?, 'signed_sheet', ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, s.office_id, sessionId, name, mime, data.length, sha256, data, now, by);
    ctx.audit({ entity: 'session_attachments', entityId: id, changes: { session_id: [null, sessionId], file_name: [null, name], size: [null, data.length], sha256: [null, sha256] } });
    return toAttachment({ id, session_id: sessionId, file_name: name, mime, size: data.length, sha256, created_at: now, created_by: by });
  },

  'sessions.attachments': async ({ sessionId }, ctx) => {
    requireTrainingSession(ctx, sessionId);
    return listOf(ctx, sessionId);
  },

  'sessions.openAttachment': async ({ id }, ctx) => {
    const r = stmt<[string], AttachmentRow & { data: Buffer; office_id: string }>(ctx.sqlite, 'SELECT * FROM session_attachments WHERE id = ?').get(id);
    requireOwnRow(ctx, r, 'session.attachment_not_found', {});
    const f = ctx.services.outbox.put(r!.file_name, r!.mime, r!.data);
    return { fileId: f.id, fileName: f.name, size: f.size, mime: r!.mime };
  },
} satisfies Partial<Handlers>;
