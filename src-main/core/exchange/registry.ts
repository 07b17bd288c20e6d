import type { Sqlite } from '../db/connection';
import type { ReadableDB } from '../db/handles';
import * as tables from './repo/sync-tables.repo';

/**
 * The synchronised tables that travel from a province to the region, in the order they are applied
 * (parents before children; deletions run in the reverse order). A new synchronised table joins with one line.
 *
 * - `pk`: primary-key columns; `owner`: the column naming the owning office (`id` for the offices table itself).
 * - `children`: tables without a change sequence of their own, keyed by the parent's id (e.g. the situations of
 *   an applicant): they travel whole with each parent row sent, and replace the region's set for that parent.
 * - `omit`: columns that never leave the province (and are never overwritten at the region).
 * - `updateOnly`: rows the region must already hold (the office row, created when the region trusts the office).
 *
 * Not exchanged, on purpose: `users` (the region does not need provincial logins or password hashes; the names
 * of the staff who acted travel in denormalised columns such as status_history.user_name), `audit_log` (each
 * installation keeps its own chain), `settings`, `installation`, reference lists (same migrations everywhere).
 * Columns are read from the database (PRAGMA table_info), so a column added by a later migration travels too.
 */
export interface SyncTable {
  table: string;
  pk: string[];
  owner: string;
  children?: { table: string; fk: string }[];
  omit?: string[];
  updateOnly?: boolean;
}

export const SYNC_TABLES: SyncTable[] = [
  { table: 'offices', pk: ['id'], owner: 'id', omit: ['public_key', 'trusted'], updateOnly: true },
  {
    table: 'applicants',
    pk: ['id'],
    owner: 'office_id',
    children: [
      { table: 'applicant_situations', fk: 'applicant_id' },
      { table: 'applicant_disabilities', fk: 'applicant_id' },
    ],
  },
  { table: 'status_history', pk: ['id'], owner: 'office_id' },
  { table: 'duplicate_decisions', pk: ['id'], owner: 'office_id' },
  // 0004 training and mentoring
  { table: 'organisations', pk: ['id'], owner: 'office_id' },
  { table: 'facilitators', pk: ['id'], owner: 'office_id' },
  { table: 'cohorts', pk: ['id'], owner: 'office_id' },
  { table: 'cohort_members', pk: ['id'], owner: 'office_id' },
  { table: 'training_sessions', pk: ['id'], owner: 'office_id' },
  { table: 'attendance', pk: ['id'], owner: 'office_id' },
  { table: 'business_plans', pk: ['id'], owner: 'office_id' },
  // 0005 attestations register (attestation_counters stays home: each office numbers only its own)
  { table: 'attestations', pk: ['id'], owner: 'office_id' },
];

/** Tables with an office_id and a change_seq that deliberately stay home (see above). */
export const NOT_EXCHANGED = new Set(['users']);

/** The registry entry of a table or of a child table. */
export function findSyncTable(name: string): SyncTable | undefined {
  return SYNC_TABLES.find((t) => t.table === name);
}

/** A handle, or the connection as tests and the bench hold it (the same object: the handles are brands of it). */
type Db = ReadableDB | Sqlite;
const h = (db: Db) => db as ReadableDB;

export function tableColumns(db: Db, table: string): string[] {
  return tables.tableColumns(h(db), table);
}

export function tableExists(db: Db, table: string): boolean {
  return tables.tableExists(h(db), table);
}

/** Tables of this database that look synchronised (office_id + change_seq) but are in neither list: a test keeps this empty. */
export function unregisteredSyncTables(db: Db): string[] {
  const known = new Set(SYNC_TABLES.flatMap((t) => [t.table, ...(t.children ?? []).map((c) => c.table)]));
  return tables.tableNames(h(db)).filter((n) => {
    const cols = tableColumns(db, n);
    return cols.includes('office_id') && cols.includes('change_seq') && !known.has(n) && !NOT_EXCHANGED.has(n);
  });
}

/** `"a", "b"` for SQL. */
export function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
