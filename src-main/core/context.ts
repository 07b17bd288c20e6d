import type { Role } from '../shared/roles';
import type { MethodName } from '../shared/api/contract';
import type { Office } from './db/schema';
import type { ReadableDB, WritableDB } from './db/handles';

export { actorName, actorRole, shownActorName, workstationOf, type Actor } from './actor';
import type { Actor } from './actor';

export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export const stderrLogger: Logger = {
  info() {},
  warn: (msg, data) => process.stderr.write(JSON.stringify({ level: 'warn', msg, ...data }) + '\n'),
  error: (msg, data) => process.stderr.write(JSON.stringify({ level: 'error', msg, ...data }) + '\n'),
};

/** A field-level change for the audit trail: [from, to]. */
export type FieldChanges = Record<string, [unknown, unknown]>;

export interface AuditEntry {
  entity?: string;
  entityId?: string;
  changes?: FieldChanges;
}

export type ChangeOp = 'insert' | 'update' | 'delete' | 'anonymise' | 'close';

/** What every handler receives besides its validated input (a read method: `ReadContext`; a write: `WriteContext`). */
interface BaseContext {
  method: MethodName;
  actor: Actor;
  /** The actor as the audit trail and the documents name them (`actorName`; with the workstation on the office network). */
  actorName: string;
  role: Role | null;
  clock: () => Date;
  /** ISO-8601 UTC timestamp from the injected clock. */
  now(): string;
  /** Today's date on the office's calendar (Africa/Casablanca), YYYY-MM-DD: the day a file, a session or a document belongs to. */
  today(): string;
  /** A new UUIDv7: time-ordered, made locally, never colliding between offices. */
  newId(): string;
  logger: Logger;
  /** This installation's office, or null before setup. */
  office(): Office | null;
  /** The office this installation serves; throws `setup.required` before setup. */
  requireOffice(): Office;
  services: CoreServices;
  /** Progress and cancellation when the call was started with a jobId (methods with `job: true`). */
  job?: import('./jobs/job-control').JobControl;
}

/** A read method's context: the database can only be read, and there is no audit or change to record (by type). */
export interface ReadContext extends BaseContext {
  db: ReadableDB;
}

/** A write method's context: the call's transaction (BEGIN IMMEDIATE), its audit entries and change numbers. */
export interface WriteContext extends BaseContext {
  db: WritableDB;
  /** Adds an entry to the audit trail, written with the call's transaction. */
  audit(entry: AuditEntry): void;
  /** Numbers a change of a synchronised record and returns its sequence number (store it in change_seq). */
  change(entity: string, entityId: string, op: ChangeOp, officeId?: string | null): number;
  /** `change` for many records of one table in one statement (bulk imports); returns id → sequence number. */
  changes(entity: string, entityIds: readonly string[], op: ChangeOp, officeId?: string | null): Map<string, number>;
}

/** @deprecated The write context under its old name; new code says `ReadContext` or `WriteContext`. */
export type HandlerContext = WriteContext;

/** The context a method's handler gets, from the contract's `write` flag. */
export type ContextFor<M extends MethodName> = import('../shared/api/contract').Contract[M]['write'] extends true ? WriteContext : ReadContext;

/** Long-lived services of one core instance, shared by handlers. */
export interface CoreServices {
  authSessions: import('./accounts/auth-sessions').AuthSessionStore;
  /** Files produced for download (PDF, xlsx, exchange files). */
  outbox: import('./files/outbox').Outbox;
  dbPath: string;
  /** The database's secret (encryption at rest, recovery key); null for an unencrypted or in-memory database. */
  databaseSecret: Buffer | null;
  /** Where the secret is sealed (the recovery sheet's words put it back there). */
  keyStore: import('./db/encryption').KeyStore;
  appVersion: string;
  schemaVersion: string;
  /** What the start-up integrity check found (security/start-check.ts). */
  databaseHealth: import('./security/start-check').DatabaseHealth;
  /** Long calls started with a jobId (progress, cancellation): jobs.progress / jobs.cancel. */
  jobs: import('./jobs/job-registry').JobRegistry;
  /** The number of the latest committed change (any process's), read without waiting for the running call. */
  latestChange(): number;
  /** Invalidate cached office after setup/settings changes. */
  resetOfficeCache(): void;
  /** Where a folder may be chosen without typing a path: removable drives first, then drives, then home. */
  folderRoots(): import('./files/folder-roots').FolderRoot[];
}

/** Computes {field: [from, to]} for the fields that differ. */
export function diffFields<T extends Record<string, unknown>>(
  before: T | null | undefined,
  after: Partial<T>,
  fields: readonly (keyof T & string)[] = Object.keys(after) as (keyof T & string)[],
): FieldChanges {
  const out: FieldChanges = {};
  for (const f of fields) {
    const a = before ? before[f] : null;
    const b = after[f] ?? null;
    if (JSON.stringify(a ?? null) !== JSON.stringify(b)) out[f] = [a ?? null, b];
  }
  return out;
}
