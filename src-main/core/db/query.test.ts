import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import Database from 'better-sqlite3-multiple-ciphers';
import { all, query, readQuery, run, qb } from './query';
import { readable, writable } from './handles';

function memory() {
  const s = new Database(':memory:');
  s.exec(`CREATE TABLE change_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
          op TEXT NOT NULL, office_id TEXT, at TEXT NOT NULL)`);
  return { r: readable(s), w: writable(s), s };
}

const insert = query((db, p: { entity: string; id: string; at: string }) =>
  db.insertInto('change_log').values({ entity: p.entity, entity_id: p.id, op: 'insert', office_id: null, at: p.at }),
);
const byEntity = query((db, p: { entity: string; limit: number }) =>
  db.selectFrom('change_log').select(['seq', 'entity_id']).where('entity', '=', p.entity).orderBy('seq').limit(p.limit),
);
const count = query((db) => db.selectFrom('change_log').select((eb) => eb.fn.countAll<number>().as('n')));

describe('query: Kysely builds once, better-sqlite3 runs', () => {
  it('binds named parameters wherever the builder puts them (values, where, limit) and keeps literals', () => {
    const { r, w } = memory();
    for (let i = 0; i < 5; i++) insert.run(w, { entity: i % 2 ? 'a' : 'b', id: `x${i}`, at: '2026-01-01' });
    expect(byEntity.all(r, { entity: 'b', limit: 2 })).toEqual([
      { seq: 1, entity_id: 'x0' },
      { seq: 3, entity_id: 'x2' },
    ]);
    expect(count.get(r)?.n).toBe(5);
    expect(byEntity.column<number>(r, { entity: 'a', limit: 9 })).toEqual([2, 4]);
    expect(byEntity.sql()).toContain('limit ?');
    expect(() => byEntity.all(r, { entity: 'a' } as never)).toThrow(/limit/);
  });

  it('types keep reads and writes apart, and a read query that writes is refused when it runs', () => {
    const { r, w } = memory();
    // @ts-expect-error — a write query needs the write transaction's handle
    expect(() => insert.run(r, { entity: 'a', id: 'y', at: 'z' })).not.toThrow();
    // @ts-expect-error — ReadableDB is opaque: no prepare/exec on it
    expect(typeof r.prepare).toBe('function');
    const sneaky = readQuery(() => sql`DELETE FROM change_log`);
    expect(() => sneaky.all(r)).toThrow(/read query writes/);
    expect(all(r, qb.selectFrom('change_log').select('entity_id').where('entity', 'in', ['a']))).toEqual([{ entity_id: 'y' }]);
    run(w, qb.deleteFrom('change_log'));
    expect(count.get(r)?.n).toBe(0);
  });
});
