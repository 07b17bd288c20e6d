import type { Kysely } from 'kysely';
import type { DB, User } from '../db/schema';
import type { UserInfo } from '../../shared/api/contract';

/** `now` (ISO): whether a lockout is still running is shown to whoever manages the accounts. */
export function toUserInfo(u: User, now?: string): UserInfo {
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

export async function findUserByUsername(db: Kysely<DB>, username: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserById(db: Kysely<DB>, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}
