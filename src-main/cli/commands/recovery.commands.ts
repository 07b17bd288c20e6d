import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { defaultDbPath } from '../../core/paths';
import { databaseFileState, FileKeyStore, openDatabaseFile } from '../../core/db/encryption';
import { wordsToSecret } from '../../core/security/recovery';
import { keyFingerprint } from '../../core/security/recovery-sheet';
import type { Command } from '../cli-kit';

/** The recovery sheet from the command line (issue 16). Words and passwords come on stdin, never as arguments. */
export const recoveryCommands: Command[] = [
  {
    name: 'recovery sheet',
    summary: 'Write the recovery sheet (PDF: office, date, the recovery key as 12 words and a QR code) to keep in the office safe.',
    usage: 'recovery sheet --db PATH --out FILE.pdf',
    async run(ctx) {
      const out = resolve(ctx.requireFlag('out'));
      const r = await ctx.call('recovery.sheet', {});
      const f = ctx.core().outbox.get(r.file.id);
      if (!f) throw new AppError('api.not_found');
      copyFileSync(f.path, out);
      const secret = new FileKeyStore().load(ctx.core().dbPath);
      return { out, fingerprint: secret ? keyFingerprint(secret) : null };
    },
  },
  {
    name: 'recovery unlock-db',
    summary: 'Open an encrypted database whose key is not on this computer (another PC, a lost profile) with the sheet’s 12 words (stdin); the key is then kept for this user.',
    usage: 'recovery unlock-db --db PATH   (the 12 words on stdin)',
    async run(ctx) {
      const dbPath = resolve(ctx.flag('db') ?? defaultDbPath());
      if (databaseFileState(dbPath) !== 'encrypted') throw new AppError('recovery.unavailable');
      const secret = wordsToSecret((await ctx.io.stdin()).split(/\r?\n/)[0] ?? '');
      // The words must open this very file before anything is kept (db.key_wrong otherwise).
      openDatabaseFile(dbPath, { secret, readonly: true }).close();
      new FileKeyStore().save(dbPath, secret);
      return { unlocked: dbPath, fingerprint: keyFingerprint(secret) };
    },
  },
  {
    name: 'recovery recover-admin',
    summary: 'Unlock an administrator account and set its password with the recovery sheet: first stdin line the 12 words, second the new password.',
    usage: 'recovery recover-admin --db PATH --user NAME   (stdin: the 12 words, then the new password)',
    async run(ctx) {
      const [words = '', newPassword = ''] = (await ctx.io.stdin()).split(/\r?\n/);
      return ctx.call('recovery.unlockAdmin', { username: ctx.requireFlag('user'), words, newPassword });
    },
  },
];
