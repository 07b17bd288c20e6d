import type { Role } from '../shared/roles';

/** Who makes a call. Apart from core/context.ts so that the jobs registry and the context do not import each other. */
export type Actor =
  | { kind: 'user'; userId: string; username: string; role: Role; officeId: string; token: string; mustChangePassword?: boolean }
  | { kind: 'cli'; osUser: string }
  | { kind: 'anonymous' };

export function actorRole(actor: Actor): Role | null {
  if (actor.kind === 'user') return actor.role;
  if (actor.kind === 'cli') return 'admin'; // the CLI is the administrator's tool
  return null;
}

export function actorName(actor: Actor): string {
  if (actor.kind === 'user') return actor.username;
  if (actor.kind === 'cli') return `cli:${actor.osUser}`;
  return 'anonymous';
}
