import type { Handlers } from '../handlers';

export const securityHandlers = {} satisfies Partial<Handlers>;
