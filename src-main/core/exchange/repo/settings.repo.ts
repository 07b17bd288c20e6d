import type { ReadableDB, WritableDB } from '../../db/handles';
import { query } from '../../db/query';

/** The exchange's settings rows (exchange.cadence, exchange.max_file_bytes: JSON values) and the installation's signing key. */

const setting = query((db, p: { key: string }) => db.selectFrom('settings').select('value').where('key', '=', p.key));
/** The JSON text of a setting, if set. */
export function settingValue(db: ReadableDB, key: 'exchange.cadence' | 'exchange.max_file_bytes'): string | undefined {
  return setting.get(db, { key })?.value;
}

const put = query((db, p: { key: string; value: string }) =>
  db
    .insertInto('settings')
    .values({ key: p.key, value: p.value })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
);
export function setSettingValue(db: WritableDB, key: 'exchange.cadence', value: string): void {
  put.run(db, { key, value });
}

const signing = query((db) => db.selectFrom('installation').select('signing_key_pem').where('id', '=', 1));
/** The installation's Ed25519 private key (files and receipts are signed with it). */
export function installationSigningKey(db: ReadableDB): string | undefined {
  return signing.get(db)?.signing_key_pem;
}
