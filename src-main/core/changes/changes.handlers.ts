import type { Handlers, HandlersOf } from '../handler-types';
import type { changesContract } from '../../shared/api/changes.contract';
import { changedSince } from './changes.repo';

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type ChangesHandlers = HandlersOf<typeof changesContract>;

export const changesHandlers = {
  'changes.latest': async (_input, ctx) => ({ seq: ctx.services.latestChange() }),
  'changes.since': async (input, ctx) => changedSince(ctx.db, input.after),
} satisfies Partial<Handlers>;
