import type { Sqlite } from '../db/connection';
import { stmt } from '../db/statements';
import type {
  AttendanceStatus,
  AttendanceTable,
  CohortMembersTable,
  CohortsTable,
  FacilitatorsTable,
  OrganisationsTable,
  TrainingSessionsTable,
} from '../db/schema-sessions';
import type {
  ChecklistRow,
  CohortDetail,
  CohortMember,
  CohortSummary,
  Facilitator,
  Organisation,
  SessionInfo,
  SessionInRange,
  TimelineEntry,
  Topic,
} from '../../shared/api/sessions.contract';
import { OUTSIDE_SQL, round2, type OutsideReason } from './participation';

/** Queries of the sessions feature (raw prepared statements: the same connection and transaction as the call). */

export type OrganisationRow = OrganisationsTable;
export type FacilitatorRow = FacilitatorsTable;
export type CohortRow = CohortsTable;
export type MemberRow = CohortMembersTable;
export type SessionRow = TrainingSessionsTable;
export type AttendanceRow = AttendanceTable;

export interface ApplicantLite {
  id: string;
  office_id: string;
  file_no: string;
  status: string;
  anonymised_at: string | null;
  first_name_ar: string;
  last_name_ar: string;
  first_name_lat: string;
  last_name_lat: string;
}

/** Restricts a query to the office (a regional installation reads every office's rows). */
export interface Scope {
  officeId: string;
  all: boolean;
}

// ---------- topics ----------

export function listTopics(db: Sqlite, includeInactive = false): Topic[] {
  const rows = stmt<[number], { code: string; label_ar: string; label_fr: string; active: number; sort: number }>(
    db,
    `SELECT code, label_ar, label_fr, active, sort FROM ref_items WHERE kind = 'topic' AND active >= ? ORDER BY sort, code`,
  ).all(includeInactive ? 0 : 1);
  return rows.map((r) => ({ code: r.code, labelAr: r.label_ar, labelFr: r.label_fr, active: r.active === 1, sort: r.sort }));
}

export function findTopic(db: Sqlite, code: string) {
  return stmt<[string], { code: string; label_ar: string; label_fr: string; active: number; sort: number }>(
    db,
    `SELECT code, label_ar, label_fr, active, sort FROM ref_items WHERE kind = 'topic' AND code = ?`,
  ).get(code);
}

// ---------- organisations, facilitators ----------

export function toFacilitator(r: FacilitatorRow): Facilitator {
  return { id: r.id, organisationId: r.organisation_id, fullName: r.full_name, role: r.role, phone: r.phone, active: r.active === 1 };
}

export function toOrganisation(r: OrganisationRow, facilitators: FacilitatorRow[]): Organisation {
  return {
    id: r.id,
    kind: r.kind,
    provinceCode: r.province_code,
    nameAr: r.name_ar,
    nameFr: r.name_fr,
    phone: r.phone,
    address: r.address,
    active: r.active === 1,
    facilitators: facilitators.map(toFacilitator),
  };
}

export function findOrganisation(db: Sqlite, id: string) {
  return stmt<[string], OrganisationRow>(db, 'SELECT * FROM organisations WHERE id = ?').get(id);
}
export function findFacilitator(db: Sqlite, id: string) {
  return stmt<[string], FacilitatorRow>(db, 'SELECT * FROM facilitators WHERE id = ?').get(id);
}
export function facilitatorsOf(db: Sqlite, organisationId: string) {
  return stmt<[string], FacilitatorRow>(db, 'SELECT * FROM facilitators WHERE organisation_id = ? ORDER BY full_name').all(organisationId);
}

export function listOrganisations(db: Sqlite, scope: Scope, includeInactive: boolean): Organisation[] {
  const orgs = stmt<[number, string, number], OrganisationRow>(
    db,
    `SELECT * FROM organisations WHERE (? = 1 OR office_id = ?) AND active >= ? ORDER BY kind, name_fr`,
  ).all(scope.all ? 1 : 0, scope.officeId, includeInactive ? 0 : 1);
  const facs = stmt<[number, string, number], FacilitatorRow>(
    db,
    `SELECT * FROM facilitators WHERE (? = 1 OR office_id = ?) AND active >= ? ORDER BY full_name`,
  ).all(scope.all ? 1 : 0, scope.officeId, includeInactive ? 0 : 1);
  const byOrg = new Map<string, FacilitatorRow[]>();
  for (const f of facs) {
    const l = byOrg.get(f.organisation_id);
    if (l) l.push(f);
    else byOrg.set(f.organisation_id, [f]);
  }
  return orgs.map((o) => toOrganisation(o, byOrg.get(o.id) ?? []));
}

// ---------- applicants (read only: the registry owns them) ----------

export function findApplicant(db: Sqlite, id: string) {
  return stmt<[string], ApplicantLite>(
    db,
    `SELECT id, office_id, file_no, status, anonymised_at, first_name_ar, last_name_ar, first_name_lat, last_name_lat
       FROM applicants WHERE id = ?`,
  ).get(id);
}

// ---------- cohorts ----------

export function findCohort(db: Sqlite, id: string) {
  return stmt<[string], CohortRow>(db, 'SELECT * FROM cohorts WHERE id = ?').get(id);
}

const COHORT_SUMMARY_SQL = `
  SELECT c.*, o.name_ar AS org_ar, o.name_fr AS org_fr,
         (SELECT count(*) FROM cohort_members m WHERE m.cohort_id = c.id AND m.withdrawn_at IS NULL) AS active_members,
         (SELECT count(*) FROM cohort_members m WHERE m.cohort_id = c.id AND m.withdrawn_at IS NOT NULL) AS withdrawn_members,
         (SELECT count(*) FROM training_sessions s WHERE s.cohort_id = c.id AND s.cancelled_at IS NULL) AS sessions
    FROM cohorts c JOIN organisations o ON o.id = c.organisation_id`;

type CohortSummaryRow = CohortRow & { org_ar: string; org_fr: string; active_members: number; withdrawn_members: number; sessions: number };

function toCohortSummary(r: CohortSummaryRow): CohortSummary {
  return {
    id: r.id,
    organisationId: r.organisation_id,
    organisationNameAr: r.org_ar,
    organisationNameFr: r.org_fr,
    name: r.name,
    startDate: r.start_date,
    endDate: r.end_date,
    place: r.place,
    notes: r.notes,
    activeMembers: r.active_members,
    withdrawnMembers: r.withdrawn_members,
    sessions: r.sessions,
  };
}

export function cohortSummary(db: Sqlite, id: string): CohortSummary | undefined {
  const r = stmt<[string], CohortSummaryRow>(db, `${COHORT_SUMMARY_SQL} WHERE c.id = ?`).get(id);
  return r && toCohortSummary(r);
}

export function listCohorts(db: Sqlite, scope: Scope, f: { organisationId?: string; search?: string }): CohortSummary[] {
  const rows = stmt<Record<string, unknown>, CohortSummaryRow>(
    db,
    `${COHORT_SUMMARY_SQL}
      WHERE (@all = 1 OR c.office_id = @office) AND (@org IS NULL OR c.organisation_id = @org)
        AND (@q IS NULL OR c.name LIKE '%' || @q || '%')
      ORDER BY c.start_date DESC, c.name`,
  ).all({ all: scope.all ? 1 : 0, office: scope.officeId, org: f.organisationId ?? null, q: f.search ?? null });
  return rows.map(toCohortSummary);
}

export function findMember(db: Sqlite, cohortId: string, applicantId: string) {
  return stmt<[string, string], MemberRow>(db, 'SELECT * FROM cohort_members WHERE cohort_id = ? AND applicant_id = ?').get(cohortId, applicantId);
}

type MemberDetailRow = MemberRow &
  Pick<ApplicantLite, 'file_no' | 'first_name_ar' | 'last_name_ar' | 'first_name_lat' | 'last_name_lat' | 'status'> & {
    minutes: number;
    minutes_outside: number;
    present: number;
    absent: number;
    excused: number;
  };

export function cohortMembers(db: Sqlite, cohortId: string): CohortMember[] {
  const rows = stmt<[string], MemberDetailRow>(
    db,
    `SELECT m.*, ap.file_no, ap.first_name_ar, ap.last_name_ar, ap.first_name_lat, ap.last_name_lat, ap.status,
            COALESCE(SUM(CASE WHEN a.status = 'present' AND (${OUTSIDE_SQL}) IS NULL THEN s.duration_min END), 0) AS minutes,
            COALESCE(SUM(CASE WHEN a.status = 'present' AND (${OUTSIDE_SQL}) IS NOT NULL THEN s.duration_min END), 0) AS minutes_outside,
            COUNT(CASE WHEN a.status = 'present' AND (${OUTSIDE_SQL}) IS NULL THEN 1 END) AS present,
            COUNT(CASE WHEN a.status = 'absent' AND (${OUTSIDE_SQL}) IS NULL THEN 1 END) AS absent,
            COUNT(CASE WHEN a.status = 'excused' AND (${OUTSIDE_SQL}) IS NULL THEN 1 END) AS excused
       FROM cohort_members m
       JOIN cohorts c ON c.id = m.cohort_id
       JOIN applicants ap ON ap.id = m.applicant_id
       LEFT JOIN training_sessions s ON s.cohort_id = m.cohort_id AND s.cancelled_at IS NULL
       LEFT JOIN attendance a ON a.session_id = s.id AND a.applicant_id = m.applicant_id
      WHERE m.cohort_id = ?
      GROUP BY m.id
      ORDER BY m.withdrawn_at IS NOT NULL, ap.last_name_ar, ap.first_name_ar`,
  ).all(cohortId);
  return rows.map((r) => ({
    applicantId: r.applicant_id,
    fileNo: r.file_no,
    firstNameAr: r.first_name_ar,
    lastNameAr: r.last_name_ar,
    firstNameLat: r.first_name_lat,
    lastNameLat: r.last_name_lat,
    status: r.status,
    enrolledAt: r.enrolled_at,
    withdrawnAt: r.withdrawn_at,
    withdrawReason: r.withdraw_reason,
    hours: round2(r.minutes / 60),
    hoursOutside: round2(r.minutes_outside / 60),
    present: r.present,
    absent: r.absent,
    excused: r.excused,
  }));
}

/** The cohort's (not cancelled) sessions dated before its start or after its end: they count for nobody. */
export function outsideSessions(db: Sqlite, cohortId: string): CohortDetail['outsideSessions'] {
  return stmt<[string], { id: string; date: string; topic_ar: string | null; topic_fr: string | null; topic_code: string; reason: 'before_cohort' | 'after_cohort' }>(
    db,
    `SELECT s.id, s.date, s.topic_code, t.label_ar AS topic_ar, t.label_fr AS topic_fr,
            CASE WHEN s.date < c.start_date THEN 'before_cohort' ELSE 'after_cohort' END AS reason
       FROM training_sessions s
       JOIN cohorts c ON c.id = s.cohort_id
       LEFT JOIN ref_items t ON t.kind = 'topic' AND t.code = s.topic_code
      WHERE s.cohort_id = ? AND s.cancelled_at IS NULL
        AND (s.date < c.start_date OR (c.end_date IS NOT NULL AND s.date > c.end_date))
      ORDER BY s.date`,
  )
    .all(cohortId)
    .map((r) => ({ id: r.id, date: r.date, topicAr: r.topic_ar ?? r.topic_code, topicFr: r.topic_fr ?? r.topic_code, reason: r.reason }));
}

/** Members expected at a session of that date: enrolled and not withdrawn before the day. */
export function activeMemberIds(db: Sqlite, cohortId: string, date: string): Set<string> {
  const rows = stmt<[string, string], { applicant_id: string }>(
    db,
    'SELECT applicant_id FROM cohort_members WHERE cohort_id = ? AND (withdrawn_at IS NULL OR withdrawn_at >= ?)',
  ).all(cohortId, date);
  return new Set(rows.map((r) => r.applicant_id));
}

// ---------- sessions ----------

export function findSession(db: Sqlite, id: string) {
  return stmt<[string], SessionRow>(db, 'SELECT * FROM training_sessions WHERE id = ?').get(id);
}

const SESSION_INFO_SQL = `
  SELECT s.*, o.name_ar AS org_ar, o.name_fr AS org_fr, f.full_name AS fac_name, c.name AS cohort_name,
         t.label_ar AS topic_ar, t.label_fr AS topic_fr
    FROM training_sessions s
    JOIN organisations o ON o.id = s.organisation_id
    LEFT JOIN facilitators f ON f.id = s.facilitator_id
    LEFT JOIN cohorts c ON c.id = s.cohort_id
    LEFT JOIN ref_items t ON t.kind = 'topic' AND t.code = s.topic_code`;

type SessionInfoRow = SessionRow & {
  org_ar: string;
  org_fr: string;
  fac_name: string | null;
  cohort_name: string | null;
  topic_ar: string | null;
  topic_fr: string | null;
};

function toSessionInfo(r: SessionInfoRow): SessionInfo {
  return {
    id: r.id,
    kind: r.kind,
    date: r.date,
    startTime: r.start_time,
    endTime: r.end_time,
    durationMinutes: r.duration_min,
    hours: round2(r.duration_min / 60),
    topic: r.topic_code,
    topicAr: r.topic_ar ?? r.topic_code,
    topicFr: r.topic_fr ?? r.topic_code,
    place: r.place,
    organisationId: r.organisation_id,
    organisationNameAr: r.org_ar,
    organisationNameFr: r.org_fr,
    facilitatorId: r.facilitator_id,
    facilitatorName: r.fac_name,
    cohortId: r.cohort_id,
    cohortName: r.cohort_name,
    applicantId: r.applicant_id,
    notes: r.notes,
    nextSteps: r.next_steps,
    cancelledAt: r.cancelled_at,
    cancelReason: r.cancel_reason,
  };
}

export function sessionInfo(db: Sqlite, id: string): SessionInfo | undefined {
  const r = stmt<[string], SessionInfoRow>(db, `${SESSION_INFO_SQL} WHERE s.id = ?`).get(id);
  return r && toSessionInfo(r);
}

export function attendanceOf(db: Sqlite, sessionId: string) {
  return stmt<[string], AttendanceRow>(db, 'SELECT * FROM attendance WHERE session_id = ?').all(sessionId);
}

type ChecklistDbRow = Pick<ApplicantLite, 'file_no' | 'first_name_ar' | 'last_name_ar' | 'first_name_lat' | 'last_name_lat'> & {
  applicant_id: string;
  status: AttendanceStatus | null;
  note: string | null;
};

/** Who is expected at the session (active cohort members, or the mentored woman) and anyone with a row, with her status. */
export function checklist(db: Sqlite, s: SessionRow): ChecklistRow[] {
  const rows = stmt<{ sid: string; cohort: string | null; applicant: string | null; date: string }, ChecklistDbRow>(
    db,
    `WITH who(applicant_id) AS (
        SELECT applicant_id FROM cohort_members
         WHERE cohort_id = @cohort AND (withdrawn_at IS NULL OR withdrawn_at >= @date)
        UNION SELECT @applicant WHERE @applicant IS NOT NULL
        UNION SELECT applicant_id FROM attendance WHERE session_id = @sid)
     SELECT w.applicant_id, ap.file_no, ap.first_name_ar, ap.last_name_ar, ap.first_name_lat, ap.last_name_lat,
            a.status, a.note
       FROM who w JOIN applicants ap ON ap.id = w.applicant_id
       LEFT JOIN attendance a ON a.session_id = @sid AND a.applicant_id = w.applicant_id
      ORDER BY ap.last_name_ar, ap.first_name_ar, ap.file_no`,
  ).all({ sid: s.id, cohort: s.cohort_id, applicant: s.applicant_id, date: s.date });
  return rows.map((r) => ({
    applicantId: r.applicant_id,
    fileNo: r.file_no,
    firstNameAr: r.first_name_ar,
    lastNameAr: r.last_name_ar,
    firstNameLat: r.first_name_lat,
    lastNameLat: r.last_name_lat,
    status: r.status,
    note: r.note ?? '',
  }));
}

type RangeRow = SessionInfoRow & { present: number; absent: number; excused: number };

export function sessionsInRange(
  db: Sqlite,
  scope: Scope,
  f: { from: string; to: string; cohortId?: string; organisationId?: string; kind?: string; includeCancelled: boolean },
): SessionInRange[] {
  const params: Record<string, unknown> = {
    from: f.from,
    to: f.to,
    cohort: f.cohortId ?? null,
    org: f.organisationId ?? null,
    kind: f.kind ?? null,
    cancelled: f.includeCancelled ? 1 : 0,
  };
  if (!scope.all) params.office = scope.officeId;
  // The scope is spelled out (not `@all = 1 OR …`) so that the (office_id, date) index is used.
  const where = `${scope.all ? '' : 's.office_id = @office AND '}s.date BETWEEN @from AND @to
                AND (@cohort IS NULL OR s.cohort_id = @cohort)
                AND (@org IS NULL OR s.organisation_id = @org)
                AND (@kind IS NULL OR s.kind = @kind)
                AND (@cancelled = 1 OR s.cancelled_at IS NULL)`;
  // Counts by correlated subqueries: index seeks on attendance(session_id, status).
  const rows = stmt<Record<string, unknown>, RangeRow>(
    db,
    `SELECT x.*,
            (SELECT count(*) FROM attendance a WHERE a.session_id = x.id AND a.status = 'present') AS present,
            (SELECT count(*) FROM attendance a WHERE a.session_id = x.id AND a.status = 'absent') AS absent,
            (SELECT count(*) FROM attendance a WHERE a.session_id = x.id AND a.status = 'excused') AS excused
       FROM (${SESSION_INFO_SQL} WHERE ${where}) x
      ORDER BY x.date, x.start_time, x.created_at`,
  ).all(params);
  // Expected = members of the cohort not withdrawn before the session's day: read each cohort's roster once.
  const rosters = new Map<string, (string | null)[]>();
  for (const m of stmt<Record<string, unknown>, { cohort_id: string; withdrawn_at: string | null }>(
    db,
    `SELECT m.cohort_id, m.withdrawn_at FROM cohort_members m
      WHERE m.cohort_id IN (SELECT DISTINCT s.cohort_id FROM training_sessions s WHERE ${where} AND s.cohort_id IS NOT NULL)`,
  ).iterate(params)) {
    const l = rosters.get(m.cohort_id);
    if (l) l.push(m.withdrawn_at);
    else rosters.set(m.cohort_id, [m.withdrawn_at]);
  }
  return rows.map((r) => {
    const roster = r.cohort_id ? (rosters.get(r.cohort_id) ?? []) : [];
    const expected = r.kind === 'mentoring' ? 1 : roster.filter((w) => w === null || w >= r.date).length;
    return { ...toSessionInfo(r), expected, present: r.present, absent: r.absent, excused: r.excused };
  });
}

type TimelineRow = SessionInfoRow & { att_status: AttendanceStatus | null; outside: OutsideReason | null };

/** Her sessions: those with an attendance row, plus her cohorts' sessions not yet recorded (status null). Newest first. */
export function timeline(db: Sqlite, applicantId: string): TimelineEntry[] {
  const rows = stmt<{ a: string }, TimelineRow>(
    db,
    `SELECT * FROM (
       SELECT s.*, o.name_ar AS org_ar, o.name_fr AS org_fr, f.full_name AS fac_name, c.name AS cohort_name,
              t.label_ar AS topic_ar, t.label_fr AS topic_fr, a.status AS att_status, ${OUTSIDE_SQL} AS outside
         FROM attendance a
         JOIN training_sessions s ON s.id = a.session_id
         JOIN organisations o ON o.id = s.organisation_id
         LEFT JOIN facilitators f ON f.id = s.facilitator_id
         LEFT JOIN cohorts c ON c.id = s.cohort_id
         LEFT JOIN cohort_members m ON m.cohort_id = s.cohort_id AND m.applicant_id = a.applicant_id
         LEFT JOIN ref_items t ON t.kind = 'topic' AND t.code = s.topic_code
        WHERE a.applicant_id = @a AND s.cancelled_at IS NULL
       UNION ALL
       SELECT s.*, o.name_ar, o.name_fr, f.full_name, c.name, t.label_ar, t.label_fr, NULL, ${OUTSIDE_SQL}
         FROM cohort_members m
         JOIN training_sessions s ON s.cohort_id = m.cohort_id
         JOIN cohorts c ON c.id = s.cohort_id
         JOIN organisations o ON o.id = s.organisation_id
         LEFT JOIN facilitators f ON f.id = s.facilitator_id
         LEFT JOIN ref_items t ON t.kind = 'topic' AND t.code = s.topic_code
        WHERE m.applicant_id = @a AND s.cancelled_at IS NULL AND (m.withdrawn_at IS NULL OR s.date <= m.withdrawn_at)
          AND NOT EXISTS (SELECT 1 FROM attendance x WHERE x.session_id = s.id AND x.applicant_id = @a))
     ORDER BY date DESC, start_time DESC`,
  ).all({ a: applicantId });
  return rows.map((r) => ({
    sessionId: r.id,
    date: r.date,
    kind: r.kind,
    topic: r.topic_code,
    topicAr: r.topic_ar ?? r.topic_code,
    topicFr: r.topic_fr ?? r.topic_code,
    durationMinutes: r.duration_min,
    hours: r.att_status === 'present' && !r.outside ? round2(r.duration_min / 60) : 0,
    status: r.att_status,
    outside: r.outside,
    cohortId: r.cohort_id,
    cohortName: r.cohort_name,
    organisationNameAr: r.org_ar,
    organisationNameFr: r.org_fr,
    facilitatorName: r.fac_name,
    place: r.place,
    notes: r.notes,
    nextSteps: r.next_steps,
  }));
}

export function memberships(db: Sqlite, applicantId: string) {
  return stmt<[string], MemberRow & { name: string }>(
    db,
    `SELECT m.*, c.name FROM cohort_members m JOIN cohorts c ON c.id = m.cohort_id WHERE m.applicant_id = ? ORDER BY m.enrolled_at DESC`,
  )
    .all(applicantId)
    .map((r) => ({ cohortId: r.cohort_id, name: r.name, enrolledAt: r.enrolled_at, withdrawnAt: r.withdrawn_at, withdrawReason: r.withdraw_reason }));
}

export function findBusinessPlan(db: Sqlite, applicantId: string) {
  return stmt<[string], { id: string; status: 'not_started' | 'draft' | 'validated'; validated_at: string | null; note: string; updated_at: string }>(
    db,
    'SELECT id, status, validated_at, note, updated_at FROM business_plans WHERE applicant_id = ?',
  ).get(applicantId);
}
