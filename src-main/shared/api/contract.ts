import type { z } from 'zod';
import type { MethodSpec } from './define';
import { systemContract } from './system.contract';
import { accountsContract } from './accounts.contract';
import { applicantsContract } from './applicants.contract';
import { sessionsContract } from './sessions.contract';
import { attestationsContract } from './attestations.contract';
import { reportsContract } from './reports.contract';
import { exchangeContract } from './exchange.contract';
import { securityContract } from './security.contract';
import { jobsContract } from './jobs.contract';
import { changesContract } from './changes.contract';
import { networkContract } from './network.contract';
import { recoveryContract } from './recovery.contract';

/**
 * The whole API: one table keyed by method name. Each feature adds its own
 * `<feature>.contract.ts` and one spread line here; the core's handler table,
 * the CLI and both renderer transports are typed from it.
 */
export const contract = {
  ...systemContract,
  ...accountsContract,
  ...applicantsContract,
  ...sessionsContract,
  ...attestationsContract,
  ...reportsContract,
  ...exchangeContract,
  ...securityContract,
  ...jobsContract,
  ...changesContract,
  ...networkContract,
  ...recoveryContract,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract & string;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodParsed<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = Contract[M] extends MethodSpec<z.ZodType, infer O> ? O : never;

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

export * from './system.contract';
export * from './accounts.contract';
export * from './applicants.contract';
export * from './sessions.contract';
export * from './attestations.contract';
export * from './reports.contract';
export * from './exchange.contract';
export * from './security.contract';
export * from './jobs.contract';
export * from './changes.contract';
export * from './network.contract';
