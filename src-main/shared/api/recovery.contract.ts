import { z } from 'zod';
import { method } from './define';
import { PasswordSchema } from './system.contract';
import type { FileRef } from './security.contract';

/** The recovery sheet's 12 words, as typed (spaces, dashes; accents and case do not matter). */
const WordsSchema = z.string().min(20).max(400);

/**
 * The recovery sheet (issue 16): the database's recovery key as 12 words and a QR code, printed at setup to keep
 * in the office safe. It opens the database or a backup on another computer and lets an administrator back in.
 */
export const recoveryContract = {
  'recovery.sheet': method<{ file: FileRef; wordCount: number }>()({
    input: z.object({}).strict(),
    access: ['admin'],
    // Audited: who printed the key of the whole database, and when.
    write: true,
    summary: 'The recovery sheet (PDF, Arabic and French): office, date, the recovery key as 12 words and a QR code.',
  }),
  'recovery.unlockAdmin': method<{ username: string }>()({
    input: z
      .object({
        username: z.string().min(1).max(100),
        words: WordsSchema,
        newPassword: PasswordSchema,
      })
      .strict(),
    access: 'public',
    write: true,
    summary: 'With the recovery sheet: unlock an administrator account and give it a new password.',
  }),
  'recovery.restoreBackup': method<{ officeSlug: string | null; backupCreatedAt: string; counts: Record<string, number> }>()({
    input: z.object({ uploadId: z.string().min(8).max(100), words: WordsSchema }).strict(),
    access: 'public',
    // A fresh installation only (no office set up): replaces the empty database, outside a transaction.
    write: false,
    summary: 'On a fresh installation: open an uploaded backup with the recovery sheet and restore it (the database then keeps that key).',
  }),
} as const;
