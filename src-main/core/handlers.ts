import type { MethodName, MethodOutput, MethodParsed } from '../shared/api/contract';
import type { HandlerContext } from './context';
import { systemHandlers } from './system/system.handlers';
import { accountsHandlers } from './accounts/accounts.handlers';

export type Handler<M extends MethodName> = (
  input: MethodParsed<M>,
  ctx: HandlerContext,
) => Promise<MethodOutput<M>> | MethodOutput<M>;

/** One handler per method of the contract; a missing one is a compile error (and a test). */
export type Handlers = { [M in MethodName]: Handler<M> };

export const handlers: Handlers = {
  ...systemHandlers,
  ...accountsHandlers,
};
