import { sql, type Insertable, type Selectable } from 'kysely';
import type { ReadableDB, WritableDB } from '../../db/handles';
import { query } from '../../db/query';
import type { ExchangeHeldFilesTable, ExchangeImportsTable, ExchangeOfficeStateTable } from '../../db/schema-exchange';

/**
 * The region's side of the files: where each office stands (exchange_office_state), the files applied
 * (exchange_imports), the files held after a gap (exchange_held_files), and the marker of an import under way
 * (exchange_applying).
 */

export type OfficeStateRow = Selectable<ExchangeOfficeStateTable>;

const state = query((db, p: { officeId: string }) => db.selectFrom('exchange_office_state').selectAll().where('office_id', '=', p.officeId));
export function getOfficeState(db: ReadableDB, officeId: string): OfficeStateRow | undefined {
  return state.get(db, { officeId });
}

const applied = query(
  (db, p: { officeId: string; fileSeq: number; changeSeq: number; createdAt: string; now: string; rows: number }) =>
    db
      .insertInto('exchange_office_state')
      .values({ office_id: p.officeId, last_file_seq: p.fileSeq, last_change_seq: p.changeSeq, last_file_created_at: p.createdAt, last_imported_at: p.now, rows_applied: p.rows })
      .onConflict((oc) =>
        oc.column('office_id').doUpdateSet((eb) => ({
          last_file_seq: eb.ref('excluded.last_file_seq'),
          last_change_seq: eb.ref('excluded.last_change_seq'),
          last_file_created_at: eb.ref('excluded.last_file_created_at'),
          last_imported_at: eb.ref('excluded.last_imported_at'),
          rows_applied: sql<number>`rows_applied + excluded.rows_applied`,
        })),
      ),
);
/** The office's position after a file is applied. */
export function recordFileApplied(db: WritableDB, p: { officeId: string; fileSeq: number; changeSeq: number; createdAt: string; now: string; rows: number }): void {
  applied.run(db, p);
}

const moveFileSeq = query((db, p: { officeId: string; fileSeq: number; changeSeq: number }) =>
  db
    .insertInto('exchange_office_state')
    .values({ office_id: p.officeId, last_file_seq: p.fileSeq, last_change_seq: p.changeSeq })
    .onConflict((oc) => oc.column('office_id').doUpdateSet((eb) => ({ last_file_seq: eb.ref('excluded.last_file_seq') }))),
);
const moveChangeSeq = query((db, p: { officeId: string; changeSeq: number }) =>
  db.updateTable('exchange_office_state').set({ last_change_seq: p.changeSeq }).where('office_id', '=', p.officeId),
);
/** An accepted gap: the office's file sequence moves on (its change sequence is set apart, see setOfficeChangeSeq). */
export function setOfficeFileSeq(db: WritableDB, officeId: string, fileSeq: number, changeSeqIfNew: number): void {
  moveFileSeq.run(db, { officeId, fileSeq, changeSeq: changeSeqIfNew });
}
export function setOfficeChangeSeq(db: WritableDB, officeId: string, changeSeq: number): void {
  moveChangeSeq.run(db, { officeId, changeSeq });
}

const supersede = query((db, p: { officeId: string; fileSeq: number; now: string }) =>
  db.updateTable('exchange_imports').set({ superseded_at: p.now }).where('office_id', '=', p.officeId).where('file_seq', '>', p.fileSeq).where('superseded_at', 'is', null),
);
const reset = query((db, p: { officeId: string; fileSeq: number; changeSeq: number; after: number; lostTo: number }) =>
  db
    .updateTable('exchange_office_state')
    .set({ last_file_seq: p.fileSeq, last_change_seq: p.changeSeq, restart_after_change_seq: p.after, restart_lost_to_change_seq: p.lostTo })
    .where('office_id', '=', p.officeId),
);
/**
 * The coordinator accepted that an office restarted its numbering (it restored an older backup): the files applied
 * after `fileSeq` stay in the history, marked superseded; the office's position goes back to the refused file's start,
 * and the region remembers the range of change numbers the office lost (`after`, `lostTo`].
 */
export function restartOfficeNumbering(db: WritableDB, p: { officeId: string; fileSeq: number; changeSeq: number; after: number; lostTo: number; now: string }): void {
  supersede.run(db, { officeId: p.officeId, fileSeq: p.fileSeq, now: p.now });
  reset.run(db, p);
}

const appliedAfter = query((db, p: { officeId: string; fileSeq: number }) =>
  db
    .selectFrom('exchange_imports')
    .select(['file_seq', 'kind', 'summary', 'file_created_at', 'imported_at'])
    .where('office_id', '=', p.officeId)
    .where('file_seq', '>', p.fileSeq)
    .where('superseded_at', 'is', null)
    .orderBy('file_seq'),
);
/** The files of an office applied after a number (not superseded), oldest first. */
export function importsAfter(db: ReadableDB, officeId: string, fileSeq: number): Pick<Selectable<ExchangeImportsTable>, 'file_seq' | 'kind' | 'summary' | 'file_created_at' | 'imported_at'>[] {
  return appliedAfter.all(db, { officeId, fileSeq });
}

const importedAt = query((db, p: { sha: string }) => db.selectFrom('exchange_imports').select('imported_at').where('payload_sha256', '=', p.sha));
/** When a file of this content was applied, if it was. */
export function importedAtBySha(db: ReadableDB, payloadSha256: string): string | undefined {
  return importedAt.get(db, { sha: payloadSha256 })?.imported_at;
}

const insertImportQ = query((db, p: Insertable<ExchangeImportsTable>) =>
  db.insertInto('exchange_imports').values({
    office_id: p.office_id,
    file_seq: p.file_seq,
    prev_file_seq: p.prev_file_seq,
    kind: p.kind,
    from_change_seq: p.from_change_seq,
    to_change_seq: p.to_change_seq,
    payload_sha256: p.payload_sha256,
    file_name: p.file_name,
    summary: p.summary,
    file_created_at: p.file_created_at,
    imported_at: p.imported_at,
    imported_by: p.imported_by,
  }),
);
export function insertImport(db: WritableDB, row: Insertable<ExchangeImportsTable>): number {
  return Number(insertImportQ.run(db, row).lastInsertRowid);
}

const setSummary = query((db, p: { id: number; summary: string }) => db.updateTable('exchange_imports').set({ summary: p.summary }).where('id', '=', p.id));
export function setImportSummary(db: WritableDB, id: number, summary: string): void {
  setSummary.run(db, { id, summary });
}

export type ImportListRow = Omit<Selectable<ExchangeImportsTable>, 'office_id' | 'payload_sha256'> & { slug: string };
const importsList = query((db, p: { office: string | null; limit: number }) =>
  db
    .selectFrom('exchange_imports as i')
    .innerJoin('offices as o', 'o.id', 'i.office_id')
    .select([
      'i.id',
      'o.slug',
      'i.file_seq',
      'i.prev_file_seq',
      'i.kind',
      'i.from_change_seq',
      'i.to_change_seq',
      'i.file_name',
      'i.summary',
      'i.file_created_at',
      'i.imported_at',
      'i.imported_by',
      'i.superseded_at',
    ])
    .where((eb) => eb.or([eb(sql.val(p.office), 'is', null), eb('o.slug', '=', p.office)]))
    .orderBy('i.id', 'desc')
    .limit(p.limit),
);
/** The files applied, newest first (of one office, by slug, or of all). */
export function listImports(db: ReadableDB, office: string | null, limit: number): ImportListRow[] {
  return importsList.all(db, { office, limit });
}

const markApplying = query((db) => db.insertInto('exchange_applying').orIgnore().values({ id: 1 }));
const clearApplying = query((db) => db.deleteFrom('exchange_applying'));
/** The marker of a file being applied (kept only while the savepoint is open). */
export function setApplying(db: WritableDB, on: boolean): void {
  (on ? markApplying : clearApplying).run(db);
}

const hold = query((db, p: Omit<Selectable<ExchangeHeldFilesTable>, 'id'>) =>
  db.insertInto('exchange_held_files').orIgnore().values({
    office_id: p.office_id,
    file_seq: p.file_seq,
    prev_file_seq: p.prev_file_seq,
    file_name: p.file_name,
    payload_sha256: p.payload_sha256,
    data: p.data,
    received_at: p.received_at,
  }),
);
export function holdFile(db: WritableDB, row: Omit<Selectable<ExchangeHeldFilesTable>, 'id'>): void {
  hold.run(db, row);
}

export type HeldFile = Pick<Selectable<ExchangeHeldFilesTable>, 'id' | 'file_seq' | 'prev_file_seq' | 'file_name' | 'data'>;

const heldAfter = query((db, p: { officeId: string; prev: number }) =>
  db
    .selectFrom('exchange_held_files')
    .select(['id', 'file_seq', 'prev_file_seq', 'file_name', 'data'])
    .where('office_id', '=', p.officeId)
    .where('prev_file_seq', '=', p.prev)
    .orderBy('file_seq')
    .limit(1),
);
/** The held file that follows the given file of an office. */
export function heldFileAfter(db: ReadableDB, officeId: string, fileSeq: number): HeldFile | undefined {
  return heldAfter.get(db, { officeId, prev: fileSeq });
}

const firstHeld = query((db, p: { officeId: string }) =>
  db.selectFrom('exchange_held_files').select(['id', 'file_seq', 'prev_file_seq', 'file_name', 'data']).where('office_id', '=', p.officeId).orderBy('file_seq').limit(1),
);
export function firstHeldFile(db: ReadableDB, officeId: string): HeldFile | undefined {
  return firstHeld.get(db, { officeId });
}

const heldList = query((db, p: { officeId: string }) =>
  db.selectFrom('exchange_held_files').select(['file_seq', 'file_name', 'received_at']).where('office_id', '=', p.officeId).orderBy('file_seq'),
);
export function listHeldFiles(db: ReadableDB, officeId: string): Pick<Selectable<ExchangeHeldFilesTable>, 'file_seq' | 'file_name' | 'received_at'>[] {
  return heldList.all(db, { officeId });
}

const dropHeld = query((db, p: { id: number }) => db.deleteFrom('exchange_held_files').where('id', '=', p.id));
export function deleteHeldFile(db: WritableDB, id: number): void {
  dropHeld.run(db, { id });
}

const dropStale = query((db, p: { officeId: string; fileSeq: number }) =>
  db.deleteFrom('exchange_held_files').where('office_id', '=', p.officeId).where('file_seq', '<=', p.fileSeq),
);
/** Held files an office's new position makes stale. */
export function deleteHeldFilesUpTo(db: WritableDB, officeId: string, fileSeq: number): void {
  dropStale.run(db, { officeId, fileSeq });
}
