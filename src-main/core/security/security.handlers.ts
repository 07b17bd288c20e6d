import type { Handlers } from '../handlers';
import { accountsAdminHandlers } from './accounts-admin';
import { auditHandlers } from './audit-list';
import { backupHandlers } from './backup.handlers';
import { retentionHandlers } from './retention';
import { accessRequestHandlers } from './access-request';
import { processingHandlers } from './processing-description';

export const securityHandlers = {
  ...accountsAdminHandlers,
  ...auditHandlers,
  ...backupHandlers,
  ...retentionHandlers,
  ...accessRequestHandlers,
  ...processingHandlers,
} satisfies Partial<Handlers>;
