import { AppError } from '../../../shared/errors';
import { decodeRow, parseLine } from '../file-format';
import type { SyncTable } from '../registry';
import { batchInsert, columnTypes, rowStatements, savepoint, type RowStatements } from '../repo/sync-tables.repo';
import { applicantRowStatements, deferSearchIndex } from '../../applicants/consolidation.repo';
import { applicantChecks, type ApplicantChecks } from './applicant-checks';
import type { ApplyRun } from './apply-run';
import type { OpenedPart } from './apply-parts';
import { batchSummaries } from '../../reports/summaries-bulk';
import { connectionOf } from '../../db/handles';

/** From this many applicants in a part, the search index is filled after the part (deferSearchIndex). */
const BULK_SEARCH_MIN_ROWS = 500;
/** Rows per batch on the bulk path (one savepoint, one statement). */
const BULK_BATCH_ROWS = 2000;

function isUniqueError(e: unknown): boolean {
  return (e as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE' || (e as { code?: string })?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** A root table's part as applied: the columns kept (the registry's `omit` left out) and where its key, owner and change number are. */
interface RootShape {
  t: SyncTable;
  columns: string[];
  /** Indexes of the file's columns kept, or null when all are. */
  keep: number[] | null;
  pkIdx: number[];
  ownerIdx: number;
  seqIdx: number;
  /** Where `updated_at` is (-1: the table has none). */
  atIdx: number;
}

function rootShape(t: SyncTable, columnsIn: string[]): RootShape {
  const omit = new Set(t.omit ?? []);
  const keepAll = columnsIn.map((c, i) => (omit.has(c) ? -1 : i)).filter((i) => i >= 0);
  const columns = keepAll.map((i) => columnsIn[i]);
  const pkIdx = t.pk.map((c) => columns.indexOf(c));
  const ownerIdx = columns.indexOf(t.owner);
  const seqIdx = columns.indexOf('change_seq');
  if (pkIdx.some((i) => i < 0) || ownerIdx < 0 || seqIdx < 0) throw new AppError('exchange.schema_mismatch', { table: t.table });
  return { t, columns, keep: keepAll.length !== columnsIn.length ? keepAll : null, pkIdx, ownerIdx, seqIdx, atIdx: columns.indexOf('updated_at') };
}

type RowStatus = 'new' | 'updated' | 'unchanged' | 'conflict';

/**
 * Whether a row whose change number is not above the one held must still be written: only after the office restarted
 * its numbering (it restored an older backup, and the coordinator accepted it), when the row held came from the files
 * the office lost (its change number in the range the office went back over), and the office wrote its row later
 * (its `updated_at`): the office's edit made after its restore is the newer decision, though its number is smaller.
 * A row the office sends as the backup had it (older than what the lost files brought) leaves the region's alone.
 */
function newerAfterRestart(run: ApplyRun, s: RootShape, st: RowStatements, row: unknown[], heldCs: number): boolean {
  const r = run.restart;
  if (!r || s.atIdx < 0 || heldCs <= r.after || heldCs > r.lostTo) return false;
  const held = st.heldUpdatedAt(run.db, row);
  const mine = row[s.atIdx];
  return typeof mine === 'string' && held !== null && mine > held;
}

/**
 * One row of a root table: new (inserted), updated (the file's change number is newer), unchanged, or a conflict (the
 * key is another office's record: a review is opened). An applicant's CIN held by another office is put aside.
 */
function applyRow(run: ApplyRun, s: RootShape, st: RowStatements, checks: ApplicantChecks | null, row: unknown[]): RowStatus {
  const { db, officeId } = run;
  const t = s.t;
  if (row[s.ownerIdx] !== officeId) throw new AppError('exchange.foreign_rows', { table: t.table, office: run.file.office.slug });
  const id = String(row[s.pkIdx[0]]);
  checks?.takeAsideJustNow(); // a row of its own: nothing was put aside for it yet
  if (t.updateOnly) {
    const ex = st.held(db, row);
    if (!ex) throw new AppError('exchange.unknown_office', { office: run.file.office.slug });
    if ((row[s.seqIdx] as number) <= ex.cs && !newerAfterRestart(run, s, st, row, ex.cs)) return 'unchanged';
    st.update(db, row);
    return 'updated';
  }
  // The key looked up first: most rows of a monthly file update a file the region holds, and an INSERT OR IGNORE that
  // finds the key taken cost the region as much as an insert (0.4 ms each, measured; a lookup by key: 0.01 ms).
  const ex = st.held(db, row);
  if (!ex && st.insertOrIgnore(db, row) === 1) return 'new';
  if (!ex) {
    // Not the key: another unique column. The only expected one is an applicant's CIN held by another office.
    if (checks?.cinAside(row, id)) return 'new';
    try {
      st.insert(db, row);
    } catch (e) {
      throw new AppError('exchange.row_rejected', { table: t.table, id, reason: (e as Error).message });
    }
    throw new AppError('exchange.row_rejected', { table: t.table, id, reason: 'ignored' });
  }
  if (ex.owner !== officeId) {
    run.review('conflict', t.table, { id, office: officeId }, { id, office: ex.owner }, { table: t.table, heldBy: run.slug(ex.owner) });
    return 'conflict';
  }
  if ((row[s.seqIdx] as number) <= ex.cs && !newerAfterRestart(run, s, st, row, ex.cs)) return 'unchanged';
  checks?.noteHeld(id);
  try {
    st.update(db, row);
  } catch (e) {
    if (!(checks && checks.cinIdx >= 0 && isUniqueError(e) && checks.cinAside(row, id, true))) throw e;
  }
  // The CIN no longer collides (or was erased by an anonymisation): nothing stays aside.
  if (checks && !checks.takeAsideJustNow()) checks.clearAside(id);
  return 'updated';
}

/**
 * A root table's part. Row by row (children, applicants, rows of the office itself, omitted columns, column types
 * SQLite's JSON would not keep), or for the other tables two thousand rows at a time with INSERT OR IGNORE: when every
 * row of a batch is new — a first import — that is all; otherwise the batch is rolled back and its rows go through
 * the row by row path.
 */
export async function applyRootPart(run: ApplyRun, t: SyncTable, part: OpenedPart): Promise<void> {
  const s = rootShape(t, part.columns);
  const isApplicants = t.table === 'applicants';
  const st = isApplicants ? applicantRowStatements(s.columns) : rowStatements(t.table, s.columns, t.pk, t.owner);
  // One set per table across all its parts (a table of more than PART_ROWS rows comes in several parts).
  const tp = run.touched.get(t.table) ?? { fresh: new Set<string>(), updated: new Set<string>() };
  if (t.children?.length) run.touched.set(t.table, tp);
  const checks = isApplicants ? applicantChecks(run, s.columns, st) : null;
  const sum = run.summary(t.table);
  const search = isApplicants && part.rowCount >= BULK_SEARCH_MIN_ROWS ? deferSearchIndex(run.db) : null;

  const apply = (rowIn: unknown[]) => {
    const row = s.keep ? s.keep.map((i) => rowIn[i]) : rowIn;
    let status: RowStatus;
    try {
      status = applyRow(run, s, st, checks, row);
    } catch (e) {
      if (e instanceof AppError) throw e;
      // A constraint of the region's schema (a foreign key to a row the file lacks, a check): refused, named.
      throw new AppError('exchange.row_rejected', { table: t.table, id: String(row[s.pkIdx[0]] ?? ''), reason: (e as Error).message });
    }
    const id = row[s.pkIdx[0]] as string;
    if (status === 'new') {
      sum.new++;
      tp.fresh.add(id);
      search?.inserted(id);
    } else if (status === 'updated') {
      sum.updated++;
      tp.updated.add(id);
    } else if (status === 'conflict') {
      sum.conflicts++;
      run.conflicts++;
    } else sum.unchanged++;
    if (checks && (status === 'new' || status === 'updated')) checks.samePerson(row);
  };

  const bulk =
    !t.children?.length && !isApplicants && !t.updateOnly && !s.keep && [...columnTypes(run.db, t.table).values()].every((x) => x === 'TEXT' || x === 'INTEGER' || x === 'REAL');
  if (!bulk) {
    for (const row of part.rows()) {
      apply(row);
      if (run.step()) await run.checkpoint();
    }
    search?.finish();
    return;
  }
  const insertBatch = batchInsert(t.table, s.columns, s.ownerIdx);
  // The table's summary triggers on insert, replaced per batch by the same sums over the batch's rows.
  const sums = batchSummaries(connectionOf(run.db), t.table);
  for (const batch of part.batches(BULK_BATCH_ROWS)) {
    const sp = savepoint(run.db, 'exchange_batch');
    let n = 0;
    try {
      sums?.before();
      n = insertBatch(run.db, batch.json, run.officeId);
      if (n === batch.count) sums?.after(); // otherwise rolled back below, the triggers with it
    } catch {
      n = -1; // the row by row path names the row and the reason
    }
    if (n === batch.count) {
      sp.close(true);
      sum.new += n;
    } else {
      sp.close(false);
      for (const l of batch.lines()) apply(decodeRow(parseLine(l) as unknown[]));
    }
    if (run.stepMany(batch.count)) await run.checkpoint();
  }
}
