import type { Handlers, HandlersOf } from '../handler-types';
import type { accountsContract } from '../../shared/api/accounts.contract';
import * as service from './accounts.service';

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type AccountsHandlers = HandlersOf<typeof accountsContract>;

/** Login and the account's own settings, bound to the service (rules: accounts.service.ts; SQL: accounts.repo.ts). */
export const accountsHandlers = {
  'auth.login': async (input, ctx) => service.login(input, ctx),
  'auth.logout': async (input, ctx) => service.logout(input, ctx),
  'auth.me': async (input, ctx) => service.me(input, ctx),
  'users.setLanguage': async (input, ctx) => service.setLanguage(input, ctx),
  'users.list': async (input, ctx) => service.listUsers(input, ctx),
  'users.create': async (input, ctx) => service.createUser(input, ctx),
} satisfies Partial<Handlers>;

/**
 * Account administration and the logged-in user's password (methods of the security contract: the screens of
 * the security section), bound to the same service: the accounts feature owns the users table.
 */
export const accountsAdminHandlers = {
  'users.resetPassword': async (input, ctx) => service.resetPassword(input, ctx),
  'users.setActive': async (input, ctx) => service.setActive(input, ctx),
  'users.setRole': async (input, ctx) => service.setRole(input, ctx),
  'users.unlock': async (input, ctx) => service.unlock(input, ctx),
  'auth.changePassword': async (input, ctx) => service.changePassword(input, ctx),
  'auth.reauth': async (input, ctx) => service.reauth(input, ctx),
  'auth.myLogins': async (input, ctx) => service.myLogins(input, ctx),
} satisfies Partial<Handlers>;
