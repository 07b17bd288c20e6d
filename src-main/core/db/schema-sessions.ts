import type { Generated } from 'kysely';
/** Kysely table types of the sessions feature (tables from migrations/0004_sessions.sql). */

export type OrganisationKind = 'entraide' | 'ads' | 'incubator' | 'other';
export type FacilitatorRole = 'trainer' | 'mentor' | 'both';
export type SessionKind = 'group_training' | 'mentoring' | 'workshop' | 'field_visit';
export type AttendanceStatus = 'present' | 'absent' | 'excused';
export type BusinessPlanStatus = 'not_started' | 'draft' | 'validated';

export interface OrganisationsTable {
  id: string;
  office_id: string;
  kind: OrganisationKind;
  province_code: string;
  name_ar: string;
  name_fr: string;
  phone: string | null;
  address: string;
  active: number;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

export interface FacilitatorsTable {
  id: string;
  office_id: string;
  organisation_id: string;
  full_name: string;
  role: FacilitatorRole;
  phone: string | null;
  active: number;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

export interface CohortsTable {
  id: string;
  office_id: string;
  organisation_id: string;
  name: string;
  start_date: string;
  end_date: string | null;
  place: string;
  notes: string;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

export interface CohortMembersTable {
  id: string;
  office_id: string;
  cohort_id: string;
  applicant_id: string;
  enrolled_at: string;
  withdrawn_at: string | null;
  withdraw_reason: string | null;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

export interface TrainingSessionsTable {
  id: string;
  office_id: string;
  kind: SessionKind;
  date: string;
  start_time: string | null;
  end_time: string | null;
  duration_min: number;
  topic_code: string;
  place: string;
  organisation_id: string;
  facilitator_id: string | null;
  cohort_id: string | null;
  applicant_id: string | null;
  notes: string;
  next_steps: string;
  cancelled_at: string | null;
  cancel_reason: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

export interface AttendanceTable {
  id: string;
  office_id: string;
  session_id: string;
  applicant_id: string;
  status: AttendanceStatus;
  note: string;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

export interface BusinessPlansTable {
  id: string;
  office_id: string;
  applicant_id: string;
  status: BusinessPlanStatus;
  validated_at: string | null;
  note: string;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

/** Signed attendance sheets, scanned (migration 0013): stored in the database, never exchanged. */
export interface SessionAttachmentsTable {
  id: string;
  office_id: string;
  session_id: string;
  kind: Generated<string>;
  file_name: string;
  mime: 'application/pdf' | 'image/png' | 'image/jpeg';
  size: number;
  sha256: string;
  data: Buffer;
  created_at: string;
  created_by: string;
}

export interface SessionsTables {
  session_attachments: SessionAttachmentsTable;
  organisations: OrganisationsTable;
  facilitators: FacilitatorsTable;
  cohorts: CohortsTable;
  cohort_members: CohortMembersTable;
  training_sessions: TrainingSessionsTable;
  attendance: AttendanceTable;
  business_plans: BusinessPlansTable;
}
