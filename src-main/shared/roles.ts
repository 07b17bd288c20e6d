export const ROLES = ['agent', 'office_head', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may call a method. `public` needs no login (setup, login, status);
 * `authenticated` any logged-in user; a list names the roles allowed.
 * The administrator (and the CLI, which acts as administrator) passes every role check.
 */
export type Access = 'public' | 'authenticated' | readonly Role[];

export function roleAllowed(access: Access, role: Role | null): boolean {
  if (access === 'public') return true;
  if (role === null) return false;
  if (access === 'authenticated') return true;
  return role === 'admin' || access.includes(role);
}

/** Who sees sensitive data (disability, violence, RSU index: health and social data under law 09-08): the office's staff, not the region's coordinator. */
export function seesSensitive(role: Role | null): boolean {
  return role === 'agent' || role === 'office_head' || role === 'admin';
}
