import type { Selectable } from 'kysely';
import type { ReadableDB, WritableDB } from '../../db/handles';
import { query } from '../../db/query';
import type { ExchangeOwnKeysTable, ExchangeRegionKeysTable } from '../../db/schema-exchange';

/** The exchange keys: this installation's X25519 pair (exchange_own_keys) and the region's keys loaded at a province (exchange_region_keys). */

export type OwnKeyRow = Pick<Selectable<ExchangeOwnKeysTable>, 'x25519_private' | 'x25519_public' | 'fingerprint'>;

const ownKey = query((db) => db.selectFrom('exchange_own_keys').select(['x25519_private', 'x25519_public', 'fingerprint']).where('id', '=', 1));
export function getOwnKey(db: ReadableDB): OwnKeyRow | undefined {
  return ownKey.get(db);
}

const insertOwn = query((db, p: { privatePem: string; publicPem: string; fingerprint: string; now: string }) =>
  db.insertInto('exchange_own_keys').values({ id: 1, x25519_private: p.privatePem, x25519_public: p.publicPem, fingerprint: p.fingerprint, created_at: p.now }),
);
export function insertOwnKey(db: WritableDB, k: { privatePem: string; publicPem: string; fingerprint: string; now: string }): void {
  insertOwn.run(db, k);
}

export type RegionKeyRow = Omit<Selectable<ExchangeRegionKeysTable>, 'loaded_by'>;

const regionKeys = query((db) =>
  db
    .selectFrom('exchange_region_keys')
    .select(['id', 'office_slug', 'office_code', 'x25519_public', 'ed25519_public', 'fingerprint', 'loaded_at', 'active'])
    .orderBy('id', 'desc'),
);
/** Newest first. */
export function listRegionKeys(db: ReadableDB): RegionKeyRow[] {
  return regionKeys.all(db);
}

const deactivateAll = query((db) => db.updateTable('exchange_region_keys').set({ active: 0 }));
const idByFingerprint = query((db, p: { fingerprint: string }) => db.selectFrom('exchange_region_keys').select('id').where('fingerprint', '=', p.fingerprint));
const reactivate = query((db, p: { id: number; ed25519: string; now: string; by: string }) =>
  db.updateTable('exchange_region_keys').set({ active: 1, ed25519_public: p.ed25519, loaded_at: p.now, loaded_by: p.by }).where('id', '=', p.id),
);
const insertRegion = query(
  (db, p: { slug: string; code: string; x25519: string; ed25519: string; fingerprint: string; now: string; by: string }) =>
    db.insertInto('exchange_region_keys').values({
      office_slug: p.slug,
      office_code: p.code,
      x25519_public: p.x25519,
      ed25519_public: p.ed25519,
      fingerprint: p.fingerprint,
      active: 1,
      loaded_at: p.now,
      loaded_by: p.by,
    }),
);

/** Makes the given key the only active one (loaded again if it was known). */
export function loadRegionKey(
  db: WritableDB,
  k: { slug: string; code: string; x25519: string; ed25519: string; fingerprint: string; now: string; by: string },
): void {
  deactivateAll.run(db);
  const existing = idByFingerprint.get(db, { fingerprint: k.fingerprint });
  if (existing) reactivate.run(db, { id: existing.id, ed25519: k.ed25519, now: k.now, by: k.by });
  else insertRegion.run(db, k);
}
