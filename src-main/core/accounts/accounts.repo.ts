import type { Kysely } from 'kysely';
import type { DB, User } from '../db/schema';
import type { UserInfo } from '../../shared/api/contract';

export function toUserInfo(u: User): UserInfo {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    language: u.language,
    active: u.active === 1,
  };
}

export async function findUserByUsername(db: Kysely<DB>, username: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserById(db: Kysely<DB>, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}
