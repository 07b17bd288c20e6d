import type { Selectable } from 'kysely';
import type { BackupRunsTable, RetentionRunsTable } from '../db/schema-security';
import type { ReadableDB, WritableDB } from '../db/handles';
import { sql } from 'kysely';
import { query, insertRow } from '../db/query';

/**
 * Security's tables and settings: backup_runs, retention_runs, and the settings 'backup.config',
 * 'backup.passphrase' (sealed, see backup.ts) and 'retention.years'. The office's installation row is read
 * here for the backup passphrase's key. Rules stay in backup.ts and retention.ts.
 */

export type SecuritySetting = 'backup.config' | 'backup.passphrase' | 'retention.years';

const settingValue = query((db, p: { key: string }) => db.selectFrom('settings').select('value').where('key', '=', p.key));
const putSetting = query((db, p: { key: string; value: string }) =>
  db
    .insertInto('settings')
    .values({ key: p.key, value: p.value })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
);
const deleteSetting = query((db, p: { key: string }) => db.deleteFrom('settings').where('key', '=', p.key));

export function readSetting(db: ReadableDB, key: SecuritySetting): string | undefined {
  return settingValue.get(db, { key })?.value;
}
export function writeSetting(db: WritableDB, key: SecuritySetting, value: string): void {
  putSetting.run(db, { key, value });
}
export function removeSetting(db: WritableDB, key: SecuritySetting): void {
  deleteSetting.run(db, { key });
}

// ——— backup_runs ———

export type BackupRun = Selectable<BackupRunsTable>;

const insertRun = insertRow('backup_runs', {
  id: true,
  at: true,
  trigger: true,
  folder: true,
  file_name: true,
  size: true,
  sha256: true,
  ok: true,
  error: true,
  duration_ms: true,
  actor_name: true,
});
const lastRun = query((db) =>
  db
    .selectFrom('backup_runs')
    .select(['at', 'file_name', 'ok', 'trigger'])
    .orderBy('at', 'desc')
    .orderBy(sql`rowid`, 'desc')
    .limit(1),
);
const recentRuns = query((db) => db.selectFrom('backup_runs').selectAll().orderBy('at', 'desc').orderBy(sql`rowid`, 'desc').limit(100));
const lastGoodAt = query((db) => db.selectFrom('backup_runs').select((eb) => eb.fn.max('at').as('at')).where('ok', '=', 1));

export function insertBackupRun(db: WritableDB, run: BackupRun): void {
  insertRun.run(db, run);
}
export function lastBackupRun(db: ReadableDB): Pick<BackupRun, 'at' | 'file_name' | 'ok' | 'trigger'> | undefined {
  return lastRun.get(db);
}
/** The latest 100 attempts, newest first. */
export function recentBackupRuns(db: ReadableDB): BackupRun[] {
  return recentRuns.all(db);
}
export function lastSuccessfulBackupAt(db: ReadableDB): string | null {
  return lastGoodAt.get(db)?.at ?? null;
}

// ——— retention_runs ———

export type RetentionRun = Selectable<RetentionRunsTable>;

const insertRetention = query((db, p: RetentionRun) =>
  db.insertInto('retention_runs').values({ id: p.id, at: p.at, years: p.years, cutoff: p.cutoff, anonymised: p.anonymised, actor_name: p.actor_name }),
);
const lastRetention = query((db) =>
  db
    .selectFrom('retention_runs')
    .select(['at', 'anonymised', 'years'])
    .orderBy('at', 'desc')
    .orderBy(sql`rowid`, 'desc')
    .limit(1),
);

export function insertRetentionRun(db: WritableDB, run: RetentionRun): void {
  insertRetention.run(db, run);
}
export function lastRetentionRun(db: ReadableDB): Pick<RetentionRun, 'at' | 'anonymised' | 'years'> | null {
  return lastRetention.get(db) ?? null;
}
