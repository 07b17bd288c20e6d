import type { MethodName, MethodOutput, MethodParsed } from '../shared/api/contract';
import type { ContextFor } from './context';
import { systemHandlers } from './system/system.handlers';
import { accountsHandlers } from './accounts/accounts.handlers';
import { applicantsHandlers } from './applicants/applicants.handlers';
import { sessionsHandlers } from './sessions/sessions.handlers';
import { attestationsHandlers } from './attestations/attestations.handlers';
import { reportsHandlers } from './reports/reports.handlers';
import { exchangeHandlers } from './exchange/exchange.handlers';
import { securityHandlers } from './security/security.handlers';
import { jobsHandlers } from './jobs/jobs.handlers';
import { changesHandlers } from './changes/changes.handlers';
import { networkHandlers } from './network/network.handlers';
import { recoveryHandlers } from './security/recovery.handlers';

export type Handler<M extends MethodName> = (
  input: MethodParsed<M>,
  ctx: ContextFor<M>,
) => Promise<MethodOutput<M>> | MethodOutput<M>;

/** One handler per method of the contract; a missing one is a compile error (and a test). */
export type Handlers = { [M in MethodName]: Handler<M> };

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
