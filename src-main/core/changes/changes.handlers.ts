import type { Handlers, HandlersOf } from '../handler-types';
import type { changesContract } from '../../shared/api/changes.contract';

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type ChangesHandlers = HandlersOf<typeof changesContract>;

export const changesHandlers = {
  'changes.latest': async (_input, ctx) => ({ seq: ctx.services.latestChange() }),
} satisfies Partial<Handlers>;
