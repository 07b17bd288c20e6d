import { AppError } from '../../../shared/errors';
import { CHANGES_PART, type LineBatch } from '../file-format';
import { SYNC_TABLES, tableExists, type SyncTable } from '../registry';
import { childStatements, deleteWhere, ownerOf } from '../repo/sync-tables.repo';
import { clearCinAside } from '../repo/reviews.repo';
import { deleteApplicantAndDetails } from '../../applicants/consolidation.repo';
import type { ApplyRun } from './apply-run';

/** A part as the orchestrator opened it. */
export interface OpenedPart {
  columns: string[];
  rows: () => Generator<unknown[]>;
  batches: (size: number) => Generator<LineBatch>;
  /** Rows the manifest announces. */
  rowCount: number;
}

/**
 * The order parts are applied in: registry order, parents before their children, the changes part last; parts of
 * one table in file order. A table the registry does not know refuses the file.
 */
export function orderParts<P extends { table: string }>(parts: readonly P[]): P[] {
  const order = new Map<string, number>();
  SYNC_TABLES.forEach((t, i) => {
    order.set(t.table, i * 100);
    (t.children ?? []).forEach((c, j) => order.set(c.table, i * 100 + j + 1));
  });
  order.set(CHANGES_PART, 1e9);
  return parts
    .map((p, i) => ({ p, i }))
    .sort((a, b) => {
      const oa = order.get(a.p.table);
      const ob = order.get(b.p.table);
      if (oa === undefined || ob === undefined) throw new AppError('exchange.schema_mismatch', { table: oa === undefined ? a.p.table : b.p.table });
      return oa - ob || a.i - b.i;
    })
    .map((x) => x.p);
}

/**
 * The changes part: deletions the office sent are applied to its own records (with their children); a deletion of
 * a record another office holds counts as a conflict. Anonymisations and closures travel as the rows themselves
 * and are only counted here.
 */
export async function applyChangesPart(run: ApplyRun, rows: () => Generator<unknown[]>): Promise<void> {
  const { db, officeId } = run;
  for (const [, entity, entityId, op] of rows() as Generator<[number, string, string, string, string]>) {
    const t = SYNC_TABLES.find((s) => s.table === entity);
    if (!t || typeof entityId !== 'string') throw new AppError('exchange.corrupt', { part: CHANGES_PART });
    if (op === 'anonymise' || op === 'close') run.changes[op]++;
    else if (op === 'delete') {
      run.changes.delete++;
      if (t.pk.length === 1 && tableExists(db, t.table)) {
        const owner = ownerOf(db, t.table, t.pk[0], t.owner, entityId);
        if (owner === officeId) {
          deleteRecord(run, t, entityId);
          run.summary(t.table).deleted++;
        } else if (owner !== undefined) run.conflicts++;
      }
    } else throw new AppError('exchange.corrupt', { part: CHANGES_PART });
    if (run.step()) await run.checkpoint();
  }
}

function deleteRecord(run: ApplyRun, t: SyncTable, id: string): void {
  const { db } = run;
  if (t.table === 'applicants') {
    deleteApplicantAndDetails(db, id);
    clearCinAside(db, id);
    return;
  }
  for (const c of t.children ?? []) if (tableExists(db, c.table)) deleteWhere(db, c.table, c.fk, id);
  deleteWhere(db, t.table, t.pk[0], id);
}

/** A child table's part: the children of the parents this file updated are replaced, those of new parents added. */
export async function applyChildPart(run: ApplyRun, parent: SyncTable, table: string, part: OpenedPart): Promise<void> {
  const link = parent.children!.find((c) => c.table === table)!;
  const fkIdx = part.columns.indexOf(link.fk);
  if (fkIdx < 0) throw new AppError('exchange.schema_mismatch', { table });
  const sum = run.summary(table);
  const tp = run.touched.get(parent.table) ?? { fresh: new Set<string>(), updated: new Set<string>() };
  const st = childStatements(table, part.columns, link.fk);
  for (const id of tp.updated) st.deleteFor(run.db, id);
  for (const row of part.rows()) {
    const pid = row[fkIdx] as string;
    if (tp.fresh.has(pid)) {
      st.insert(run.db, row);
      sum.new++;
    } else if (tp.updated.has(pid)) {
      st.insert(run.db, row);
      sum.updated++;
    } else sum.unchanged++;
    if (run.step()) await run.checkpoint();
  }
}
