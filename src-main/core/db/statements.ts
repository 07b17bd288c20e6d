import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Sqlite } from './connection';

const cache = new WeakMap<Sqlite, Map<string, Statement>>();

/** A prepared statement, prepared once per connection and reused (hot paths). */
export function stmt<P extends unknown[] | object = unknown[], R = unknown>(db: Sqlite, sql: string): Statement<P, R> {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let s = m.get(sql);
  if (!s) m.set(sql, (s = db.prepare(sql)));
  return s as unknown as Statement<P, R>;
}
