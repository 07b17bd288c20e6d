import type { Handlers } from '../handlers';
import { verifyAudit } from '../audit/audit.repo';
import { listBackupFiles, readBackupConfig, readHeaderFromPath } from './backup';
import { anchorStatus } from './audit-chain-anchors';
import { checkAuditAnchors } from './audit-anchors';
import type { AuditListItem } from '../../shared/api/security.contract';

/** A date alone as an upper bound means the whole day. */
function upperBound(to: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(to) ? `${to}T23:59:59.999Z` : to;
}

export const auditHandlers = {
  'audit.list': async (input, ctx) => {
    let q = ctx.db.selectFrom('audit_log');
    if (input.actor) q = q.where('actor_name', '=', input.actor);
    if (input.method) q = input.method.endsWith('.') ? q.where('method', 'like', `${input.method}%`) : q.where('method', '=', input.method);
    if (input.entity) q = q.where('entity', '=', input.entity);
    if (input.entityId) q = q.where('entity_id', '=', input.entityId);
    if (input.from) q = q.where('at', '>=', input.from);
    if (input.to) q = q.where('at', '<=', upperBound(input.to));
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await q
      .selectAll()
      .orderBy('id', 'desc')
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize)
      .execute();
    const items: AuditListItem[] = rows.map((r) => ({
      id: r.id,
      at: r.at,
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      actorName: r.actor_name,
      method: r.method,
      entity: r.entity,
      entityId: r.entity_id,
      changes: r.changes ? (JSON.parse(r.changes) as AuditListItem['changes']) : null,
    }));
    return { items, total, page: input.page, pageSize: input.pageSize };
  },

  'audit.verify': async (_input, ctx) => {
    const v = verifyAudit(ctx.sqlite);
    const folder = readBackupConfig(ctx.sqlite).folder;
    const office = ctx.office();
    const anchors = checkAuditAnchors(ctx.sqlite, folder, office?.code ?? null);
    // How far the trail is held outside the office: the backups' heads, the last exchange file, the region's receipt.
    const backupHeads = (folder ? listBackupFiles(folder, office?.code ?? null) : []).map((f) => {
      try {
        const h = readHeaderFromPath(f.path).auditHead;
        return { at: f.at, head: h ? { rows: h.id, hash: h.hash } : null };
      } catch {
        return { at: f.at, head: null };
      }
    });
    const anchored = anchorStatus(ctx.sqlite, office?.id ?? null, backupHeads);
    const outsideBroken = anchored.broken.length > 0;
    return { ...v, ok: v.ok && anchors.mismatches.length === 0 && !outsideBroken, anchors, anchored };
  },
} satisfies Partial<Handlers>;
