import { AppError } from '../../shared/errors';
import { describeEditedFields, describeEditors, type ConflictEdit } from '../../shared/i18n/applicant-edits';
import { seesSensitive } from '../../shared/roles';
import type { ReadContext } from '../context';
import { changesSince } from '../changes/changes.repo';
import { latestAuditChanges } from '../audit/audit.repo';

const MASK = '•••';
const SENSITIVE = new Set(['hasDisability', 'disabilityTypes', 'disabilitySeverity', 'disabilityCardNumber', 'disabilityCardExpiry', 'rsuIndex', 'situations']);

/**
 * Optimistic concurrency on an applicant's file (issue 17: several workstations, one registry). The version of a
 * file is its change number (`change_seq`, advanced by every write to it). An edit says which version it was
 * based on; if the file has changed since, the save is refused — never a silent overwrite — with who changed it,
 * when, and what, field by field, so the screen can show it and offer to reapply the person's changes on the
 * new version.
 */
export function refuseStaleEdit(ctx: ReadContext, id: string, currentVersion: number, baseVersion: number | undefined): void {
  if (baseVersion === undefined || baseVersion === currentVersion) return;
  const edits = editsSince(ctx, id, baseVersion);
  throw new AppError('applicant.edit_conflict', {
    version: currentVersion,
    edits,
    by: describeEditors(edits),
    fieldsAr: describeEditedFields(edits, 'ar'),
    fieldsFr: describeEditedFields(edits, 'fr'),
  });
}

/**
 * The audited writes to the file after `baseVersion`: as many of its latest audit entries as it has change numbers
 * since then (each write to the file takes one change number and writes one audit entry about it), from the time
 * of the first of them on.
 */
export function editsSince(ctx: ReadContext, id: string, baseVersion: number): ConflictEdit[] {
  const since = changesSince(ctx.db, 'applicants', id, baseVersion);
  if (!since.n || !since.first) return [];
  const rows = latestAuditChanges(ctx.db, 'applicants', id, since.first, since.n);
  const sensitive = seesSensitive(ctx.role);
  return rows.map((r) => {
    let changes: Record<string, [unknown, unknown]> = {};
    try {
      changes = r.changes ? (JSON.parse(r.changes) as Record<string, [unknown, unknown]>) : {};
    } catch {
      changes = {};
    }
    if (!sensitive) for (const k of Object.keys(changes)) if (SENSITIVE.has(k)) changes[k] = [MASK, MASK];
    return { by: r.actor_name, at: r.at, changes };
  });
}
