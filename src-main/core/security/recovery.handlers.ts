import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { Handlers, HandlersOf } from '../handler-types';
import type { recoveryContract } from '../../shared/api/recovery.contract';
import type { ReadContext } from '../context';
import { migrate } from '../db/migrate';
import { sqliteKey } from '../db/encryption';
import { projectRoot } from '../paths';
import { inspectBackup, restoreImageLive } from './backup';
import { readBackupSource } from './backup.service';
import { appendAuditOutsideCall, outsideCall, writableOutsideCall } from './direct-audit';
import { connectionOf } from '../db/handles';
import { findActiveUserByUsername } from '../accounts/accounts.repo';
import { setPasswordFor } from '../accounts/accounts.service';
import { wordsMatch, wordsToSecret } from './recovery';
import { keyFingerprint, recoverySheetPdf } from './recovery-sheet';

/** Wrong recovery words per database: 5 in 15 minutes, then a pause (the key has 128 bits; this only slows a pest). */
const WRONG_LIMIT = 5;
const WRONG_WINDOW_MS = 15 * 60_000;
const wrongWords = new Map<string, number[]>();

function refuseIfTooMany(ctx: ReadContext): void {
  const now = ctx.clock().getTime();
  const recent = (wrongWords.get(ctx.services.dbPath) ?? []).filter((t) => now - t < WRONG_WINDOW_MS);
  wrongWords.set(ctx.services.dbPath, recent);
  if (recent.length >= WRONG_LIMIT) {
    throw new AppError('recovery.too_many_attempts', { minutes: Math.ceil((WRONG_WINDOW_MS - (now - recent[0])) / 60_000) });
  }
}

function noteWrong(ctx: ReadContext): void {
  wrongWords.get(ctx.services.dbPath)?.push(ctx.clock().getTime()) ?? wrongWords.set(ctx.services.dbPath, [ctx.clock().getTime()]);
}

function ddmmyyyy(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type RecoveryHandlers = HandlersOf<typeof recoveryContract>;

export const recoveryHandlers = {
  'recovery.sheet': async (_input, ctx) => {
    const office = ctx.requireOffice();
    const secret = ctx.services.databaseSecret;
    if (!secret) throw new AppError('recovery.unavailable');
    const pdf = await recoverySheetPdf({ secret, officeAr: office.name_ar, officeFr: office.name_fr, date: ddmmyyyy(ctx.today()) });
    const f = ctx.services.outbox.put(`jisr-recovery-sheet-${office.code}.pdf`, 'application/pdf', pdf);
    // The audit says that the sheet was printed and which key it carries (its fingerprint), never the words.
    ctx.audit({ entity: 'recovery_sheet', entityId: keyFingerprint(secret), changes: { printed: [null, true] } });
    return { file: { id: f.id, name: f.name, mime: f.mime, size: f.size }, wordCount: 12 };
  },

  'recovery.unlockAdmin': async ({ username, words, newPassword }, ctx) => {
    refuseIfTooMany(ctx);
    const secret = ctx.services.databaseSecret;
    if (!secret) throw new AppError('recovery.unavailable');
    if (!wordsMatch(words, secret)) {
      noteWrong(ctx);
      // Recorded (committed) so that an office head sees the attempts in the audit trail.
      ctx.audit({ entity: 'recovery_sheet', changes: { unlock_admin: [null, 'wrong words'] } });
      throw new AppError('recovery.words_wrong', {}, { commit: true });
    }
    const u = findActiveUserByUsername(ctx.db, username);
    // The same answer for an unknown user and one who is not an administrator: the sheet does not list accounts.
    if (!u || u.role !== 'admin') throw new AppError('recovery.not_admin');
    setPasswordFor(ctx, u, newPassword, false);
    ctx.audit({
      entity: 'users',
      entityId: u.id,
      changes: { password: [null, 'recovery sheet'], ...(u.locked_until ? { locked_until: [u.locked_until, null] } : {}) },
    });
    return { username };
  },

  'recovery.restoreBackup': async ({ uploadId, words }, ctx) => {
    if (ctx.office()) throw new AppError('recovery.database_exists');
    const dbPath = ctx.services.dbPath;
    if (dbPath === ':memory:' || !ctx.services.databaseSecret) throw new AppError('backup.restore_memory');
    refuseIfTooMany(ctx);
    // Every wrong try counts, also words that are not the sheet's list or fail its checksum (most random guesses).
    let secret: Buffer;
    try {
      secret = wordsToSecret(words);
    } catch (e) {
      noteWrong(ctx);
      throw e;
    }
    const source = readBackupSource(ctx, { uploadId });
    let checked;
    try {
      checked = inspectBackup(source.bytes, { recoverySecret: secret }, { expectOfficeId: null });
    } catch (e) {
      if (e instanceof AppError && e.code === 'backup.recovery_key_wrong') noteWrong(ctx);
      throw e;
    }
    const { inspection, dbImage } = checked;
    // The fresh database takes the sheet's key first, so the sheet in the safe stays the key of the restored office.
    // The connection itself: rekeying (PRAGMA), replacing its pages and migrating are not queries of the schema.
    const sqlite = connectionOf(ctx.db);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.pragma('journal_mode = DELETE');
    sqlite.pragma(`rekey = "${sqliteKey(secret)}"`);
    sqlite.pragma('journal_mode = WAL');
    ctx.services.keyStore.save(dbPath, secret);
    ctx.services.databaseSecret = secret;
    await restoreImageLive(sqlite, dbPath, dbImage, ctx.clock(), secret);
    migrate(sqlite, { dir: join(projectRoot(), 'migrations'), now: ctx.clock });
    ctx.services.resetOfficeCache();
    // write: false (the database file was replaced): the restore's audit row through the handle taken for it.
    appendAuditOutsideCall(writableOutsideCall(ctx), outsideCall(ctx), [
      { entity: 'backup', entityId: source.name, changes: { restore: [null, 'recovery sheet'], backup_created_at: [null, inspection.header.createdAt] } },
    ]);
    return { officeSlug: inspection.header.officeSlug, backupCreatedAt: inspection.header.createdAt, counts: inspection.counts };
  },
} satisfies Partial<Handlers>;
