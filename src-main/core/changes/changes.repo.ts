import { sql } from 'kysely';
import type { ChangeOp } from '../context';
import type { ReadableDB, WritableDB } from '../db/handles';
import { query } from '../db/query';

/**
 * The change sequence: every write to a synchronised record takes the next number here,
 * and the record stores it in its change_seq column. An export sends every row with
 * change_seq greater than the last sequence sent; deletions and anonymisations travel
 * as change_log rows. Owner of the table change_log.
 */

const insertOne = query((db, p: { entity: string; entityId: string; op: ChangeOp; officeId: string | null; at: string }) =>
  db.insertInto('change_log').values({ entity: p.entity, entity_id: p.entityId, op: p.op, office_id: p.officeId, at: p.at }),
);

export function recordChange(db: WritableDB, entity: string, entityId: string, op: ChangeOp, officeId: string | null, at: string): number {
  return Number(insertOne.run(db, { entity, entityId, op, officeId, at }).lastInsertRowid);
}

/** One change_log row per id of a JSON array, numbered in the array's order (json_each: a parameter cannot be a list). */
const insertMany = query((db, p: { entity: string; ids: string; op: ChangeOp; officeId: string | null; at: string }) =>
  db
    .insertInto('change_log')
    .columns(['entity', 'entity_id', 'op', 'office_id', 'at'])
    .expression((eb) =>
      eb
        .selectFrom(sql<{ key: number; value: string }>`json_each(${p.ids})`.as('j'))
        .select([
          sql<string>`${p.entity}`.as('entity'),
          'j.value',
          sql<ChangeOp>`${p.op}`.as('op'),
          sql<string | null>`${p.officeId}`.as('office_id'),
          sql<string>`${p.at}`.as('at'),
        ])
        .orderBy('j.key'),
    )
    .returning(['seq', 'entity_id']),
);

/**
 * recordChange for many records of one table in one statement (an import of thousands of rows): the same
 * change_log rows, numbered in the order of `ids`. Returns id → sequence number.
 */
export function recordChanges(db: WritableDB, entity: string, ids: readonly string[], op: ChangeOp, officeId: string | null, at: string): Map<string, number> {
  const out = new Map<string, number>();
  if (!ids.length) return out;
  for (const r of insertMany.all(db, { entity, ids: JSON.stringify(ids), op, officeId, at })) out.set(r.entity_id, r.seq);
  if (out.size !== ids.length) throw new Error(`change numbers: ${out.size} for ${ids.length} records`);
  return out;
}

const maxSeq = query((db) => db.selectFrom('change_log').select((eb) => eb.fn.max('seq').as('s')));

export function lastChangeSeq(db: ReadableDB): number {
  return maxSeq.get(db)?.s ?? 0;
}

const sinceForRecord = query((db, p: { entity: string; entityId: string; seq: number }) =>
  db
    .selectFrom('change_log')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('first')])
    .where('entity', '=', p.entity)
    .where('entity_id', '=', p.entityId)
    .where('seq', '>', p.seq),
);

/** How many changes a record had after a sequence number, and the time of the first (an applicant's edit conflict). */
export function changesSince(db: ReadableDB, entity: string, entityId: string, seq: number): { n: number; first: string | null } {
  const r = sinceForRecord.get(db, { entity, entityId, seq });
  return { n: r?.n ?? 0, first: r?.first ?? null };
}

const countAfter = query((db, p: { seq: number }) => db.selectFrom('change_log').select((eb) => eb.fn.countAll<number>().as('n')).where('seq', '>', p.seq));

/** Changes numbered after `seq` (what the next exchange file would carry). */
export function changesAfter(db: ReadableDB, seq: number): number {
  return countAfter.get(db, { seq })?.n ?? 0;
}

/** How many change rows `changes.since` reads at most (an import of thousands: the screens reload everything). */
export const CHANGES_SINCE_LIMIT = 2000;
/** How many ids of one table are listed at most (more: `ids` is null, every screen showing that table reloads). */
export const CHANGED_IDS_LIMIT = 200;

const rowsAfter = query((db, p: { seq: number; limit: number }) =>
  db.selectFrom('change_log').select(['seq', 'entity', 'entity_id']).where('seq', '>', p.seq).orderBy('seq').limit(p.limit),
);

/** The tables (and records) changed after `seq`, each with its latest number (issue 17's live refresh). */
export function changedSince(db: ReadableDB, seq: number): { seq: number; changes: { entity: string; seq: number; ids: string[] | null }[]; truncated: boolean } {
  const rows = rowsAfter.all(db, { seq, limit: CHANGES_SINCE_LIMIT + 1 });
  const truncated = rows.length > CHANGES_SINCE_LIMIT;
  if (truncated) rows.length = CHANGES_SINCE_LIMIT;
  const by = new Map<string, { entity: string; seq: number; ids: Set<string> | null }>();
  for (const r of rows) {
    let e = by.get(r.entity);
    if (!e) by.set(r.entity, (e = { entity: r.entity, seq: r.seq, ids: new Set() }));
    e.seq = r.seq;
    if (e.ids) {
      e.ids.add(r.entity_id);
      if (e.ids.size > CHANGED_IDS_LIMIT) e.ids = null;
    }
  }
  // Nothing after `seq`: the latest number as it is (lower than `seq` after a restore: the screens then reload all).
  const last = truncated || !rows.length ? lastChangeSeq(db) : rows[rows.length - 1].seq;
  return { seq: last, changes: [...by.values()].map((e) => ({ entity: e.entity, seq: e.seq, ids: e.ids ? [...e.ids] : null })), truncated };
}
