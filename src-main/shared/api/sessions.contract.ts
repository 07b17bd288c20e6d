import { z } from 'zod';
import { method } from './define';

/**
 * API of the training and mentoring feature: organisations and facilitators, cohorts (enrolment,
 * withdrawal), sessions with attendance, business plans, a beneficiary's hours and eligibility for the
 * participation attestation, and the week/month view of the office's sessions.
 *
 * Agents and office heads record; coordinators (and everyone logged in) read.
 */

const RECORDERS = ['agent', 'office_head'] as const;

export const SESSION_KINDS = ['group_training', 'mentoring', 'workshop', 'field_visit'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
export const ATTENDANCE_STATUSES = ['present', 'absent', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export const BUSINESS_PLAN_STATUSES = ['not_started', 'draft', 'validated'] as const;
export type BusinessPlanStatus = (typeof BUSINESS_PLAN_STATUSES)[number];
export const ORGANISATION_KINDS = ['entraide', 'ads', 'incubator', 'other'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export const FACILITATOR_ROLES = ['trainer', 'mentor', 'both'] as const;
export type FacilitatorRole = (typeof FACILITATOR_ROLES)[number];

function validDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
/** YYYY-MM-DD, a real calendar day. */
export const SessionDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'session.date_invalid' })
  .refine(validDate, { message: 'session.date_invalid' });
/** HH:MM, 00:00–23:59. */
export const SessionTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'session.time_invalid' });
const Id = z.string().min(1).max(64);
const Text = (max: number) => z.string().trim().max(max);

export interface Topic {
  code: string;
  labelAr: string;
  labelFr: string;
  active: boolean;
  sort: number;
}
export interface Facilitator {
  id: string;
  organisationId: string;
  fullName: string;
  role: FacilitatorRole;
  phone: string | null;
  active: boolean;
}
export interface Organisation {
  id: string;
  kind: OrganisationKind;
  provinceCode: string;
  nameAr: string;
  nameFr: string;
  phone: string | null;
  address: string;
  active: boolean;
  facilitators: Facilitator[];
}
export interface ParticipationCriteria {
  minHours: number;
  minAttendanceRate: number;
}
export interface Participation {
  totalHours: number;
  hoursByTopic: { topic: string; labelAr: string; labelFr: string; hours: number }[];
  /** Sessions with an attendance row for her, excused ones excluded. */
  sessionsExpected: number;
  sessionsAttended: number;
  sessionsExcused: number;
  /** Sessions she has a row for that do not count: outside the cohort's dates or her enrolment (see participation.ts). */
  sessionsOutside: number;
  /** Hours present at those sessions (not counted). */
  hoursOutside: number;
  /** present / expected (0 when nothing was expected yet). */
  attendanceRate: number;
  firstSessionDate: string | null;
  lastSessionDate: string | null;
  eligible: boolean;
  missing: { hours?: number; attendanceRate?: number };
  criteria: ParticipationCriteria;
}
export interface CohortSummary {
  id: string;
  organisationId: string;
  organisationNameAr: string;
  organisationNameFr: string;
  name: string;
  startDate: string;
  endDate: string | null;
  place: string;
  notes: string;
  activeMembers: number;
  withdrawnMembers: number;
  sessions: number;
}
export interface CohortMember {
  applicantId: string;
  fileNo: string;
  firstNameAr: string;
  lastNameAr: string;
  firstNameLat: string;
  lastNameLat: string;
  status: string;
  enrolledAt: string;
  withdrawnAt: string | null;
  withdrawReason: string | null;
  /** Hours attended in this cohort's sessions that count (inside the cohort's dates and her enrolment). */
  hours: number;
  /** Hours present at this cohort's sessions outside the cohort's dates or her enrolment (not counted). */
  hoursOutside: number;
  present: number;
  absent: number;
  excused: number;
}
/**
 * Why a file found by the enrolment search cannot be enrolled in the cohort (the rules `cohorts.enrol` enforces):
 * her step on the path (not yet preselected, closed, not retained, dropped out), already an active member, an
 * anonymised file, a file of another office (a region reads every office's files and records for none).
 */
export const ENROL_BLOCKS = ['not_preselected', 'closed', 'not_retained', 'dropped_out', 'already_member', 'anonymised', 'other_office'] as const;
export type EnrolBlock = (typeof ENROL_BLOCKS)[number];
export interface EnrolCandidate {
  id: string;
  fileNo: string;
  cin: string | null;
  firstNameAr: string;
  lastNameAr: string;
  firstNameLat: string;
  lastNameLat: string;
  status: string;
  /** Null when she can be enrolled; otherwise why not (shown in words, her box disabled). */
  block: EnrolBlock | null;
  /** For `already_member`: the day she was enrolled. */
  enrolledAt: string | null;
  /** Enrolling her moves her path to "in training" (she is preselected): asked for confirmation. */
  startsTraining: boolean;
}
export type OutsideReason = 'before_cohort' | 'after_cohort' | 'not_enrolled' | 'before_enrolment' | 'after_withdrawal';
export interface CohortDetail extends CohortSummary {
  members: CohortMember[];
  /** Sessions of the cohort dated outside its start and end dates: they count for nobody. */
  outsideSessions: { id: string; date: string; topicAr: string; topicFr: string; reason: 'before_cohort' | 'after_cohort' }[];
}
export interface SessionInfo {
  id: string;
  kind: SessionKind;
  date: string;
  startTime: string | null;
  endTime: string | null;
  durationMinutes: number;
  hours: number;
  topic: string;
  topicAr: string;
  topicFr: string;
  place: string;
  organisationId: string;
  organisationNameAr: string;
  organisationNameFr: string;
  facilitatorId: string | null;
  facilitatorName: string | null;
  cohortId: string | null;
  cohortName: string | null;
  applicantId: string | null;
  notes: string;
  nextSteps: string;
  cancelledAt: string | null;
  cancelReason: string | null;
}
export interface ChecklistRow {
  applicantId: string;
  fileNo: string;
  firstNameAr: string;
  lastNameAr: string;
  firstNameLat: string;
  lastNameLat: string;
  status: AttendanceStatus | null;
  note: string;
}
export interface SessionDetail extends SessionInfo {
  /** Everyone expected (active members on the session's date, or the mentored woman) with her recorded status. */
  checklist: ChecklistRow[];
}
export interface SessionInRange extends SessionInfo {
  expected: number;
  present: number;
  absent: number;
  excused: number;
}
export interface SessionsRange {
  from: string;
  to: string;
  /** Empty when only the days were asked for (`detail: 'days'`). */
  sessions: SessionInRange[];
  days: { date: string; sessions: number; hours: number; present: number }[];
  totals: { sessions: number; hours: number; present: number; absent: number; excused: number; byKind: Record<SessionKind, number> };
}
export interface TimelineEntry {
  sessionId: string;
  date: string;
  kind: SessionKind;
  topic: string;
  topicAr: string;
  topicFr: string;
  durationMinutes: number;
  /** Hours counted for her (the duration when present and the session counts, else 0). */
  hours: number;
  status: AttendanceStatus | null;
  /** Why this session does not count for her (outside the cohort's dates or her enrolment), null when it counts. */
  outside: OutsideReason | null;
  cohortId: string | null;
  cohortName: string | null;
  organisationNameAr: string;
  organisationNameFr: string;
  facilitatorName: string | null;
  place: string;
  notes: string;
  nextSteps: string;
}
export interface ApplicantTraining {
  applicantId: string;
  applicant: { fileNo: string; firstNameAr: string; lastNameAr: string; firstNameLat: string; lastNameLat: string; status: string };
  participation: Participation;
  timeline: TimelineEntry[];
  cohorts: { cohortId: string; name: string; enrolledAt: string; withdrawnAt: string | null; withdrawReason: string | null }[];
  businessPlan: { status: BusinessPlanStatus; validatedAt: string | null; note: string; updatedAt: string | null };
}

/** A signed attendance sheet scanned and attached to its session (kept at the office, never sent to the region). */
export interface SessionAttachment {
  id: string;
  sessionId: string;
  fileName: string;
  mime: 'application/pdf' | 'image/png' | 'image/jpeg';
  size: number;
  sha256: string;
  createdAt: string;
  createdBy: string;
}

const AttendanceEntry = z
  .object({
    applicantId: Id,
    status: z.enum(ATTENDANCE_STATUSES),
    note: Text(500).default(''),
  })
  .strict();

const SessionFields = {
  date: SessionDateSchema,
  startTime: SessionTimeSchema.nullish(),
  endTime: SessionTimeSchema.nullish(),
  durationMinutes: z.number().int().min(5).max(720).nullish(),
  topic: z.string().trim().min(1).max(60),
  place: Text(200).default(''),
  organisationId: Id,
  facilitatorId: Id.nullish(),
  notes: Text(4000).default(''),
  nextSteps: Text(2000).default(''),
};

export const SessionCreateSchema = z
  .object({
    kind: z.enum(SESSION_KINDS),
    ...SessionFields,
    cohortId: Id.nullish(),
    applicantId: Id.nullish(),
    attendance: z.array(AttendanceEntry).max(500).default([]),
  })
  .strict();
export type SessionCreateInput = z.input<typeof SessionCreateSchema>;

export const sessionsContract = {
  'sessions.lookups': method<{ topics: Topic[]; organisations: Organisation[]; criteria: ParticipationCriteria }>()({
    input: z.object({ includeInactive: z.boolean().default(false) }).strict(),
    access: 'authenticated',
    write: false,
    summary: 'Training topics, organisations with their facilitators, and the attestation criteria.',
  }),
  'topics.save': method<Topic>()({
    input: z
      .object({
        code: z.string().trim().regex(/^[a-z][a-z0-9_]{1,39}$/, { message: 'session.topic_code_invalid' }),
        labelAr: z.string().trim().min(2).max(120),
        labelFr: z.string().trim().min(2).max(120),
        active: z.boolean().default(true),
        sort: z.number().int().min(0).max(999).optional(),
      })
      .strict(),
    access: ['office_head'],
    write: true,
    summary: 'Add a training topic or edit its labels / deactivate it (office head).',
  }),
  'organisations.create': method<Organisation>()({
    input: z
      .object({
        kind: z.enum(ORGANISATION_KINDS),
        provinceCode: z.string().min(4).max(10).optional(),
        nameAr: z.string().trim().min(2).max(200),
        nameFr: z.string().trim().min(2).max(200),
        phone: Text(30).nullish(),
        address: Text(300).default(''),
      })
      .strict(),
    access: RECORDERS,
    write: true,
    summary: "Add an organisation (Entraide Nationale, ADS, incubator association) of the office's province.",
  }),
  'organisations.update': method<Organisation>()({
    input: z
      .object({
        id: Id,
        kind: z.enum(ORGANISATION_KINDS).optional(),
        nameAr: z.string().trim().min(2).max(200).optional(),
        nameFr: z.string().trim().min(2).max(200).optional(),
        phone: Text(30).nullish(),
        address: Text(300).optional(),
        active: z.boolean().optional(),
      })
      .strict(),
    access: RECORDERS,
    write: true,
    summary: 'Edit an organisation (names, contact, active).',
  }),
  'facilitators.create': method<Facilitator>()({
    input: z
      .object({
        organisationId: Id,
        fullName: z.string().trim().min(2).max(200),
        role: z.enum(FACILITATOR_ROLES),
        phone: Text(30).nullish(),
      })
      .strict(),
    access: RECORDERS,
    write: true,
    summary: 'Add a trainer or mentor to an organisation.',
  }),
  'facilitators.update': method<Facilitator>()({
    input: z
      .object({
        id: Id,
        fullName: z.string().trim().min(2).max(200).optional(),
        role: z.enum(FACILITATOR_ROLES).optional(),
        phone: Text(30).nullish(),
        active: z.boolean().optional(),
      })
      .strict(),
    access: RECORDERS,
    write: true,
    summary: 'Edit a facilitator (name, role, contact, active).',
  }),
  'cohorts.list': method<CohortSummary[]>()({
    input: z.object({ organisationId: Id.optional(), search: Text(100).optional() }).strict(),
    access: 'authenticated',
    write: false,
    summary: "The office's cohorts with their member and session counts.",
  }),
  'cohorts.get': method<CohortDetail>()({
    input: z.object({ id: Id }).strict(),
    access: 'authenticated',
    write: false,
    summary: 'A cohort with its members, their hours and attendance counts.',
  }),
  'cohorts.create': method<CohortSummary>()({
    input: z
      .object({
        organisationId: Id,
        name: z.string().trim().min(2).max(200),
        startDate: SessionDateSchema,
        endDate: SessionDateSchema.nullish(),
        place: Text(200).default(''),
        notes: Text(2000).default(''),
      })
      .strict(),
    access: RECORDERS,
    write: true,
    summary: 'Create a cohort (a group following a training path with an organisation).',
  }),
  'cohorts.update': method<CohortSummary>()({
    input: z
      .object({
        id: Id,
        organisationId: Id.optional(),
        name: z.string().trim().min(2).max(200).optional(),
        startDate: SessionDateSchema.optional(),
        endDate: SessionDateSchema.nullish(),
        place: Text(200).optional(),
        notes: Text(2000).optional(),
      })
      .strict(),
    access: RECORDERS,
    write: true,
    summary: 'Edit a cohort (name, organisation, dates, place).',
  }),
  'cohorts.enrol': method<{ enrolled: string[]; movedToTraining: string[] }>()({
    input: z
      .object({
        cohortId: Id,
        applicantIds: z.array(Id).min(1).max(200),
        date: SessionDateSchema,
        /** Confirmation that enrolment moves a preselected woman's path to 'in_training'. */
        moveToTraining: z.boolean().default(false),
      })
      .strict(),
    access: RECORDERS,
    write: true,
    summary: "Enrol beneficiaries in a cohort (moves a preselected woman's path to in_training when confirmed).",
  }),
  'cohorts.enrolSearch': method<{ total: number; items: EnrolCandidate[] }>()({
    input: z
      .object({
        cohortId: Id,
        q: z.string().max(100).default(''),
        limit: z.number().int().min(1).max(100).default(50),
      })
      .strict(),
    access: RECORDERS,
    write: false,
    summary: 'Search every file of the registry for the enrolment box: each match says whether she can be enrolled in this cohort, and why not.',
  }),
  'cohorts.withdraw': method<{ applicantId: string; removedAttendance: number }>()({
    input: z
      .object({
        cohortId: Id,
        applicantId: Id,
        date: SessionDateSchema,
        reason: z.string().trim().min(1).max(300),
      })
      .strict(),
    access: RECORDERS,
    write: true,
    summary: 'Withdraw a beneficiary from a cohort with date and reason (her attendance after that date is removed).',
  }),
  'sessions.create': method<SessionDetail>()({
    input: SessionCreateSchema,
    access: RECORDERS,
    write: true,
    summary: 'Record a session (group training, mentoring, workshop, field visit), attendance included.',
  }),
  'sessions.update': method<SessionDetail>()({
    input: z
      .object({
        id: Id,
        date: SessionDateSchema.optional(),
        startTime: SessionTimeSchema.nullish(),
        endTime: SessionTimeSchema.nullish(),
        durationMinutes: z.number().int().min(5).max(720).nullish(),
        topic: z.string().trim().min(1).max(60).optional(),
        place: Text(200).optional(),
        organisationId: Id.optional(),
        facilitatorId: Id.nullish(),
        notes: Text(4000).optional(),
        nextSteps: Text(2000).optional(),
      })
      .strict(),
    access: RECORDERS,
    write: true,
    summary: 'Edit a session (date, times or duration, topic …); hours follow, every field change is audited.',
  }),
  'sessions.cancel': method<{ id: string; cancelledAt: string }>()({
    input: z.object({ id: Id, reason: z.string().trim().min(1).max(300) }).strict(),
    access: RECORDERS,
    write: true,
    summary: 'Cancel a session: it no longer counts for anybody (kept and audited).',
  }),
  'sessions.get': method<SessionDetail>()({
    input: z.object({ id: Id }).strict(),
    access: 'authenticated',
    write: false,
    summary: 'A session with its attendance checklist.',
  }),
  'sessions.recordAttendance': method<{ sessionId: string; inserted: number; updated: number; unchanged: number }>()({
    input: z
      .object({
        sessionId: Id,
        entries: z.array(AttendanceEntry).min(1).max(500),
      })
      .strict(),
    access: RECORDERS,
    write: true,
    summary: 'Record or correct the attendance of a session in one call (the whole checklist).',
  }),
  'sessions.range': method<SessionsRange>()({
    input: z
      .object({
        from: SessionDateSchema,
        to: SessionDateSchema,
        cohortId: Id.optional(),
        organisationId: Id.optional(),
        kind: z.enum(SESSION_KINDS).optional(),
        includeCancelled: z.boolean().default(false),
        /** `days`: the month view's per-day lines and totals only (no session listed). */
        detail: z.enum(['sessions', 'days']).default('sessions'),
      })
      .strict(),
    access: 'authenticated',
    write: false,
    summary: "The office's sessions between two dates (week view) with attendance counts, or only their per-day totals (month view).",
  }),
  'sessions.forApplicant': method<ApplicantTraining>()({
    input: z.object({ applicantId: Id }).strict(),
    access: 'authenticated',
    write: false,
    summary: "A beneficiary's sessions timeline, hours in total and by topic, attendance rate and eligibility.",
  }),
  'sessions.setBusinessPlan': method<ApplicantTraining['businessPlan']>()({
    input: z
      .object({
        applicantId: Id,
        status: z.enum(BUSINESS_PLAN_STATUSES),
        note: Text(1000).default(''),
      })
      .strict(),
    access: RECORDERS,
    write: true,
    summary: "Set a beneficiary's business plan status (not started, draft, validated).",
  }),
  'sessions.sheet': method<{ fileId: string; fileName: string; size: number; sessions: number }>()({
    input: z.union([
      z.object({ sessionId: Id }).strict(),
      z.object({ from: SessionDateSchema, to: SessionDateSchema, cohortId: Id.optional() }).strict(),
    ]),
    access: 'authenticated',
    write: false,
    summary: 'Printable A4 attendance sheets (PDF into the outbox): one session, or every session from..to (a week; at most 31 days).',
  }),
  'sessions.attachSheet': method<SessionAttachment>()({
    input: z.object({ sessionId: Id, uploadId: z.string().min(8).max(100) }).strict(),
    access: RECORDERS,
    write: true,
    summary: 'Attach the signed sheet, scanned (PDF, PNG or JPEG, uploaded through the app), to its session.',
  }),
  'sessions.attachments': method<SessionAttachment[]>()({
    input: z.object({ sessionId: Id }).strict(),
    access: 'authenticated',
    write: false,
    summary: 'The signed sheets attached to a session.',
  }),
  'sessions.openAttachment': method<{ fileId: string; fileName: string; size: number; mime: SessionAttachment['mime'] }>()({
    input: z.object({ id: Id }).strict(),
    access: 'authenticated',
    write: false,
    summary: 'A signed sheet, put into the outbox to be opened or saved.',
  }),
  'sessions.criteria': method<ParticipationCriteria>()({
    input: z.object({}).strict(),
    access: 'authenticated',
    write: false,
    summary: 'The criteria of the participation attestation (minimum hours and attendance rate).',
  }),
  'sessions.setCriteria': method<ParticipationCriteria>()({
    input: z
      .object({
        minHours: z.number().min(0).max(2000),
        minAttendanceRate: z.number().min(0).max(1),
      })
      .strict(),
    access: ['office_head'],
    write: true,
    summary: 'Change the criteria of the participation attestation (office head).',
  }),
} as const;
