/** Kysely table types of the applicants feature (tables from migrations/0003_applicants.sql). */
import type { ApplicantStatus, FinancingSource } from '../../shared/api/applicants.contract';

export interface RefItemsTable {
  kind: string;
  code: string;
  label_ar: string;
  label_fr: string;
  sensitive: number;
  active: number;
  sort: number;
}

export interface ApplicantsTable {
  id: string;
  office_id: string;
  file_no: string;
  cin: string | null;
  cin_format_ok: number;
  idcs: string | null;
  first_name_ar: string;
  last_name_ar: string;
  first_name_lat: string;
  last_name_lat: string;
  name_key_ar: string;
  name_key_lat: string;
  name_skel: string;
  /** Cross-script word keys for search (migration 0010, shared/normalize nameWords). */
  name_words: string;
  sex: 'F' | 'M';
  birth_date: string | null;
  phone: string | null;
  phone_owner: 'self' | 'spouse' | 'parent' | 'relative' | 'other' | null;
  address: string;
  douar: string;
  commune_code: string | null;
  education_level: string | null;
  vocational_level: string | null;
  marital_status: string | null;
  is_project_holder: number;
  is_difficult_situation: number;
  has_disability: number;
  disability_severity: 'light' | 'moderate' | 'severe' | 'very_severe' | null;
  disability_card_number: string | null;
  disability_card_expiry: string | null;
  rsu_registered: number;
  rsu_index: number | null;
  project_sector: string | null;
  project_description: string;
  project_stage: string | null;
  project_legal_form: string | null;
  heard_from: string | null;
  consent_status: 'given' | 'to_confirm' | 'refused';
  consent_date: string | null;
  consent_text_version: string | null;
  consent_channel: 'paper' | 'oral' | 'electronic' | null;
  status: ApplicantStatus;
  status_changed_at: string;
  financing_source: FinancingSource | null;
  source: 'form' | 'import' | 'exchange';
  closed_at: string | null;
  anonymised_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

export interface ApplicantSituationsTable {
  applicant_id: string;
  code: string;
}

export interface ApplicantDisabilitiesTable {
  applicant_id: string;
  code: string;
}

export interface StatusHistoryTable {
  id: string;
  applicant_id: string;
  office_id: string;
  from_status: ApplicantStatus | null;
  to_status: ApplicantStatus;
  reason: string;
  financing_source: FinancingSource | null;
  at: string;
  user_id: string | null;
  user_name: string;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

export interface DuplicateDecisionsTable {
  id: string;
  applicant_id: string | null;
  other_id: string;
  decision: 'distinct' | 'same';
  at: string;
  user_name: string;
  office_id: string;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

export interface ApplicantSearchTable {
  rowid: number;
  applicant_id: string;
}

/** The version of the engine the stored matching keys were made with (migration 0010; one row, id 1). */
export interface MatchingKeysTable {
  id: number;
  version: string;
}

/** The FTS5 trigram index of the names (migration 0003, contentless; its rowids are applicant_search's). */
export interface ApplicantsFtsTable {
  rowid: number;
  names: string;
}

export interface ApplicantsTables {
  ref_items: RefItemsTable;
  applicants: ApplicantsTable;
  applicant_situations: ApplicantSituationsTable;
  applicant_disabilities: ApplicantDisabilitiesTable;
  status_history: StatusHistoryTable;
  duplicate_decisions: DuplicateDecisionsTable;
  applicant_search: ApplicantSearchTable;
  matching_keys: MatchingKeysTable;
  applicants_fts: ApplicantsFtsTable;
}
