import type { Insertable } from 'kysely';
import type { User, UsersTable, UserUpdate } from '../db/schema';
import type { UserInfo } from '../../shared/api/contract';
import type { ReadableDB, WritableDB } from '../db/handles';
import { qb, query, run } from '../db/query';

/** The staff accounts of this office. Owner of the table users. */

/** `now` (ISO): whether a lockout is still running is shown to whoever manages the accounts. */
export function toUserInfo(u: Omit<User, 'must_change_password'> & Partial<Pick<User, 'must_change_password'>>, now?: string): UserInfo {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    language: u.language,
    active: u.active === 1,
    locked: !!u.locked_until && (now === undefined || u.locked_until > now),
  };
}

const byUsername = query((db, p: { username: string }) => db.selectFrom('users').selectAll().where('username', '=', p.username));
const byId = query((db, p: { id: string }) => db.selectFrom('users').selectAll().where('id', '=', p.id));
const activeByUsername = query((db, p: { username: string }) =>
  db.selectFrom('users').selectAll().where('username', '=', p.username).where('active', '=', 1),
);
const ofOffice = query((db, p: { officeId: string }) => db.selectFrom('users').selectAll().where('office_id', '=', p.officeId).orderBy('username'));
const activeAdminCount = query((db) =>
  db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1),
);
const names = query((db) => db.selectFrom('users').select(['id', 'username', 'display_name']));

export function findUserByUsername(db: ReadableDB, username: string): User | undefined {
  return byUsername.get(db, { username });
}

export function findUserById(db: ReadableDB, id: string): User | undefined {
  return byId.get(db, { id });
}

/** An active account by its name (the recovery sheet's password reset). */
export function findActiveUserByUsername(db: ReadableDB, username: string): User | undefined {
  return activeByUsername.get(db, { username });
}

export function listOfficeUsers(db: ReadableDB, officeId: string): User[] {
  return ofOffice.all(db, { officeId });
}

export function countActiveAdmins(db: ReadableDB): number {
  return Number(activeAdminCount.get(db)?.n ?? 0);
}

/** Every account's names by id (the audit list names the people it shows). */
export function userNames(db: ReadableDB): { id: string; username: string; display_name: string }[] {
  return names.all(db);
}

export function insertUser(db: WritableDB, row: Insertable<UsersTable>): void {
  run(db, qb.insertInto('users').values(row));
}

/** Sets the given columns of one account (the columns vary by call: built at the call, prepared once per shape). */
export function updateUser(db: WritableDB, id: string, set: UserUpdate): void {
  run(db, qb.updateTable('users').set(set).where('id', '=', id));
}
