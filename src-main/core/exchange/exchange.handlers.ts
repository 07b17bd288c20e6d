import type { Handlers } from '../handlers';

export const exchangeHandlers = {} satisfies Partial<Handlers>;
