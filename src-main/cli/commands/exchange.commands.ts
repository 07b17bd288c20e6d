import type { Command } from '../cli-kit';

export const exchangeCommands: Command[] = [];
