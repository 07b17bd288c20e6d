import type { Handlers, HandlersOf } from '../handler-types';
import type { securityContract } from '../../shared/api/security.contract';
import { accountsAdminHandlers } from '../accounts/accounts.handlers';
import { auditHandlers } from './audit-list';
import { backupHandlers } from './backup.handlers';
import { retentionHandlers } from './retention';
import { accessRequestHandlers } from './access-request';
import { processingHandlers } from './processing-description';

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type SecurityHandlers = HandlersOf<typeof securityContract>;

export const securityHandlers = {
  ...accountsAdminHandlers,
  ...auditHandlers,
  ...backupHandlers,
  ...retentionHandlers,
  ...accessRequestHandlers,
  ...processingHandlers,
} satisfies Partial<Handlers>;
