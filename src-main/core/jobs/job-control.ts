/** One step of progress as the work reports it. */
export interface JobStep {
  phase: string;
  table?: string;
  done: number;
  total: number;
}

/**
 * What a handler started with a jobId receives (ctx.job): the signal to stop on, a place to report
 * progress, and the point of no return. The one JobControl of the core (the registry makes it; the exchange's
 * work takes the part of it that it needs, `JobHooks`).
 */
export interface JobControl {
  readonly signal: AbortSignal;
  onProgress(p: JobStep): void;
  /**
   * Call once the work is done and before anything that cannot be undone (a file put in the outbox, a
   * receipt made): throws `cancelError()` if a cancellation arrived; after it, cancellations are refused.
   */
  pointOfNoReturn(cancelError?: () => Error): Promise<void>;
}

/** The part of a JobControl that long work takes as an option (the CLI's Ctrl-C and progress line give these only). */
export type JobHooks = Partial<Pick<JobControl, 'signal' | 'onProgress'>>;
