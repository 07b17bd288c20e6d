import { z } from 'zod';
import { method } from './define';

/**
 * Live refresh (issue 17: several workstations, one registry): the number of the latest change in the registry.
 * Screens ask for it every second and reload their list, file or counts when it moves — through every door (the
 * web bridge and the office network over HTTP, the window over IPC), so a colleague's save shows within 2 seconds.
 * Lock-free: answered at once from a read-only connection of its own, never queued behind a long import.
 */
export const changesContract = {
  'changes.latest': method<{ seq: number }>()({
    input: z.object({}).strict(),
    access: 'authenticated',
    write: false,
    lockFree: true,
    summary: 'The number of the latest change of the registry (screens reload when it moves).',
  }),
} as const;
