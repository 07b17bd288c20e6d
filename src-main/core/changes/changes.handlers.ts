import type { Handlers } from '../handlers';

export const changesHandlers = {
  'changes.latest': async (_input, ctx) => ({ seq: ctx.services.latestChange() }),
} satisfies Partial<Handlers>;
