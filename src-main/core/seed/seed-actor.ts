import { userInfo } from 'node:os';
import type { Actor } from '../context';

export function cliActorForSeed(): Actor {
  let osUser = 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    /* ignore */
  }
  return { kind: 'cli', osUser };
}
