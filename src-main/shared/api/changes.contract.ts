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
  'changes.since': method<ChangesSince>()({
    input: z.object({ after: z.number().int().min(0) }).strict(),
    access: 'authenticated',
    write: false,
    summary: 'What changed after a change number: the tables (and records) touched, each with its latest number.',
  }),
} as const;

/** One table's changes after a number: the records' ids (null when there are too many to list) and the latest number. */
export interface ChangedEntity {
  entity: string;
  seq: number;
  ids: string[] | null;
}

/**
 * What changed after `after` (issue 17's live refresh: the event stream of the main PC and the web bridge sends it;
 * the screens reload only what shows a table that changed). `seq` is the latest number; `truncated` when more
 * changes were made than listed (the screens then reload everything they show).
 */
export interface ChangesSince {
  seq: number;
  changes: ChangedEntity[];
  truncated: boolean;
}
