import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/roles';
import type { Handlers } from '../handler-types';
import type { HandlerContext } from '../context';
import type { User } from '../db/schema';
import { hashPassword, verifyPassword } from '../crypto/passwords';
import { countActiveAdmins, findUserById, toUserInfo, updateUser } from '../accounts/accounts.repo';
import { LOCKOUT_MINUTES, LOCKOUT_THRESHOLD } from '../accounts/accounts.handlers';

/**
 * Account administration. Office heads manage the agents and office heads of their office;
 * administrators (and the CLI) manage every account. Nobody deactivates or demotes herself, and the
 * last active administrator cannot be deactivated or demoted.
 */

const PRIVILEGED: readonly Role[] = ['admin', 'coordinator'];

async function targetUser(ctx: HandlerContext, userId: string, opts: { anyRole?: boolean } = {}): Promise<User> {
  const office = ctx.requireOffice();
  const u = findUserById(ctx.db, userId);
  if (!u || u.office_id !== office.id) throw new AppError('users.not_found', { userId });
  if (!opts.anyRole && ctx.role !== 'admin' && PRIVILEGED.includes(u.role)) {
    throw new AppError('users.admin_only', { role: u.role });
  }
  return u;
}

function isSelf(ctx: HandlerContext, u: User): boolean {
  return ctx.actor.kind === 'user' && ctx.actor.userId === u.id;
}

async function activeAdmins(ctx: HandlerContext): Promise<number> {
  return countActiveAdmins(ctx.db);
}

/** A wrong password typed by a logged-in user (password change, screen unlock) counts like a failed login. */
async function recordFailure(ctx: HandlerContext, u: User, what: string): Promise<never> {
  const now = ctx.clock();
  const failed = u.failed_attempts + 1;
  const lock = failed >= LOCKOUT_THRESHOLD;
  const lockedUntil = lock ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
  updateUser(ctx.db, u.id, { failed_attempts: lock ? 0 : failed, locked_until: lockedUntil });
  ctx.audit({ entity: 'users', entityId: u.id, changes: { [what]: [null, lock ? 'locked' : 'failed'], failed_attempts: [u.failed_attempts, failed] } });
  if (lock) {
    ctx.services.authSessions.endAllFor(u.id);
    throw new AppError('auth.locked', { until: lockedUntil }, { commit: true });
  }
  throw new AppError('auth.wrong_password', { remaining: LOCKOUT_THRESHOLD - failed }, { commit: true });
}

async function currentUser(ctx: HandlerContext): Promise<User> {
  if (ctx.actor.kind !== 'user') throw new AppError('auth.user_required');
  const u = findUserById(ctx.db, ctx.actor.userId);
  if (!u) throw new AppError('auth.user_required');
  if (u.locked_until && new Date(u.locked_until) > ctx.clock()) {
    throw new AppError('auth.locked', { until: u.locked_until });
  }
  return u;
}

export const accountsAdminHandlers = {
  'users.resetPassword': async (input, ctx) => {
    const { userId, newPassword } = input;
    const must = input.mustChange ?? true;
    const u = await targetUser(ctx, userId);
    const seq = ctx.change('users', u.id, 'update', u.office_id);
    const now = ctx.now();
    const before = u.must_change_password;
    updateUser(ctx.db, u.id, {
      password_hash: hashPassword(newPassword),
      failed_attempts: 0,
      locked_until: null,
      must_change_password: must ? 1 : 0,
      updated_at: now,
      change_seq: seq,
    });
    ctx.services.authSessions.endAllFor(u.id);
    // The audit names the event, never a hash or a password.
    ctx.audit({
      entity: 'users',
      entityId: u.id,
      changes: {
        password: [null, 'reset'],
        must_change_password: [before === 1, must],
        ...(u.locked_until ? { locked_until: [u.locked_until, null] } : {}),
      },
    });
    return toUserInfo({ ...u, failed_attempts: 0, locked_until: null });
  },

  'users.setActive': async ({ userId, active }, ctx) => {
    const u = await targetUser(ctx, userId);
    if (isSelf(ctx, u)) throw new AppError('users.not_yourself');
    if ((u.active === 1) === active) return toUserInfo(u);
    if (!active && u.role === 'admin' && (await activeAdmins(ctx)) <= 1) throw new AppError('users.last_admin');
    const seq = ctx.change('users', u.id, 'update', u.office_id);
    updateUser(ctx.db, u.id, { active: active ? 1 : 0, updated_at: ctx.now(), change_seq: seq });
    if (!active) ctx.services.authSessions.endAllFor(u.id);
    ctx.audit({ entity: 'users', entityId: u.id, changes: { active: [u.active === 1, active] } });
    return toUserInfo({ ...u, active: active ? 1 : 0 });
  },

  'users.setRole': async ({ userId, role }, ctx) => {
    const u = await targetUser(ctx, userId);
    if (isSelf(ctx, u)) throw new AppError('users.not_yourself');
    if (ctx.role !== 'admin' && PRIVILEGED.includes(role)) throw new AppError('users.admin_only', { role });
    if (role === 'coordinator' && ctx.requireOffice().kind !== 'region') throw new AppError('users.coordinator_only_in_region');
    if (u.role === role) return toUserInfo(u);
    if (u.role === 'admin' && u.active === 1 && (await activeAdmins(ctx)) <= 1) throw new AppError('users.last_admin');
    const seq = ctx.change('users', u.id, 'update', u.office_id);
    updateUser(ctx.db, u.id, { role, updated_at: ctx.now(), change_seq: seq });
    // Open sessions carry no role (it is read at every call), so the new role applies at once.
    ctx.audit({ entity: 'users', entityId: u.id, changes: { role: [u.role, role] } });
    return toUserInfo({ ...u, role });
  },

  'users.unlock': async ({ userId }, ctx) => {
    // Lifting a lockout gives no access (she still needs her password): an office head may lift an
    // administrator's, so that five wrong passwords do not leave the only administrator out for 15 minutes.
    const u = await targetUser(ctx, userId, { anyRole: true });
    if (u.failed_attempts !== 0 || u.locked_until) {
      updateUser(ctx.db, u.id, { failed_attempts: 0, locked_until: null });
      ctx.audit({ entity: 'users', entityId: u.id, changes: { locked_until: [u.locked_until, null], failed_attempts: [u.failed_attempts, 0] } });
    }
    return toUserInfo({ ...u, failed_attempts: 0, locked_until: null });
  },

  'auth.changePassword': async ({ currentPassword, newPassword }, ctx) => {
    const u = await currentUser(ctx);
    if (!verifyPassword(currentPassword, u.password_hash)) return recordFailure(ctx, u, 'change_password');
    if (currentPassword === newPassword) throw new AppError('auth.password_unchanged');
    const seq = ctx.change('users', u.id, 'update', u.office_id);
    const before = u.must_change_password;
    updateUser(ctx.db, u.id, { password_hash: hashPassword(newPassword), failed_attempts: 0, must_change_password: 0, updated_at: ctx.now(), change_seq: seq });
    ctx.audit({ entity: 'users', entityId: u.id, changes: { password: [null, 'changed'], ...(before ? { must_change_password: [true, false] } : {}) } });
    return { done: true as const };
  },

  'auth.reauth': async ({ password }, ctx) => {
    const u = await currentUser(ctx);
    if (!verifyPassword(password, u.password_hash)) return recordFailure(ctx, u, 'unlock');
    if (u.failed_attempts !== 0) updateUser(ctx.db, u.id, { failed_attempts: 0 });
    ctx.audit({ entity: 'users', entityId: u.id, changes: { unlock: [null, 'ok'] } });
    return { done: true as const };
  },
} satisfies Partial<Handlers>;
