import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ApplicantsTables } from './schema-applicants';
import type { SessionsTables } from './schema-sessions';
import type { AttestationsTables } from './schema-attestations';
import type { ReportsTables } from './schema-reports';
import type { ExchangeTables } from './schema-exchange';
import type { SecurityTables } from './schema-security';

/**
 * Kysely's view of the schema. Nullable columns are typed `| null`, not optional.
 * Each feature adds its tables to `DB` below (one interface per table).
 */
export interface RegionsTable {
  code: string;
  name_fr: string;
  name_ar: string;
}
export interface ProvincesTable {
  code: string;
  region_code: string;
  slug: string;
  name_fr: string;
  name_ar: string;
}
export interface CommunesTable {
  code: string;
  code_digits: string;
  province_code: string;
  cercle_code: string | null;
  cercle_fr: string | null;
  cercle_ar: string | null;
  name_fr: string;
  name_ar: string;
  type: 'urbaine' | 'rurale';
  population_2024: number | null;
}
export interface ChangeLogTable {
  seq: Generated<number>;
  entity: string;
  entity_id: string;
  op: 'insert' | 'update' | 'delete' | 'anonymise' | 'close';
  office_id: string | null;
  at: string;
}
export interface OfficesTable {
  id: string;
  slug: string;
  code: string;
  kind: 'province' | 'region';
  province_code: string | null;
  name_ar: string;
  name_fr: string;
  address_ar: string;
  address_fr: string;
  signatory_title_ar: string;
  signatory_title_fr: string;
  public_key: string | null;
  trusted: number;
  created_at: string;
  updated_at: string;
  change_seq: number;
}
export interface InstallationTable {
  id: number;
  office_id: string;
  signing_key_pem: string;
  created_at: string;
}
export interface UsersTable {
  id: string;
  office_id: string;
  username: string;
  display_name: string;
  role: 'agent' | 'office_head' | 'coordinator' | 'admin';
  password_hash: string;
  language: 'ar' | 'fr';
  active: number;
  failed_attempts: number;
  locked_until: string | null;
  /** Set when an administrator chose the password (creation, reset): the user sets their own before anything else. */
  must_change_password: Generated<number>;
  created_at: string;
  updated_at: string;
  change_seq: number;
}
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_kind: 'user' | 'cli' | 'anonymous' | 'system';
  actor_id: string | null;
  actor_name: string;
  method: string;
  entity: string | null;
  entity_id: string | null;
  changes: string | null;
  prev_hash: string;
  hash: string;
}
export interface SettingsTable {
  key: string;
  value: string;
}
export interface SchemaMigrationsTable {
  name: string;
  checksum: string;
  applied_at: string;
}

/** Foundation tables plus every feature's tables (one schema-<feature>.ts each). */
export interface DB extends ApplicantsTables, SessionsTables, AttestationsTables, ReportsTables, ExchangeTables, SecurityTables {
  regions: RegionsTable;
  provinces: ProvincesTable;
  communes: CommunesTable;
  change_log: ChangeLogTable;
  offices: OfficesTable;
  installation: InstallationTable;
  users: UsersTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  schema_migrations: SchemaMigrationsTable;
}

export type Office = Selectable<OfficesTable>;
export type NewOffice = Insertable<OfficesTable>;
export type User = Selectable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
