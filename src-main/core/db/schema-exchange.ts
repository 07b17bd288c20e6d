import type { Generated } from 'kysely';

/** Kysely table types of the exchange feature (migrations/0007_exchange.sql). */
export interface ExchangeOwnKeysTable {
  id: number;
  x25519_private: string;
  x25519_public: string;
  fingerprint: string;
  created_at: string;
}
export interface ExchangeRegionKeysTable {
  id: Generated<number>;
  office_slug: string;
  office_code: string;
  x25519_public: string;
  ed25519_public: string | null;
  fingerprint: string;
  active: number;
  loaded_at: string;
  loaded_by: string;
}
export interface ExchangeExportsTable {
  id: Generated<number>;
  file_seq: number;
  prev_file_seq: number;
  kind: 'delta' | 'full';
  from_change_seq: number;
  to_change_seq: number;
  counts: string;
  file_name: string;
  sha256: string;
  payload_sha256: string;
  size: number;
  recipient_fingerprint: string;
  remade_of: number | null;
  created_at: string;
  made_at: string;
  made_by: string;
  content: Buffer;
}
export interface ExchangeOfficeStateTable {
  office_id: string;
  last_file_seq: Generated<number>;
  last_change_seq: Generated<number>;
  last_file_created_at: string | null;
  last_imported_at: string | null;
  rows_applied: Generated<number>;
  /** The change number the office went back to when it restored a backup (migration 0019); null if it never did. */
  restart_after_change_seq: number | null;
  /** The last change number the region held of the office before that restart. */
  restart_lost_to_change_seq: number | null;
}
export interface ExchangeImportsTable {
  id: Generated<number>;
  office_id: string;
  file_seq: number;
  prev_file_seq: number;
  kind: 'delta' | 'full' | 'gap_accepted';
  from_change_seq: number;
  to_change_seq: number;
  payload_sha256: string;
  file_name: string;
  summary: string;
  file_created_at: string;
  imported_at: string;
  imported_by: string;
  /** When the coordinator accepted that the office restarted its numbering before this file (migration 0019). */
  superseded_at: string | null;
}
export interface ExchangeHeldFilesTable {
  id: Generated<number>;
  office_id: string;
  file_seq: number;
  prev_file_seq: number;
  file_name: string;
  payload_sha256: string;
  data: Buffer;
  received_at: string;
}
export interface ExchangeReviewsTable {
  id: string;
  kind: 'same_cin' | 'same_person' | 'conflict';
  entity: string;
  entity_id: string;
  office_id: string;
  other_id: string | null;
  other_office_id: string | null;
  detail: Generated<string>;
  status: Generated<'open' | 'same' | 'distinct' | 'dismissed'>;
  note: Generated<string>;
  import_id: number | null;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}
export interface ExchangeCinAsideTable {
  applicant_id: string;
  cin: string;
  other_id: string;
}
export interface ExchangeReceiptsTable {
  id: Generated<number>;
  region_fingerprint: string;
  last_file_seq: number;
  last_change_seq: number;
  counts: string;
  issued_at: string;
  loaded_at: string;
}
export interface ExchangeApplyingTable {
  id: number;
}

/** How many review items of each status and kind (migration 0024: kept by the writes to exchange_reviews). */
export interface ExchangeReviewCountsTable {
  status: 'open' | 'same' | 'distinct' | 'dismissed';
  kind: ExchangeReviewsTable['kind'];
  n: number;
}

export interface ExchangeTables {
  exchange_own_keys: ExchangeOwnKeysTable;
  exchange_region_keys: ExchangeRegionKeysTable;
  exchange_exports: ExchangeExportsTable;
  exchange_office_state: ExchangeOfficeStateTable;
  exchange_imports: ExchangeImportsTable;
  exchange_held_files: ExchangeHeldFilesTable;
  exchange_reviews: ExchangeReviewsTable;
  exchange_review_counts: ExchangeReviewCountsTable;
  exchange_cin_aside: ExchangeCinAsideTable;
  exchange_receipts: ExchangeReceiptsTable;
  exchange_applying: ExchangeApplyingTable;
}
