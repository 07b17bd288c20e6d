import type { Selectable } from 'kysely';
import type { NetworkDevicesTable } from '../db/schema-security';
import type { ReadableDB, WritableDB } from '../db/handles';
import { query } from '../db/query';

/**
 * The office network's tables: network_devices (the paired workstations) and the settings 'office_network'
 * (the listener's configuration) and 'office_network_pairing' (the pending pairing code), JSON values.
 */

export type NetworkSetting = 'office_network' | 'office_network_pairing';
export type DeviceRow = Selectable<NetworkDevicesTable>;

const settingValue = query((db, p: { key: string }) => db.selectFrom('settings').select('value').where('key', '=', p.key));
const putSetting = query((db, p: { key: string; value: string }) =>
  db
    .insertInto('settings')
    .values({ key: p.key, value: p.value })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
);
const allDevices = query((db) => db.selectFrom('network_devices').selectAll().orderBy('paired_at').orderBy('id'));
const deviceById = query((db, p: { id: string }) => db.selectFrom('network_devices').selectAll().where('id', '=', p.id));
const insertDevice = query((db, p: { id: string; name: string; secret: string; pairedAt: string; pairedBy: string }) =>
  db.insertInto('network_devices').values({ id: p.id, name: p.name, secret: p.secret, paired_at: p.pairedAt, paired_by: p.pairedBy }),
);
const revokeDevice = query((db, p: { id: string; at: string; by: string }) =>
  db.updateTable('network_devices').set({ revoked_at: p.at, revoked_by: p.by }).where('id', '=', p.id),
);
const markSeen = query((db, p: { id: string; at: string; user: string | null }) =>
  db
    .updateTable('network_devices')
    .set((eb) => ({ last_seen_at: p.at, last_user: eb.fn.coalesce(eb.val(p.user), eb.ref('last_user')) }))
    .where('id', '=', p.id),
);

/** The setting's stored text (JSON), or undefined. */
export function readNetworkSetting(db: ReadableDB, key: NetworkSetting): string | undefined {
  return settingValue.get(db, { key })?.value;
}
export function writeNetworkSetting(db: WritableDB, key: NetworkSetting, value: unknown): void {
  putSetting.run(db, { key, value: JSON.stringify(value) });
}

export function listDeviceRows(db: ReadableDB): DeviceRow[] {
  return allDevices.all(db);
}
export function findDevice(db: ReadableDB, id: string): DeviceRow | undefined {
  return deviceById.get(db, { id });
}
export function addDevice(db: WritableDB, d: { id: string; name: string; secret: string; pairedAt: string; pairedBy: string }): void {
  insertDevice.run(db, d);
}
export function revokeDeviceRow(db: WritableDB, id: string, at: string, by: string): void {
  revokeDevice.run(db, { id, at, by });
}
/** The workstation was seen now (by this user, if one was logged in). */
export function markDeviceSeen(db: WritableDB, id: string, at: string, user: string | null): void {
  markSeen.run(db, { id, at, user });
}
