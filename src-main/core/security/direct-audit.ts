import { connectionOf, writable, type WritableDB } from '../db/handles';
import { appendAudit, type AuditRow } from '../audit/audit.repo';
import type { AuditEntry, ReadContext } from '../context';

/**
 * The write handle of a method declared `write: false` that must still write: backup.create, backup.restore and
 * recovery.restoreBackup replace or copy the database file, which cannot happen inside the dispatcher's
 * transaction, so they get a read context; they record what they did (their audit rows, the backup run)
 * in short transactions of their own, through this handle, taken on purpose and only for that.
 */
export function writableOutsideCall(ctx: ReadContext): WritableDB {
  // Same connection (the dispatcher runs one call at a time and holds no transaction for a read method).
  return writable(connectionOf(ctx.db));
}

/** Runs `fn` in a short transaction of its own (BEGIN IMMEDIATE), outside the dispatcher's. */
export function inOwnTransaction<T>(db: WritableDB, fn: () => T): T {
  return connectionOf(db).transaction(fn).immediate();
}

/** Who the audit rows name: the call's method and actor (or `system`, the scheduler's automatic backups). */
export interface OutsideCall {
  method: string;
  actor: ReadContext['actor'];
  actorName: string;
  at: string;
}

/**
 * For the few methods that cannot run inside the dispatcher's transaction: append their audit rows to the chain
 * themselves, in a short transaction of their own, with the same fields the dispatcher writes. `system` marks
 * the automatic backups of the scheduler.
 */
export function appendAuditOutsideCall(db: WritableDB, call: OutsideCall, entries: AuditEntry[], opts: { system?: string } = {}): void {
  const rows: AuditRow[] = (entries.length ? entries : [{}]).map((a) => ({
    at: call.at,
    actor_kind: opts.system ? 'system' : call.actor.kind,
    actor_id: !opts.system && call.actor.kind === 'user' ? call.actor.userId : null,
    actor_name: opts.system ?? call.actorName,
    method: call.method,
    entity: a.entity ?? null,
    entity_id: a.entityId ?? null,
    changes: a.changes && Object.keys(a.changes).length ? JSON.stringify(a.changes) : null,
  }));
  inOwnTransaction(db, () => appendAudit(db, rows));
}

/** The call as appendAuditOutsideCall names it. */
export function outsideCall(ctx: ReadContext): OutsideCall {
  return { method: ctx.method, actor: ctx.actor, actorName: ctx.actorName, at: ctx.now() };
}
