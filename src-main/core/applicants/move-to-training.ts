import type { WriteContext } from '../context';
import { insertStatusHistory, setStatusColumns, type ApplicantRow } from './applicants.repo';

/**
 * Her path moves to 'in_training' because another feature enrolled her (a cohort): done as the registry does a
 * move — the applicant row (status, status_changed_at, change_seq) and a status_history row, both synchronised,
 * and an audit entry. The caller has checked the move is legal (`isLegalMove`) and that she is an applicant of
 * this office (`requireApplicant`).
 */
export function moveToTraining(ctx: WriteContext, a: Pick<ApplicantRow, 'id' | 'office_id' | 'status'>, reason: string): void {
  const now = ctx.now();
  setStatusColumns(ctx.db, { id: a.id, status: 'in_training', status_changed_at: now, updated_at: now, change_seq: ctx.change('applicants', a.id, 'update', a.office_id) });
  const hid = ctx.newId();
  insertStatusHistory(ctx.db, {
    id: hid,
    applicant_id: a.id,
    office_id: a.office_id,
    from_status: a.status,
    to_status: 'in_training',
    reason,
    financing_source: null,
    at: now,
    user_id: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    user_name: ctx.actorName,
    created_at: now,
    updated_at: now,
    change_seq: ctx.change('status_history', hid, 'insert', a.office_id),
  });
  ctx.audit({ entity: 'applicants', entityId: a.id, changes: { status: [a.status, 'in_training'] } });
}
