import { AppError } from '../../shared/errors';
import type { ReadableDB, WritableDB } from '../db/handles';
import { CHANGES_PART, openPart, peekOrder } from './file-format';
import { checkChainExtends, recordAnchor } from '../security/audit-chain-anchors';
import { connectionOf } from '../db/handles';
import { rebuildPays, withSummariesRebuiltAfterAsync } from '../reports/summaries-bulk';
import { SYNC_TABLES, tableExists } from './registry';
import { tableColumns, savepoint } from './repo/sync-tables.repo';
import { officeSlugs } from './repo/offices.repo';
import { officeFileCount } from '../applicants/applicants.repo';
import {
  deleteHeldFile,
  deleteHeldFilesUpTo,
  firstHeldFile,
  getOfficeState,
  heldFileAfter,
  holdFile,
  insertImport,
  recordFileApplied,
  setApplying,
  setImportSummary,
  setOfficeChangeSeq,
  setOfficeFileSeq,
} from './repo/imports.repo';
import type { FileResult } from '../../shared/api/exchange.contract';
import { ApplyRun, type ApplyOptions } from './import/apply-run';
import { applyChangesPart, applyChildPart, orderParts, type OpenedPart } from './import/apply-parts';
import { applyRootPart } from './import/apply-roots';
import { decide, maxFileBytes, officePosition, verifyFile, type Decision, type VerifiedFile } from './import/verify';

export type { FileResult, ApplyOptions, VerifiedFile };
export { DEFAULT_MAX_FILE_BYTES, maxFileBytes, verifyFile } from './import/verify';

/**
 * Phase 1: the file's import row, the marker of an application under way, and the office's audit chain: it must
 * extend the head kept from its last file (issue 16); the new head is kept with the file (rolled back with it when
 * the file is refused or this is a dry run).
 */
function beginFile(db: WritableDB, f: VerifiedFile, opts: ApplyOptions): ApplyRun {
  const m = f.manifest;
  // The audit chain's anchors take the connection (core/security, not yet on the handles).
  const anchor = checkChainExtends(connectionOf(db), f.office.id, f.office.slug, m.audit);
  if (anchor) recordAnchor(connectionOf(db), f.office.id, 'received', anchor, m.fileSeq, opts.now);
  setApplying(db, true);
  const importId = insertImport(db, {
    office_id: f.office.id,
    file_seq: m.fileSeq,
    prev_file_seq: m.prevFileSeq,
    kind: m.type,
    from_change_seq: m.changeSeq.from,
    to_change_seq: m.changeSeq.to,
    payload_sha256: f.payloadSha256,
    file_name: f.fileName,
    summary: '{}',
    file_created_at: m.createdAt,
    imported_at: opts.now,
    imported_by: opts.actorName,
  });
  const run = new ApplyRun(db, f, opts, importId, officeSlugs(db));
  const st = getOfficeState(db, f.office.id);
  if (st && st.restart_after_change_seq !== null && st.restart_lost_to_change_seq !== null) run.restart = { after: st.restart_after_change_seq, lostTo: st.restart_lost_to_change_seq };
  return run;
}

/** Phase 2: one part of the file — the changes part, a child table's part or a root table's part. */
async function applyPart(run: ApplyRun, part: VerifiedFile['manifest']['parts'][number], maxBytes: number): Promise<void> {
  const f = run.file;
  const opened = openPart(f.inner, f.partsStart, part, maxBytes);
  if (part.table === CHANGES_PART) return applyChangesPart(run, opened.rows);
  const parent = SYNC_TABLES.find((t) => t.table === part.table);
  const childOf = parent ? undefined : SYNC_TABLES.find((t) => t.children?.some((c) => c.table === part.table));
  if (!tableExists(run.db, part.table)) throw new AppError('exchange.schema_mismatch', { table: part.table });
  const local = new Set(tableColumns(run.db, part.table));
  const unknown = opened.columns.filter((c) => !local.has(c));
  if (unknown.length) throw new AppError('exchange.schema_mismatch', { table: part.table, columns: unknown });
  run.summary(part.table);
  const p: OpenedPart = { columns: opened.columns, rows: opened.rows, batches: opened.batches, rowCount: part.rows };
  if (childOf) return applyChildPart(run, childOf, part.table, p);
  if (!parent) throw new AppError('exchange.schema_mismatch', { table: part.table });
  return applyRootPart(run, parent, p);
}

/** Phase 3: the summary kept with the import row, the office's new position, the held files it makes stale. */
function finishFile(run: ApplyRun): FileResult {
  const { db, file: f } = run;
  const m = f.manifest;
  setApplying(run.db, false);
  const result = run.result();
  setImportSummary(db, run.importId, run.storedSummary());
  recordFileApplied(db, { officeId: f.office.id, fileSeq: m.fileSeq, changeSeq: m.changeSeq.to, createdAt: m.createdAt, now: run.opts.now, rows: run.rowsApplied() });
  // Files held for this office that the new position makes stale are dropped (a full snapshot superseded them).
  deleteHeldFilesUpTo(db, f.office.id, m.fileSeq);
  return result;
}

/**
 * Whether a file is applied with the report summaries set aside and its office's summaries rebuilt once after it, in
 * the file's own savepoint (a refused file rolls the triggers and the summaries back with its rows), rather than kept
 * row by row by the triggers: every full file (it rewrites the office's rows and their children), and an incremental
 * file whose path rows (files, their history, situations, disabilities) make the rebuild the cheaper (rebuildPays).
 */
const PATH_TABLES = new Set(['applicants', 'status_history', 'applicant_situations', 'applicant_disabilities']);

export function rebuildsSummaries(db: ReadableDB, f: VerifiedFile): boolean {
  if (f.manifest.type === 'full') return true;
  const pathRows = f.manifest.parts.reduce((a, p) => a + (PATH_TABLES.has(p.table) ? p.rows | 0 : 0), 0);
  return rebuildPays(pathRows, () => officeFileCount(db, f.office.id));
}

/** Applies one verified file. The caller holds a savepoint or transaction and decides to keep or roll it back. */
async function applyFile(db: WritableDB, f: VerifiedFile, opts: ApplyOptions): Promise<FileResult> {
  const apply = async () => {
    const run = beginFile(db, f, opts);
    const maxBytes = maxFileBytes(db);
    for (const part of orderParts(f.manifest.parts)) {
      if (opts.signal?.aborted) throw new AppError('exchange.cancelled');
      run.currentTable = part.table;
      await applyPart(run, part, maxBytes);
    }
    return finishFile(run);
  };
  // Every row a file writes is its office's (exchange.foreign_rows): that office's summaries alone are rebuilt.
  return rebuildsSummaries(db, f) ? withSummariesRebuiltAfterAsync(connectionOf(db), apply, { offices: [f.office.id] }) : apply();
}

/** Runs fn inside a savepoint; keeps its writes only when `keep` says so (not for a dry run or a failure). */
async function inSavepoint<T>(db: WritableDB, name: string, fn: () => Promise<T>, keep: (r: T) => boolean): Promise<T> {
  const sp = savepoint(db, name);
  let ok = false;
  try {
    const r = await fn();
    ok = keep(r);
    return r;
  } finally {
    sp.close(ok);
  }
}

export interface IncomingFile {
  name: string;
  data: Buffer;
}

/**
 * Imports files at the region. Each file is checked whole, then applied in its own savepoint (all or nothing);
 * files are taken in sequence order per office; a file after a gap is held until the missing one arrives (or
 * the coordinator accepts the gap); a file already applied changes nothing; a refused file leaves no trace.
 * After a file is applied, the held files that now follow are applied too.
 */
export async function importFiles(db: WritableDB, files: IncomingFile[], opts: ApplyOptions): Promise<FileResult[]> {
  const ready = files.map((f) => ({ f, order: peekOrder(f.data) }));
  ready.sort((a, b) => (a.order?.office ?? '').localeCompare(b.order?.office ?? '') || (a.order?.fileSeq ?? 0) - (b.order?.fileSeq ?? 0));
  // A dry run applies the files one after the other as a real import would (so that file 2 follows file 1),
  // inside a savepoint that is rolled back at the end.
  const importAll = async () => {
    const results: FileResult[] = [];
    for (const { f } of ready) results.push(...(await importOne(db, f, opts)));
    return results;
  };
  return opts.dryRun ? inSavepoint(db, 'exchange_dry_run', importAll, () => false) : importAll();
}

async function importOne(db: WritableDB, file: IncomingFile, opts: ApplyOptions): Promise<FileResult[]> {
  let v: VerifiedFile;
  try {
    v = verifyFile(db, file.data, file.name);
  } catch (e) {
    if (e instanceof AppError) return [refused(file.name, null, e)];
    throw e;
  }
  const base = { file: file.name, office: v.office.slug, fileSeq: v.manifest.fileSeq, type: v.manifest.type, prevFileSeq: v.manifest.prevFileSeq, changeSeq: v.manifest.changeSeq, createdAt: v.manifest.createdAt, payloadSha256: v.payloadSha256 };
  let d: Decision;
  try {
    d = decide(db, v);
  } catch (e) {
    if (e instanceof AppError) return [refused(file.name, v, e)];
    throw e;
  }
  if (d.action === 'already') return [{ ...base, status: 'already_imported' }];
  if (d.action === 'hold') {
    holdFile(db, { office_id: v.office.id, file_seq: v.manifest.fileSeq, prev_file_seq: v.manifest.prevFileSeq, file_name: file.name, payload_sha256: v.payloadSha256, data: file.data, received_at: opts.now });
    return [{ ...base, status: opts.dryRun ? 'would_hold' : 'held', missing: d.missing }];
  }
  let r: FileResult;
  try {
    r = await inSavepoint(db, 'exchange_file', () => applyFile(db, v, opts), () => true);
  } catch (e) {
    if (e instanceof AppError && e.code !== 'exchange.cancelled') return [refused(file.name, v, e)];
    throw e;
  }
  const out = [r];
  // The held files that now follow this one.
  const next = heldFileAfter(db, v.office.id, v.manifest.fileSeq);
  if (next) {
    deleteHeldFile(db, next.id);
    out.push(...(await importOne(db, { name: next.file_name, data: next.data }, opts)));
  }
  return out;
}

function refused(name: string, v: VerifiedFile | null, e: AppError): FileResult {
  return {
    file: name,
    office: v?.office.slug ?? null,
    fileSeq: v?.manifest.fileSeq ?? null,
    status: 'refused',
    error: { code: e.code, params: e.params },
  };
}

/**
 * The coordinator accepts that the files before the first held one of an office will not come: the sequence
 * moves on to it, and the held files are applied.
 */
export async function acceptGap(db: WritableDB, officeId: string, opts: ApplyOptions): Promise<{ skipped: { from: number; to: number }; results: FileResult[] }> {
  const held = firstHeldFile(db, officeId);
  if (!held) throw new AppError('exchange.no_gap');
  const st = officePosition(db, officeId);
  const skipped = { from: st.last_file_seq + 1, to: held.prev_file_seq };
  insertImport(db, {
    office_id: officeId,
    file_seq: held.prev_file_seq,
    prev_file_seq: st.last_file_seq,
    kind: 'gap_accepted',
    from_change_seq: st.last_change_seq,
    to_change_seq: st.last_change_seq,
    payload_sha256: `gap:${officeId}:${skipped.from}-${skipped.to}`,
    file_name: '',
    summary: JSON.stringify({ skipped }),
    file_created_at: opts.now,
    imported_at: opts.now,
    imported_by: opts.actorName,
  });
  setOfficeFileSeq(db, officeId, held.prev_file_seq, st.last_change_seq);
  deleteHeldFile(db, held.id);
  // The change range check is relaxed by moving the position to the held file's start.
  const v = verifyFile(db, held.data, held.file_name);
  setOfficeChangeSeq(db, officeId, v.manifest.changeSeq.from);
  const results = await importOne(db, { name: held.file_name, data: held.data }, opts);
  return { skipped, results };
}
