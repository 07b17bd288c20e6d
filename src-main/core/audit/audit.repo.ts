import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Sqlite } from '../db/connection';
import type { AuditLogTable } from '../db/schema';
import type { AuditAnchorsTable } from '../db/schema-security';
import { readable, writable, type ReadableDB, type WritableDB } from '../db/handles';
import { all, get, qb, query, insertRow } from '../db/query';

/**
 * The audit trail: a hash chain over audit_log (each row's hash covers the previous row's), its head kept in
 * settings under 'audit_head', and the heads anchored outside the office (audit_anchors). Owner of the tables
 * audit_log and audit_anchors and of the setting audit_head.
 */

/** One row of the chain as the audit writes it (its number, links and hash are added by appendAudit). */
export type AuditRow = Omit<Selectable<AuditLogTable>, 'id' | 'prev_hash' | 'hash'>;
/** A stored row of the chain. */
export type StoredAuditRow = Selectable<AuditLogTable>;

/**
 * The dispatcher's transaction gives a WritableDB; the CLI's own records and tests hold the connection they
 * opened (a raw connection is both, at run time: the handles are brands over it).
 */
type Connection<H> = H | Sqlite;
const asReadable = (db: Connection<ReadableDB>): ReadableDB => readable(db as Sqlite);
const asWritable = (db: Connection<WritableDB>): WritableDB => writable(db as Sqlite);

export const GENESIS_HASH = '0'.repeat(64);

export function auditHash(prevHash: string, r: AuditRow & { id: number }): string {
  const canonical = JSON.stringify([
    r.id,
    r.at,
    r.actor_kind,
    r.actor_id,
    r.actor_name,
    r.method,
    r.entity,
    r.entity_id,
    r.changes,
  ]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

const lastRow = query((db) => db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1));
const insertAuditRow = insertRow('audit_log', {
  id: true,
  at: true,
  actor_kind: true,
  actor_id: true,
  actor_name: true,
  method: true,
  entity: true,
  entity_id: true,
  changes: true,
  prev_hash: true,
  hash: true,
});
const writeHead = query((db, p: { value: string }) =>
  db
    .insertInto('settings')
    .values({ key: 'audit_head', value: p.value })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
);
const readHead = query((db) => db.selectFrom('settings').select('value').where('key', '=', 'audit_head'));
const allRows = query((db) => db.selectFrom('audit_log').selectAll().orderBy('id'));
const hashById = query((db, p: { id: number }) => db.selectFrom('audit_log').select('hash').where('id', '=', p.id));

/** Appends rows to the hash chain. Must run inside the caller's transaction. */
export function appendAudit(conn: Connection<WritableDB>, rows: AuditRow[]): void {
  if (!rows.length) return;
  const db = asWritable(conn);
  const last = lastRow.get(db);
  let prev = last?.hash ?? GENESIS_HASH;
  let id = last?.id ?? 0;
  for (const r of rows) {
    id += 1;
    const hash = auditHash(prev, { ...r, id });
    insertAuditRow.run(db, { ...r, id, prev_hash: prev, hash });
    prev = hash;
  }
  writeHead.run(db, { value: JSON.stringify({ id, hash: prev }) });
}

/** The head as stored in settings (a backup header carries it), or null. */
export function storedAuditHead(db: ReadableDB): { id: number; hash: string } | null {
  const r = readHead.get(db);
  try {
    return r ? (JSON.parse(r.value) as { id: number; hash: string }) : null;
  } catch {
    return null;
  }
}

/** The last row's number and hash, or undefined for an empty chain. */
export function lastAuditRow(db: ReadableDB): { id: number; hash: string } | undefined {
  return lastRow.get(db);
}

/** The hash of row `id`, or null when the row is gone. */
export function auditHashAt(db: ReadableDB, id: number): string | null {
  return hashById.get(db, { id })?.hash ?? null;
}

export interface AuditVerdict {
  ok: boolean;
  rows: number;
  /** The first row whose content, link or number does not fit the chain. */
  firstBad: { id: number; reason: 'edited' | 'missing' | 'relinked' | 'head_mismatch' } | null;
}

/** Walks the chain: detects edited rows, deleted rows (gaps or a lost tail) and re-linked rows. */
export function verifyAudit(conn: Connection<ReadableDB>): AuditVerdict {
  const db = asReadable(conn);
  const rows = allRows.iterate(db);
  let prev = GENESIS_HASH;
  let expectedId = 1;
  let count = 0;
  for (const r of rows) {
    count++;
    if (r.id !== expectedId) return { ok: false, rows: count, firstBad: { id: expectedId, reason: 'missing' } };
    if (r.prev_hash !== prev) return { ok: false, rows: count, firstBad: { id: r.id, reason: 'relinked' } };
    if (auditHash(prev, r) !== r.hash) return { ok: false, rows: count, firstBad: { id: r.id, reason: 'edited' } };
    prev = r.hash;
    expectedId++;
  }
  const head = readHead.get(db);
  if (head) {
    const h = JSON.parse(head.value) as { id: number; hash: string };
    if (h.id !== expectedId - 1 || h.hash !== prev) {
      return { ok: false, rows: count, firstBad: { id: Math.min(h.id, expectedId), reason: 'head_mismatch' } };
    }
  } else if (count > 0) {
    return { ok: false, rows: count, firstBad: { id: 1, reason: 'head_mismatch' } };
  }
  return { ok: true, rows: count, firstBad: null };
}

const entriesForRecord = query((db, p: { entity: string; entityId: string }) =>
  db.selectFrom('audit_log').select(['at', 'actor_kind', 'actor_id', 'actor_name', 'method', 'changes']).where('entity', '=', p.entity).where('entity_id', '=', p.entityId).orderBy('id'),
);

/** A record's audit entries, oldest first (an applicant's edit history). */
export function auditEntriesFor(
  db: ReadableDB,
  entity: string,
  entityId: string,
): { at: string; actor_kind: 'user' | 'cli' | 'anonymous' | 'system'; actor_id: string | null; actor_name: string; method: string; changes: string | null }[] {
  return entriesForRecord.all(db, { entity, entityId });
}

const latestChangesForRecord = query((db, p: { entity: string; entityId: string; since: string; limit: number }) =>
  db
    .selectFrom('audit_log')
    .select(['at', 'actor_name', 'changes'])
    .where('entity', '=', p.entity)
    .where('entity_id', '=', p.entityId)
    .where('changes', 'is not', null)
    .where('at', '>=', p.since)
    .orderBy('id', 'desc')
    .limit(p.limit),
);

/** A record's latest `limit` entries with changes, from `since` on, oldest first (an applicant's edit conflict). */
export function latestAuditChanges(db: ReadableDB, entity: string, entityId: string, since: string, limit: number): { at: string; actor_name: string; changes: string | null }[] {
  return latestChangesForRecord.all(db, { entity, entityId, since, limit }).reverse();
}

const loginsOfUser = query((db, p: { userId: string; limit: number }) =>
  db
    .selectFrom('audit_log')
    .select(['at', 'actor_name', 'changes'])
    .where('entity', '=', 'users')
    .where('entity_id', '=', p.userId)
    .where('method', '=', 'auth.login')
    .orderBy('id', 'desc')
    .limit(p.limit),
);

/** The latest `limit` logins into one account (succeeded, failed or refused while locked), newest first. */
export function loginEntriesOf(db: ReadableDB, userId: string, limit: number): { at: string; actor_name: string; changes: string | null }[] {
  return loginsOfUser.all(db, { userId, limit });
}

// ——— The heads anchored outside the office (audit_anchors; the rules are in security/audit-chain-anchors.ts) ———

export type AnchorDirection = AuditAnchorsTable['direction'];
export interface StoredAnchor {
  rows: number;
  hash: string;
  fileSeq: number | null;
  at: string;
}

const anchorRowsSentOrAcknowledged = query((db, p: { officeId: string; limit: number }) =>
  db
    .selectFrom('audit_anchors')
    .select('rows')
    .distinct()
    .where('office_id', '=', p.officeId)
    .where('direction', 'in', ['sent', 'acknowledged'])
    .orderBy('rows', 'desc')
    .limit(p.limit),
);
const upsertAnchor = query((db, p: { officeId: string; direction: AnchorDirection; rows: number; hash: string; fileSeq: number | null; at: string }) =>
  db
    .insertInto('audit_anchors')
    .values({ office_id: p.officeId, direction: p.direction, rows: p.rows, hash: p.hash, file_seq: p.fileSeq, at: p.at })
    .onConflict((oc) =>
      oc.columns(['office_id', 'direction', 'rows']).doUpdateSet((eb) => ({ hash: eb.ref('excluded.hash'), file_seq: eb.ref('excluded.file_seq'), at: eb.ref('excluded.at') })),
    ),
);
const lastAnchorOf = query((db, p: { officeId: string; direction: AnchorDirection }) =>
  db
    .selectFrom('audit_anchors')
    .select(['rows', 'hash', 'file_seq as fileSeq', 'at'])
    .where('office_id', '=', p.officeId)
    .where('direction', '=', p.direction)
    .orderBy('rows', 'desc')
    .orderBy('at', 'desc')
    .limit(1),
);
const anchorsSentOrAcknowledged = query((db, p: { officeId: string }) =>
  db
    .selectFrom('audit_anchors')
    .select(['rows', 'hash', 'file_seq as fileSeq', 'at'])
    .where('office_id', '=', p.officeId)
    .where('direction', 'in', ['sent', 'acknowledged'])
    .orderBy('rows'),
);

const deleteAnchorsOf = query((db, p: { officeId: string; direction: AnchorDirection }) =>
  db.deleteFrom('audit_anchors').where('office_id', '=', p.officeId).where('direction', '=', p.direction),
);

/** Forgets an office's heads kept in one direction (the region accepting an office's new chain). */
export function deleteAuditAnchors(conn: Connection<WritableDB>, officeId: string, direction: AnchorDirection): number {
  return deleteAnchorsOf.run(asWritable(conn), { officeId, direction }).changes;
}

/** The distinct row counts of the heads this office sent or had acknowledged, newest first, at most `limit`. */
export function anchoredRowCounts(conn: Connection<ReadableDB>, officeId: string, limit: number): number[] {
  return anchorRowsSentOrAcknowledged.all(asReadable(conn), { officeId, limit }).map((r) => r.rows);
}

export function upsertAuditAnchor(conn: Connection<WritableDB>, officeId: string, direction: AnchorDirection, rows: number, hash: string, fileSeq: number | null, at: string): void {
  upsertAnchor.run(asWritable(conn), { officeId, direction, rows, hash, fileSeq, at });
}

export function lastAuditAnchor(conn: Connection<ReadableDB>, officeId: string, direction: AnchorDirection): StoredAnchor | null {
  return lastAnchorOf.get(asReadable(conn), { officeId, direction }) ?? null;
}

/** Every head this office sent or had acknowledged, by row count. */
export function sentOrAcknowledgedAnchors(conn: Connection<ReadableDB>, officeId: string): StoredAnchor[] {
  return anchorsSentOrAcknowledged.all(asReadable(conn), { officeId });
}

const rowsAboutQ = query((db, p: { entityId: string }) =>
  db.selectFrom('audit_log').select(['id', 'at', 'actor_name', 'method', 'entity', 'entity_id', 'changes']).where('entity_id', '=', p.entityId).orderBy('id'),
);
/** The entries about one record, whatever its table (the right of access gathers them for her rows). */
export function auditRowsAbout(db: ReadableDB, entityId: string) {
  return rowsAboutQ.all(db, { entityId });
}

/** Reads through a raw connection too (exchange files and the CLI hold one): see `Connection`. */
export function readableOf(conn: Connection<ReadableDB>): ReadableDB {
  return asReadable(conn);
}

// ——— The audit list (security's screen): filters vary by call, so the query is built at the call ———

export interface AuditFilter {
  actor?: string;
  /** A method, or a prefix ending with '.' (every method of a feature). */
  method?: string;
  entity?: string;
  entityId?: string;
  /** Only these records (a file search's answer; an empty list matches nothing). */
  entityIds?: readonly string[];
  from?: string;
  /** Inclusive upper bound (an instant). */
  to?: string;
}

function filtered(f: AuditFilter) {
  let q = qb.selectFrom('audit_log');
  if (f.actor) q = q.where('actor_name', '=', f.actor);
  if (f.method) q = f.method.endsWith('.') ? q.where('method', 'like', `${f.method}%`) : q.where('method', '=', f.method);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.entityId) q = q.where('entity_id', '=', f.entityId);
  if (f.entityIds) q = q.where('entity_id', 'in', f.entityIds.length ? [...f.entityIds] : ['-']);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<=', f.to);
  return q;
}

/** One page of the trail, newest first, and how many rows the filter matches. */
export function listAudit(db: ReadableDB, f: AuditFilter, page: { limit: number; offset: number }): { total: number; rows: StoredAuditRow[] } {
  const q = filtered(f);
  const total = Number(get(db, q.select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0);
  const rows = all(db, q.selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset));
  return { total, rows };
}
