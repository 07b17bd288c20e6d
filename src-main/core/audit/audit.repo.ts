import { createHash } from 'node:crypto';
import type { Sqlite } from '../db/connection';
import { stmt } from '../db/statements';
import type { ReadableDB } from '../db/handles';
import { query } from '../db/query';

export interface AuditRow {
  at: string;
  actor_kind: 'user' | 'cli' | 'anonymous' | 'system';
  actor_id: string | null;
  actor_name: string;
  method: string;
  entity: string | null;
  entity_id: string | null;
  changes: string | null;
}

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

/** Appends rows to the hash chain. Must run inside the caller's transaction. */
export function appendAudit(db: Sqlite, rows: AuditRow[]): void {
  if (!rows.length) return;
  const last = stmt(db, 'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    | { id: number; hash: string }
    | undefined;
  let prev = last?.hash ?? GENESIS_HASH;
  let id = last?.id ?? 0;
  const insert = stmt(
    db,
    `INSERT INTO audit_log (id, at, actor_kind, actor_id, actor_name, method, entity, entity_id, changes, prev_hash, hash)
     VALUES (@id, @at, @actor_kind, @actor_id, @actor_name, @method, @entity, @entity_id, @changes, @prev_hash, @hash)`,
  );
  for (const r of rows) {
    id += 1;
    const hash = auditHash(prev, { ...r, id });
    insert.run({ ...r, id, prev_hash: prev, hash });
    prev = hash;
  }
  stmt(db, `INSERT INTO settings (key, value) VALUES ('audit_head', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(
    JSON.stringify({ id, hash: prev }),
  );
}

export interface AuditVerdict {
  ok: boolean;
  rows: number;
  /** The first row whose content, link or number does not fit the chain. */
  firstBad: { id: number; reason: 'edited' | 'missing' | 'relinked' | 'head_mismatch' } | null;
}

/** Walks the chain: detects edited rows, deleted rows (gaps or a lost tail) and re-linked rows. */
export function verifyAudit(db: Sqlite): AuditVerdict {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<
    AuditRow & { id: number; prev_hash: string; hash: string }
  >;
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
  const head = db.prepare(`SELECT value FROM settings WHERE key = 'audit_head'`).get() as { value: string } | undefined;
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
  db.selectFrom('audit_log').select(['at', 'actor_name', 'method', 'changes']).where('entity', '=', p.entity).where('entity_id', '=', p.entityId).orderBy('id'),
);

/** A record's audit entries, oldest first (an applicant's edit history). */
export function auditEntriesFor(db: ReadableDB, entity: string, entityId: string): { at: string; actor_name: string; method: string; changes: string | null }[] {
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
