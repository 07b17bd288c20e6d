import type { Command } from './cli-kit';
import { foundationCommands } from './commands/foundation.commands';

/** Every CLI command; each feature adds its own `<feature>.commands.ts` and one spread here. */
export const commands: Command[] = [...foundationCommands];
