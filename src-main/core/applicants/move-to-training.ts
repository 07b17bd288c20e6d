import type { WriteContext } from '../context';
import type { WritableDB } from '../db/handles';
import { query } from '../db/query';
import type { ApplicantStatus } from '../../shared/api/applicants.contract';
import type { ApplicantRow } from './applicants.repo';

/**
 * Her path moves to 'in_training' because another feature enrolled her (a cohort): done as the registry does a
 * move — the applicant row (status, status_changed_at, change_seq) and a status_history row, both synchronised,
 * and an audit entry. The caller has checked the move is legal (`isLegalMove`) and that she is an applicant of
 * this office (`requireApplicant`).
 */

const setStatusQ = query((db, p: { id: string; at: string; changeSeq: number }) =>
  db.updateTable('applicants').set({ status: 'in_training', status_changed_at: p.at, updated_at: p.at, change_seq: p.changeSeq }).where('id', '=', p.id),
);

const insertHistoryQ = query(
  (db, p: { id: string; applicantId: string; officeId: string; from: ApplicantStatus; reason: string; at: string; userId: string | null; userName: string; changeSeq: number }) =>
    db.insertInto('status_history').values({
      id: p.id,
      applicant_id: p.applicantId,
      office_id: p.officeId,
      from_status: p.from,
      to_status: 'in_training',
      reason: p.reason,
      financing_source: null,
      at: p.at,
      user_id: p.userId,
      user_name: p.userName,
      created_at: p.at,
      updated_at: p.at,
      change_seq: p.changeSeq,
    }),
);

function setInTraining(db: WritableDB, id: string, at: string, changeSeq: number): void {
  setStatusQ.run(db, { id, at, changeSeq });
}

export function moveToTraining(ctx: WriteContext, a: Pick<ApplicantRow, 'id' | 'office_id' | 'status'>, reason: string): void {
  const now = ctx.now();
  setInTraining(ctx.db, a.id, now, ctx.change('applicants', a.id, 'update', a.office_id));
  const hid = ctx.newId();
  insertHistoryQ.run(ctx.db, {
    id: hid,
    applicantId: a.id,
    officeId: a.office_id,
    from: a.status,
    reason,
    at: now,
    userId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    userName: ctx.actorName,
    changeSeq: ctx.change('status_history', hid, 'insert', a.office_id),
  });
  ctx.audit({ entity: 'applicants', entityId: a.id, changes: { status: [a.status, 'in_training'] } });
}
