import { sql, type Selectable } from 'kysely';
import type { ReadableDB, WritableDB } from '../db/handles';
import { all, insertRow, qb, query } from '../db/query';
import type {
  AttendanceStatus,
  AttendanceTable,
  BusinessPlansTable,
  BusinessPlanStatus,
  CohortMembersTable,
  CohortsTable,
  FacilitatorsTable,
  OrganisationsTable,
  SessionAttachmentsTable,
  TrainingSessionsTable,
} from '../db/schema-sessions';
import type { RefItemsTable } from '../db/schema-applicants';
import type {
  ChecklistRow,
  CohortDetail,
  CohortMember,
  CohortSummary,
  Facilitator,
  Organisation,
  SessionAttachment,
  SessionInfo,
  SessionInRange,
  SessionKind,
  TimelineEntry,
  Topic,
} from '../../shared/api/sessions.contract';
import type { OutsideReason, ParticipationRow } from './participation';

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Repository of the sessions feature: the only code holding SQL for its tables (organisations, facilitators,
 * cohorts, cohort_members, training_sessions, attendance, business_plans, session_attachments, the `topic` kind
 * of ref_items and the `sessions.*` settings). Kysely's builder, compiled once, run on the call's connection
 * (core/db/query.ts). The applicants' names and numbers of lists and sheets are read by join (one query, sorted by
 * name); every rule about an applicant goes through core/applicants.
 */

export type OrganisationRow = Selectable<OrganisationsTable>;
export type FacilitatorRow = Selectable<FacilitatorsTable>;
export type CohortRow = Selectable<CohortsTable>;
export type MemberRow = Selectable<CohortMembersTable>;
export type SessionRow = Selectable<TrainingSessionsTable>;
export type AttendanceRow = Selectable<AttendanceTable>;
export type BusinessPlanRow = Selectable<BusinessPlansTable>;
export type TopicRow = Pick<Selectable<RefItemsTable>, 'code' | 'label_ar' | 'label_fr' | 'active' | 'sort'>;

/** Restricts a query to the office (a regional installation reads every office's rows). */
export interface Scope {
  officeId: string;
  all: boolean;
}

const COMMON = { id: true, office_id: true, created_at: true, updated_at: true, change_seq: true } as const;

// ---------- topics (ref_items of kind 'topic') ----------

const topicsQ = query((db, p: { minActive: number }) =>
  db
    .selectFrom('ref_items')
    .select(['code', 'label_ar', 'label_fr', 'active', 'sort'])
    .where('kind', '=', 'topic')
    .where('active', '>=', p.minActive)
    .orderBy('sort')
    .orderBy('code'),
);

export function listTopics(db: ReadableDB, includeInactive = false): Topic[] {
  return topicsQ.all(db, { minActive: includeInactive ? 0 : 1 }).map((r) => ({ code: r.code, labelAr: r.label_ar, labelFr: r.label_fr, active: r.active === 1, sort: r.sort }));
}

const topicQ = query((db, p: { code: string }) =>
  db.selectFrom('ref_items').select(['code', 'label_ar', 'label_fr', 'active', 'sort']).where('kind', '=', 'topic').where('code', '=', p.code),
);

export function findTopic(db: ReadableDB, code: string): TopicRow | undefined {
  return topicQ.get(db, { code });
}

type TopicValues = Omit<TopicRow, 'code'>;

const updateTopicQ = query((db, p: TopicValues & { code: string }) =>
  db
    .updateTable('ref_items')
    .set({ label_ar: p.label_ar, label_fr: p.label_fr, active: p.active, sort: p.sort })
    .where('kind', '=', 'topic')
    .where('code', '=', p.code),
);
const insertTopicQ = query((db, p: TopicValues & { code: string }) =>
  db.insertInto('ref_items').values({ kind: 'topic', code: p.code, label_ar: p.label_ar, label_fr: p.label_fr, sensitive: 0, active: p.active, sort: p.sort }),
);

export function saveTopic(db: WritableDB, code: string, v: TopicValues, exists: boolean): void {
  (exists ? updateTopicQ : insertTopicQ).run(db, { code, ...v });
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

const organisationQ = query((db, p: { id: string }) => db.selectFrom('organisations').selectAll().where('id', '=', p.id));
const facilitatorQ = query((db, p: { id: string }) => db.selectFrom('facilitators').selectAll().where('id', '=', p.id));
const facilitatorsOfQ = query((db, p: { organisationId: string }) =>
  db.selectFrom('facilitators').selectAll().where('organisation_id', '=', p.organisationId).orderBy('full_name'),
);

export function findOrganisation(db: ReadableDB, id: string): OrganisationRow | undefined {
  return organisationQ.get(db, { id });
}
export function findFacilitator(db: ReadableDB, id: string): FacilitatorRow | undefined {
  return facilitatorQ.get(db, { id });
}
export function facilitatorsOf(db: ReadableDB, organisationId: string): FacilitatorRow[] {
  return facilitatorsOfQ.all(db, { organisationId });
}

const organisationsQ = query((db, p: { all: number; officeId: string; minActive: number }) =>
  db
    .selectFrom('organisations')
    .selectAll()
    .where((eb) => eb.or([eb(sql.val(p.all), '=', 1), eb('office_id', '=', p.officeId)]))
    .where('active', '>=', p.minActive)
    .orderBy('kind')
    .orderBy('name_fr'),
);
const facilitatorsQ = query((db, p: { all: number; officeId: string; minActive: number }) =>
  db
    .selectFrom('facilitators')
    .selectAll()
    .where((eb) => eb.or([eb(sql.val(p.all), '=', 1), eb('office_id', '=', p.officeId)]))
    .where('active', '>=', p.minActive)
    .orderBy('full_name'),
);

export function listOrganisations(db: ReadableDB, scope: Scope, includeInactive: boolean): Organisation[] {
  const params = { all: scope.all ? 1 : 0, officeId: scope.officeId, minActive: includeInactive ? 0 : 1 };
  const byOrg = new Map<string, FacilitatorRow[]>();
  for (const f of facilitatorsQ.all(db, params)) {
    const l = byOrg.get(f.organisation_id);
    if (l) l.push(f);
    else byOrg.set(f.organisation_id, [f]);
  }
  return organisationsQ.all(db, params).map((o) => toOrganisation(o, byOrg.get(o.id) ?? []));
}

const insertOrganisationQ = insertRow('organisations', { ...COMMON, kind: true, province_code: true, name_ar: true, name_fr: true, phone: true, address: true, active: true });
export function insertOrganisation(db: WritableDB, row: OrganisationRow): void {
  insertOrganisationQ.run(db, row);
}

type OrganisationChange = Pick<OrganisationRow, 'kind' | 'name_ar' | 'name_fr' | 'phone' | 'address' | 'active' | 'updated_at' | 'change_seq'>;
const updateOrganisationQ = query((db, p: OrganisationChange & { id: string }) =>
  db
    .updateTable('organisations')
    .set({ kind: p.kind, name_ar: p.name_ar, name_fr: p.name_fr, phone: p.phone, address: p.address, active: p.active, updated_at: p.updated_at, change_seq: p.change_seq })
    .where('id', '=', p.id),
);
export function updateOrganisation(db: WritableDB, id: string, v: OrganisationChange): void {
  updateOrganisationQ.run(db, { id, ...v });
}

const insertFacilitatorQ = insertRow('facilitators', { ...COMMON, organisation_id: true, full_name: true, role: true, phone: true, active: true });
export function insertFacilitator(db: WritableDB, row: FacilitatorRow): void {
  insertFacilitatorQ.run(db, row);
}

type FacilitatorChange = Pick<FacilitatorRow, 'full_name' | 'role' | 'phone' | 'active' | 'updated_at' | 'change_seq'>;
const updateFacilitatorQ = query((db, p: FacilitatorChange & { id: string }) =>
  db
    .updateTable('facilitators')
    .set({ full_name: p.full_name, role: p.role, phone: p.phone, active: p.active, updated_at: p.updated_at, change_seq: p.change_seq })
    .where('id', '=', p.id),
);
export function updateFacilitator(db: WritableDB, id: string, v: FacilitatorChange): void {
  updateFacilitatorQ.run(db, { id, ...v });
}

const provinceQ = query((db, p: { code: string }) => db.selectFrom('provinces').select('code').where('code', '=', p.code));
/** Whether the province code is one of the region's (the territory tables are reference data read by every feature). */
export function provinceExists(db: ReadableDB, code: string): boolean {
  return provinceQ.get(db, { code }) !== undefined;
}

// ---------- cohorts ----------

const cohortQ = query((db, p: { id: string }) => db.selectFrom('cohorts').selectAll().where('id', '=', p.id));
export function findCohort(db: ReadableDB, id: string): CohortRow | undefined {
  return cohortQ.get(db, { id });
}

// The right of access (security/access-request.ts) shows the sessions and cohorts her rows point to, without
// the other people in them: these columns only.
const sessionContextQ = query((db, p: { id: string }) =>
  db.selectFrom('training_sessions').select(['id', 'kind', 'date', 'start_time', 'end_time', 'duration_min', 'topic_code', 'place']).where('id', '=', p.id),
);
const cohortContextQ = query((db, p: { id: string }) => db.selectFrom('cohorts').select(['id', 'name', 'start_date', 'end_date', 'place']).where('id', '=', p.id));
export function sessionContext(db: ReadableDB, id: string) {
  return sessionContextQ.get(db, { id });
}
export function cohortContext(db: ReadableDB, id: string) {
  return cohortContextQ.get(db, { id });
}

/** A cohort with its organisation's names and its counts (members, sessions not cancelled). */
function cohortSummaries() {
  return qb
    .selectFrom('cohorts as c')
    .innerJoin('organisations as o', 'o.id', 'c.organisation_id')
    .selectAll('c')
    .select((eb) => [
      'o.name_ar as org_ar',
      'o.name_fr as org_fr',
      eb.selectFrom('cohort_members as m').select((e) => e.fn.countAll<number>().as('n')).whereRef('m.cohort_id', '=', 'c.id').where('m.withdrawn_at', 'is', null).as('active_members'),
      eb.selectFrom('cohort_members as m').select((e) => e.fn.countAll<number>().as('n')).whereRef('m.cohort_id', '=', 'c.id').where('m.withdrawn_at', 'is not', null).as('withdrawn_members'),
      eb.selectFrom('training_sessions as s').select((e) => e.fn.countAll<number>().as('n')).whereRef('s.cohort_id', '=', 'c.id').where('s.cancelled_at', 'is', null).as('sessions'),
    ]);
}

type CohortSummaryRow = CohortRow & { org_ar: string; org_fr: string; active_members: number | null; withdrawn_members: number | null; sessions: number | null };

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
    activeMembers: r.active_members ?? 0,
    withdrawnMembers: r.withdrawn_members ?? 0,
    sessions: r.sessions ?? 0,
  };
}

const cohortSummaryQ = query((_db, p: { id: string }) => cohortSummaries().where('c.id', '=', p.id));

export function cohortSummary(db: ReadableDB, id: string): CohortSummary | undefined {
  const r = cohortSummaryQ.get(db, { id });
  return r && toCohortSummary(r);
}

export function listCohorts(db: ReadableDB, scope: Scope, f: { organisationId?: string; search?: string }): CohortSummary[] {
  let q = cohortSummaries();
  if (!scope.all) q = q.where('c.office_id', '=', scope.officeId);
  if (f.organisationId) q = q.where('c.organisation_id', '=', f.organisationId);
  if (f.search) q = q.where('c.name', 'like', sql<string>`'%' || ${f.search} || '%'`);
  return all(db, q.orderBy('c.start_date', 'desc').orderBy('c.name')).map(toCohortSummary);
}

const insertCohortQ = insertRow('cohorts', { ...COMMON, organisation_id: true, name: true, start_date: true, end_date: true, place: true, notes: true });
export function insertCohort(db: WritableDB, row: CohortRow): void {
  insertCohortQ.run(db, row);
}

type CohortChange = Pick<CohortRow, 'organisation_id' | 'name' | 'start_date' | 'end_date' | 'place' | 'notes' | 'updated_at' | 'change_seq'>;
const updateCohortQ = query((db, p: CohortChange & { id: string }) =>
  db
    .updateTable('cohorts')
    .set({
      organisation_id: p.organisation_id,
      name: p.name,
      start_date: p.start_date,
      end_date: p.end_date,
      place: p.place,
      notes: p.notes,
      updated_at: p.updated_at,
      change_seq: p.change_seq,
    })
    .where('id', '=', p.id),
);
export function updateCohort(db: WritableDB, id: string, v: CohortChange): void {
  updateCohortQ.run(db, { id, ...v });
}

// ---------- cohort members ----------

const memberQ = query((db, p: { cohortId: string; applicantId: string }) =>
  db.selectFrom('cohort_members').selectAll().where('cohort_id', '=', p.cohortId).where('applicant_id', '=', p.applicantId),
);
export function findMember(db: ReadableDB, cohortId: string, applicantId: string): MemberRow | undefined {
  return memberQ.get(db, { cohortId, applicantId });
}

const insertMemberQ = insertRow('cohort_members', { ...COMMON, cohort_id: true, applicant_id: true, enrolled_at: true, withdrawn_at: true, withdraw_reason: true });
export function insertMember(db: WritableDB, row: MemberRow): void {
  insertMemberQ.run(db, row);
}

const reenrolQ = query((db, p: { id: string; enrolledAt: string; at: string; changeSeq: number }) =>
  db
    .updateTable('cohort_members')
    .set({ enrolled_at: p.enrolledAt, withdrawn_at: null, withdraw_reason: null, updated_at: p.at, change_seq: p.changeSeq })
    .where('id', '=', p.id),
);
/** Enrols again a member who had withdrawn. */
export function reenrolMember(db: WritableDB, id: string, enrolledAt: string, at: string, changeSeq: number): void {
  reenrolQ.run(db, { id, enrolledAt, at, changeSeq });
}

const withdrawQ = query((db, p: { id: string; date: string; reason: string; at: string; changeSeq: number }) =>
  db.updateTable('cohort_members').set({ withdrawn_at: p.date, withdraw_reason: p.reason, updated_at: p.at, change_seq: p.changeSeq }).where('id', '=', p.id),
);
export function withdrawMember(db: WritableDB, id: string, date: string, reason: string, at: string, changeSeq: number): void {
  withdrawQ.run(db, { id, date, reason, at, changeSeq });
}

/**
 * The hours rule of participation.ts as SQL, over `s` (training_sessions), `c` (its cohort, LEFT JOIN) and `m` (her
 * cohort_members row in that cohort, LEFT JOIN): why a session she has a row for does not count (null: it counts).
 * Every reader of hours uses this one expression.
 */
const outside = sql<OutsideReason | null>`CASE
    WHEN s.cohort_id IS NULL THEN NULL
    WHEN s.date < c.start_date THEN 'before_cohort'
    WHEN c.end_date IS NOT NULL AND s.date > c.end_date THEN 'after_cohort'
    WHEN m.id IS NULL THEN 'not_enrolled'
    WHEN s.date < m.enrolled_at THEN 'before_enrolment'
    WHEN m.withdrawn_at IS NOT NULL AND s.date > m.withdrawn_at THEN 'after_withdrawal'
    ELSE NULL END`;

const cohortMembersQ = query((db, p: { cohortId: string }) =>
  db
    .selectFrom('cohort_members as m')
    .innerJoin('cohorts as c', 'c.id', 'm.cohort_id')
    .innerJoin('applicants as ap', 'ap.id', 'm.applicant_id')
    .leftJoin('training_sessions as s', (j) => j.onRef('s.cohort_id', '=', 'm.cohort_id').on('s.cancelled_at', 'is', null))
    .leftJoin('attendance as a', (j) => j.onRef('a.session_id', '=', 's.id').onRef('a.applicant_id', '=', 'm.applicant_id'))
    .selectAll('m')
    .select([
      'ap.file_no',
      'ap.first_name_ar',
      'ap.last_name_ar',
      'ap.first_name_lat',
      'ap.last_name_lat',
      'ap.status',
      sql<number>`COALESCE(SUM(CASE WHEN a.status = 'present' AND (${outside}) IS NULL THEN s.duration_min END), 0)`.as('minutes'),
      sql<number>`COALESCE(SUM(CASE WHEN a.status = 'present' AND (${outside}) IS NOT NULL THEN s.duration_min END), 0)`.as('minutes_outside'),
      sql<number>`COUNT(CASE WHEN a.status = 'present' AND (${outside}) IS NULL THEN 1 END)`.as('present'),
      sql<number>`COUNT(CASE WHEN a.status = 'absent' AND (${outside}) IS NULL THEN 1 END)`.as('absent'),
      sql<number>`COUNT(CASE WHEN a.status = 'excused' AND (${outside}) IS NULL THEN 1 END)`.as('excused'),
    ])
    .where('m.cohort_id', '=', p.cohortId)
    .groupBy('m.id')
    .orderBy(sql`m.withdrawn_at IS NOT NULL`)
    .orderBy('ap.last_name_ar')
    .orderBy('ap.first_name_ar'),
);

export function cohortMembers(db: ReadableDB, cohortId: string): CohortMember[] {
  return cohortMembersQ.all(db, { cohortId }).map((r) => ({
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

const outsideSessionsQ = query((db, p: { cohortId: string }) =>
  db
    .selectFrom('training_sessions as s')
    .innerJoin('cohorts as c', 'c.id', 's.cohort_id')
    .leftJoin('ref_items as t', (j) => j.on('t.kind', '=', 'topic').onRef('t.code', '=', 's.topic_code'))
    .select([
      's.id',
      's.date',
      's.topic_code',
      't.label_ar as topic_ar',
      't.label_fr as topic_fr',
      sql<'before_cohort' | 'after_cohort'>`CASE WHEN s.date < c.start_date THEN 'before_cohort' ELSE 'after_cohort' END`.as('reason'),
    ])
    .where('s.cohort_id', '=', p.cohortId)
    .where('s.cancelled_at', 'is', null)
    .where((eb) => eb.or([eb('s.date', '<', eb.ref('c.start_date')), eb.and([eb('c.end_date', 'is not', null), eb('s.date', '>', eb.ref('c.end_date'))])]))
    .orderBy('s.date'),
);

/** The cohort's (not cancelled) sessions dated before its start or after its end: they count for nobody. */
export function outsideSessions(db: ReadableDB, cohortId: string): CohortDetail['outsideSessions'] {
  return outsideSessionsQ
    .all(db, { cohortId })
    .map((r) => ({ id: r.id, date: r.date, topicAr: r.topic_ar ?? r.topic_code, topicFr: r.topic_fr ?? r.topic_code, reason: r.reason }));
}

const activeMembersQ = query((db, p: { cohortId: string; date: string }) =>
  db
    .selectFrom('cohort_members')
    .select('applicant_id')
    .where('cohort_id', '=', p.cohortId)
    .where((eb) => eb.or([eb('withdrawn_at', 'is', null), eb('withdrawn_at', '>=', p.date)])),
);

/** Members expected at a session of that date: enrolled and not withdrawn before the day. */
export function activeMemberIds(db: ReadableDB, cohortId: string, date: string): Set<string> {
  return new Set(activeMembersQ.column<string>(db, { cohortId, date }));
}

const membershipsQ = query((db, p: { applicantId: string }) =>
  db
    .selectFrom('cohort_members as m')
    .innerJoin('cohorts as c', 'c.id', 'm.cohort_id')
    .select(['m.cohort_id', 'c.name', 'm.enrolled_at', 'm.withdrawn_at', 'm.withdraw_reason'])
    .where('m.applicant_id', '=', p.applicantId)
    .orderBy('m.enrolled_at', 'desc'),
);

export function memberships(db: ReadableDB, applicantId: string) {
  return membershipsQ
    .all(db, { applicantId })
    .map((r) => ({ cohortId: r.cohort_id, name: r.name, enrolledAt: r.enrolled_at, withdrawnAt: r.withdrawn_at, withdrawReason: r.withdraw_reason }));
}

// ---------- sessions ----------

const sessionQ = query((db, p: { id: string }) => db.selectFrom('training_sessions').selectAll().where('id', '=', p.id));
export function findSession(db: ReadableDB, id: string): SessionRow | undefined {
  return sessionQ.get(db, { id });
}

const insertSessionQ = insertRow('training_sessions', {
  ...COMMON,
  kind: true,
  date: true,
  start_time: true,
  end_time: true,
  duration_min: true,
  topic_code: true,
  place: true,
  organisation_id: true,
  facilitator_id: true,
  cohort_id: true,
  applicant_id: true,
  notes: true,
  next_steps: true,
  cancelled_at: true,
  cancel_reason: true,
  created_by: true,
});
export function insertSession(db: WritableDB, row: SessionRow): void {
  insertSessionQ.run(db, row);
}

type SessionChange = Pick<
  SessionRow,
  'date' | 'start_time' | 'end_time' | 'duration_min' | 'topic_code' | 'place' | 'organisation_id' | 'facilitator_id' | 'notes' | 'next_steps' | 'updated_at' | 'change_seq'
>;
const updateSessionQ = query((db, p: SessionChange & { id: string }) =>
  db
    .updateTable('training_sessions')
    .set({
      date: p.date,
      start_time: p.start_time,
      end_time: p.end_time,
      duration_min: p.duration_min,
      topic_code: p.topic_code,
      place: p.place,
      organisation_id: p.organisation_id,
      facilitator_id: p.facilitator_id,
      notes: p.notes,
      next_steps: p.next_steps,
      updated_at: p.updated_at,
      change_seq: p.change_seq,
    })
    .where('id', '=', p.id),
);
export function updateSession(db: WritableDB, id: string, v: SessionChange): void {
  updateSessionQ.run(db, { id, ...v });
}

const cancelSessionQ = query((db, p: { id: string; at: string; reason: string; changeSeq: number }) =>
  db.updateTable('training_sessions').set({ cancelled_at: p.at, cancel_reason: p.reason, updated_at: p.at, change_seq: p.changeSeq }).where('id', '=', p.id),
);
export function cancelSession(db: WritableDB, id: string, at: string, reason: string, changeSeq: number): void {
  cancelSessionQ.run(db, { id, at, reason, changeSeq });
}

/** A session with the names of its organisation, facilitator, cohort and topic. */
function sessionInfos() {
  return qb
    .selectFrom('training_sessions as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .leftJoin('facilitators as f', 'f.id', 's.facilitator_id')
    .leftJoin('cohorts as c', 'c.id', 's.cohort_id')
    .leftJoin('ref_items as t', (j) => j.on('t.kind', '=', 'topic').onRef('t.code', '=', 's.topic_code'))
    .selectAll('s')
    .select(['o.name_ar as org_ar', 'o.name_fr as org_fr', 'f.full_name as fac_name', 'c.name as cohort_name', 't.label_ar as topic_ar', 't.label_fr as topic_fr']);
}

interface SessionNames {
  org_ar: string;
  org_fr: string;
  fac_name: string | null;
  cohort_name: string | null;
  topic_ar: string | null;
  topic_fr: string | null;
}
type SessionInfoFields = Pick<
  SessionRow,
  | 'id'
  | 'kind'
  | 'date'
  | 'start_time'
  | 'end_time'
  | 'duration_min'
  | 'topic_code'
  | 'place'
  | 'organisation_id'
  | 'facilitator_id'
  | 'cohort_id'
  | 'applicant_id'
  | 'notes'
  | 'next_steps'
  | 'cancelled_at'
  | 'cancel_reason'
>;

function toSessionInfo(r: SessionInfoFields, n: SessionNames): SessionInfo {
  return {
    id: r.id,
    kind: r.kind,
    date: r.date,
    startTime: r.start_time,
    endTime: r.end_time,
    durationMinutes: r.duration_min,
    hours: round2(r.duration_min / 60),
    topic: r.topic_code,
    topicAr: n.topic_ar ?? r.topic_code,
    topicFr: n.topic_fr ?? r.topic_code,
    place: r.place,
    organisationId: r.organisation_id,
    organisationNameAr: n.org_ar,
    organisationNameFr: n.org_fr,
    facilitatorId: r.facilitator_id,
    facilitatorName: n.fac_name,
    cohortId: r.cohort_id,
    cohortName: n.cohort_name,
    applicantId: r.applicant_id,
    notes: r.notes,
    nextSteps: r.next_steps,
    cancelledAt: r.cancelled_at,
    cancelReason: r.cancel_reason,
  };
}

const sessionInfoQ = query((_db, p: { id: string }) => sessionInfos().where('s.id', '=', p.id));

export function sessionInfo(db: ReadableDB, id: string): SessionInfo | undefined {
  const r = sessionInfoQ.get(db, { id });
  return r && toSessionInfo(r, r);
}

export interface RangeFilter {
  from: string;
  to: string;
  cohortId?: string;
  organisationId?: string;
  kind?: SessionKind;
  includeCancelled: boolean;
}

/**
 * The sessions of a range as the views filter them, with their kept attendance counts (session_counts, migration
 * 0020) joined. The scope is spelled out (no `all = 1 OR …`) so that the (office_id, date) index is used — at the
 * region too: its offices listed make one date range per office, instead of a scan of every session of the region (no
 * index starts with the date; at 5 × 20,000, 68,000 sessions scanned for a month's 4,552: 48–92 ms of CPU against
 * 28 ms).
 */
function rangeBase(scope: Scope, f: RangeFilter) {
  let q = qb.selectFrom('training_sessions as s').leftJoin('session_counts as k', 'k.session_id', 's.id');
  q = scope.all ? q.where('s.office_id', 'in', (eb) => eb.selectFrom('offices').select('offices.id')) : q.where('s.office_id', '=', scope.officeId);
  q = q.where('s.date', '>=', f.from).where('s.date', '<=', f.to);
  if (f.cohortId) q = q.where('s.cohort_id', '=', f.cohortId);
  if (f.organisationId) q = q.where('s.organisation_id', '=', f.organisationId);
  if (f.kind) q = q.where('s.kind', '=', f.kind);
  if (!f.includeCancelled) q = q.where('s.cancelled_at', 'is', null);
  return q;
}

/**
 * What the month view shows (sessions.range with `detail: 'days'`): per day and kind, the sessions held (cancelled ones
 * apart), their minutes and their attendance counts, summed by SQLite over the range's index entries — no session row
 * reaches JavaScript, so the month of the whole region (thousands of sessions) costs one aggregate query.
 */
export function dayTotalsInRange(db: ReadableDB, scope: Scope, f: RangeFilter) {
  const q = rangeBase(scope, f)
    .select((eb) => [
      's.date',
      's.kind',
      eb.fn.sum<number>(eb.case().when('s.cancelled_at', 'is', null).then(1).else(0).end()).as('sessions'),
      eb.fn.sum<number>(eb.case().when('s.cancelled_at', 'is', null).then(eb.ref('s.duration_min')).else(0).end()).as('minutes'),
      eb.fn.sum<number>(eb.case().when('s.cancelled_at', 'is', null).then(eb.fn.coalesce('k.present', eb.lit(0))).else(0).end()).as('present'),
      eb.fn.sum<number>(eb.case().when('s.cancelled_at', 'is', null).then(eb.fn.coalesce('k.absent', eb.lit(0))).else(0).end()).as('absent'),
      eb.fn.sum<number>(eb.case().when('s.cancelled_at', 'is', null).then(eb.fn.coalesce('k.excused', eb.lit(0))).else(0).end()).as('excused'),
    ])
    .groupBy(['s.date', 's.kind'])
    .orderBy('s.date');
  return all(db, q);
}

/**
 * The week view and a cohort's path (sessions.range), read in few statements whatever the number of sessions: the
 * sessions of the range with their attendance counts (kept per session by the writes: session_counts, migration 0020),
 * then the names of the few organisations, facilitators, cohorts and topics they point to, and the rosters of their
 * cohorts (expected = members not withdrawn before the session's day), each read once.
 */
export function sessionsInRange(db: ReadableDB, scope: Scope, f: RangeFilter): SessionInRange[] {
  const q = rangeBase(scope, f).select([
    's.id',
    's.kind',
    's.date',
    's.start_time',
    's.end_time',
    's.duration_min',
    's.topic_code',
    's.place',
    's.organisation_id',
    's.facilitator_id',
    's.cohort_id',
    's.applicant_id',
    's.notes',
    's.next_steps',
    's.cancelled_at',
    's.cancel_reason',
    'k.present',
    'k.absent',
    'k.excused',
  ]);
  const rows = all(db, q.orderBy('s.date').orderBy('s.start_time').orderBy('s.created_at'));
  if (!rows.length) return [];

  const ids = (pick: (r: (typeof rows)[number]) => string | null) => JSON.stringify([...new Set(rows.map(pick).filter((x): x is string => x !== null))]);
  const orgs = new Map(rangeOrganisationsQ.all(db, { ids: ids((r) => r.organisation_id) }).map((o) => [o.id, o]));
  const facs = new Map(rangeFacilitatorsQ.all(db, { ids: ids((r) => r.facilitator_id) }).map((x) => [x.id, x.full_name]));
  const cohortIds = ids((r) => r.cohort_id);
  const cohorts = new Map(rangeCohortsQ.all(db, { ids: cohortIds }).map((c) => [c.id, c.name]));
  const topics = new Map(rangeTopicsQ.all(db, { ids: ids((r) => r.topic_code) }).map((t) => [t.code, t]));
  // Per cohort: how many members never withdrew, and how many withdrew on each day (index-only: cohort_members_roster).
  const rosters = new Map<string, { active: number; withdrawn: { at: string; n: number }[] }>();
  for (const m of rangeRostersQ.iterate(db, { ids: cohortIds })) {
    let r = rosters.get(m.cohort_id);
    if (!r) rosters.set(m.cohort_id, (r = { active: 0, withdrawn: [] }));
    if (m.withdrawn_at === null) r.active += m.n;
    else r.withdrawn.push({ at: m.withdrawn_at, n: m.n });
  }
  const expectedOf = (cohortId: string, date: string) => {
    const r = rosters.get(cohortId);
    if (!r) return 0;
    let n = r.active;
    for (const w of r.withdrawn) if (w.at >= date) n += w.n;
    return n;
  };
  const expectedAt = new Map<string, number>();
  return rows.map((r): SessionInRange => {
    const o = orgs.get(r.organisation_id);
    const t = topics.get(r.topic_code);
    let expected = 1;
    if (r.kind !== 'mentoring') {
      const key = `${r.cohort_id}|${r.date}`;
      let e = expectedAt.get(key);
      if (e === undefined) expectedAt.set(key, (e = r.cohort_id ? expectedOf(r.cohort_id, r.date) : 0));
      expected = e;
    }
    return {
      id: r.id,
      kind: r.kind,
      date: r.date,
      startTime: r.start_time,
      endTime: r.end_time,
      durationMinutes: r.duration_min,
      hours: round2(r.duration_min / 60),
      topic: r.topic_code,
      topicAr: t?.label_ar ?? r.topic_code,
      topicFr: t?.label_fr ?? r.topic_code,
      place: r.place,
      organisationId: r.organisation_id,
      organisationNameAr: o?.name_ar ?? '',
      organisationNameFr: o?.name_fr ?? '',
      facilitatorId: r.facilitator_id,
      facilitatorName: r.facilitator_id ? (facs.get(r.facilitator_id) ?? null) : null,
      cohortId: r.cohort_id,
      cohortName: r.cohort_id ? (cohorts.get(r.cohort_id) ?? null) : null,
      applicantId: r.applicant_id,
      notes: r.notes,
      nextSteps: r.next_steps,
      cancelledAt: r.cancelled_at,
      cancelReason: r.cancel_reason,
      expected,
      present: r.present ?? 0,
      absent: r.absent ?? 0,
      excused: r.excused ?? 0,
    };
  });
}

// The names a range points to, by a JSON list of ids (a parameter cannot be a list: json_each reads it).
const jsonIds = (ids: string) => sql<{ value: string }>`json_each(${ids})`.as('j');
const rangeOrganisationsQ = query((db, p: { ids: string }) =>
  db.selectFrom('organisations').select(['id', 'name_ar', 'name_fr']).where('id', 'in', (eb) => eb.selectFrom(jsonIds(p.ids)).select('j.value')),
);
const rangeFacilitatorsQ = query((db, p: { ids: string }) =>
  db.selectFrom('facilitators').select(['id', 'full_name']).where('id', 'in', (eb) => eb.selectFrom(jsonIds(p.ids)).select('j.value')),
);
const rangeCohortsQ = query((db, p: { ids: string }) =>
  db.selectFrom('cohorts').select(['id', 'name']).where('id', 'in', (eb) => eb.selectFrom(jsonIds(p.ids)).select('j.value')),
);
const rangeTopicsQ = query((db, p: { ids: string }) =>
  db
    .selectFrom('ref_items')
    .select(['code', 'label_ar', 'label_fr'])
    .where('kind', '=', 'topic')
    .where('code', 'in', (eb) => eb.selectFrom(jsonIds(p.ids)).select('j.value')),
);
const rangeRostersQ = query((db, p: { ids: string }) =>
  db
    .selectFrom('cohort_members')
    .select(['cohort_id', 'withdrawn_at', (eb) => eb.fn.countAll<number>().as('n')])
    .where('cohort_id', 'in', (eb) => eb.selectFrom(jsonIds(p.ids)).select('j.value'))
    .groupBy(['cohort_id', 'withdrawn_at']),
);

// ---------- attendance ----------

const attendanceOfQ = query((db, p: { sessionId: string }) => db.selectFrom('attendance').selectAll().where('session_id', '=', p.sessionId));
export function attendanceOf(db: ReadableDB, sessionId: string): AttendanceRow[] {
  return attendanceOfQ.all(db, { sessionId });
}

const insertAttendanceQ = insertRow('attendance', { ...COMMON, session_id: true, applicant_id: true, status: true, note: true });
export function insertAttendance(db: WritableDB, row: AttendanceRow): void {
  insertAttendanceQ.run(db, row);
}

const updateAttendanceQ = query((db, p: { id: string; status: AttendanceStatus; note: string; at: string; changeSeq: number }) =>
  db.updateTable('attendance').set({ status: p.status, note: p.note, updated_at: p.at, change_seq: p.changeSeq }).where('id', '=', p.id),
);
export function updateAttendance(db: WritableDB, id: string, status: AttendanceStatus, note: string, at: string, changeSeq: number): void {
  updateAttendanceQ.run(db, { id, status, note, at, changeSeq });
}

const deleteAttendanceQ = query((db, p: { id: string }) => db.deleteFrom('attendance').where('id', '=', p.id));
export function deleteAttendance(db: WritableDB, id: string): void {
  deleteAttendanceQ.run(db, { id });
}

const laterAttendanceQ = query((db, p: { cohortId: string; applicantId: string; date: string }) =>
  db
    .selectFrom('attendance as a')
    .innerJoin('training_sessions as s', 's.id', 'a.session_id')
    .select(['a.id', 'a.office_id', 'a.session_id', 'a.status', 's.date'])
    .where('s.cohort_id', '=', p.cohortId)
    .where('a.applicant_id', '=', p.applicantId)
    .where('s.date', '>', p.date),
);
/** Her attendance rows at the cohort's sessions after a day (what a withdrawal that day removes). */
export function attendanceAfter(db: ReadableDB, cohortId: string, applicantId: string, date: string) {
  return laterAttendanceQ.all(db, { cohortId, applicantId, date });
}

const goneQ = query((db, p: { cohortId: string; sessionId: string; date: string }) =>
  db
    .selectFrom('attendance as a')
    .innerJoin('cohort_members as m', (j) => j.on('m.cohort_id', '=', p.cohortId).onRef('m.applicant_id', '=', 'a.applicant_id'))
    .select('a.applicant_id')
    .where('a.session_id', '=', p.sessionId)
    .where('m.withdrawn_at', 'is not', null)
    .where('m.withdrawn_at', '<', p.date),
);
/** Women with a row at the session who withdrew from the cohort before `date`. */
export function withdrawnBefore(db: ReadableDB, cohortId: string, sessionId: string, date: string): string[] {
  return goneQ.column<string>(db, { cohortId, sessionId, date });
}

const checklistQ = query((db, p: { sid: string; cohort: string | null; applicant: string | null; date: string }) =>
  db
    .with('who', (w) =>
      w
        .selectFrom('cohort_members')
        .select('applicant_id')
        .where('cohort_id', '=', p.cohort)
        .where((eb) => eb.or([eb('withdrawn_at', 'is', null), eb('withdrawn_at', '>=', p.date)]))
        .union(w.selectNoFrom(sql<string>`${p.applicant}`.as('applicant_id')).where(sql<boolean>`${p.applicant} IS NOT NULL`))
        .union(w.selectFrom('attendance').select('applicant_id').where('session_id', '=', p.sid)),
    )
    .selectFrom('who as w')
    .innerJoin('applicants as ap', 'ap.id', 'w.applicant_id')
    .leftJoin('attendance as a', (j) => j.on('a.session_id', '=', p.sid).onRef('a.applicant_id', '=', 'w.applicant_id'))
    .select(['w.applicant_id', 'ap.file_no', 'ap.first_name_ar', 'ap.last_name_ar', 'ap.first_name_lat', 'ap.last_name_lat', 'a.status', 'a.note'])
    .orderBy('ap.last_name_ar')
    .orderBy('ap.first_name_ar')
    .orderBy('ap.file_no'),
);

/** Who is expected at the session (active cohort members, or the mentored woman) and anyone with a row, with her status. */
export function checklist(db: ReadableDB, s: Pick<SessionRow, 'id' | 'cohort_id' | 'applicant_id' | 'date'>): ChecklistRow[] {
  return checklistQ.all(db, { sid: s.id, cohort: s.cohort_id, applicant: s.applicant_id, date: s.date }).map((r) => ({
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

// ---------- her sessions and hours ----------

/** The names both halves of her timeline show beside the session's own columns (one list: the UNION needs them alike). */
const timelineNames = ['o.name_ar as org_ar', 'o.name_fr as org_fr', 'f.full_name as fac_name', 'c.name as cohort_name', 't.label_ar as topic_ar', 't.label_fr as topic_fr'] as const;

const timelineQ = query((db, p: { a: string }) =>
  db
    .selectFrom((eb) =>
      eb
        .selectFrom('attendance as a')
        .innerJoin('training_sessions as s', 's.id', 'a.session_id')
        .innerJoin('organisations as o', 'o.id', 's.organisation_id')
        .leftJoin('facilitators as f', 'f.id', 's.facilitator_id')
        .leftJoin('cohorts as c', 'c.id', 's.cohort_id')
        .leftJoin('cohort_members as m', (j) => j.onRef('m.cohort_id', '=', 's.cohort_id').onRef('m.applicant_id', '=', 'a.applicant_id'))
        .leftJoin('ref_items as t', (j) => j.on('t.kind', '=', 'topic').onRef('t.code', '=', 's.topic_code'))
        .selectAll('s')
        .select([
          ...timelineNames,
          sql<AttendanceStatus | null>`a.status`.as('att_status'),
          outside.as('outside'),
        ])
        .where('a.applicant_id', '=', p.a)
        .where('s.cancelled_at', 'is', null)
        .unionAll(
          eb
            .selectFrom('cohort_members as m')
            .innerJoin('training_sessions as s', 's.cohort_id', 'm.cohort_id')
            .innerJoin('cohorts as c', 'c.id', 's.cohort_id')
            .innerJoin('organisations as o', 'o.id', 's.organisation_id')
            .leftJoin('facilitators as f', 'f.id', 's.facilitator_id')
            .leftJoin('ref_items as t', (j) => j.on('t.kind', '=', 'topic').onRef('t.code', '=', 's.topic_code'))
            .selectAll('s')
            .select([
              ...timelineNames,
              sql<AttendanceStatus | null>`NULL`.as('att_status'),
              outside.as('outside'),
            ])
            .where('m.applicant_id', '=', p.a)
            .where('s.cancelled_at', 'is', null)
            .where((e) => e.or([e('m.withdrawn_at', 'is', null), e('s.date', '<=', e.ref('m.withdrawn_at'))]))
            .where((e) =>
              e.not(e.exists(e.selectFrom('attendance as x').select(sql`1`.as('one')).whereRef('x.session_id', '=', 's.id').where('x.applicant_id', '=', p.a))),
            ),
        )
        .as('u'),
    )
    .selectAll()
    .orderBy('date', 'desc')
    .orderBy('start_time', 'desc'),
);

/** Her sessions: those with an attendance row, plus her cohorts' sessions not yet recorded (status null). Newest first. */
export function timeline(db: ReadableDB, applicantId: string): TimelineEntry[] {
  return timelineQ.all(db, { a: applicantId }).map((r) => ({
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

const participationQ = query((db, p: { applicantId: string; until: string }) =>
  db
    .selectFrom('attendance as a')
    .innerJoin('training_sessions as s', 's.id', 'a.session_id')
    .leftJoin('cohorts as c', 'c.id', 's.cohort_id')
    .leftJoin('cohort_members as m', (j) => j.onRef('m.cohort_id', '=', 's.cohort_id').onRef('m.applicant_id', '=', 'a.applicant_id'))
    .leftJoin('ref_items as t', (j) => j.on('t.kind', '=', 'topic').onRef('t.code', '=', 's.topic_code'))
    .select(['s.topic_code as topic', 'a.status as status', 's.duration_min as minutes', 's.date as date', 't.label_ar as label_ar', 't.label_fr as label_fr', outside.as('outside')])
    .where('a.applicant_id', '=', p.applicantId)
    .where('s.cancelled_at', 'is', null)
    .where('s.date', '<=', p.until),
);

/** Her attendance rows at non-cancelled sessions up to a day, with the hours rule's verdict (participation.ts). */
export function participationRows(db: ReadableDB, applicantId: string, until: string): ParticipationRow[] {
  return participationQ.all(db, { applicantId, until });
}

// ---------- business plans ----------

const businessPlanQ = query((db, p: { applicantId: string }) =>
  db.selectFrom('business_plans').select(['id', 'status', 'validated_at', 'note', 'updated_at']).where('applicant_id', '=', p.applicantId),
);
export function findBusinessPlan(db: ReadableDB, applicantId: string) {
  return businessPlanQ.get(db, { applicantId });
}

const insertBusinessPlanQ = insertRow('business_plans', { ...COMMON, applicant_id: true, status: true, validated_at: true, note: true });
export function insertBusinessPlan(db: WritableDB, row: BusinessPlanRow): void {
  insertBusinessPlanQ.run(db, row);
}

const updateBusinessPlanQ = query((db, p: { id: string; status: BusinessPlanStatus; validatedAt: string | null; note: string; at: string; changeSeq: number }) =>
  db
    .updateTable('business_plans')
    .set({ status: p.status, validated_at: p.validatedAt, note: p.note, updated_at: p.at, change_seq: p.changeSeq })
    .where('id', '=', p.id),
);
export function updateBusinessPlan(db: WritableDB, id: string, v: { status: BusinessPlanStatus; validatedAt: string | null; note: string; at: string; changeSeq: number }): void {
  updateBusinessPlanQ.run(db, { id, ...v });
}

// ---------- settings of the feature (keys sessions.*) ----------

const settingQ = query((db, p: { key: string }) => db.selectFrom('settings').select('value').where('key', '=', p.key));
export function readSetting(db: ReadableDB, key: string): string | undefined {
  return settingQ.get(db, { key })?.value;
}

const putSettingQ = query((db, p: { key: string; value: string }) =>
  db
    .insertInto('settings')
    .values({ key: p.key, value: p.value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') })),
);
export function writeSetting(db: WritableDB, key: string, value: string): void {
  putSettingQ.run(db, { key, value });
}

// ---------- signed sheets (session_attachments) ----------

type AttachmentRow = Omit<Selectable<SessionAttachmentsTable>, 'data' | 'office_id' | 'kind'>;

export const toAttachment = (r: AttachmentRow): SessionAttachment => ({
  id: r.id,
  sessionId: r.session_id,
  fileName: r.file_name,
  mime: r.mime,
  size: r.size,
  sha256: r.sha256,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const attachmentsQ = query((db, p: { sessionId: string }) =>
  db
    .selectFrom('session_attachments')
    .select(['id', 'session_id', 'file_name', 'mime', 'size', 'sha256', 'created_at', 'created_by'])
    .where('session_id', '=', p.sessionId)
    .orderBy('created_at')
    .orderBy('id'),
);
export function listAttachments(db: ReadableDB, sessionId: string): SessionAttachment[] {
  return attachmentsQ.all(db, { sessionId }).map(toAttachment);
}

const attachmentQ = query((db, p: { id: string }) => db.selectFrom('session_attachments').selectAll().where('id', '=', p.id));
export function findAttachment(db: ReadableDB, id: string): Selectable<SessionAttachmentsTable> | undefined {
  return attachmentQ.get(db, { id });
}

const attachmentByHashQ = query((db, p: { sessionId: string; sha256: string }) =>
  db.selectFrom('session_attachments').select('id').where('session_id', '=', p.sessionId).where('sha256', '=', p.sha256),
);
export function attachmentWithHash(db: ReadableDB, sessionId: string, sha256: string): boolean {
  return attachmentByHashQ.get(db, { sessionId, sha256 }) !== undefined;
}

const insertAttachmentQ = insertRow('session_attachments', {
  id: true,
  office_id: true,
  session_id: true,
  kind: true,
  file_name: true,
  mime: true,
  size: true,
  sha256: true,
  data: true,
  created_at: true,
  created_by: true,
});
export function insertAttachment(db: WritableDB, row: Selectable<SessionAttachmentsTable>): void {
  insertAttachmentQ.run(db, row);
}

// ---------- attendance sheets to print (attendance-sheet.ts lays them out) ----------

/** A session with what its sheet prints: names of its cohort, topic, facilitator, organisation and office. */
function sheetSessions_() {
  return qb
    .selectFrom('training_sessions as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .innerJoin('offices as ofc', 'ofc.id', 's.office_id')
    .leftJoin('cohorts as c', 'c.id', 's.cohort_id')
    .leftJoin('facilitators as f', 'f.id', 's.facilitator_id')
    .leftJoin('ref_items as t', (j) => j.on('t.kind', '=', 'topic').onRef('t.code', '=', 's.topic_code'))
    .select([
      's.id',
      's.kind',
      's.date',
      's.start_time',
      's.end_time',
      's.duration_min',
      's.place',
      's.cohort_id',
      's.applicant_id',
      's.topic_code',
      'c.name as cohort_name',
      't.label_ar as topic_ar',
      't.label_fr as topic_fr',
      'f.full_name as facilitator',
      'o.name_ar as org_ar',
      'o.name_fr as org_fr',
      'ofc.name_ar as office_ar',
      'ofc.name_fr as office_fr',
    ]);
}

const sheetSessionQ = query((_db, p: { id: string }) => sheetSessions_().where('s.id', '=', p.id));
export type SheetSession = NonNullable<ReturnType<typeof sheetSessionQ.get>>;

export function sheetSession(db: ReadableDB, id: string): SheetSession | undefined {
  return sheetSessionQ.get(db, { id });
}

/** The office's (or, at the region, every office's) non-cancelled sessions of [from, to], in date and time order. */
export function sheetSessions(db: ReadableDB, from: string, to: string, scope: { officeId: string | null; cohortId?: string }): SheetSession[] {
  let q = sheetSessions_().where('s.date', '>=', from).where('s.date', '<=', to).where('s.cancelled_at', 'is', null);
  if (scope.officeId !== null) q = q.where('s.office_id', '=', scope.officeId);
  if (scope.cohortId) q = q.where('s.cohort_id', '=', scope.cohortId);
  return all(db, q.orderBy('s.date').orderBy('s.start_time').orderBy('s.id'));
}

const sheetMembersQ = query((db, p: { cohortId: string; date: string }) =>
  db
    .selectFrom('cohort_members as m')
    .innerJoin('applicants as a', 'a.id', 'm.applicant_id')
    .select(['a.file_no', 'a.first_name_ar', 'a.last_name_ar', 'a.first_name_lat', 'a.last_name_lat'])
    .where('m.cohort_id', '=', p.cohortId)
    .where('m.enrolled_at', '<=', p.date)
    .where((eb) => eb.or([eb('m.withdrawn_at', 'is', null), eb('m.withdrawn_at', '>=', p.date)]))
    .where('a.anonymised_at', 'is', null)
    .orderBy('a.last_name_ar')
    .orderBy('a.first_name_ar')
    .orderBy('a.file_no'),
);
const sheetApplicantQ = query((db, p: { id: string }) =>
  db.selectFrom('applicants').select(['file_no', 'first_name_ar', 'last_name_ar', 'first_name_lat', 'last_name_lat']).where('id', '=', p.id),
);
export type SheetPerson = NonNullable<ReturnType<typeof sheetApplicantQ.get>>;

/** Who is expected at the session: the cohort's members enrolled on that day (or the mentored woman). */
export function sheetPeople(db: ReadableDB, s: Pick<SheetSession, 'cohort_id' | 'applicant_id' | 'date'>): SheetPerson[] {
  if (s.cohort_id) return sheetMembersQ.all(db, { cohortId: s.cohort_id, date: s.date });
  if (s.applicant_id) return sheetApplicantQ.all(db, { id: s.applicant_id });
  return [];
}

const activeMembersByNameQ = query((db, p: { cohortId: string }) =>
  db
    .selectFrom('cohort_members as m')
    .innerJoin('applicants as a', 'a.id', 'm.applicant_id')
    .select(['m.applicant_id', sql<string>`trim(a.first_name_lat || ' ' || a.last_name_lat)`.as('name')])
    .where('m.cohort_id', '=', p.cohortId)
    .where('m.withdrawn_at', 'is', null)
    .orderBy('a.last_name_lat')
    .orderBy('a.first_name_lat')
    .orderBy('a.id'),
);
/** The cohort's active members with their Latin name, in name order (an attestation batch). */
export function activeMembersByName(db: ReadableDB, cohortId: string): { applicant_id: string; name: string }[] {
  return activeMembersByNameQ.all(db, { cohortId });
}

// ---------- the seed (core/seed/seed-sessions.ts) ----------

const seedOfficeQ = query((db) =>
  db.selectFrom('installation as i').innerJoin('offices as o', 'o.id', 'i.office_id').select(['o.id', 'o.province_code', 'o.slug']),
);
/** This installation's office, for the seed. */
export function installationOffice(db: ReadableDB) {
  return seedOfficeQ.get(db);
}

const womenToSeedQ = query((db, p: { officeId: string; statuses: string }) =>
  db
    .selectFrom('applicants')
    .select(['id', 'status', sql<string>`substr(status_changed_at, 1, 10)`.as('since')])
    .where('office_id', '=', p.officeId)
    .where('anonymised_at', 'is', null)
    .where(sql<boolean>`status IN (SELECT value FROM json_each(${p.statuses}))`)
    .orderBy('status_changed_at')
    .orderBy('id'),
);
/** The seed's women: files of the office in one of `statuses`, in the order they reached it. */
export function womenToSeed(db: ReadableDB, officeId: string, statuses: readonly string[]) {
  return womenToSeedQ.all(db, { officeId, statuses: JSON.stringify(statuses) });
}
