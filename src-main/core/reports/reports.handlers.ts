import type { Handlers } from '../handlers';

export const reportsHandlers = {} satisfies Partial<Handlers>;
