import { z } from 'zod';
import { method } from './define';

/**
 * The jobs channel: progress and cancellation of a long call while it runs.
 *
 * A method that opts in (`job: true` in its contract, and a `jobId` field in its input) may be given a
 * client-made UUID as `jobId`; while the call runs, `jobs.progress` and `jobs.cancel` with that id are
 * answered at once: they are `lockFree` (the dispatcher does not queue them behind the running call,
 * and they touch no database). Only the user who started a job, or an administrator, may see or cancel it.
 * A finished job is remembered for a short while (JOB_KEEP_MS), then forgotten.
 */
export const JobIdSchema = z.uuid();

export const JOB_STATES = ['running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Finished jobs are answered for this long after they end, then forgotten. */
export const JOB_KEEP_MS = 2 * 60 * 1000;

export interface JobProgress {
  jobId: string;
  /** The method the job runs (e.g. `exchange.import`). */
  method: string;
  state: JobState;
  /** What the job is doing: for exchange, `read`, `export`, `import`, `finish`. */
  phase: string;
  /** The table (or file) being worked on, '' when none. */
  table: string;
  done: number;
  total: number;
  /** A cancellation was asked for and accepted; the state becomes `cancelled` when the work has stopped. */
  cancelRequested: boolean;
  startedAt: string;
  finishedAt: string | null;
  /** Why a failed job failed (a coded error). */
  error: { code: string; params?: Record<string, unknown> } | null;
}

export interface JobCancelResult extends JobProgress {
  /** False when the job had already finished or passed the point where it can no longer be undone. */
  accepted: boolean;
}

const JobRef = z.object({ jobId: JobIdSchema }).strict();

export const jobsContract = {
  'jobs.progress': method<JobProgress>()({
    input: JobRef,
    access: 'authenticated',
    write: false,
    lockFree: true,
    summary: 'Progress of a running (or just finished) long call started with this jobId: state, phase, table, done of total.',
  }),
  'jobs.cancel': method<JobCancelResult>()({
    input: JobRef,
    access: 'authenticated',
    write: false,
    lockFree: true,
    summary: 'Cancel a running long call: its work is stopped and rolled back, nothing is left half-done.',
  }),
} as const;
