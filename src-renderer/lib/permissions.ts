import { contract, type MethodName } from '../../src-main/shared/api/contract';
import { roleAllowed, type Role } from '../../src-main/shared/roles';

/**
 * Whether a role may call a method, from the same access table the backend checks.
 * Used to hide actions the user may not take (the backend refuses them anyway).
 */
export function can(role: Role | null | undefined, method: MethodName): boolean {
  return roleAllowed(contract[method].access, role ?? null);
}
