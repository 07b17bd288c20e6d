import type { Command } from '../cli-kit';

export const sessionsCommands: Command[] = [];
