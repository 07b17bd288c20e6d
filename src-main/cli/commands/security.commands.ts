import type { Command } from '../cli-kit';

export const securityCommands: Command[] = [];
