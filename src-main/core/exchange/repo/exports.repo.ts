import { sql, type Insertable, type Selectable } from 'kysely';
import type { ReadableDB, WritableDB } from '../../db/handles';
import { query } from '../../db/query';
import type { ExchangeExportsTable, ExchangeReceiptsTable } from '../../db/schema-exchange';

/** The province's side: files sent (exchange_exports, with the kept content) and the region's receipts (exchange_receipts). */

/** A row of the files-sent history without its (large) content, and whether that content is still kept. */
export type ExportRow = Omit<Selectable<ExchangeExportsTable>, 'content'> & { kept: number };

const exportColumns = [
  'id',
  'file_seq',
  'prev_file_seq',
  'kind',
  'from_change_seq',
  'to_change_seq',
  'counts',
  'file_name',
  'sha256',
  'payload_sha256',
  'size',
  'recipient_fingerprint',
  'remade_of',
  'created_at',
  'made_at',
  'made_by',
] as const;

const history = query((db, p: { limit: number }) =>
  db
    .selectFrom('exchange_exports')
    .select(exportColumns)
    .select(sql<number>`length(content) > 0`.as('kept'))
    .orderBy('id', 'desc')
    .limit(p.limit),
);
export function listExports(db: ReadableDB, limit: number): ExportRow[] {
  return history.all(db, { limit });
}

const byId = query((db, p: { id: number }) => db.selectFrom('exchange_exports').selectAll().where('id', '=', p.id));
export function getExport(db: ReadableDB, id: number): Selectable<ExchangeExportsTable> | undefined {
  return byId.get(db, { id });
}

const last = query((db) =>
  db.selectFrom('exchange_exports').select(['file_seq', 'to_change_seq', 'created_at']).where('remade_of', 'is', null).orderBy('file_seq', 'desc').limit(1),
);
/** The last file made (not a file made again). */
export function lastExport(db: ReadableDB): Pick<Selectable<ExchangeExportsTable>, 'file_seq' | 'to_change_seq' | 'created_at'> | undefined {
  return last.get(db);
}

const maxSeq = query((db) => db.selectFrom('exchange_exports').select((eb) => eb.fn.max('file_seq').as('s')));
export function maxExportFileSeq(db: ReadableDB): number | null {
  return maxSeq.get(db)?.s ?? null;
}

const insert = query((db, p: Insertable<ExchangeExportsTable>) =>
  db.insertInto('exchange_exports').values({
    file_seq: p.file_seq,
    prev_file_seq: p.prev_file_seq,
    kind: p.kind,
    from_change_seq: p.from_change_seq,
    to_change_seq: p.to_change_seq,
    counts: p.counts,
    file_name: p.file_name,
    sha256: p.sha256,
    payload_sha256: p.payload_sha256,
    size: p.size,
    recipient_fingerprint: p.recipient_fingerprint,
    remade_of: p.remade_of,
    created_at: p.created_at,
    made_at: p.made_at,
    made_by: p.made_by,
    content: p.content,
  }),
);
export function insertExport(db: WritableDB, row: Insertable<ExchangeExportsTable>): number {
  return Number(insert.run(db, row).lastInsertRowid);
}

const purge = query((db, p: { upTo: number | null }) =>
  db
    .updateTable('exchange_exports')
    .set({ content: sql<Buffer>`X''` })
    .where(sql<boolean>`length(content) > 0`)
    .where((eb) => eb.or([eb(sql.val(p.upTo), 'is', null), eb('file_seq', '<=', p.upTo)])),
);
/** Empties the kept content of sent files up to a sequence number (all with null); how many were emptied. */
export function purgeExportContents(db: WritableDB, upToFileSeq: number | null): number {
  return purge.run(db, { upTo: upToFileSeq }).changes;
}

export type ReceiptRow = Omit<Selectable<ExchangeReceiptsTable>, 'id' | 'region_fingerprint'>;

const lastReceipt = query((db) =>
  db.selectFrom('exchange_receipts').select(['last_file_seq', 'last_change_seq', 'counts', 'issued_at', 'loaded_at']).orderBy('issued_at', 'desc').limit(1),
);
export function latestReceipt(db: ReadableDB): ReceiptRow | undefined {
  return lastReceipt.get(db);
}

const insertReceipt = query((db, p: Omit<Selectable<ExchangeReceiptsTable>, 'id'>) =>
  db
    .insertInto('exchange_receipts')
    .orIgnore()
    .values({
      region_fingerprint: p.region_fingerprint,
      last_file_seq: p.last_file_seq,
      last_change_seq: p.last_change_seq,
      counts: p.counts,
      issued_at: p.issued_at,
      loaded_at: p.loaded_at,
    }),
);
export function saveReceipt(db: WritableDB, row: Omit<Selectable<ExchangeReceiptsTable>, 'id'>): void {
  insertReceipt.run(db, row);
}
