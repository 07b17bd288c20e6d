import { readFileSync, statSync } from 'node:fs';
import type { Cadence, FileResult } from '../../shared/api/exchange.contract';
import { CADENCES } from '../../shared/api/exchange.contract';
import { AppError } from '../../shared/errors';
import type { HandlerContext, ReadContext } from '../context';
import type { Sqlite } from '../db/connection';
import type { Office } from '../db/schema';
import type { ReadableDB, WritableDB } from '../db/handles';
import type { JobHooks, JobStep } from '../jobs/job-control';
import { maxFileBytes } from './import/verify';
import { purgeExportContents } from './repo/exports.repo';
import { installationSigningKey, settingValue } from './repo/settings.repo';

/** Progress and cancellation of a long export or import, per database connection (set by a door, e.g. the CLI). */
const jobControls = new WeakMap<object, JobHooks>();
export function setJobControl(db: Sqlite | ReadableDB, control: JobHooks | null): void {
  if (control) jobControls.set(db, control);
  else jobControls.delete(db);
}
export function jobControl(db: Sqlite | ReadableDB): JobHooks {
  return jobControls.get(db) ?? {};
}

/**
 * The control of one exchange call: the job's (jobs.progress / jobs.cancel, when the call came with a jobId)
 * combined with the connection's (the CLI: progress on stderr, Ctrl-C). Either one cancels.
 */
export interface ExchangeJob {
  control: JobHooks;
  /** Reports a step of the handler's own (reading files, finishing). */
  step(p: ExchangeStep): void;
  /** Before anything that cannot be undone: throws `exchange.cancelled` if a cancellation arrived. */
  beforeCommit(): Promise<void>;
}

export interface ExchangeStep {
  phase: 'read' | 'export' | 'import' | 'finish';
  table?: string;
  done: number;
  total: number;
}

export function exchangeJob(ctx: HandlerContext): ExchangeJob {
  const door = jobControl(ctx.db); // the handle is the connection the door set it on
  const job = ctx.job;
  const signals = [door.signal, job?.signal].filter((x): x is AbortSignal => !!x);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const cancelled = () => new AppError('exchange.cancelled');
  const onProgress = (p: JobStep) => {
    job?.onProgress(p);
    door.onProgress?.(p);
  };
  return {
    control: { signal, onProgress },
    step: (p) => {
      job?.onProgress(p);
      // The CLI prints the exchange's own phases only.
      if (p.phase === 'export' || p.phase === 'import') door.onProgress?.({ phase: p.phase, table: p.table ?? '', done: p.done, total: p.total });
    },
    async beforeCommit() {
      if (signal?.aborted) throw cancelled();
      if (job) await job.pointOfNoReturn(cancelled);
    },
  };
}

export function requireProvince(ctx: ReadContext): Office {
  const o = ctx.requireOffice();
  if (o.kind !== 'province') throw new AppError('exchange.province_only');
  return o;
}

export function requireRegion(ctx: ReadContext): Office {
  const o = ctx.requireOffice();
  if (o.kind !== 'region') throw new AppError('exchange.region_only');
  return o;
}

export function signingKey(db: ReadableDB): string {
  const r = installationSigningKey(db);
  if (!r) throw new AppError('exchange.no_signing_key');
  return r;
}

export function cadence(db: ReadableDB): Cadence {
  const v = settingValue(db, 'exchange.cadence');
  const c = v ? (JSON.parse(v) as string) : 'monthly';
  return (CADENCES as readonly string[]).includes(c) ? (c as Cadence) : 'monthly';
}

/** The date a file is due after `from`, by cadence (calendar months for monthly and quarterly). */
export function addCadence(from: string, c: Cadence): string {
  const d = new Date(from);
  if (c === 'weekly') d.setUTCDate(d.getUTCDate() + 7);
  else {
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + (c === 'monthly' ? 1 : 3));
    const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, last));
  }
  return d.toISOString();
}

export function lateness(due: string, now: string): { late: boolean; daysLate: number } {
  const ms = new Date(now).getTime() - new Date(due).getTime();
  return { late: ms > 0, daysLate: ms > 0 ? Math.floor(ms / 86_400_000) : 0 };
}

/** Reads a file given as an upload id (window, web bridge) or, from the CLI only, as a path. */
export function readFileRef(ctx: ReadContext, ref: { uploadId: string } | { path: string }): { name: string; data: Buffer } {
  let path: string;
  let name: string;
  if ('uploadId' in ref) {
    const f = ctx.services.outbox.get(ref.uploadId);
    if (!f) throw new AppError('exchange.file_missing');
    path = f.path;
    name = f.name;
  } else {
    if (ctx.actor.kind !== 'cli') throw new AppError('exchange.path_cli_only');
    path = ref.path;
    name = ref.path.split(/[\\/]/).pop() ?? ref.path;
  }
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new AppError('exchange.not_a_file');
    size = st.size;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('exchange.file_missing');
  }
  const max = maxFileBytes(ctx.db);
  if (size > max) throw new AppError('exchange.too_large', { size, max });
  return { name, data: readFileSync(path) };
}

export function refusedCount(results: FileResult[]): number {
  return results.filter((r) => r.status === 'refused').length;
}

/**
 * Empties the kept content of sent files up to a sequence number (all of them with null). The content is kept
 * only to make a lost file again; it is a second copy of personal data, so it goes once the region has confirmed
 * holding the file (its receipt), and whenever people are anonymised (their old data must not survive in it: a
 * lost file is then replaced by a full snapshot). Returns how many files were emptied.
 */
export function purgeSentContents(db: WritableDB | Sqlite, upToFileSeq: number | null): number {
  return purgeExportContents(db as WritableDB, upToFileSeq);
}
