import type { Sqlite } from '../db/connection';
import { stmt } from '../db/statements';
import type { ChangeOp } from '../context';

/**
 * The change sequence: every write to a synchronised record takes the next number here,
 * and the record stores it in its change_seq column. An export sends every row with
 * change_seq greater than the last sequence sent; deletions and anonymisations travel
 * as change_log rows.
 */
export function recordChange(
  db: Sqlite,
  entity: string,
  entityId: string,
  op: ChangeOp,
  officeId: string | null,
  at: string,
): number {
  const r = stmt(db, 'INSERT INTO change_log (entity, entity_id, op, office_id, at) VALUES (?, ?, ?, ?, ?)').run(entity, entityId, op, officeId, at);
  return Number(r.lastInsertRowid);
}

/**
 * recordChange for many records of one table in one statement (an import of thousands of rows): the same
 * change_log rows, numbered in the order of `ids`. Returns id → sequence number.
 */
export function recordChanges(db: Sqlite, entity: string, ids: readonly string[], op: ChangeOp, officeId: string | null, at: string): Map<string, number> {
  const out = new Map<string, number>();
  if (!ids.length) return out;
  const rows = db
    .prepare(
      `INSERT INTO change_log (entity, entity_id, op, office_id, at)
       SELECT ?, value, ?, ?, ? FROM json_each(?) ORDER BY key RETURNING seq, entity_id`,
    )
    .raw(true)
    .all(entity, op, officeId, at, JSON.stringify(ids)) as [number, string][];
  for (const [seq, id] of rows) out.set(id, seq);
  if (out.size !== ids.length) throw new Error(`change numbers: ${out.size} for ${ids.length} records`);
  return out;
}

export function lastChangeSeq(db: Sqlite): number {
  const r = stmt(db, 'SELECT MAX(seq) AS s FROM change_log').get() as { s: number | null };
  return r.s ?? 0;
}
