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
export interface SecurityTables {
  backup_runs: BackupRunsTable;
  retention_runs: RetentionRunsTable;
}
