import type { Command } from './cli-kit';
import { foundationCommands } from './commands/foundation.commands';
import { applicantsCommands } from './commands/applicants.commands';
import { sessionsCommands } from './commands/sessions.commands';
import { attestationsCommands } from './commands/attestations.commands';
import { reportsCommands } from './commands/reports.commands';
import { exchangeCommands } from './commands/exchange.commands';
import { securityCommands } from './commands/security.commands';
import { recoveryCommands } from './commands/recovery.commands';

/** Every CLI command; each feature adds its own `<feature>.commands.ts` and one spread here. */
export const commands: Command[] = [
  ...foundationCommands,
  ...applicantsCommands,
  ...sessionsCommands,
  ...attestationsCommands,
  ...reportsCommands,
  ...exchangeCommands,
  ...securityCommands,
  ...recoveryCommands,
];
