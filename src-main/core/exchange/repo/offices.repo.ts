import type { ReadableDB, WritableDB } from '../../db/handles';
import { query } from '../../db/query';
import type { Office } from '../../db/schema';

/**
 * The offices as the exchange sees them: the region trusts a province (its row, its public key, `trusted`) when it
 * loads the province's key file; the offices are listed with their trust, looked up by id or slug.
 */

const byId = query((db, p: { id: string }) => db.selectFrom('offices').selectAll().where('id', '=', p.id));
export function officeById(db: ReadableDB, id: string): Office | undefined {
  return byId.get(db, { id });
}

const bySlug = query((db, p: { slug: string }) => db.selectFrom('offices').selectAll().where('slug', '=', p.slug));
export function officeBySlug(db: ReadableDB, slug: string): Office | undefined {
  return bySlug.get(db, { slug });
}

const provinceBySlug = query((db, p: { slug: string }) => db.selectFrom('offices').selectAll().where('slug', '=', p.slug).where('kind', '=', 'province'));
export function provinceOfficeBySlug(db: ReadableDB, slug: string): Office | undefined {
  return provinceBySlug.get(db, { slug });
}

const allOffices = query((db) => db.selectFrom('offices').selectAll().orderBy('kind').orderBy('slug'));
export function listOffices(db: ReadableDB): Office[] {
  return allOffices.all(db);
}

const provinces = query((db) => db.selectFrom('offices').selectAll().where('kind', '=', 'province').orderBy('slug'));
export function listProvinceOffices(db: ReadableDB): Office[] {
  return provinces.all(db);
}

const slugs = query((db) => db.selectFrom('offices').select(['id', 'slug']));
/** Office id → slug (what a person reads). */
export function officeSlugs(db: ReadableDB): Map<string, string> {
  return new Map(slugs.all(db).map((r) => [r.id, r.slug]));
}

const insertTrusted = query(
  (db, p: { id: string; slug: string; code: string; provinceCode: string | null; nameAr: string; nameFr: string; publicKey: string; now: string }) =>
    db.insertInto('offices').values({
      id: p.id,
      slug: p.slug,
      code: p.code,
      kind: 'province',
      province_code: p.provinceCode,
      name_ar: p.nameAr,
      name_fr: p.nameFr,
      // the columns' defaults (migrations/0001), spelled because the table type marks no default
      address_ar: '',
      address_fr: '',
      signatory_title_ar: '',
      signatory_title_fr: '',
      public_key: p.publicKey,
      trusted: 1,
      created_at: p.now,
      updated_at: p.now,
      change_seq: 0,
    }),
);
/** A province the region did not know, trusted from its key file. */
export function insertTrustedProvince(
  db: WritableDB,
  o: { id: string; slug: string; code: string; provinceCode: string | null; nameAr: string; nameFr: string; publicKey: string; now: string },
): void {
  insertTrusted.run(db, o);
}

const trust = query((db, p: { id: string; publicKey: string; now: string }) =>
  db.updateTable('offices').set({ public_key: p.publicKey, trusted: 1, updated_at: p.now }).where('id', '=', p.id),
);
export function trustOffice(db: WritableDB, id: string, publicKey: string, now: string): void {
  trust.run(db, { id, publicKey, now });
}
