import type { Insertable, Selectable } from 'kysely';
import type { CommunesTable, InstallationTable, NewOffice, Office, OfficesTable, ProvincesTable } from '../db/schema';
import type { ReadableDB, WritableDB } from '../db/handles';
import { qb, query, all, run } from '../db/query';

/**
 * This installation: its office row (offices, the row of this office), the installation row (id 1: the office
 * it serves and its signing key), and the territories' reference tables read by the setup screens.
 */

const officeOfInstallation = query((db) =>
  db.selectFrom('installation as i').innerJoin('offices as o', 'o.id', 'i.office_id').selectAll('o').where('i.id', '=', 1),
);
const installationRow = query((db) => db.selectFrom('installation').select(['office_id', 'signing_key_pem']).where('id', '=', 1));
const provinces = query((db) => db.selectFrom('provinces').selectAll().orderBy('code'));

/** The office this installation serves, or undefined before setup. */
export function installedOffice(db: ReadableDB): Office | undefined {
  return officeOfInstallation.get(db);
}

/** The installation row (the office it serves, its private signing key), or undefined before setup. */
export function installation(db: ReadableDB): Pick<Selectable<InstallationTable>, 'office_id' | 'signing_key_pem'> | undefined {
  return installationRow.get(db);
}

export function insertOffice(db: WritableDB, row: NewOffice): void {
  run(db, qb.insertInto('offices').values(row));
}

export function insertInstallation(db: WritableDB, row: Insertable<InstallationTable>): void {
  run(db, qb.insertInto('installation').values(row));
}

/** Sets the given columns of this office's row. */
export function updateOffice(db: WritableDB, id: string, set: Partial<Omit<Selectable<OfficesTable>, 'id'>>): void {
  run(db, qb.updateTable('offices').set(set).where('id', '=', id));
}

export function listProvinces(db: ReadableDB): Selectable<ProvincesTable>[] {
  return provinces.all(db);
}

/** The communes, of one province or all. */
export function listCommunes(db: ReadableDB, provinceCode: string | null): Selectable<CommunesTable>[] {
  let q = qb.selectFrom('communes').selectAll();
  if (provinceCode) q = q.where('province_code', '=', provinceCode);
  return all(db, q.orderBy('code'));
}
