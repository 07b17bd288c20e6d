import { afterAll, describe, expect, it } from 'vitest';
import { tempCore } from '../../../../tests/helpers/core';
import { readable } from '../../db/handles';
import { listReviews } from './reviews.repo';

/**
 * The review list's numbers (migration 0024): kept by the writes to exchange_reviews, equal to counting the items,
 * whatever is inserted, resolved, re-kinded or deleted.
 */
const core = tempCore({ clock: () => new Date('2026-03-10T10:00:00Z') });
afterAll(() => core.dispose());

describe('review counts', () => {
  it('equal a count of the items after inserts, resolutions, a change of kind and deletions; the list reads them', () => {
    const db = core.sqlite;
    const ins = db.prepare(
      "INSERT INTO exchange_reviews (id, kind, entity, entity_id, office_id, other_id, created_at) VALUES (?, ?, 'applicants', ?, 'o1', ?, '2026-03-10T10:00:00Z')",
    );
    const kinds = ['same_cin', 'same_person', 'conflict'] as const;
    for (let i = 0; i < 60; i++) ins.run(`r${String(i).padStart(3, '0')}`, kinds[i % 3], `e${i}`, `x${i}`);
    db.prepare("UPDATE exchange_reviews SET status = 'same' WHERE id IN ('r000', 'r003', 'r004')").run();
    db.prepare("UPDATE exchange_reviews SET status = 'dismissed', note = 'n' WHERE id = 'r005'").run();
    db.prepare("UPDATE exchange_reviews SET kind = 'conflict' WHERE id = 'r001'").run();
    db.prepare("UPDATE exchange_reviews SET note = 'only a note' WHERE id = 'r002'").run();
    db.prepare("DELETE FROM exchange_reviews WHERE id IN ('r006', 'r007', 'r004')").run();

    const kept = db.prepare('SELECT status, kind, n FROM exchange_review_counts WHERE n <> 0 ORDER BY status, kind').all();
    const counted = db.prepare('SELECT status, kind, COUNT(*) AS n FROM exchange_reviews GROUP BY status, kind ORDER BY status, kind').all();
    expect(kept).toEqual(counted);

    const r = readable(db);
    const count = (where: string) => db.prepare(`SELECT COUNT(*) FROM exchange_reviews ${where}`).pluck().get();
    expect(listReviews(r, { limit: 10, offset: 0 }).total).toBe(count(''));
    expect(listReviews(r, { status: 'open', limit: 10, offset: 0 }).total).toBe(count("WHERE status = 'open'"));
    expect(listReviews(r, { status: 'open', kind: 'conflict', limit: 10, offset: 0 }).total).toBe(count("WHERE status = 'open' AND kind = 'conflict'"));
    expect(listReviews(r, { status: 'distinct', limit: 10, offset: 0 }).total).toBe(0);
    expect(listReviews(r, { status: 'open', limit: 10, offset: 0 }).rows).toHaveLength(10);
  });
});
