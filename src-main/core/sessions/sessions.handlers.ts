import type { Handlers } from '../handlers';

export const sessionsHandlers = {} satisfies Partial<Handlers>;
