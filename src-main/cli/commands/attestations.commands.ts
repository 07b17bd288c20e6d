import type { Command } from '../cli-kit';

export const attestationsCommands: Command[] = [];
