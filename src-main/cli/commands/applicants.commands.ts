import type { Command } from '../cli-kit';

export const applicantsCommands: Command[] = [];
