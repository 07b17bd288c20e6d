import type { Handlers } from '../handler-types';
import * as service from './backup.service';

/** The backups' methods (of the security contract), bound to their service (backup.service.ts). */
export const backupHandlers = {
  'backup.settings': async (input, ctx) => service.settings(input, ctx),
  'backup.browseFolders': async (input, ctx) => service.browseFolders(input, ctx),
  'backup.updateSettings': async (input, ctx) => service.updateSettings(input, ctx),
  'backup.create': async (input, ctx) => service.create(input, ctx),
  'backup.list': async (input, ctx) => service.list(input, ctx),
  'backup.check': async (input, ctx) => service.check(input, ctx),
  'backup.restore': async (input, ctx) => service.restore(input, ctx),
} satisfies Partial<Handlers>;
