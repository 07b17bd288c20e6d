import type { Handlers } from '../handlers';

export const attestationsHandlers = {} satisfies Partial<Handlers>;
