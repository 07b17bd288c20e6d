import type { z } from 'zod';
import type { MethodSpec } from '../shared/api/define';
import type { Contract, MethodName } from '../shared/api/contract';
import type { ReadContext, WriteContext } from './context';

/**
 * The types of handler tables, kept apart from core/handlers.ts (which imports every feature) so that a feature
 * imports these and not the table that imports it: no import cycle between core/handlers.ts and the features.
 */

type OutputOf<S> = S extends MethodSpec<z.ZodType, infer O> ? O : never;

/** The context a method's handler gets, from its spec's `write` flag. */
export type ContextOfSpec<S extends MethodSpec> = S['write'] extends true ? WriteContext : ReadContext;

/** The handler of one method spec: its parsed input and context in, its output out. */
export type HandlerOf<S extends MethodSpec> = (input: z.output<S['input']>, ctx: ContextOfSpec<S>) => Promise<OutputOf<S>> | OutputOf<S>;

/** A feature's handler table from its contract: `export type SessionsHandlers = HandlersOf<typeof sessionsContract>`. */
export type HandlersOf<C extends Record<string, MethodSpec>> = { [M in keyof C]: HandlerOf<C[M]> };

/** The handler of a method of the whole contract. */
export type Handler<M extends MethodName> = HandlerOf<Contract[M]>;

/** The whole table, one handler per method (parts of it: `satisfies Partial<Handlers>`). */
export type Handlers = HandlersOf<Contract>;
