import type { Handlers as AllHandlers } from './handler-types';
import { systemHandlers, type SystemHandlers } from './system/system.handlers';
import { accountsHandlers, type AccountsHandlers } from './accounts/accounts.handlers';
import { applicantsHandlers, type ApplicantsHandlers } from './applicants/applicants.handlers';
import { sessionsHandlers, type SessionsHandlers } from './sessions/sessions.handlers';
import { attestationsHandlers, type AttestationsHandlers } from './attestations/attestations.handlers';
import { reportsHandlers, type ReportsHandlers } from './reports/reports.handlers';
import { exchangeHandlers, type ExchangeHandlers } from './exchange/exchange.handlers';
import { securityHandlers, type SecurityHandlers } from './security/security.handlers';
import { jobsHandlers, type JobsHandlers } from './jobs/jobs.handlers';
import { changesHandlers, type ChangesHandlers } from './changes/changes.handlers';
import { networkHandlers, type NetworkHandlers } from './network/network.handlers';
import { recoveryHandlers, type RecoveryHandlers } from './security/recovery.handlers';

export type { Handler, HandlerOf, HandlersOf } from './handler-types';

/**
 * The core's handler table: each feature's table, typed from its own contract (`HandlersOf<typeof xContract>`
 * in core/handler-types.ts, which the features import instead of this file), merged here as one type and one
 * object. A method without a handler is a compile error (the check below) and a test.
 */
export type Handlers = SystemHandlers &
  AccountsHandlers &
  ApplicantsHandlers &
  SessionsHandlers &
  AttestationsHandlers &
  ReportsHandlers &
  ExchangeHandlers &
  SecurityHandlers &
  JobsHandlers &
  ChangesHandlers &
  NetworkHandlers &
  RecoveryHandlers;

export const handlers: Handlers = {
  ...systemHandlers,
  ...accountsHandlers,
  ...applicantsHandlers,
  ...sessionsHandlers,
  ...attestationsHandlers,
  ...reportsHandlers,
  ...exchangeHandlers,
  ...securityHandlers,
  ...jobsHandlers,
  ...changesHandlers,
  ...networkHandlers,
  ...recoveryHandlers,
};

/** Every method of the whole contract has its handler (the features' contracts together are the contract). */
export const allHandlers: AllHandlers = handlers;
