import type { Handlers, HandlersOf } from '../handler-types';
import type { networkContract } from '../../shared/api/network.contract';
import * as service from './network.service';

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type NetworkHandlers = HandlersOf<typeof networkContract>;

/** The office network's methods, bound to its service (rules: network.service.ts; SQL: network.repo.ts). */
export const networkHandlers = {
  'network.status': async (input, ctx) => service.status(input, ctx),
  'network.configure': async (input, ctx) => service.configure(input, ctx),
  'network.pairingCode': async (input, ctx) => service.pairingCode(input, ctx),
  'network.pair': async (input, ctx) => service.pair(input, ctx),
  'network.revoke': async (input, ctx) => service.revoke(input, ctx),
  'network.device': async (input, ctx) => service.device(input, ctx),
  'network.listenerConfig': async (input, ctx) => service.listenerConfig(input, ctx),
  'network.seen': async (input, ctx) => service.seen(input, ctx),
} satisfies Partial<Handlers>;
