import { AppError } from '../../shared/errors';
import type { AttendanceStatus, SessionDetail } from '../../shared/api/sessions.contract';
import type { Handlers, HandlersOf } from '../handler-types';
import type { sessionsContract } from '../../shared/api/sessions.contract';
import type { HandlerContext, ReadContext, FieldChanges } from '../context';
import { diffFields as diffRecords } from '../context';
import { stmt } from '../db/statements';
import { CRITERIA_KEYS, computeParticipation, getCriteria } from './participation';
import * as repo from './sessions.repo';
import { sheetsHandlers } from './sheets.handlers';
import { canStartTraining, TRAINING_OR_LATER, requireApplicant, requireOwnRow, resolveTimes, scopeOf, startTraining } from './sessions.service';

/** diffFields over row interfaces (which have no index signature). */
function diffFields(before: object | null | undefined, after: object, fields?: readonly string[]): FieldChanges {
  return diffRecords(before as Record<string, unknown> | null | undefined, after as Record<string, unknown>, fields);
}

function requireTopic(ctx: HandlerContext, code: string) {
  const t = repo.findTopic(ctx.sqlite, code);
  if (!t || t.active !== 1) throw new AppError('session.topic_unknown', { topic: code });
  return t;
}

function requireOrganisation(ctx: HandlerContext, id: string) {
  return requireOwnRow(ctx, repo.findOrganisation(ctx.sqlite, id), 'session.organisation_not_found', { id }) as repo.OrganisationRow;
}

function requireFacilitator(ctx: HandlerContext, id: string, organisationId: string) {
  const f = requireOwnRow(ctx, repo.findFacilitator(ctx.sqlite, id), 'session.facilitator_not_found', { id }) as repo.FacilitatorRow;
  if (f.organisation_id !== organisationId) throw new AppError('session.facilitator_other_organisation', { id });
  return f;
}

function requireCohort(ctx: ReadContext, id: string) {
  return requireOwnRow(ctx, repo.findCohort(ctx.sqlite, id), 'session.cohort_not_found', { id }) as repo.CohortRow;
}

function requireTrainingSession(ctx: ReadContext, id: string) {
  return requireOwnRow(ctx, repo.findSession(ctx.sqlite, id), 'session.not_found', { id }) as repo.SessionRow;
}

function sessionDetail(ctx: ReadContext, id: string): SessionDetail {
  const info = repo.sessionInfo(ctx.sqlite, id);
  if (!info) throw new AppError('session.not_found', { id });
  return { ...info, checklist: repo.checklist(ctx.sqlite, repo.findSession(ctx.sqlite, id)!) };
}

function userName(ctx: HandlerContext) {
  return ctx.actor.kind === 'user' ? ctx.actor.username : ctx.actor.kind === 'cli' ? `cli:${ctx.actor.osUser}` : null;
}

/**
 * Writes the checklist of a session: inserts new rows, updates changed ones, leaves identical ones.
 * Every applicant must be expected at the session (an active member of the cohort on that day, or the
 * mentored woman). One audit entry per session lists each change as {applicantId: [from, to]}.
 */
function writeAttendance(
  ctx: HandlerContext,
  s: repo.SessionRow,
  entries: { applicantId: string; status: AttendanceStatus; note: string }[],
) {
  if (s.cancelled_at) throw new AppError('session.cancelled', { id: s.id });
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.applicantId)) throw new AppError('session.attendance_duplicate', { applicantId: e.applicantId });
    seen.add(e.applicantId);
  }
  const expected = s.kind === 'mentoring' ? new Set([s.applicant_id!]) : repo.activeMemberIds(ctx.sqlite, s.cohort_id!, s.date);
  const notExpected = entries.filter((e) => !expected.has(e.applicantId)).map((e) => e.applicantId);
  if (notExpected.length) throw new AppError('session.attendance_not_member', { applicantIds: notExpected.slice(0, 20), count: notExpected.length });

  const existing = new Map(repo.attendanceOf(ctx.sqlite, s.id).map((r) => [r.applicant_id, r]));
  const now = ctx.now();
  const ins = stmt(
    ctx.sqlite,
    `INSERT INTO attendance (id, office_id, session_id, applicant_id, status, note, created_at, updated_at, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upd = stmt(ctx.sqlite, `UPDATE attendance SET status = ?, note = ?, updated_at = ?, change_seq = ? WHERE id = ?`);
  const changes: FieldChanges = {};
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;
  for (const e of entries) {
    const old = existing.get(e.applicantId);
    if (!old) {
      const id = ctx.newId();
      ins.run(id, s.office_id, s.id, e.applicantId, e.status, e.note, now, now, ctx.change('attendance', id, 'insert', s.office_id));
      changes[e.applicantId] = [null, e.note ? `${e.status} (${e.note})` : e.status];
      inserted++;
    } else if (old.status !== e.status || old.note !== e.note) {
      upd.run(e.status, e.note, now, ctx.change('attendance', old.id, 'update', s.office_id), old.id);
      changes[e.applicantId] = [old.note ? `${old.status} (${old.note})` : old.status, e.note ? `${e.status} (${e.note})` : e.status];
      updated++;
    } else unchanged++;
  }
  if (inserted || updated) ctx.audit({ entity: 'attendance', entityId: s.id, changes });
  return { sessionId: s.id, inserted, updated, unchanged };
}

function removeAttendance(ctx: HandlerContext, rows: { id: string; office_id: string }[]) {
  const del = stmt(ctx.sqlite, 'DELETE FROM attendance WHERE id = ?');
  for (const r of rows) {
    ctx.change('attendance', r.id, 'delete', r.office_id);
    del.run(r.id);
  }
}

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type SessionsHandlers = HandlersOf<typeof sessionsContract>;

export const sessionsHandlers = {
  'sessions.lookups': async ({ includeInactive }, ctx) => ({
    topics: repo.listTopics(ctx.sqlite, includeInactive),
    organisations: repo.listOrganisations(ctx.sqlite, scopeOf(ctx), includeInactive),
    criteria: getCriteria(ctx.sqlite),
  }),

  'topics.save': async (input, ctx) => {
    const old = repo.findTopic(ctx.sqlite, input.code);
    const next = { label_ar: input.labelAr, label_fr: input.labelFr, active: input.active ? 1 : 0, sort: input.sort ?? old?.sort ?? 50 };
    if (old) {
      stmt(ctx.sqlite, `UPDATE ref_items SET label_ar = ?, label_fr = ?, active = ?, sort = ? WHERE kind = 'topic' AND code = ?`).run(
        next.label_ar,
        next.label_fr,
        next.active,
        next.sort,
        input.code,
      );
    } else {
      stmt(ctx.sqlite, `INSERT INTO ref_items (kind, code, label_ar, label_fr, sensitive, active, sort) VALUES ('topic', ?, ?, ?, 0, ?, ?)`).run(
        input.code,
        next.label_ar,
        next.label_fr,
        next.active,
        next.sort,
      );
    }
    const changes = diffFields(old ?? null, next);
    if (Object.keys(changes).length) ctx.audit({ entity: 'ref_items', entityId: `topic:${input.code}`, changes });
    return { code: input.code, labelAr: next.label_ar, labelFr: next.label_fr, active: next.active === 1, sort: next.sort };
  },

  'organisations.create': async (input, ctx) => {
    const office = ctx.requireOffice();
    const province = input.provinceCode ?? office.province_code;
    if (!province) throw new AppError('session.organisation_province_required');
    if (office.kind === 'province' && province !== office.province_code) throw new AppError('territory.out_of_scope', { provinceCode: province });
    if (!stmt(ctx.sqlite, 'SELECT 1 FROM provinces WHERE code = ?').get(province)) throw new AppError('session.organisation_province_unknown', { provinceCode: province });
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
    await ctx.kysely.insertInto('organisations').values(row).execute();
    ctx.audit({ entity: 'organisations', entityId: id, changes: diffFields(null, row, ['kind', 'province_code', 'name_ar', 'name_fr', 'phone', 'address']) });
    return repo.toOrganisation(row, []);
  },

  'organisations.update': async (input, ctx) => {
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
      await ctx.kysely.updateTable('organisations').set({ ...next, updated_at: ctx.now(), change_seq: seq }).where('id', '=', old.id).execute();
      ctx.audit({ entity: 'organisations', entityId: old.id, changes });
    }
    return repo.toOrganisation({ ...old, ...next }, repo.facilitatorsOf(ctx.sqlite, old.id));
  },

  'facilitators.create': async (input, ctx) => {
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
    await ctx.kysely.insertInto('facilitators').values(row).execute();
    ctx.audit({ entity: 'facilitators', entityId: id, changes: diffFields(null, row, ['organisation_id', 'full_name', 'role', 'phone']) });
    return repo.toFacilitator(row);
  },

  'facilitators.update': async (input, ctx) => {
    const old = requireOwnRow(ctx, repo.findFacilitator(ctx.sqlite, input.id), 'session.facilitator_not_found', { id: input.id }) as repo.FacilitatorRow;
    const next = {
      full_name: input.fullName ?? old.full_name,
      role: input.role ?? old.role,
      phone: input.phone === undefined ? old.phone : input.phone,
      active: input.active === undefined ? old.active : input.active ? 1 : 0,
    };
    const changes = diffFields(old, next);
    if (Object.keys(changes).length) {
      const seq = ctx.change('facilitators', old.id, 'update', old.office_id);
      await ctx.kysely.updateTable('facilitators').set({ ...next, updated_at: ctx.now(), change_seq: seq }).where('id', '=', old.id).execute();
      ctx.audit({ entity: 'facilitators', entityId: old.id, changes });
    }
    return repo.toFacilitator({ ...old, ...next });
  },

  'cohorts.list': async (input, ctx) => repo.listCohorts(ctx.sqlite, scopeOf(ctx), input),

  'cohorts.get': async ({ id }, ctx) => {
    const summary = repo.cohortSummary(ctx.sqlite, requireCohort(ctx, id).id)!;
    return { ...summary, members: repo.cohortMembers(ctx.sqlite, id), outsideSessions: repo.outsideSessions(ctx.sqlite, id) };
  },

  'cohorts.create': async (input, ctx) => {
    const org = requireOrganisation(ctx, input.organisationId);
    if (input.endDate && input.endDate < input.startDate) throw new AppError('session.cohort_end_before_start');
    const office = ctx.requireOffice();
    const id = ctx.newId();
    const now = ctx.now();
    const row: repo.CohortRow = {
      id,
      office_id: office.kind === 'region' ? org.office_id : office.id,
      organisation_id: org.id,
      name: input.name,
      start_date: input.startDate,
      end_date: input.endDate ?? null,
      place: input.place,
      notes: input.notes,
      created_at: now,
      updated_at: now,
      change_seq: 0,
    };
    row.change_seq = ctx.change('cohorts', id, 'insert', row.office_id);
    await ctx.kysely.insertInto('cohorts').values(row).execute();
    ctx.audit({ entity: 'cohorts', entityId: id, changes: diffFields(null, row, ['organisation_id', 'name', 'start_date', 'end_date', 'place', 'notes']) });
    return repo.cohortSummary(ctx.sqlite, id)!;
  },

  'cohorts.update': async (input, ctx) => {
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
      await ctx.kysely.updateTable('cohorts').set({ ...next, updated_at: ctx.now(), change_seq: seq }).where('id', '=', old.id).execute();
      ctx.audit({ entity: 'cohorts', entityId: old.id, changes });
    }
    return repo.cohortSummary(ctx.sqlite, old.id)!;
  },

  'cohorts.enrol': async ({ cohortId, applicantIds, date, moveToTraining }, ctx) => {
    const cohort = requireCohort(ctx, cohortId);
    const ids = [...new Set(applicantIds)];
    const applicants = ids.map((id) => requireApplicant(ctx, id));
    // Check everyone first: the call enrols all of them or none.
    const toStart = applicants.filter((a) => canStartTraining(a.status));
    const refused = applicants.filter((a) => !canStartTraining(a.status) && !TRAINING_OR_LATER.has(a.status));
    if (refused.length) {
      throw new AppError('session.cohort_status_not_allowed', { fileNos: refused.map((a) => a.file_no).join(', '), statuses: refused.map((a) => a.status) });
    }
    if (toStart.length && !moveToTraining) {
      throw new AppError('session.cohort_confirm_training', { fileNos: toStart.map((a) => a.file_no).join(', '), count: toStart.length, applicantIds: toStart.map((a) => a.id) });
    }
    const now = ctx.now();
    const enrolled: string[] = [];
    for (const a of applicants) {
      const m = repo.findMember(ctx.sqlite, cohort.id, a.id);
      if (m && !m.withdrawn_at) continue; // already an active member
      if (m) {
        const seq = ctx.change('cohort_members', m.id, 'update', m.office_id);
        stmt(ctx.sqlite, 'UPDATE cohort_members SET enrolled_at = ?, withdrawn_at = NULL, withdraw_reason = NULL, updated_at = ?, change_seq = ? WHERE id = ?').run(date, now, seq, m.id);
        ctx.audit({
          entity: 'cohort_members',
          entityId: m.id,
          changes: { enrolled_at: [m.enrolled_at, date], withdrawn_at: [m.withdrawn_at, null], withdraw_reason: [m.withdraw_reason, null] },
        });
      } else {
        const id = ctx.newId();
        const seq = ctx.change('cohort_members', id, 'insert', cohort.office_id);
        stmt(
          ctx.sqlite,
          `INSERT INTO cohort_members (id, office_id, cohort_id, applicant_id, enrolled_at, withdrawn_at, withdraw_reason, created_at, updated_at, change_seq)
           VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)`,
        ).run(id, cohort.office_id, cohort.id, a.id, date, now, now, seq);
        ctx.audit({ entity: 'cohort_members', entityId: id, changes: { cohort_id: [null, cohort.id], applicant_id: [null, a.id], enrolled_at: [null, date] } });
      }
      enrolled.push(a.id);
    }
    for (const a of toStart) startTraining(ctx, a, `cohort: ${cohort.name}`);
    return { enrolled, movedToTraining: toStart.map((a) => a.id) };
  },

  'cohorts.withdraw': async ({ cohortId, applicantId, date, reason }, ctx) => {
    const cohort = requireCohort(ctx, cohortId);
    const m = repo.findMember(ctx.sqlite, cohort.id, applicantId);
    if (!m) throw new AppError('session.cohort_not_member', { applicantId });
    if (m.withdrawn_at) throw new AppError('session.cohort_already_withdrawn', { date: m.withdrawn_at });
    if (date < m.enrolled_at) throw new AppError('session.cohort_withdraw_before_enrol', { enrolledAt: m.enrolled_at });
    const seq = ctx.change('cohort_members', m.id, 'update', m.office_id);
    stmt(ctx.sqlite, 'UPDATE cohort_members SET withdrawn_at = ?, withdraw_reason = ?, updated_at = ?, change_seq = ? WHERE id = ?').run(date, reason, ctx.now(), seq, m.id);
    // She is no longer expected after that day: rows recorded for later sessions of this cohort go.
    const later = stmt<[string, string, string], { id: string; office_id: string; session_id: string; status: string; date: string }>(
      ctx.sqlite,
      `SELECT a.id, a.office_id, a.session_id, a.status, s.date FROM attendance a JOIN training_sessions s ON s.id = a.session_id
        WHERE s.cohort_id = ? AND a.applicant_id = ? AND s.date > ?`,
    ).all(cohort.id, applicantId, date);
    removeAttendance(ctx, later);
    const changes: FieldChanges = { withdrawn_at: [null, date], withdraw_reason: [null, reason] };
    for (const r of later) changes[`attendance:${r.session_id}`] = [`${r.date} ${r.status}`, null];
    ctx.audit({ entity: 'cohort_members', entityId: m.id, changes });
    return { applicantId, removedAttendance: later.length };
  },

  'sessions.create': async (input, ctx) => {
    const office = ctx.requireOffice();
    requireTopic(ctx, input.topic);
    const org = requireOrganisation(ctx, input.organisationId);
    if (input.facilitatorId) requireFacilitator(ctx, input.facilitatorId, org.id);
    const times = resolveTimes(input.startTime ?? null, input.endTime ?? null, input.durationMinutes ?? null);
    let cohortId: string | null = null;
    let applicantId: string | null = null;
    if (input.kind === 'mentoring') {
      if (!input.applicantId) throw new AppError('session.applicant_required');
      applicantId = requireApplicant(ctx, input.applicantId).id;
      if (input.cohortId) throw new AppError('session.mentoring_no_cohort');
    } else {
      if (!input.cohortId) throw new AppError('session.cohort_required');
      if (input.applicantId) throw new AppError('session.group_no_applicant');
      cohortId = requireCohort(ctx, input.cohortId).id;
    }
    const id = ctx.newId();
    const now = ctx.now();
    const officeId = office.kind === 'region' ? org.office_id : office.id;
    const row: repo.SessionRow = {
      id,
      office_id: officeId,
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
      created_by: userName(ctx),
      created_at: now,
      updated_at: now,
      change_seq: ctx.change('training_sessions', id, 'insert', officeId),
    };
    await ctx.kysely.insertInto('training_sessions').values(row).execute();
    ctx.audit({
      entity: 'training_sessions',
      entityId: id,
      changes: diffFields(null, row, ['kind', 'date', 'start_time', 'end_time', 'duration_min', 'topic_code', 'place', 'organisation_id', 'facilitator_id', 'cohort_id', 'applicant_id', 'notes', 'next_steps']),
    });
    // An individual mentoring session is attended by the woman unless said otherwise.
    const attendance = input.kind === 'mentoring' && input.attendance.length === 0 ? [{ applicantId: applicantId!, status: 'present' as const, note: '' }] : input.attendance;
    if (attendance.length) writeAttendance(ctx, row, attendance);
    return sessionDetail(ctx, id);
  },

  'sessions.update': async (input, ctx) => {
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
      const gone = stmt<[string, string, string], { applicant_id: string }>(
        ctx.sqlite,
        `SELECT a.applicant_id FROM attendance a JOIN cohort_members m ON m.cohort_id = ? AND m.applicant_id = a.applicant_id
          WHERE a.session_id = ? AND m.withdrawn_at IS NOT NULL AND m.withdrawn_at < ?`,
      ).all(old.cohort_id, old.id, date);
      if (gone.length) throw new AppError('session.date_after_withdrawal', { applicantIds: gone.map((g) => g.applicant_id), count: gone.length });
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
      await ctx.kysely.updateTable('training_sessions').set({ ...next, updated_at: ctx.now(), change_seq: seq }).where('id', '=', old.id).execute();
      ctx.audit({ entity: 'training_sessions', entityId: old.id, changes });
    }
    return sessionDetail(ctx, old.id);
  },

  'sessions.cancel': async ({ id, reason }, ctx) => {
    const old = requireTrainingSession(ctx, id);
    if (old.cancelled_at) throw new AppError('session.cancelled', { id });
    const at = ctx.now();
    const seq = ctx.change('training_sessions', id, 'update', old.office_id);
    stmt(ctx.sqlite, 'UPDATE training_sessions SET cancelled_at = ?, cancel_reason = ?, updated_at = ?, change_seq = ? WHERE id = ?').run(at, reason, at, seq, id);
    ctx.audit({ entity: 'training_sessions', entityId: id, changes: { cancelled_at: [null, at], cancel_reason: [null, reason] } });
    return { id, cancelledAt: at };
  },

  'sessions.get': async ({ id }, ctx) => {
    requireTrainingSession(ctx, id);
    return sessionDetail(ctx, id);
  },

  'sessions.recordAttendance': async ({ sessionId, entries }, ctx) => {
    const s = requireTrainingSession(ctx, sessionId);
    return writeAttendance(ctx, s, entries);
  },

  'sessions.range': async (input, ctx) => {
    if (input.to < input.from) throw new AppError('session.range_invalid');
    const days = (Date.parse(input.to) - Date.parse(input.from)) / 86_400_000;
    // A week or month view of the office; a cohort's whole path (bounded by the cohort) may span longer.
    const maxDays = input.cohortId ? 400 : 92;
    if (days > maxDays) throw new AppError('session.range_too_long', { maxDays });
    const sessions = repo.sessionsInRange(ctx.sqlite, scopeOf(ctx), input);
    const byDay = new Map<string, { date: string; sessions: number; hours: number; present: number }>();
    const totals = {
      sessions: 0,
      hours: 0,
      present: 0,
      absent: 0,
      excused: 0,
      byKind: { group_training: 0, mentoring: 0, workshop: 0, field_visit: 0 },
    };
    for (const s of sessions) {
      let d = byDay.get(s.date);
      if (!d) byDay.set(s.date, (d = { date: s.date, sessions: 0, hours: 0, present: 0 }));
      if (s.cancelledAt) continue;
      d.sessions++;
      d.hours += s.hours;
      d.present += s.present;
      totals.sessions++;
      totals.hours += s.hours;
      totals.present += s.present;
      totals.absent += s.absent;
      totals.excused += s.excused;
      totals.byKind[s.kind]++;
    }
    totals.hours = Math.round(totals.hours * 100) / 100;
    return { from: input.from, to: input.to, sessions, days: [...byDay.values()], totals };
  },

  'sessions.forApplicant': async ({ applicantId }, ctx) => {
    const scope = scopeOf(ctx);
    const a = repo.findApplicant(ctx.sqlite, applicantId);
    if (!a || (!scope.all && a.office_id !== scope.officeId)) throw new AppError('session.applicant_not_found', { applicantId });
    const bp = repo.findBusinessPlan(ctx.sqlite, applicantId);
    const timeline = repo.timeline(ctx.sqlite, applicantId);
    // The same rows as getParticipation (her attendance at non-cancelled sessions), read once.
    const attended = timeline
      .filter((e) => e.status !== null)
      .map((e) => ({ topic: e.topic, status: e.status!, minutes: e.durationMinutes, date: e.date, label_ar: e.topicAr, label_fr: e.topicFr, outside: e.outside }));
    return {
      applicantId,
      applicant: { fileNo: a.file_no, firstNameAr: a.first_name_ar, lastNameAr: a.last_name_ar, firstNameLat: a.first_name_lat, lastNameLat: a.last_name_lat, status: a.status },
      participation: computeParticipation(attended, getCriteria(ctx.sqlite)),
      timeline,
      cohorts: repo.memberships(ctx.sqlite, applicantId),
      businessPlan: bp
        ? { status: bp.status, validatedAt: bp.validated_at, note: bp.note, updatedAt: bp.updated_at }
        : { status: 'not_started' as const, validatedAt: null, note: '', updatedAt: null },
    };
  },

  'sessions.setBusinessPlan': async ({ applicantId, status, note }, ctx) => {
    const a = requireApplicant(ctx, applicantId);
    const old = repo.findBusinessPlan(ctx.sqlite, applicantId);
    const now = ctx.now();
    const validatedAt = status === 'validated' ? (old?.status === 'validated' ? old.validated_at : ctx.today()) : null;
    const changes = diffFields(old ?? null, { status, note, validated_at: validatedAt });
    if (!old) {
      const id = ctx.newId();
      const seq = ctx.change('business_plans', id, 'insert', a.office_id);
      stmt(
        ctx.sqlite,
        `INSERT INTO business_plans (id, office_id, applicant_id, status, validated_at, note, created_at, updated_at, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(id, a.office_id, applicantId, status, validatedAt, note, now, now, seq);
      ctx.audit({ entity: 'business_plans', entityId: id, changes: { applicant_id: [null, applicantId], ...changes } });
    } else if (Object.keys(changes).length) {
      const seq = ctx.change('business_plans', old.id, 'update', a.office_id);
      stmt(ctx.sqlite, 'UPDATE business_plans SET status = ?, validated_at = ?, note = ?, updated_at = ?, change_seq = ? WHERE id = ?').run(
        status,
        validatedAt,
        note,
        now,
        seq,
        old.id,
      );
      ctx.audit({ entity: 'business_plans', entityId: old.id, changes });
    }
    return { status, validatedAt, note, updatedAt: Object.keys(changes).length || !old ? now : old.updated_at };
  },

  // Attendance sheets and the signed sheets scanned back (sheets.handlers.ts).
  ...sheetsHandlers,

  'sessions.criteria': async (_input, ctx) => getCriteria(ctx.sqlite),

  'sessions.setCriteria': async ({ minHours, minAttendanceRate }, ctx) => {
    const old = getCriteria(ctx.sqlite);
    const put = stmt(ctx.sqlite, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    put.run(CRITERIA_KEYS.minHours, JSON.stringify(minHours));
    put.run(CRITERIA_KEYS.minAttendanceRate, JSON.stringify(minAttendanceRate));
    const changes = diffFields(old, { minHours, minAttendanceRate });
    if (Object.keys(changes).length) ctx.audit({ entity: 'settings', entityId: 'sessions.criteria', changes });
    return { minHours, minAttendanceRate };
  },
} satisfies Partial<Handlers>;
