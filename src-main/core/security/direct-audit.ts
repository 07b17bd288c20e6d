import { appendAudit, type AuditRow } from '../audit/audit.repo';
import { type AuditEntry, type ReadContext } from '../context';

/**
 * For the few methods that cannot run inside the dispatcher's transaction (backup.create, backup.restore,
 * declared write: false): append their audit rows to the chain themselves, in a short transaction of their
 * own, with the same fields the dispatcher writes. `system` marks the automatic backups of the scheduler.
 */
export function appendAuditNow(ctx: ReadContext, entries: AuditEntry[], opts: { system?: string } = {}): void {
  const at = ctx.now();
  const rows: AuditRow[] = (entries.length ? entries : [{}]).map((a) => ({
    at,
    actor_kind: opts.system ? 'system' : ctx.actor.kind,
    actor_id: !opts.system && ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    actor_name: opts.system ?? ctx.actorName,
    method: ctx.method,
    entity: a.entity ?? null,
    entity_id: a.entityId ?? null,
    changes: a.changes && Object.keys(a.changes).length ? JSON.stringify(a.changes) : null,
  }));
  ctx.sqlite.transaction(() => appendAudit(ctx.sqlite, rows)).immediate();
}
