import type { Handlers } from '../handlers';

export const applicantsHandlers = {} satisfies Partial<Handlers>;
