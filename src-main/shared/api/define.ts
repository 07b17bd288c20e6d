import type { z } from 'zod';
import type { Access } from '../roles';

/**
 * One method of the API contract. The input is validated with zod at the door
 * (whichever door: IPC, web bridge or CLI); `access` is checked by the core's
 * dispatcher; `write` methods run in one transaction and are written to the audit trail.
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  access: Access;
  write: boolean;
  /**
   * Answered at once, even while another call runs (the dispatcher runs calls one at a time otherwise).
   * Still goes through actor resolution, the role check and zod, but from memory only: the handler must not
   * touch the database (jobs.progress, jobs.cancel).
   */
  lockFree?: boolean;
  /** The input may carry a client-made `jobId`: the call then reports progress and can be cancelled (jobs.*). */
  job?: boolean;
  /**
   * Input keys that only the command line may give (filesystem paths on this machine, switches that are the
   * administrator's own): a call from the window or the web bridge that carries one of them, at any depth,
   * is refused with `api.cli_only` before the handler runs. Files from those doors come as upload ids.
   */
  cliOnly?: readonly string[];
  /** One line in English, shown by `cli help` and in the API docs. */
  summary: string;
  /** Phantom: carries the output type. */
  readonly __output?: O;
}

/** `method<Output>()({ input, access, write, summary })` */
export const method =
  <O>() =>
  <I extends z.ZodType, const W extends boolean>(
    spec: Omit<MethodSpec<I, O>, '__output' | 'write'> & { write: W },
  ): MethodSpec<I, O> & { write: W } =>
    spec as MethodSpec<I, O> & { write: W };
