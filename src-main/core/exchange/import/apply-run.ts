import { uuidv7 } from 'uuidv7';
import { AppError } from '../../../shared/errors';
import type { DuplicateFound, FileResult, TableSummary } from '../../../shared/api/exchange.contract';
import type { WritableDB } from '../../db/handles';
import type { JobHooks } from '../../jobs/job-control';
import { insertReview } from '../repo/reviews.repo';
import type { VerifiedFile } from './verify';

export interface ApplyOptions extends JobHooks {
  dryRun: boolean;
  now: string;
  actorName: string;
  /** Test hook: stop (blocking, inside the transaction) after this many rows, so a test can kill the process. */
  pauseAfterRows?: number;
}

const emptySummary = (): TableSummary => ({ new: 0, updated: 0, unchanged: 0, conflicts: 0, deleted: 0 });

function blockForever(): void {
  process.stderr.write('exchange-test-paused\n');
  const sab = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(sab, 0, 0, 60_000);
}

type Side = { id: string; office: string };

/**
 * What one file's application carries from phase to phase: the file, its import row, the counts of the result,
 * the rows' progress, and the parents touched (whose children the file replaces).
 */
export class ApplyRun {
  readonly tables: Record<string, TableSummary> = {};
  readonly changes = { delete: 0, anonymise: 0, close: 0 };
  readonly dups: DuplicateFound[] = [];
  sameCin = 0;
  samePerson = 0;
  /** Weak candidates (maybe the same woman: same names, birth year close) opened for review beside the strong ones. */
  maybePerson = 0;
  conflicts = 0;
  /** Rows gone through, and in all (progress). */
  done = 0;
  readonly total: number;
  currentTable = '';
  /**
   * Set when the office restarted its numbering (a restored backup the coordinator accepted): the change numbers it went
   * back over, (after, lostTo], were used by the files it lost, so a row held with such a number is compared by date.
   */
  restart: { after: number; lostTo: number } | null = null;
  /** Parent ids applied in this file (new or updated), per table: their children are replaced. */
  readonly touched = new Map<string, { fresh: Set<string>; updated: Set<string> }>();

  constructor(
    readonly db: WritableDB,
    readonly file: VerifiedFile,
    readonly opts: ApplyOptions,
    readonly importId: number,
    /** Office id → slug (what a person reads in the duplicates sample). */
    readonly officeSlugs: Map<string, string>,
  ) {
    this.total = file.manifest.parts.reduce((a, p) => a + (p.rows | 0), 0);
  }

  get officeId(): string {
    return this.file.office.id;
  }

  summary(table: string): TableSummary {
    return (this.tables[table] ??= emptySummary());
  }

  slug(officeId: string): string {
    return this.officeSlugs.get(officeId) ?? officeId;
  }

  /** Opens a review item for a pair (stored in one order, so that finding it again from the other side adds nothing); 1 when new. */
  review(kind: 'same_cin' | 'same_person' | 'conflict', entity: string, a: Side, b: Side, detail: object): number {
    const [x, y] = a.id <= b.id ? [a, b] : [b, a];
    return insertReview(this.db, {
      id: uuidv7(),
      kind,
      entity,
      entityId: x.id,
      officeId: x.office,
      otherId: y.id,
      otherOfficeId: y.office,
      detail: JSON.stringify(detail),
      importId: this.importId,
      now: this.opts.now,
    });
  }

  /**
   * Per row: counts, the test pause; true every 20,000 rows, when the caller awaits `checkpoint` (the loop stays
   * synchronous per row: a promise per row would cost seconds on 1M rows).
   */
  step(): boolean {
    this.done++;
    if (this.opts.pauseAfterRows !== undefined && this.done === this.opts.pauseAfterRows) blockForever();
    return this.done % 20_000 === 0;
  }

  /** `count` rows at once (a batch): the test pause still stops at its row; true when a checkpoint is due. */
  stepMany(count: number): boolean {
    const before = this.done;
    this.done += count - 1;
    const pause = this.opts.pauseAfterRows;
    if (pause !== undefined && pause > before && pause <= this.done + 1) this.done = pause - 1;
    return this.step() || Math.floor(this.done / 20_000) > Math.floor(before / 20_000);
  }

  /** Progress, and a turn of the event loop so that a cancellation can arrive. */
  async checkpoint(): Promise<void> {
    this.opts.onProgress?.({ phase: 'import', table: this.currentTable, done: this.done, total: this.total });
    if (this.opts.signal) {
      await new Promise((r) => setImmediate(r));
      if (this.opts.signal.aborted) throw new AppError('exchange.cancelled');
    }
  }

  /** Rows the file changed (new, updated, deleted). */
  rowsApplied(): number {
    return Object.values(this.tables).reduce((a, s) => a + s.new + s.updated + s.deleted, 0);
  }

  /** The summary kept with the import row. */
  storedSummary(): string {
    return JSON.stringify({ tables: this.tables, changes: this.changes, duplicates: { sameCin: this.sameCin, samePerson: this.samePerson, maybePerson: this.maybePerson }, conflicts: this.conflicts });
  }

  result(): FileResult {
    const f = this.file;
    const m = f.manifest;
    return {
      file: f.fileName,
      office: f.office.slug,
      fileSeq: m.fileSeq,
      status: this.opts.dryRun ? 'would_apply' : 'applied',
      type: m.type,
      prevFileSeq: m.prevFileSeq,
      changeSeq: m.changeSeq,
      createdAt: m.createdAt,
      tables: this.tables,
      changes: this.changes,
      duplicates: { sameCin: this.sameCin, samePerson: this.samePerson, maybePerson: this.maybePerson, sample: this.dups },
      conflicts: this.conflicts,
      importId: this.importId,
      payloadSha256: f.payloadSha256,
    };
  }
}
