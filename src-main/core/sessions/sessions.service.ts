import { AppError, type ErrorCode } from '../../shared/errors';
import { isLegalMove, type ApplicantStatus } from '../../shared/api/applicants.contract';
import type { AttendanceStatus, EnrolBlock, EnrolCandidate, SessionDetail, SessionKind, SessionsRange } from '../../shared/api/sessions.contract';
import type { MethodName, MethodParsed } from '../../shared/api/contract';
import { actorName, diffFields as diffRecords, type FieldChanges, type ReadContext, type WriteContext } from '../context';
import { requireApplicant as requireRegistryApplicant } from '../applicants/require-applicant';
import { moveToTraining } from '../applicants/move-to-training';
import { searchApplicants } from '../applicants/search';
import type { ApplicantRow } from '../applicants/applicants.repo';
import { CRITERIA_KEYS, computeParticipation, getCriteria, round2 } from './participation';
import * as repo from './sessions.repo';

/** The rules of the sessions feature (the handlers bind these functions; the SQL is in sessions.repo.ts). */

type In<M extends MethodName> = MethodParsed<M>;

export function scopeOf(ctx: ReadContext): repo.Scope {
  const o = ctx.requireOffice();
  return { officeId: o.id, all: o.kind === 'region' };
}

/** diffFields over row interfaces (which have no index signature). */
function diffFields(before: object | null | undefined, after: object, fields?: readonly string[]): FieldChanges {
  return diffRecords(before as Record<string, unknown> | null | undefined, after as Record<string, unknown>, fields);
}

/** Statuses from which enrolment in a cohort needs no status change (she is already in training or beyond). */
export const TRAINING_OR_LATER = new Set(['in_training', 'trained', 'in_incubation', 'project_validated', 'financed', 'followed_up']);
/** Statuses from which enrolment moves the path to 'in_training': the registry's state machine decides. */
export const canStartTraining = (status: string) => isLegalMove(status as ApplicantStatus, 'in_training');

/**
 * The path's rule for enrolment, in one place (the enrolment search shows it, `enrol` enforces it): preselected
 * (enrolment starts her training) or in training and beyond; otherwise why not.
 */
export function enrolStatusBlock(status: string): Extract<EnrolBlock, 'not_preselected' | 'closed' | 'not_retained' | 'dropped_out'> | null {
  if (canStartTraining(status) || TRAINING_OR_LATER.has(status)) return null;
  if (status === 'closed' || status === 'not_retained' || status === 'dropped_out') return status;
  return 'not_preselected';
}

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

/** An applicant of this office who can take part (core/applicants' one rule, in this feature's words). */
export function requireApplicant(ctx: ReadContext, id: string, write: boolean): ApplicantRow {
  return requireRegistryApplicant(ctx, id, { write, notFound: 'session.applicant_not_found', anonymised: 'session.applicant_anonymised' });
}

/** Office of the record being written must be this installation's (a region reads, it does not record for an office). */
export function requireOwnRow<R extends { office_id: string }>(ctx: ReadContext, row: R | undefined, code: ErrorCode, params: Record<string, unknown>): R {
  if (!row) throw new AppError(code, params);
  const o = ctx.requireOffice();
  if (o.kind !== 'region' && row.office_id !== o.id) throw new AppError(code, params);
  return row;
}

function requireTopic(ctx: ReadContext, code: string) {
  const t = repo.findTopic(ctx.db, code);
  if (!t || t.active !== 1) throw new AppError('session.topic_unknown', { topic: code });
  return t;
}

function requireOrganisation(ctx: ReadContext, id: string) {
  return requireOwnRow(ctx, repo.findOrganisation(ctx.db, id), 'session.organisation_not_found', { id });
}

function requireFacilitator(ctx: ReadContext, id: string, organisationId: string) {
  const f = requireOwnRow(ctx, repo.findFacilitator(ctx.db, id), 'session.facilitator_not_found', { id });
  if (f.organisation_id !== organisationId) throw new AppError('session.facilitator_other_organisation', { id });
  return f;
}

export function requireCohort(ctx: ReadContext, id: string) {
  return requireOwnRow(ctx, repo.findCohort(ctx.db, id), 'session.cohort_not_found', { id });
}

export function requireTrainingSession(ctx: ReadContext, id: string) {
  return requireOwnRow(ctx, repo.findSession(ctx.db, id), 'session.not_found', { id });
}

function sessionDetail(ctx: ReadContext, id: string): SessionDetail {
  const info = repo.sessionInfo(ctx.db, id);
  if (!info) throw new AppError('session.not_found', { id });
  return { ...info, checklist: repo.checklist(ctx.db, repo.findSession(ctx.db, id)!) };
}

// ---------- topics, organisations, facilitators ----------

export function lookups({ includeInactive }: In<'sessions.lookups'>, ctx: ReadContext) {
  return {
    topics: repo.listTopics(ctx.db, includeInactive),
    organisations: repo.listOrganisations(ctx.db, scopeOf(ctx), includeInactive),
    criteria: getCriteria(ctx.db),
  };
}

export function saveTopic(input: In<'topics.save'>, ctx: WriteContext) {
  const old = repo.findTopic(ctx.db, input.code);
  const next = { label_ar: input.labelAr, label_fr: input.labelFr, active: input.active ? 1 : 0, sort: input.sort ?? old?.sort ?? 50 };
  repo.saveTopic(ctx.db, input.code, next, old !== undefined);
  const changes = diffFields(old ?? null, next);
  if (Object.keys(changes).length) ctx.audit({ entity: 'ref_items', entityId: `topic:${input.code}`, changes });
  return { code: input.code, labelAr: next.label_ar, labelFr: next.label_fr, active: next.active === 1, sort: next.sort };
}

export function createOrganisation(input: In<'organisations.create'>, ctx: WriteContext) {
  const office = ctx.requireOffice();
  const province = input.provinceCode ?? office.province_code;
  if (!province) throw new AppError('session.organisation_province_required');
  if (office.kind === 'province' && province !== office.province_code) throw new AppError('territory.out_of_scope', { provinceCode: province });
  if (!repo.provinceExists(ctx.db, province)) throw new AppError('session.organisation_province_unknown', { provinceCode: province });
  const id = ctx.newId();
  const now = ctx.now();
  const row: repo.OrganisationRow = {
    id,
    office_id: office.id,
    kind: input.kind,
    province_code: province,
    name_ar: input.nameAr,
    name_fr: input.nameFr,
    phone: input.phone ?? null,
    address: input.address,
    active: 1,
    created_at: now,
    updated_at: now,
    change_seq: ctx.change('organisations', id, 'insert', office.id),
  };
  repo.insertOrganisation(ctx.db, row);
  ctx.audit({ entity: 'organisations', entityId: id, changes: diffFields(null, row, ['kind', 'province_code', 'name_ar', 'name_fr', 'phone', 'address']) });
  return repo.toOrganisation(row, []);
}

export function updateOrganisation(input: In<'organisations.update'>, ctx: WriteContext) {
  const old = requireOrganisation(ctx, input.id);
  const next = {
    kind: input.kind ?? old.kind,
    name_ar: input.nameAr ?? old.name_ar,
    name_fr: input.nameFr ?? old.name_fr,
    phone: input.phone === undefined ? old.phone : input.phone,
    address: input.address ?? old.address,
    active: input.active === undefined ? old.active : input.active ? 1 : 0,
  };
  const changes = diffFields(old, next);
  if (Object.keys(changes).length) {
    const seq = ctx.change('organisations', old.id, 'update', old.office_id);
    repo.updateOrganisation(ctx.db, old.id, { ...next, updated_at: ctx.now(), change_seq: seq });
    ctx.audit({ entity: 'organisations', entityId: old.id, changes });
  }
  return repo.toOrganisation({ ...old, ...next }, repo.facilitatorsOf(ctx.db, old.id));
}

export function createFacilitator(input: In<'facilitators.create'>, ctx: WriteContext) {
  const org = requireOrganisation(ctx, input.organisationId);
  const id = ctx.newId();
  const now = ctx.now();
  const row: repo.FacilitatorRow = {
    id,
    office_id: org.office_id,
    organisation_id: org.id,
    full_name: input.fullName,
    role: input.role,
    phone: input.phone ?? null,
    active: 1,
    created_at: now,
    updated_at: now,
    change_seq: ctx.change('facilitators', id, 'insert', org.office_id),
  };
  repo.insertFacilitator(ctx.db, row);
  ctx.audit({ entity: 'facilitators', entityId: id, changes: diffFields(null, row, ['organisation_id', 'full_name', 'role', 'phone']) });
  return repo.toFacilitator(row);
}

export function updateFacilitator(input: In<'facilitators.update'>, ctx: WriteContext) {
  const old = requireOwnRow(ctx, repo.findFacilitator(ctx.db, input.id), 'session.facilitator_not_found', { id: input.id });
  const next = {
    full_name: input.fullName ?? old.full_name,
    role: input.role ?? old.role,
    phone: input.phone === undefined ? old.phone : input.phone,
    active: input.active === undefined ? old.active : input.active ? 1 : 0,
  };
  const changes = diffFields(old, next);
  if (Object.keys(changes).length) {
    const seq = ctx.change('facilitators', old.id, 'update', old.office_id);
    repo.updateFacilitator(ctx.db, old.id, { ...next, updated_at: ctx.now(), change_seq: seq });
    ctx.audit({ entity: 'facilitators', entityId: old.id, changes });
  }
  return repo.toFacilitator({ ...old, ...next });
}

// ---------- cohorts ----------

export function listCohorts(input: In<'cohorts.list'>, ctx: ReadContext) {
  return repo.listCohorts(ctx.db, scopeOf(ctx), input);
}

export function getCohort({ id }: In<'cohorts.get'>, ctx: ReadContext) {
  const summary = repo.cohortSummary(ctx.db, requireCohort(ctx, id).id)!;
  return { ...summary, members: repo.cohortMembers(ctx.db, id), outsideSessions: repo.outsideSessions(ctx.db, id) };
}

/**
 * What a new cohort or session row starts with: its id, its office (at the region, the organisation's office, whose
 * work it is), its times and its change number.
 */
function newRowOf(ctx: WriteContext, table: 'cohorts' | 'training_sessions', org: { office_id: string }) {
  const office = ctx.requireOffice();
  const id = ctx.newId();
  const now = ctx.now();
  const officeId = office.kind === 'region' ? org.office_id : office.id;
  return { id, office_id: officeId, created_at: now, updated_at: now, change_seq: ctx.change(table, id, 'insert', officeId) };
}

export function createCohort(input: In<'cohorts.create'>, ctx: WriteContext) {
  const org = requireOrganisation(ctx, input.organisationId);
  if (input.endDate && input.endDate < input.startDate) throw new AppError('session.cohort_end_before_start');
  const base = newRowOf(ctx, 'cohorts', org);
  const row: repo.CohortRow = {
    ...base,
    organisation_id: org.id,
    name: input.name,
    start_date: input.startDate,
    end_date: input.endDate ?? null,
    place: input.place,
    notes: input.notes,
  };
  const id = row.id;
  repo.insertCohort(ctx.db, row);
  ctx.audit({ entity: 'cohorts', entityId: id, changes: diffFields(null, row, ['organisation_id', 'name', 'start_date', 'end_date', 'place', 'notes']) });
  return repo.cohortSummary(ctx.db, id)!;
}

export function updateCohort(input: In<'cohorts.update'>, ctx: WriteContext) {
  const old = requireCohort(ctx, input.id);
  if (input.organisationId) requireOrganisation(ctx, input.organisationId);
  const next = {
    organisation_id: input.organisationId ?? old.organisation_id,
    name: input.name ?? old.name,
    start_date: input.startDate ?? old.start_date,
    end_date: input.endDate === undefined ? old.end_date : input.endDate,
    place: input.place ?? old.place,
    notes: input.notes ?? old.notes,
  };
  if (next.end_date && next.end_date < next.start_date) throw new AppError('session.cohort_end_before_start');
  const changes = diffFields(old, next);
  if (Object.keys(changes).length) {
    const seq = ctx.change('cohorts', old.id, 'update', old.office_id);
    repo.updateCohort(ctx.db, old.id, { ...next, updated_at: ctx.now(), change_seq: seq });
    ctx.audit({ entity: 'cohorts', entityId: old.id, changes });
  }
  return repo.cohortSummary(ctx.db, old.id)!;
}

export function enrol({ cohortId, applicantIds, date, moveToTraining: confirmed }: In<'cohorts.enrol'>, ctx: WriteContext) {
  const cohort = requireCohort(ctx, cohortId);
  const ids = [...new Set(applicantIds)];
  const applicants = ids.map((id) => requireApplicant(ctx, id, true));
  // Check everyone first: the call enrols all of them or none.
  const toStart = applicants.filter((a) => canStartTraining(a.status));
  const refused = applicants.filter((a) => enrolStatusBlock(a.status) !== null);
  if (refused.length) {
    throw new AppError('session.cohort_status_not_allowed', { fileNos: refused.map((a) => a.file_no).join(', '), statuses: refused.map((a) => a.status) });
  }
  if (toStart.length && !confirmed) {
    throw new AppError('session.cohort_confirm_training', { fileNos: toStart.map((a) => a.file_no).join(', '), count: toStart.length, applicantIds: toStart.map((a) => a.id) });
  }
  const now = ctx.now();
  const enrolled: string[] = [];
  for (const a of applicants) {
    const m = repo.findMember(ctx.db, cohort.id, a.id);
    if (m && !m.withdrawn_at) continue; // already an active member
    if (m) {
      const seq = ctx.change('cohort_members', m.id, 'update', m.office_id);
      repo.reenrolMember(ctx.db, m.id, date, now, seq);
      ctx.audit({
        entity: 'cohort_members',
        entityId: m.id,
        changes: { enrolled_at: [m.enrolled_at, date], withdrawn_at: [m.withdrawn_at, null], withdraw_reason: [m.withdraw_reason, null] },
      });
    } else {
      const id = ctx.newId();
      const seq = ctx.change('cohort_members', id, 'insert', cohort.office_id);
      repo.insertMember(ctx.db, {
        id,
        office_id: cohort.office_id,
        cohort_id: cohort.id,
        applicant_id: a.id,
        enrolled_at: date,
        withdrawn_at: null,
        withdraw_reason: null,
        created_at: now,
        updated_at: now,
        change_seq: seq,
      });
      ctx.audit({ entity: 'cohort_members', entityId: id, changes: { cohort_id: [null, cohort.id], applicant_id: [null, a.id], enrolled_at: [null, date] } });
    }
    enrolled.push(a.id);
  }
  for (const a of toStart) moveToTraining(ctx, a, `cohort: ${cohort.name}`);
  return { enrolled, movedToTraining: toStart.map((a) => a.id) };
}

/**
 * The enrolment box's search: every file of the registry that matches (not only those who can be enrolled), each
 * with why she cannot be enrolled in this cohort, by the rules `enrol` enforces (the same `requireApplicant` and
 * `enrolStatusBlock`; an active member is already enrolled).
 */
export function enrolSearch({ cohortId, q, limit }: In<'cohorts.enrolSearch'>, ctx: ReadContext): { total: number; items: EnrolCandidate[] } {
  const cohort = requireCohort(ctx, cohortId);
  const found = searchApplicants({ q, filters: {}, sort: 'relevance', dir: 'asc', offset: 0, limit }, ctx);
  const items = found.items.map((a): EnrolCandidate => {
    let block: EnrolBlock | null = null;
    let enrolledAt: string | null = null;
    try {
      requireApplicant(ctx, a.id, true);
      block = enrolStatusBlock(a.status);
      const m = block ? undefined : repo.findMember(ctx.db, cohort.id, a.id);
      if (m && !m.withdrawn_at) {
        block = 'already_member';
        enrolledAt = m.enrolled_at;
      }
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      block = e.code === 'session.applicant_anonymised' ? 'anonymised' : 'other_office';
    }
    return {
      id: a.id,
      fileNo: a.fileNo,
      cin: a.cin,
      firstNameAr: a.firstNameAr,
      lastNameAr: a.lastNameAr,
      firstNameLat: a.firstNameLat,
      lastNameLat: a.lastNameLat,
      status: a.status,
      block,
      enrolledAt,
      startsTraining: block === null && canStartTraining(a.status),
    };
  });
  return { total: found.total, items };
}

export function withdraw({ cohortId, applicantId, date, reason }: In<'cohorts.withdraw'>, ctx: WriteContext) {
  const cohort = requireCohort(ctx, cohortId);
  const m = repo.findMember(ctx.db, cohort.id, applicantId);
  if (!m) throw new AppError('session.cohort_not_member', { applicantId });
  if (m.withdrawn_at) throw new AppError('session.cohort_already_withdrawn', { date: m.withdrawn_at });
  if (date < m.enrolled_at) throw new AppError('session.cohort_withdraw_before_enrol', { enrolledAt: m.enrolled_at });
  const seq = ctx.change('cohort_members', m.id, 'update', m.office_id);
  repo.withdrawMember(ctx.db, m.id, date, reason, ctx.now(), seq);
  // She is no longer expected after that day: rows recorded for later sessions of this cohort go.
  const later = repo.attendanceAfter(ctx.db, cohort.id, applicantId, date);
  for (const r of later) {
    ctx.change('attendance', r.id, 'delete', r.office_id);
    repo.deleteAttendance(ctx.db, r.id);
  }
  const changes: FieldChanges = { withdrawn_at: [null, date], withdraw_reason: [null, reason] };
  for (const r of later) changes[`attendance:${r.session_id}`] = [`${r.date} ${r.status}`, null];
  ctx.audit({ entity: 'cohort_members', entityId: m.id, changes });
  return { applicantId, removedAttendance: later.length };
}

// ---------- sessions ----------

/**
 * Writes the checklist of a session: inserts new rows, updates changed ones, leaves identical ones.
 * Every applicant must be expected at the session (an active member of the cohort on that day, or the
 * mentored woman). One audit entry per session lists each change as {applicantId: [from, to]}.
 */
function writeAttendance(ctx: WriteContext, s: repo.SessionRow, entries: { applicantId: string; status: AttendanceStatus; note: string }[]) {
  if (s.cancelled_at) throw new AppError('session.cancelled', { id: s.id });
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.applicantId)) throw new AppError('session.attendance_duplicate', { applicantId: e.applicantId });
    seen.add(e.applicantId);
  }
  const expected = s.kind === 'mentoring' ? new Set([s.applicant_id!]) : repo.activeMemberIds(ctx.db, s.cohort_id!, s.date);
  const notExpected = entries.filter((e) => !expected.has(e.applicantId)).map((e) => e.applicantId);
  if (notExpected.length) throw new AppError('session.attendance_not_member', { applicantIds: notExpected.slice(0, 20), count: notExpected.length });

  const existing = new Map(repo.attendanceOf(ctx.db, s.id).map((r) => [r.applicant_id, r]));
  const now = ctx.now();
  const changes: FieldChanges = {};
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;
  for (const e of entries) {
    const old = existing.get(e.applicantId);
    if (!old) {
      const id = ctx.newId();
      repo.insertAttendance(ctx.db, {
        id,
        office_id: s.office_id,
        session_id: s.id,
        applicant_id: e.applicantId,
        status: e.status,
        note: e.note,
        created_at: now,
        updated_at: now,
        change_seq: ctx.change('attendance', id, 'insert', s.office_id),
      });
      changes[e.applicantId] = [null, e.note ? `${e.status} (${e.note})` : e.status];
      inserted++;
    } else if (old.status !== e.status || old.note !== e.note) {
      repo.updateAttendance(ctx.db, old.id, e.status, e.note, now, ctx.change('attendance', old.id, 'update', s.office_id));
      changes[e.applicantId] = [old.note ? `${old.status} (${old.note})` : old.status, e.note ? `${e.status} (${e.note})` : e.status];
      updated++;
    } else unchanged++;
  }
  if (inserted || updated) ctx.audit({ entity: 'attendance', entityId: s.id, changes });
  return { sessionId: s.id, inserted, updated, unchanged };
}

export function createSession(input: In<'sessions.create'>, ctx: WriteContext) {
  ctx.requireOffice();
  requireTopic(ctx, input.topic);
  const org = requireOrganisation(ctx, input.organisationId);
  if (input.facilitatorId) requireFacilitator(ctx, input.facilitatorId, org.id);
  const times = resolveTimes(input.startTime ?? null, input.endTime ?? null, input.durationMinutes ?? null);
  let cohortId: string | null = null;
  let applicantId: string | null = null;
  if (input.kind === 'mentoring') {
    if (!input.applicantId) throw new AppError('session.applicant_required');
    applicantId = requireApplicant(ctx, input.applicantId, true).id;
    if (input.cohortId) throw new AppError('session.mentoring_no_cohort');
  } else {
    if (!input.cohortId) throw new AppError('session.cohort_required');
    if (input.applicantId) throw new AppError('session.group_no_applicant');
    cohortId = requireCohort(ctx, input.cohortId).id;
  }
  const base = newRowOf(ctx, 'training_sessions', org);
  const id = base.id;
  const row: repo.SessionRow = {
    ...base,
    kind: input.kind,
    date: input.date,
    start_time: times.start,
    end_time: times.end,
    duration_min: times.minutes,
    topic_code: input.topic,
    place: input.place,
    organisation_id: org.id,
    facilitator_id: input.facilitatorId ?? null,
    cohort_id: cohortId,
    applicant_id: applicantId,
    notes: input.notes,
    next_steps: input.nextSteps,
    cancelled_at: null,
    cancel_reason: null,
    created_by: ctx.actor.kind === 'anonymous' ? null : actorName(ctx.actor),
  };
  repo.insertSession(ctx.db, row);
  ctx.audit({
    entity: 'training_sessions',
    entityId: id,
    changes: diffFields(null, row, ['kind', 'date', 'start_time', 'end_time', 'duration_min', 'topic_code', 'place', 'organisation_id', 'facilitator_id', 'cohort_id', 'applicant_id', 'notes', 'next_steps']),
  });
  // An individual mentoring session is attended by the woman unless said otherwise.
  const attendance = input.kind === 'mentoring' && input.attendance.length === 0 ? [{ applicantId: applicantId!, status: 'present' as const, note: '' }] : input.attendance;
  if (attendance.length) writeAttendance(ctx, row, attendance);
  return sessionDetail(ctx, id);
}

export function updateSession(input: In<'sessions.update'>, ctx: WriteContext) {
  const old = requireTrainingSession(ctx, input.id);
  if (old.cancelled_at) throw new AppError('session.cancelled', { id: old.id });
  const organisationId = input.organisationId ?? old.organisation_id;
  if (input.organisationId) requireOrganisation(ctx, input.organisationId);
  // Another organisation: its facilitator unless one is named.
  const facilitatorId = input.facilitatorId === undefined ? (organisationId !== old.organisation_id ? null : old.facilitator_id) : input.facilitatorId;
  if (facilitatorId) requireFacilitator(ctx, facilitatorId, organisationId);
  if (input.topic) requireTopic(ctx, input.topic);
  const timesGiven = input.startTime !== undefined || input.endTime !== undefined || input.durationMinutes !== undefined;
  const times = timesGiven
    ? resolveTimes(
        input.startTime === undefined ? old.start_time : input.startTime,
        input.endTime === undefined ? (input.startTime !== undefined || input.durationMinutes != null ? null : old.end_time) : input.endTime,
        input.durationMinutes === undefined ? (input.endTime !== undefined ? null : old.duration_min) : input.durationMinutes,
      )
    : { start: old.start_time, end: old.end_time, minutes: old.duration_min };
  const date = input.date ?? old.date;
  if (date !== old.date && old.cohort_id) {
    // Moving the session past someone's withdrawal would count her at a session after she left.
    const gone = repo.withdrawnBefore(ctx.db, old.cohort_id, old.id, date);
    if (gone.length) throw new AppError('session.date_after_withdrawal', { applicantIds: gone, count: gone.length });
  }
  const next = {
    date,
    start_time: times.start,
    end_time: times.end,
    duration_min: times.minutes,
    topic_code: input.topic ?? old.topic_code,
    place: input.place ?? old.place,
    organisation_id: organisationId,
    facilitator_id: facilitatorId,
    notes: input.notes ?? old.notes,
    next_steps: input.nextSteps ?? old.next_steps,
  };
  const changes = diffFields(old, next);
  if (Object.keys(changes).length) {
    const seq = ctx.change('training_sessions', old.id, 'update', old.office_id);
    repo.updateSession(ctx.db, old.id, { ...next, updated_at: ctx.now(), change_seq: seq });
    ctx.audit({ entity: 'training_sessions', entityId: old.id, changes });
  }
  return sessionDetail(ctx, old.id);
}

export function cancelSession({ id, reason }: In<'sessions.cancel'>, ctx: WriteContext) {
  const old = requireTrainingSession(ctx, id);
  if (old.cancelled_at) throw new AppError('session.cancelled', { id });
  const at = ctx.now();
  const seq = ctx.change('training_sessions', id, 'update', old.office_id);
  repo.cancelSession(ctx.db, id, at, reason, seq);
  ctx.audit({ entity: 'training_sessions', entityId: id, changes: { cancelled_at: [null, at], cancel_reason: [null, reason] } });
  return { id, cancelledAt: at };
}

export function getSession({ id }: In<'sessions.get'>, ctx: ReadContext) {
  requireTrainingSession(ctx, id);
  return sessionDetail(ctx, id);
}

export function recordAttendance({ sessionId, entries }: In<'sessions.recordAttendance'>, ctx: WriteContext) {
  return writeAttendance(ctx, requireTrainingSession(ctx, sessionId), entries);
}

export function range(input: In<'sessions.range'>, ctx: ReadContext): SessionsRange {
  if (input.to < input.from) throw new AppError('session.range_invalid');
  const days = (Date.parse(input.to) - Date.parse(input.from)) / 86_400_000;
  // A week or month view of the office; a cohort's whole path (bounded by the cohort) may span longer.
  const maxDays = input.cohortId ? 400 : 92;
  if (days > maxDays) throw new AppError('session.range_too_long', { maxDays });
  // The month view shows one line per day: its totals are summed by SQLite and no session is listed (`days`); the
  // week view and a cohort's path list the sessions, and their totals are summed here from the same rows.
  const sessions = input.detail === 'days' ? [] : repo.sessionsInRange(ctx.db, scopeOf(ctx), input);
  const parts =
    input.detail === 'days'
      ? repo.dayTotalsInRange(ctx.db, scopeOf(ctx), input)
      : sessions.map((s) => {
          const held = s.cancelledAt ? 0 : 1;
          return { date: s.date, kind: s.kind, sessions: held, minutes: held * s.durationMinutes, present: held * s.present, absent: held * s.absent, excused: held * s.excused };
        });
  return { from: input.from, to: input.to, sessions, ...rangeTotals(parts) };
}

/** Per-day lines and the range's totals from (day, kind) parts; hours from the minutes summed (rounded once). */
function rangeTotals(parts: { date: string; kind: SessionKind; sessions: number; minutes: number; present: number; absent: number; excused: number }[]) {
  const byDay = new Map<string, { date: string; sessions: number; minutes: number; present: number }>();
  const totals = { sessions: 0, minutes: 0, present: 0, absent: 0, excused: 0, byKind: { group_training: 0, mentoring: 0, workshop: 0, field_visit: 0 } };
  for (const p of parts) {
    let d = byDay.get(p.date);
    if (!d) byDay.set(p.date, (d = { date: p.date, sessions: 0, minutes: 0, present: 0 }));
    d.sessions += p.sessions;
    d.minutes += p.minutes;
    d.present += p.present;
    totals.sessions += p.sessions;
    totals.minutes += p.minutes;
    totals.present += p.present;
    totals.absent += p.absent;
    totals.excused += p.excused;
    totals.byKind[p.kind] += p.sessions;
  }
  const { minutes, ...rest } = totals;
  return {
    days: [...byDay.values()].map(({ minutes: m, ...d }) => ({ ...d, hours: round2(m / 60) })),
    totals: { ...rest, hours: round2(minutes / 60) },
  };
}

export function forApplicant({ applicantId }: In<'sessions.forApplicant'>, ctx: ReadContext) {
  const a = requireApplicant(ctx, applicantId, false);
  const bp = repo.findBusinessPlan(ctx.db, applicantId);
  const timeline = repo.timeline(ctx.db, applicantId);
  // The same rows as getParticipation (her attendance at non-cancelled sessions), read once.
  const attended = timeline
    .filter((e) => e.status !== null)
    .map((e) => ({ topic: e.topic, status: e.status!, minutes: e.durationMinutes, date: e.date, label_ar: e.topicAr, label_fr: e.topicFr, outside: e.outside }));
  return {
    applicantId,
    applicant: { fileNo: a.file_no, firstNameAr: a.first_name_ar, lastNameAr: a.last_name_ar, firstNameLat: a.first_name_lat, lastNameLat: a.last_name_lat, status: a.status },
    participation: computeParticipation(attended, getCriteria(ctx.db)),
    timeline,
    cohorts: repo.memberships(ctx.db, applicantId),
    businessPlan: bp
      ? { status: bp.status, validatedAt: bp.validated_at, note: bp.note, updatedAt: bp.updated_at }
      : { status: 'not_started' as const, validatedAt: null, note: '', updatedAt: null },
  };
}

export function setBusinessPlan({ applicantId, status, note }: In<'sessions.setBusinessPlan'>, ctx: WriteContext) {
  const a = requireApplicant(ctx, applicantId, true);
  const old = repo.findBusinessPlan(ctx.db, applicantId);
  const now = ctx.now();
  const validatedAt = status === 'validated' ? (old?.status === 'validated' ? old.validated_at : ctx.today()) : null;
  const changes = diffFields(old ?? null, { status, note, validated_at: validatedAt });
  if (!old) {
    const id = ctx.newId();
    const seq = ctx.change('business_plans', id, 'insert', a.office_id);
    repo.insertBusinessPlan(ctx.db, { id, office_id: a.office_id, applicant_id: applicantId, status, validated_at: validatedAt, note, created_at: now, updated_at: now, change_seq: seq });
    ctx.audit({ entity: 'business_plans', entityId: id, changes: { applicant_id: [null, applicantId], ...changes } });
  } else if (Object.keys(changes).length) {
    const seq = ctx.change('business_plans', old.id, 'update', a.office_id);
    repo.updateBusinessPlan(ctx.db, old.id, { status, validatedAt, note, at: now, changeSeq: seq });
    ctx.audit({ entity: 'business_plans', entityId: old.id, changes });
  }
  return { status, validatedAt, note, updatedAt: Object.keys(changes).length || !old ? now : old.updated_at };
}

// ---------- criteria of the participation attestation ----------

export function criteria(_input: In<'sessions.criteria'>, ctx: ReadContext) {
  return getCriteria(ctx.db);
}

export function setCriteria({ minHours, minAttendanceRate }: In<'sessions.setCriteria'>, ctx: WriteContext) {
  const old = getCriteria(ctx.db);
  repo.writeSetting(ctx.db, CRITERIA_KEYS.minHours, JSON.stringify(minHours));
  repo.writeSetting(ctx.db, CRITERIA_KEYS.minAttendanceRate, JSON.stringify(minAttendanceRate));
  const changes = diffFields(old, { minHours, minAttendanceRate });
  if (Object.keys(changes).length) ctx.audit({ entity: 'settings', entityId: 'sessions.criteria', changes });
  return { minHours, minAttendanceRate };
}
