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

/** How the audit trail names a call's actor: with the office network's workstation after ' @ ' when there is one. */
const WORKSTATION_MARK = ' @ ';
export function shownActorName(actor: Actor, workstation?: string): string {
  return workstation ? `${actorName(actor)}${WORKSTATION_MARK}${workstation}` : actorName(actor);
}
/** The workstation named in an audit row's actor (null: the call came from this computer's window or web bridge). */
export function workstationOf(shownName: string): string | null {
  const i = shownName.indexOf(WORKSTATION_MARK);
  return i >= 0 ? shownName.slice(i + WORKSTATION_MARK.length) : null;
}
