import { AppError } from '../../shared/errors';
import type { Handlers, HandlersOf } from '../handler-types';
import type { accountsContract } from '../../shared/api/accounts.contract';
import { hashPassword, verifyPassword } from '../crypto/passwords';
import { findUserById, findUserByUsername, insertUser, listOfficeUsers, toUserInfo, updateUser } from './accounts.repo';

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;

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

function requireUser(ctx: Parameters<Handlers['auth.me']>[1]) {
  if (ctx.actor.kind !== 'user') throw new AppError('auth.user_required');
  return ctx.actor;
}

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type AccountsHandlers = HandlersOf<typeof accountsContract>;

export const accountsHandlers = {
  'auth.login': async ({ username, password }, ctx) => {
    const user = findUserByUsername(ctx.db, username);
    const now = ctx.clock();
    if (!user || user.active !== 1) {
      // Same answers as a real account (wrong password, then locked), same work: do not reveal which accounts exist.
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
      g.failed += 1;
      const lock = g.failed >= LOCKOUT_THRESHOLD;
      g.lockedUntil = lock ? now.getTime() + LOCKOUT_MINUTES * 60_000 : null;
      if (lock) g.failed = 0;
      ctx.audit({ entity: 'users', changes: { login: [null, 'unknown_user'] } });
      if (lock) throw new AppError('auth.locked', { until: new Date(g.lockedUntil!).toISOString() }, { commit: true });
      throw new AppError('auth.invalid_credentials', {}, { commit: true });
    }
    if (user.locked_until && new Date(user.locked_until) > now) {
      ctx.audit({ entity: 'users', entityId: user.id, changes: { login: [null, 'locked'] } });
      throw new AppError('auth.locked', { until: user.locked_until }, { commit: true });
    }
    if (!verifyPassword(password, user.password_hash)) {
      const failed = user.failed_attempts + 1;
      const lock = failed >= LOCKOUT_THRESHOLD;
      const lockedUntil = lock ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null;
      updateUser(ctx.db, user.id, { failed_attempts: lock ? 0 : failed, locked_until: lockedUntil });
      ctx.audit({
        entity: 'users',
        entityId: user.id,
        changes: { login: [null, lock ? 'locked' : 'failed'], failed_attempts: [user.failed_attempts, failed] },
      });
      if (lock) throw new AppError('auth.locked', { until: lockedUntil }, { commit: true });
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
  },

  'auth.logout': async (_input, ctx) => {
    const actor = requireUser(ctx);
    ctx.services.authSessions.end(actor.token);
    return { done: true as const };
  },

  'auth.me': async (_input, ctx) => {
    const actor = requireUser(ctx);
    const u = findUserById(ctx.db, actor.userId);
    if (!u) throw new AppError('auth.user_required');
    return toUserInfo(u);
  },

  'users.setLanguage': async ({ language }, ctx) => {
    const actor = requireUser(ctx);
    const before = findUserById(ctx.db, actor.userId);
    if (!before) throw new AppError('auth.user_required');
    const seq = ctx.change('users', before.id, 'update', before.office_id);
    updateUser(ctx.db, before.id, { language, updated_at: ctx.now(), change_seq: seq });
    ctx.audit({ entity: 'users', entityId: before.id, changes: { language: [before.language, language] } });
    return toUserInfo({ ...before, language });
  },

  'users.list': async (_input, ctx) => {
    const office = ctx.requireOffice();
    const rows = listOfficeUsers(ctx.db, office.id);
    const now = ctx.now();
    return rows.map((u) => toUserInfo(u, now));
  },

  'users.create': async (input, ctx) => {
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
      created_at: now,
      updated_at: now,
      change_seq: seq,
    };
    // The password was chosen by someone else: she sets her own at first login (only the CLI may say otherwise).
    const mustChange = input.mustChange ?? true;
    insertUser(ctx.db, { ...row, must_change_password: mustChange ? 1 : 0 });
    ctx.audit({
      entity: 'users',
      entityId: id,
      changes: { username: [null, row.username], display_name: [null, row.display_name], role: [null, row.role], must_change_password: [null, mustChange] },
    });
    return toUserInfo({ ...row, must_change_password: mustChange ? 1 : 0 });
  },
} satisfies Partial<Handlers>;
