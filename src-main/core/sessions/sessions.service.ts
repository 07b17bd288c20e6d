import { AppError, type ErrorCode } from '../../shared/errors';
import { isLegalMove, type ApplicantStatus } from '../../shared/api/applicants.contract';
import type { HandlerContext, ReadContext } from '../context';
import { stmt } from '../db/statements';
import { findApplicant, type ApplicantLite, type Scope } from './sessions.repo';

/** Rules of the sessions feature that do not belong to one handler. */

export function scopeOf(ctx: ReadContext): Scope {
  const o = ctx.requireOffice();
  return { officeId: o.id, all: o.kind === 'region' };
}

/** Statuses from which enrolment in a cohort needs no status change (she is already in training or beyond). */
export const TRAINING_OR_LATER = new Set(['in_training', 'trained', 'in_incubation', 'project_validated', 'financed', 'followed_up']);
/** Statuses from which enrolment moves the path to 'in_training': the registry's state machine decides. */
export const canStartTraining = (status: string) => isLegalMove(status as ApplicantStatus, 'in_training');

const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const toTime = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * Start, end and duration of a session: from start and end (duration computed), or from a duration
 * (with an optional start; the end is then computed). A duration that contradicts start and end is refused.
 */
export function resolveTimes(start: string | null, end: string | null, duration: number | null): { start: string | null; end: string | null; minutes: number } {
  if (end && !start) throw new AppError('session.start_required');
  if (start && end) {
    const m = toMinutes(end) - toMinutes(start);
    if (m <= 0) throw new AppError('session.end_before_start', { start, end });
    if (m < 5 || m > 720) throw new AppError('session.duration_out_of_range', { minutes: m });
    if (duration != null && duration !== m) throw new AppError('session.duration_mismatch', { start, end, duration });
    return { start, end, minutes: m };
  }
  if (duration == null) throw new AppError('session.duration_required');
  if (start) {
    const e = toMinutes(start) + duration;
    return { start, end: e < 24 * 60 ? toTime(e) : null, minutes: duration };
  }
  return { start: null, end: null, minutes: duration };
}

/** An applicant of this office that can take part (exists, not anonymised). */
export function requireApplicant(ctx: HandlerContext, id: string): ApplicantLite {
  const a = findApplicant(ctx.sqlite, id);
  const scope = scopeOf(ctx);
  if (!a || (!scope.all && a.office_id !== scope.officeId)) throw new AppError('session.applicant_not_found', { applicantId: id });
  if (a.anonymised_at) throw new AppError('session.applicant_anonymised', { fileNo: a.file_no });
  return a;
}

/** Office of the record being written must be this installation's (a region reads, it does not record for an office). */
export function requireOwnRow(ctx: ReadContext, row: { office_id: string } | undefined, code: ErrorCode, params: Record<string, unknown>) {
  if (!row) throw new AppError(code, params);
  const o = ctx.requireOffice();
  if (o.kind !== 'region' && row.office_id !== o.id) throw new AppError(code, params);
  return row;
}

/**
 * Moves her path to 'in_training' as the registry does it: the applicant row (status, status_changed_at,
 * change_seq) and a status_history row, both synchronised, and an audit entry.
 */
export function startTraining(ctx: HandlerContext, a: ApplicantLite, reason: string): void {
  const now = ctx.now();
  const officeId = a.office_id;
  const seq = ctx.change('applicants', a.id, 'update', officeId);
  stmt(ctx.sqlite, `UPDATE applicants SET status = 'in_training', status_changed_at = ?, updated_at = ?, change_seq = ? WHERE id = ?`).run(
    now,
    now,
    seq,
    a.id,
  );
  const hid = ctx.newId();
  const hseq = ctx.change('status_history', hid, 'insert', officeId);
  const user = ctx.actor.kind === 'user' ? { id: ctx.actor.userId, name: ctx.actor.username } : { id: null, name: ctx.actor.kind === 'cli' ? `cli:${ctx.actor.osUser}` : 'anonymous' };
  stmt(
    ctx.sqlite,
    `INSERT INTO status_history (id, applicant_id, office_id, from_status, to_status, reason, financing_source, at, user_id, user_name, created_at, updated_at, change_seq)
     VALUES (?, ?, ?, ?, 'in_training', ?, NULL, ?, ?, ?, ?, ?, ?)`,
  ).run(hid, a.id, officeId, a.status, reason, now, user.id, user.name, now, now, hseq);
  ctx.audit({ entity: 'applicants', entityId: a.id, changes: { status: [a.status, 'in_training'] } });
}
