import { AppError, type ErrorPayload } from '../../shared/errors';
import { JOB_KEEP_MS, type JobCancelResult, type JobProgress, type JobState } from '../../shared/api/jobs.contract';
import { actorRole, type Actor } from '../actor';
import type { JobControl, JobStep } from './job-control';

export type { JobControl, JobStep } from './job-control';

interface Job {
  id: string;
  method: string;
  owner: string;
  abort: AbortController;
  state: JobState;
  step: Required<JobStep>;
  cancelRequested: boolean;
  sealed: boolean;
  startedAt: number;
  finishedAt: number | null;
  error: ErrorPayload | null;
}

/** Who an actor is for the jobs it starts: a user by id, the CLI by its OS user. */
function ownerKey(actor: Actor): string {
  if (actor.kind === 'user') return `user:${actor.userId}`;
  if (actor.kind === 'cli') return `cli:${actor.osUser}`;
  return 'anonymous';
}

/** The codes of a stopped job, whichever door asked (jobs.cancel, or the CLI's Ctrl-C). */
const CANCEL_CODES = new Set(['jobs.cancelled', 'exchange.cancelled']);

/**
 * Test hook: before its point of no return a job waits this many milliseconds, or until it is cancelled,
 * so that an end-to-end test can press Cancel on a job whose rows are all written (and must be rolled back).
 */
function testHoldMs(): number {
  const v = Number(process.env.JISR_JOBS_TEST_HOLD_MS ?? '');
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/**
 * The long calls of one core that run with a jobId. Lives in memory only (a job does not outlive its
 * process, and a cancelled or crashed job has rolled its transaction back). Read by the lock-free
 * `jobs.progress` and `jobs.cancel` while the call itself holds the dispatcher's lock.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly now: () => number,
    private readonly keepMs = JOB_KEEP_MS,
  ) {}

  /** Registers a starting call; the id must be new (client-made UUIDs do not collide). */
  begin(jobId: string, actor: Actor, method: string): { control: JobControl; finish(error: unknown): void } {
    this.forgetOld();
    if (this.jobs.has(jobId)) throw new AppError('jobs.duplicate', { jobId });
    const job: Job = {
      id: jobId,
      method,
      owner: ownerKey(actor),
      abort: new AbortController(),
      state: 'running',
      step: { phase: 'start', table: '', done: 0, total: 0 },
      cancelRequested: false,
      sealed: false,
      startedAt: this.now(),
      finishedAt: null,
      error: null,
    };
    this.jobs.set(jobId, job);
    const control: JobControl = {
      signal: job.abort.signal,
      onProgress: (p) => {
        if (job.state !== 'running') return;
        job.step = { phase: p.phase, table: p.table ?? '', done: p.done, total: Math.max(p.total, p.done) };
      },
      pointOfNoReturn: async (cancelError = () => new AppError('jobs.cancelled')) => {
        const hold = testHoldMs();
        if (hold && !job.abort.signal.aborted) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, hold);
            job.abort.signal.addEventListener('abort', () => {
              clearTimeout(t);
              resolve();
            });
          });
        }
        if (job.abort.signal.aborted) throw cancelError();
        job.sealed = true;
      },
    };
    return {
      control,
      finish: (error) => {
        job.finishedAt = this.now();
        if (error === null || error === undefined) {
          job.state = 'done';
          return;
        }
        const payload: ErrorPayload = error instanceof AppError ? error.toPayload() : { code: 'internal.unexpected' };
        if (CANCEL_CODES.has(payload.code)) job.state = 'cancelled';
        else {
          job.state = 'failed';
          job.error = payload;
        }
      },
    };
  }

  progress(jobId: string, actor: Actor): JobProgress {
    return this.view(this.visible(jobId, actor));
  }

  /** Asks the job to stop: its signal is aborted; the work throws at its next checkpoint and rolls back. */
  cancel(jobId: string, actor: Actor): JobCancelResult {
    const job = this.visible(jobId, actor);
    const accepted = job.state === 'running' && !job.sealed;
    if (accepted && !job.cancelRequested) {
      job.cancelRequested = true;
      job.abort.abort();
    }
    return { ...this.view(job), accepted };
  }

  /** Jobs still running (for tests and diagnostics). */
  get running(): number {
    let n = 0;
    for (const j of this.jobs.values()) if (j.state === 'running') n++;
    return n;
  }

  private visible(jobId: string, actor: Actor): Job {
    this.forgetOld();
    const job = this.jobs.get(jobId);
    if (!job) throw new AppError('jobs.not_found', { jobId });
    if (job.owner !== ownerKey(actor) && actorRole(actor) !== 'admin') throw new AppError('jobs.not_owner', { jobId });
    return job;
  }

  private forgetOld(): void {
    const limit = this.now() - this.keepMs;
    for (const [id, j] of this.jobs) if (j.finishedAt !== null && j.finishedAt < limit) this.jobs.delete(id);
  }

  private view(j: Job): JobProgress {
    return {
      jobId: j.id,
      method: j.method,
      state: j.state,
      phase: j.step.phase,
      table: j.step.table,
      done: j.step.done,
      total: j.step.total,
      cancelRequested: j.cancelRequested,
      startedAt: new Date(j.startedAt).toISOString(),
      finishedAt: j.finishedAt === null ? null : new Date(j.finishedAt).toISOString(),
      error: j.error,
    };
  }
}
