/** Kysely table types of the security feature (tables from migrations/0008_security.sql). */
export interface BackupRunsTable {
  id: string;
  at: string;
  trigger: 'manual' | 'start' | 'exit' | 'daily' | 'cli' | 'before_restore';
  folder: string;
  file_name: string | null;
  size: number | null;
  sha256: string | null;
  ok: number;
  error: string | null;
  duration_ms: number;
  actor_name: string;
}

export interface RetentionRunsTable {
  id: string;
  at: string;
  years: number;
  cutoff: string;
  anonymised: number;
  actor_name: string;
}

/** The heads of audit chains sent, received and acknowledged (migrations/0011_audit_anchors.sql). */
export interface AuditAnchorsTable {
  office_id: string;
  direction: 'sent' | 'received' | 'acknowledged';
  rows: number;
  hash: string;
  file_seq: number | null;
  at: string;
}

/** The workstations paired with this main PC (migrations/0012_office_network.sql). */
export interface NetworkDevicesTable {
  id: string;
  name: string;
  secret: string;
  paired_at: string;
  paired_by: string;
  last_seen_at: string | null;
  last_user: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** users.must_change_password (added by 0008) is in UsersTable (core/db/schema.ts). */
export interface SecurityTables {
  backup_runs: BackupRunsTable;
  retention_runs: RetentionRunsTable;
  audit_anchors: AuditAnchorsTable;
  network_devices: NetworkDevicesTable;
}
