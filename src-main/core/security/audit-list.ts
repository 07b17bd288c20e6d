import type { Handlers } from '../handler-types';
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
    let q = ctx.kysely.selectFrom('audit_log');
    if (input.actor) q = q.where('actor_name', '=', input.actor);
    if (input.method) q = input.method.endsWith('.') ? q.where('method', 'like', `${input.method}%`) : q.where('method', '=', input.method);
    if (input.entity) q = q.where('entity', '=', input.entity);
    if (input.entityId) q = q.where('entity_id', '=', input.entityId);
    if (input.file) {
      const f = input.file.trim();
      const like = `%${f.replace(/[%_]/g, '')}%`;
      const ids = ctx.sqlite
        .prepare(
          `SELECT id FROM applicants WHERE file_no = ? OR cin = upper(?) OR (first_name_ar || ' ' || last_name_ar) LIKE ? OR (first_name_lat || ' ' || last_name_lat) LIKE ? OR (last_name_lat || ' ' || first_name_lat) LIKE ? LIMIT 500`,
        )
        .all(f, f, like, like, like)
        .map((r) => (r as { id: string }).id);
      q = q.where('entity_id', 'in', ids.length ? ids : ['-']);
    }
    if (input.from) q = q.where('at', '>=', input.from);
    if (input.to) q = q.where('at', '<=', upperBound(input.to));
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await q
      .selectAll()
      .orderBy('id', 'desc')
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize)
      .execute();
    // People by their names, files by their holder's name and number (issue 15: no user names, no identifiers).
    const userName = new Map<string, string>();
    for (const u of ctx.sqlite.prepare('SELECT id, username, display_name FROM users').all() as { id: string; username: string; display_name: string }[]) {
      userName.set(u.id, u.display_name);
      userName.set(`@${u.username}`, u.display_name);
    }
    const applicantIds = [...new Set(rows.filter((r) => r.entity === 'applicants' && r.entity_id).map((r) => r.entity_id!))];
    const files = new Map<string, { ar: string; fr: string }>();
    if (applicantIds.length) {
      const found = ctx.sqlite
        .prepare(`SELECT id, file_no, first_name_ar, last_name_ar, first_name_lat, last_name_lat FROM applicants WHERE id IN (${applicantIds.map(() => '?').join(',')})`)
        .all(...applicantIds) as { id: string; file_no: string; first_name_ar: string; last_name_ar: string; first_name_lat: string; last_name_lat: string }[];
      for (const a of found) {
        const ar = `${a.first_name_ar} ${a.last_name_ar}`.trim();
        const lat = `${a.first_name_lat} ${a.last_name_lat}`.trim();
        files.set(a.id, { ar: `${ar || lat} (${a.file_no})`, fr: `${lat || ar} (${a.file_no})` });
      }
    }
    const subjectOf = (entity: string | null, id: string | null): AuditListItem['subject'] => {
      if (!id) return null;
      if (entity === 'applicants') return files.get(id) ?? null;
      if (entity === 'users') {
        const n = userName.get(id);
        return n ? { ar: n, fr: n } : null;
      }
      return null;
    };
    const actorLabel = (r: (typeof rows)[number]): string => {
      if (r.actor_kind === 'user') return (r.actor_id && userName.get(r.actor_id)) || userName.get(`@${r.actor_name}`) || r.actor_name;
      return r.actor_name;
    };
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
      actorLabel: actorLabel(r),
      subject: subjectOf(r.entity, r.entity_id),
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
