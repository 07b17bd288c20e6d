/** Kysely table types of the attestations feature (migrations/0005_attestations.sql). */
export interface AttestationsTable {
  id: string;
  office_id: string;
  serial: string;
  year: number;
  seq: number;
  kind: string;
  kind_version: number;
  applicant_id: string;
  issue_date: string;
  issued_at: string;
  issued_by: string | null;
  issued_by_name: string;
  content_json: string;
  content_hash: string;
  qr_text: string;
  hours: number | null;
  status: 'valid' | 'revoked';
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  print_count: number;
  last_printed_at: string | null;
  batch_id: string | null;
  /** 0009: serial of the attestation that replaced this one, when, and the serial this one replaced. */
  replaced_by: string | null;
  replaced_at: string | null;
  replaces: string | null;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

export interface AttestationCountersTable {
  office_id: string;
  year: number;
  last_seq: number;
}

export interface AttestationsTables {
  attestations: AttestationsTable;
  attestation_counters: AttestationCountersTable;
}
