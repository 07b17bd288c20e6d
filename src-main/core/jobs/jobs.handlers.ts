import type { Handlers, HandlersOf } from '../handler-types';
import type { jobsContract } from '../../shared/api/jobs.contract';

/**
 * `jobs.progress` and `jobs.cancel` are lock-free (see jobs.contract.ts): answered while the job's own call
 * holds the dispatcher, from the in-memory registry only — no database, no await on the connection.
 */
/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type JobsHandlers = HandlersOf<typeof jobsContract>;

export const jobsHandlers = {
  'jobs.progress': async ({ jobId }, ctx) => ctx.services.jobs.progress(jobId, ctx.actor),
  'jobs.cancel': async ({ jobId }, ctx) => {
    const r = ctx.services.jobs.cancel(jobId, ctx.actor);
    if (r.accepted) ctx.logger.info('job cancel requested', { jobId, method: r.method });
    return r;
  },
} satisfies Partial<Handlers>;
