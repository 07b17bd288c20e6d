import type { Handlers } from '../handler-types';
import { listAudit, verifyAudit } from '../audit/audit.repo';
import { userNames } from '../accounts/accounts.repo';
import { applicantIdsMatching, applicantLabels } from '../applicants/applicants.repo';
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
    const entityIds = input.file ? applicantIdsMatching(ctx.db, input.file.trim()) : undefined;
    const { total, rows } = listAudit(
      ctx.db,
      {
        actor: input.actor,
        method: input.method,
        entity: input.entity,
        entityId: input.entityId,
        entityIds,
        from: input.from,
        to: input.to ? upperBound(input.to) : undefined,
      },
      { limit: input.pageSize, offset: (input.page - 1) * input.pageSize },
    );
    // People by their names, files by their holder's name and number (issue 15: no user names, no identifiers).
    const userName = new Map<string, string>();
    for (const u of userNames(ctx.db)) {
      userName.set(u.id, u.display_name);
      userName.set(`@${u.username}`, u.display_name);
    }
    const applicantIds = [...new Set(rows.filter((r) => r.entity === 'applicants' && r.entity_id).map((r) => r.entity_id!))];
    const files = new Map<string, { ar: string; fr: string }>();
    for (const a of applicantLabels(ctx.db, applicantIds)) {
      const ar = `${a.first_name_ar} ${a.last_name_ar}`.trim();
      const lat = `${a.first_name_lat} ${a.last_name_lat}`.trim();
      files.set(a.id, { ar: `${ar || lat} (${a.file_no})`, fr: `${lat || ar} (${a.file_no})` });
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
    const v = verifyAudit(ctx.db);
    const folder = readBackupConfig(ctx.db).folder;
    const office = ctx.office();
    const anchors = checkAuditAnchors(ctx.db, folder, office?.code ?? null);
    // How far the trail is held outside the office: the backups' heads, the last exchange file, the region's receipt.
    const backupHeads = (folder ? listBackupFiles(folder, office?.code ?? null) : []).map((f) => {
      try {
        const h = readHeaderFromPath(f.path).auditHead;
        return { at: f.at, head: h ? { rows: h.id, hash: h.hash } : null };
      } catch {
        return { at: f.at, head: null };
      }
    });
    const anchored = anchorStatus(ctx.db, office?.id ?? null, backupHeads);
    const outsideBroken = anchored.broken.length > 0;
    return { ...v, ok: v.ok && anchors.mismatches.length === 0 && !outsideBroken, anchors, anchored };
  },
} satisfies Partial<Handlers>;
