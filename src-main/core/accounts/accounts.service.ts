import { AppError } from '../../shared/errors';
import type { Role } from '../../shared/roles';
import type { MethodName, MethodParsed } from '../../shared/api/contract';
import type { UserInfo } from '../../shared/api/contract';
import type { ReadContext, WriteContext } from '../context';
import type { User } from '../db/schema';
import { hashPassword, verifyPassword } from '../crypto/passwords';
import { loginEntriesOf } from '../audit/audit.repo';
import { workstationOf } from '../context';
import type { MyLogin } from '../../shared/api/security.contract';
import { countActiveAdmins, findUserById, findUserByUsername, insertUser, listOfficeUsers, toUserInfo, updateUser } from './accounts.repo';

/**
 * The rules of the staff accounts: login and its lockout, the account's own password and language, and account
 * administration (the handlers of accounts.handlers.ts bind these functions; the SQL is in accounts.repo.ts).
 * Office heads manage the agents and office heads of their office; administrators (and the CLI) manage every
 * account. Nobody deactivates or demotes herself, and the last active administrator cannot be deactivated or demoted.
 */

type In<M extends MethodName> = MethodParsed<M>;

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;

const PRIVILEGED: readonly Role[] = ['admin', 'coordinator'];

/** One more failure after `failedBefore`: the count to store and, at the threshold, the lockout's end (the count restarts). */
function nextFailure(failedBefore: number, now: Date): { failed: number; lock: boolean; store: number; lockedUntil: string | null } {
  const failed = failedBefore + 1;
  const lock = failed >= LOCKOUT_THRESHOLD;
  return { failed, lock, store: lock ? 0 : failed, lockedUntil: lock ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null };
}

/**
 * Unknown user names count their failures too (in memory, per core): after LOCKOUT_THRESHOLD failures a name
 * that does not exist answers auth.locked exactly as a real account does, so neither the answer nor the
 * lockout tells which user names exist (issue 16). Bounded: the oldest names are forgotten first.
 */
const ghostFailures = new WeakMap<object, Map<string, { failed: number; lockedUntil: number | null }>>();
const GHOSTS_MAX = 10_000;
function ghostsOf(services: object) {
  let m = ghostFailures.get(services);
  if (!m) ghostFailures.set(services, (m = new Map()));
  return m;
}
/** A password hash no password matches: an unknown name costs the same scrypt work as a real one. */
let decoyHash: string | null = null;

function requireUser(ctx: ReadContext) {
  if (ctx.actor.kind !== 'user') throw new AppError('auth.user_required');
  return ctx.actor;
}

/** An unknown or inactive name: the same answers as a real account (wrong password, then locked), the same work. */
function unknownUserLogin(username: string, password: string, ctx: WriteContext): never {
  const now = ctx.clock();
  verifyPassword(password, (decoyHash ??= hashPassword(`decoy-${Math.random()}`)));
  const ghosts = ghostsOf(ctx.services);
  const key = username.toLowerCase();
  const g = ghosts.get(key) ?? { failed: 0, lockedUntil: null };
  ghosts.delete(key);
  if (ghosts.size >= GHOSTS_MAX) ghosts.delete(ghosts.keys().next().value as string);
  ghosts.set(key, g);
  if (g.lockedUntil && g.lockedUntil > now.getTime()) {
    ctx.audit({ entity: 'users', changes: { login: [null, 'unknown_user'] } });
    throw new AppError('auth.locked', { until: new Date(g.lockedUntil).toISOString() }, { commit: true });
  }
  const f = nextFailure(g.failed, now);
  g.failed = f.store;
  g.lockedUntil = f.lockedUntil ? Date.parse(f.lockedUntil) : null;
  ctx.audit({ entity: 'users', changes: { login: [null, 'unknown_user'] } });
  if (f.lock) throw new AppError('auth.locked', { until: f.lockedUntil }, { commit: true });
  throw new AppError('auth.invalid_credentials', {}, { commit: true });
}

export function login({ username, password }: In<'auth.login'>, ctx: WriteContext) {
  const user = findUserByUsername(ctx.db, username);
  const now = ctx.clock();
  if (!user || user.active !== 1) return unknownUserLogin(username, password, ctx);
  if (user.locked_until && new Date(user.locked_until) > now) {
    ctx.audit({ entity: 'users', entityId: user.id, changes: { login: [null, 'locked'] } });
    throw new AppError('auth.locked', { until: user.locked_until }, { commit: true });
  }
  if (!verifyPassword(password, user.password_hash)) {
    const f = nextFailure(user.failed_attempts, now);
    updateUser(ctx.db, user.id, { failed_attempts: f.store, locked_until: f.lockedUntil });
    ctx.audit({
      entity: 'users',
      entityId: user.id,
      changes: { login: [null, f.lock ? 'locked' : 'failed'], failed_attempts: [user.failed_attempts, f.failed] },
    });
    if (f.lock) throw new AppError('auth.locked', { until: f.lockedUntil }, { commit: true });
    // The count is kept (and audited), not shown: an unknown name gets the very same answer.
    throw new AppError('auth.invalid_credentials', {}, { commit: true });
  }
  if (user.failed_attempts !== 0 || user.locked_until) {
    updateUser(ctx.db, user.id, { failed_attempts: 0, locked_until: null });
  }
  const token = ctx.services.authSessions.create(user.id);
  ctx.audit({ entity: 'users', entityId: user.id, changes: { login: [null, 'ok'] } });
  // must_change_password (migration 0008, security): set by an administrator's password reset.
  return { token, user: toUserInfo(user), mustChangePassword: user.must_change_password === 1 };
}

export function logout(_input: In<'auth.logout'>, ctx: ReadContext) {
  const actor = requireUser(ctx);
  ctx.services.authSessions.end(actor.token);
  return { done: true as const };
}

export function me(_input: In<'auth.me'>, ctx: ReadContext): UserInfo {
  const actor = requireUser(ctx);
  const u = findUserById(ctx.db, actor.userId);
  if (!u) throw new AppError('auth.user_required');
  return toUserInfo(u);
}

export function setLanguage({ language }: In<'users.setLanguage'>, ctx: WriteContext): UserInfo {
  const actor = requireUser(ctx);
  const before = findUserById(ctx.db, actor.userId);
  if (!before) throw new AppError('auth.user_required');
  const seq = ctx.change('users', before.id, 'update', before.office_id);
  updateUser(ctx.db, before.id, { language, updated_at: ctx.now(), change_seq: seq });
  ctx.audit({ entity: 'users', entityId: before.id, changes: { language: [before.language, language] } });
  return toUserInfo({ ...before, language });
}

export function listUsers(_input: In<'users.list'>, ctx: ReadContext): UserInfo[] {
  const office = ctx.requireOffice();
  const now = ctx.now();
  return listOfficeUsers(ctx.db, office.id).map((u) => toUserInfo(u, now));
}

export function createUser(input: In<'users.create'>, ctx: WriteContext): UserInfo {
  const office = ctx.requireOffice();
  // Office heads may create agents and office heads; only administrators create administrators and coordinators.
  if (ctx.role !== 'admin' && (input.role === 'admin' || input.role === 'coordinator')) {
    throw new AppError('auth.forbidden', { method: ctx.method, role: ctx.role });
  }
  if (input.role === 'coordinator' && office.kind !== 'region') {
    throw new AppError('users.coordinator_only_in_region');
  }
  if (findUserByUsername(ctx.db, input.username)) {
    throw new AppError('users.username_taken', { username: input.username });
  }
  const id = ctx.newId();
  const now = ctx.now();
  const seq = ctx.change('users', id, 'insert', office.id);
  // The password was chosen by someone else: she sets her own at first login (only the CLI may say otherwise).
  const mustChange = input.mustChange ?? true;
  const row = {
    id,
    office_id: office.id,
    username: input.username,
    display_name: input.displayName,
    role: input.role,
    password_hash: hashPassword(input.password),
    language: input.language,
    active: 1,
    failed_attempts: 0,
    locked_until: null,
    must_change_password: mustChange ? 1 : 0,
    created_at: now,
    updated_at: now,
    change_seq: seq,
  };
  insertUser(ctx.db, row);
  ctx.audit({
    entity: 'users',
    entityId: id,
    changes: { username: [null, row.username], display_name: [null, row.display_name], role: [null, row.role], must_change_password: [null, mustChange] },
  });
  return toUserInfo(row);
}

// ---- Account administration ----------------------------------------------------------------------------------

/** An account of this office that the caller may manage (`anyRole`: also an administrator's or a coordinator's). */
function targetUser(ctx: ReadContext, userId: string, opts: { anyRole?: boolean } = {}): User {
  const office = ctx.requireOffice();
  const u = findUserById(ctx.db, userId);
  if (!u || u.office_id !== office.id) throw new AppError('users.not_found', { userId });
  if (!opts.anyRole && ctx.role !== 'admin' && PRIVILEGED.includes(u.role)) {
    throw new AppError('users.admin_only', { role: u.role });
  }
  return u;
}

function isSelf(ctx: ReadContext, u: User): boolean {
  return ctx.actor.kind === 'user' && ctx.actor.userId === u.id;
}

/** A wrong password typed by a logged-in user (password change, screen unlock) counts like a failed login. */
function recordFailure(ctx: WriteContext, u: User, what: string): never {
  const f = nextFailure(u.failed_attempts, ctx.clock());
  updateUser(ctx.db, u.id, { failed_attempts: f.store, locked_until: f.lockedUntil });
  ctx.audit({ entity: 'users', entityId: u.id, changes: { [what]: [null, f.lock ? 'locked' : 'failed'], failed_attempts: [u.failed_attempts, f.failed] } });
  if (f.lock) {
    ctx.services.authSessions.endAllFor(u.id);
    throw new AppError('auth.locked', { until: f.lockedUntil }, { commit: true });
  }
  throw new AppError('auth.wrong_password', { remaining: LOCKOUT_THRESHOLD - f.failed }, { commit: true });
}

/** The logged-in user's own account, refused while it is locked. */
function currentUser(ctx: ReadContext): User {
  if (ctx.actor.kind !== 'user') throw new AppError('auth.user_required');
  const u = findUserById(ctx.db, ctx.actor.userId);
  if (!u) throw new AppError('auth.user_required');
  if (u.locked_until && new Date(u.locked_until) > ctx.clock()) {
    throw new AppError('auth.locked', { until: u.locked_until });
  }
  return u;
}

/**
 * A password set for her by someone else (an administrator's reset, the recovery sheet): failures and lockout
 * cleared, her open sessions ended. The caller writes the audit entry (what happened, never the password).
 */
export function setPasswordFor(ctx: WriteContext, u: User, newPassword: string, mustChange: boolean): void {
  const seq = ctx.change('users', u.id, 'update', u.office_id);
  updateUser(ctx.db, u.id, {
    password_hash: hashPassword(newPassword),
    failed_attempts: 0,
    locked_until: null,
    must_change_password: mustChange ? 1 : 0,
    updated_at: ctx.now(),
    change_seq: seq,
  });
  ctx.services.authSessions.endAllFor(u.id);
}

export function resetPassword(input: In<'users.resetPassword'>, ctx: WriteContext): UserInfo {
  const { userId, newPassword } = input;
  const must = input.mustChange ?? true;
  const u = targetUser(ctx, userId);
  const before = u.must_change_password;
  setPasswordFor(ctx, u, newPassword, must);
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
}

export function setActive({ userId, active }: In<'users.setActive'>, ctx: WriteContext): UserInfo {
  const u = targetUser(ctx, userId);
  if (isSelf(ctx, u)) throw new AppError('users.not_yourself');
  if ((u.active === 1) === active) return toUserInfo(u);
  if (!active && u.role === 'admin' && countActiveAdmins(ctx.db) <= 1) throw new AppError('users.last_admin');
  const seq = ctx.change('users', u.id, 'update', u.office_id);
  updateUser(ctx.db, u.id, { active: active ? 1 : 0, updated_at: ctx.now(), change_seq: seq });
  if (!active) ctx.services.authSessions.endAllFor(u.id);
  ctx.audit({ entity: 'users', entityId: u.id, changes: { active: [u.active === 1, active] } });
  return toUserInfo({ ...u, active: active ? 1 : 0 });
}

export function setRole({ userId, role }: In<'users.setRole'>, ctx: WriteContext): UserInfo {
  const u = targetUser(ctx, userId);
  if (isSelf(ctx, u)) throw new AppError('users.not_yourself');
  if (ctx.role !== 'admin' && PRIVILEGED.includes(role)) throw new AppError('users.admin_only', { role });
  if (role === 'coordinator' && ctx.requireOffice().kind !== 'region') throw new AppError('users.coordinator_only_in_region');
  if (u.role === role) return toUserInfo(u);
  if (u.role === 'admin' && u.active === 1 && countActiveAdmins(ctx.db) <= 1) throw new AppError('users.last_admin');
  const seq = ctx.change('users', u.id, 'update', u.office_id);
  updateUser(ctx.db, u.id, { role, updated_at: ctx.now(), change_seq: seq });
  // Open sessions carry no role (it is read at every call), so the new role applies at once.
  ctx.audit({ entity: 'users', entityId: u.id, changes: { role: [u.role, role] } });
  return toUserInfo({ ...u, role });
}

export function unlock({ userId }: In<'users.unlock'>, ctx: WriteContext): UserInfo {
  // Lifting a lockout gives no access (she still needs her password): an office head may lift an
  // administrator's, so that five wrong passwords do not leave the only administrator out for 15 minutes.
  const u = targetUser(ctx, userId, { anyRole: true });
  if (u.failed_attempts !== 0 || u.locked_until) {
    updateUser(ctx.db, u.id, { failed_attempts: 0, locked_until: null });
    ctx.audit({ entity: 'users', entityId: u.id, changes: { locked_until: [u.locked_until, null], failed_attempts: [u.failed_attempts, 0] } });
  }
  return toUserInfo({ ...u, failed_attempts: 0, locked_until: null });
}

export function changePassword({ currentPassword, newPassword }: In<'auth.changePassword'>, ctx: WriteContext) {
  const u = currentUser(ctx);
  if (!verifyPassword(currentPassword, u.password_hash)) return recordFailure(ctx, u, 'change_password');
  if (currentPassword === newPassword) throw new AppError('auth.password_unchanged');
  const seq = ctx.change('users', u.id, 'update', u.office_id);
  const before = u.must_change_password;
  updateUser(ctx.db, u.id, { password_hash: hashPassword(newPassword), failed_attempts: 0, must_change_password: 0, updated_at: ctx.now(), change_seq: seq });
  ctx.audit({ entity: 'users', entityId: u.id, changes: { password: [null, 'changed'], ...(before ? { must_change_password: [true, false] } : {}) } });
  return { done: true as const };
}

/** The caller's own latest logins (her account page): the id comes from her session, never from the input. */
export function myLogins({ limit }: In<'auth.myLogins'>, ctx: ReadContext): { items: MyLogin[] } {
  if (ctx.actor.kind !== 'user') throw new AppError('auth.user_required');
  const items: MyLogin[] = [];
  for (const r of loginEntriesOf(ctx.db, ctx.actor.userId, limit)) {
    let outcome: MyLogin['outcome'] = 'failed';
    try {
      const login = (JSON.parse(r.changes ?? '{}') as { login?: [unknown, unknown] }).login?.[1];
      if (login === 'ok' || login === 'locked') outcome = login;
    } catch {
      /* an unreadable entry counts as a failure: never hide one */
    }
    items.push({ at: r.at, outcome, workstation: workstationOf(r.actor_name) });
  }
  return { items };
}

export function reauth({ password }: In<'auth.reauth'>, ctx: WriteContext) {
  const u = currentUser(ctx);
  if (!verifyPassword(password, u.password_hash)) return recordFailure(ctx, u, 'unlock');
  if (u.failed_attempts !== 0) updateUser(ctx.db, u.id, { failed_attempts: 0 });
  ctx.audit({ entity: 'users', entityId: u.id, changes: { unlock: [null, 'ok'] } });
  return { done: true as const };
}
