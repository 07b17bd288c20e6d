import type { Command } from '../cli-kit';

export const reportsCommands: Command[] = [];
