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

/**
 * users.must_change_password (added by 0008) is not in the foundation's UsersTable:
 * the security code reads and writes it with plain SQL (see core/security/accounts-admin.ts).
 */
/** The audit trail's anchors (migration 0011): the last row count and hash sent to / received from the region. */
export interface AuditAnchorsTable {
  office_id: string;
  direction: string;
  rows: number;
  hash: string;
  file_seq: number | null;
  at: string;
}

/** Workstations paired with this main PC on the office network (migration 0012). */
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

export interface SecurityTables {
  audit_anchors: AuditAnchorsTable;
  network_devices: NetworkDevicesTable;
  backup_runs: BackupRunsTable;
  retention_runs: RetentionRunsTable;
}
