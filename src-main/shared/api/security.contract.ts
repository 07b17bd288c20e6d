import { z } from 'zod';
import { method } from './define';
import { ROLES } from '../roles';
import { PasswordSchema } from './system.contract';
import type { UserInfo } from './accounts.contract';

/**
 * Security and data protection (issue 8): account administration, the audit trail for office heads,
 * encrypted backups, and law 09-08 duties (access requests, retention, the CNDP processing description).
 */

export interface FileRef {
  /** Outbox id: the window saves/opens it, the web bridge serves GET /api/files/:id. */
  id: string;
  name: string;
  mime: string;
  size: number;
}

export interface AuditListItem {
  id: number;
  at: string;
  actorKind: 'user' | 'cli' | 'anonymous' | 'system';
  actorId: string | null;
  actorName: string;
  method: string;
  entity: string | null;
  entityId: string | null;
  changes: Record<string, [unknown, unknown]> | null;
  /** The person who acted, by name (a user's full name; the command line with its system account). */
  actorLabel: string;
  /** The file or account concerned, in words ("Fatima Zahra Benali (ERR-2026-000001)"), when there is one. */
  subject: { ar: string; fr: string } | null;
}

export interface AuditVerifyResult {
  ok: boolean;
  rows: number;
  firstBad: { id: number; reason: 'edited' | 'missing' | 'relinked' | 'head_mismatch' } | null;
  /** The audit heads recorded in the backups of the configured folder, compared with the chain. */
  anchors: {
    folder: string | null;
    checked: number;
    mismatches: { file: string; at: string; id: number; expected: string; found: string | null }[];
    unreadable: string[];
  };
  /** How far the trail is anchored outside the office (issue 16): rows held by a backup, the last exchange file, the region. */
  anchored: {
    rows: number;
    lastBackup: { at: string; rows: number } | null;
    lastFileSent: { fileSeq: number | null; at: string; rows: number; intact: boolean } | null;
    acknowledged: { at: string; rows: number; intact: boolean } | null;
    unanchoredRows: number;
    /** Heads sent in exchange files or acknowledged by the region that are no longer in the chain. */
    broken: { rows: number; fileSeq: number | null; at: string }[];
  };
}

export interface BackupSettingsInfo {
  folder: string | null;
  /** Why a backup cannot be made now (no folder, no passphrase, the folder unplugged or read-only), null when it can. */
  cannotBackUp: { code: string; params?: Record<string, unknown> } | null;
  keep: number;
  atStart: boolean;
  atExit: boolean;
  daily: boolean;
  hasPassphrase: boolean;
  lastBackup: { at: string; fileName: string | null; ok: boolean; trigger: string } | null;
}

/** A folder chosen without typing a path: a root (removable drive, drive, home) by its id and folder names under it. */
export const FolderRefSchema = z
  .object({
    root: z.string().min(1).max(300),
    rel: z.array(z.string().regex(/^(?!\.{1,2}$)[^/\\\0:*?"<>|]{1,255}$/, { message: 'backup.browse_not_found' })).max(40).default([]),
  })
  .strict();

/** The folder browser of the web bridge (issue 15): the roots, and the folders under the one being looked at. */
export interface FolderBrowse {
  roots: { id: string; kind: 'removable' | 'drive' | 'home'; name: string }[];
  /** The folder looked at (null: only the roots); `shown` is its place as the person knows it (the drive's path and names). */
  at: { root: string; rel: string[]; shown: string } | null;
  folders: string[];
}

export interface BackupCreated {
  path: string;
  fileName: string;
  size: number;
  sha256: string;
  at: string;
  durationMs: number;
  deleted: string[];
}

export interface BackupFileInfo {
  name: string;
  path: string;
  size: number;
  at: string;
  trigger: string | null;
  officeSlug: string | null;
  schemaVersion: string | null;
  counts: Record<string, number> | null;
  readable: boolean;
}

export interface BackupRunInfo {
  id: string;
  at: string;
  trigger: string;
  folder: string;
  fileName: string | null;
  size: number | null;
  ok: boolean;
  error: string | null;
  durationMs: number;
  actorName: string;
}

export interface BackupCheck {
  createdAt: string;
  officeSlug: string | null;
  schemaVersion: string;
  appVersion: string;
  sameOffice: boolean | null;
  olderThanApp: boolean;
  integrity: 'ok';
  counts: Record<string, number>;
}

export interface RetentionCandidate {
  id: string;
  fileNo: string;
  status: string;
  closedAt: string;
  communeCode: string | null;
}

export interface RetentionPreview {
  years: number;
  cutoff: string;
  count: number;
  candidates: RetentionCandidate[];
}

const BackupTriggerSchema = z.enum(['manual', 'start', 'exit', 'daily', 'cli']);
const IsoInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/);
const Passphrase = z.string().min(8, { message: 'backup.passphrase_too_short' }).max(500);

/** The app's own backup file names (`jisr-ERR-20261129T061500Z-daily.jisrbak`). */
export const BACKUP_NAME_RE = /^jisr-[A-Z]{3}-\d{8}T\d{6}Z-[a-z_]+\.jisrbak$/;

/**
 * Which backup to check or restore: one of the configured folder's backups by its name (as backup.list gives
 * it), an uploaded file (window: picked with the system dialog; web bridge: /api/upload), or — the command
 * line only — a path on this machine.
 */
export const BackupSourceSchema = z
  .object({
    name: z.string().regex(BACKUP_NAME_RE, { message: 'backup.bad_name' }).optional(),
    uploadId: z.string().min(8).max(100).optional(),
    path: z.string().min(1).max(1000).optional(),
    passphrase: z.string().min(1).max(500),
  })
  .strict()
  .refine((v) => [v.name, v.uploadId, v.path].filter((x) => x !== undefined).length === 1, { message: 'backup.source_required' });

/** One login into the caller's own account (auth.myLogins). */
export interface MyLogin {
  /** ISO instant (shown in local time). */
  at: string;
  /** ok: logged in; failed: a wrong password; locked: refused while the account was locked. */
  outcome: 'ok' | 'failed' | 'locked';
  /** The office network's workstation it came from; null: this computer (its window or web bridge). */
  workstation: string | null;
}

export const securityContract = {
  /* ---------- accounts ---------- */
  'users.resetPassword': method<UserInfo>()({
    // She always chooses her own password at next login; only the command line may say otherwise.
    input: z.object({ userId: z.string().min(1), newPassword: PasswordSchema, mustChange: z.boolean().optional() }).strict(),
    access: ['office_head'],
    cliOnly: ['mustChange'],
    write: true,
    summary: "Set a new password for an account (clears its lockout, ends its sessions; by default she must change it at next login).",
  }),
  'users.setActive': method<UserInfo>()({
    input: z.object({ userId: z.string().min(1), active: z.boolean() }).strict(),
    access: ['office_head'],
    write: true,
    summary: 'Deactivate (ends its sessions) or reactivate an account.',
  }),
  'users.setRole': method<UserInfo>()({
    input: z.object({ userId: z.string().min(1), role: z.enum(ROLES) }).strict(),
    access: ['office_head'],
    write: true,
    summary: "Change an account's role (office heads: agent/office head; administrators: any).",
  }),
  'users.unlock': method<UserInfo>()({
    input: z.object({ userId: z.string().min(1) }).strict(),
    access: ['office_head'],
    write: true,
    summary: 'Lift the temporary lockout of an account after repeated failed logins (office heads may lift an administrator’s).',
  }),
  'auth.changePassword': method<{ done: true }>()({
    input: z.object({ currentPassword: z.string().min(1).max(200), newPassword: PasswordSchema }).strict(),
    access: 'authenticated',
    write: true,
    summary: 'Change your own password (the password policy applies; failures count towards the lockout).',
  }),
  'auth.myLogins': method<{ items: MyLogin[] }>()({
    input: z.object({ limit: z.number().int().min(1).max(50).default(20) }).strict(),
    access: 'authenticated',
    write: false,
    summary: 'Your own latest logins (when, from which workstation, succeeded or failed); nobody sees another account’s here.',
  }),
  'auth.reauth': method<{ done: true }>()({
    input: z.object({ password: z.string().min(1).max(200) }).strict(),
    access: 'authenticated',
    write: true,
    summary: 'Unlock the screen after inactivity by typing your password again (failures count towards the lockout).',
  }),

  /* ---------- audit trail ---------- */
  'audit.list': method<{ items: AuditListItem[]; total: number; page: number; pageSize: number }>()({
    input: z
      .object({
        actor: z.string().trim().max(100).optional(),
        method: z.string().trim().max(100).optional(),
        entity: z.string().trim().max(100).optional(),
        entityId: z.string().trim().max(100).optional(),
        /** A file by its number, CIN or a name: the entries about the files that match. */
        file: z.string().trim().max(100).optional(),
        from: IsoInstant.optional(),
        to: IsoInstant.optional(),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    access: ['office_head'],
    write: false,
    summary: 'The audit trail, newest first, filtered by user, method, record type, record id and dates.',
  }),
  'audit.verify': method<AuditVerifyResult>()({
    input: z.object({}).strict(),
    access: ['office_head'],
    write: false,
    summary: 'Walk the hash chain of the audit trail (first edited, missing or re-linked row) and compare it with the heads recorded in the backups.',
  }),

  /* ---------- backups ---------- */
  'backup.settings': method<BackupSettingsInfo>()({
    input: z.object({}).strict(),
    access: ['office_head'],
    write: false,
    summary: 'Backup folder, rotation, automatic triggers, whether a passphrase is set, the last backup.',
  }),
  'backup.updateSettings': method<BackupSettingsInfo>()({
    input: z
      .object({
        folder: z.string().trim().min(1).max(1000).nullable().optional(),
        /** The folder chosen in the folder browser (web bridge): a root and folder names, never a path. */
        folderRef: FolderRefSchema.optional(),
        keep: z.number().int().min(1).max(365).optional(),
        atStart: z.boolean().optional(),
        atExit: z.boolean().optional(),
        daily: z.boolean().optional(),
        passphrase: Passphrase.optional(),
      })
      .strict(),
    access: ['office_head'],
    write: true,
    summary: 'Choose the backup folder (e.g. a USB stick: administrators only, checked), how many to keep, the automatic triggers and the passphrase.',
  }),
  'backup.browseFolders': method<FolderBrowse>()({
    input: z.object({ at: FolderRefSchema.optional() }).strict(),
    // Where backups go is the administrator's choice only: she alone browses the machine's folders.
    access: ['admin'],
    write: false,
    summary: 'The folder browser for the backup folder: removable drives first, then drives and the home folder; the folders under one (names only).',
  }),
  'backup.create': method<BackupCreated>()({
    input: z
      .object({
        passphrase: Passphrase.optional(),
        folder: z.string().trim().min(1).max(1000).optional(),
        outFile: z.string().trim().min(1).max(1000).optional(),
        trigger: BackupTriggerSchema.default('manual'),
      })
      .strict(),
    access: ['office_head'],
    // A folder or a file named by the caller: the command line only (the window and the web bridge write to the configured folder).
    cliOnly: ['folder', 'outFile'],
    // A snapshot cannot be taken inside the call's transaction: the handler records its own audit row.
    write: false,
    summary: 'Take an encrypted backup now (to the configured folder, or a given folder or file), then rotate.',
  }),
  'backup.list': method<{ folder: string | null; files: BackupFileInfo[]; runs: BackupRunInfo[] }>()({
    input: z.object({ folder: z.string().trim().min(1).max(1000).optional() }).strict(),
    access: ['office_head'],
    cliOnly: ['folder'],
    write: false,
    summary: 'Backup files of this office in the folder (with their readable headers) and the history of backup runs.',
  }),
  'backup.check': method<BackupCheck>()({
    input: BackupSourceSchema,
    access: ['office_head'],
    cliOnly: ['path'],
    write: false,
    summary: 'Decrypt a backup in memory and check it (integrity, same office, not newer than the app) without restoring.',
  }),
  'backup.restore': method<BackupCheck & { replacedCopy: string; migrated: string[] }>()({
    input: BackupSourceSchema,
    access: ['office_head'],
    cliOnly: ['path'],
    // Replaces the whole database: runs outside a transaction and records its audit row in the restored database.
    write: false,
    summary: 'Check a backup, keep a copy of the current database, then replace it with the backup.',
  }),

  /* ---------- data protection (law 09-08) ---------- */
  'dataProtection.accessRequest': method<{ file: FileRef; summary: Record<string, number> }>()({
    input: z.object({ applicantId: z.string().min(1), format: z.enum(['json', 'pdf']).default('pdf') }).strict(),
    access: ['office_head'],
    // Recorded in the audit trail: who exported everything about whom.
    write: true,
    summary: 'Everything held about one person (her file, path, sessions, attestations, audit entries) as PDF or JSON.',
  }),
  'retention.preview': method<RetentionPreview>()({
    input: z.object({ years: z.number().int().min(1).max(50).optional(), limit: z.number().int().min(1).max(10000).default(500) }).strict(),
    access: ['office_head'],
    write: false,
    summary: 'Dry run: the files closed more than N years ago that the retention rule would anonymise.',
  }),
  'retention.run': method<{ anonymised: number; cutoff: string; years: number }>()({
    input: z.object({ years: z.number().int().min(1).max(50).optional(), expectedCount: z.number().int().min(0) }).strict(),
    access: ['office_head'],
    write: true,
    summary: 'Anonymise the files closed more than N years ago (personal fields removed, statistics kept).',
  }),
  'retention.settings': method<{ years: number; lastRun: { at: string; anonymised: number; years: number } | null }>()({
    input: z.object({}).strict(),
    access: ['office_head'],
    write: false,
    summary: 'How many years closed files are kept before anonymisation (default 5), and the last run.',
  }),
  'retention.setYears': method<{ years: number; lastRun: { at: string; anonymised: number; years: number } | null }>()({
    input: z.object({ years: z.number().int().min(1).max(50) }).strict(),
    access: ['office_head'],
    write: true,
    summary: 'Set how many years closed files are kept before they are anonymised.',
  }),
  'dataProtection.processingDescription': method<{ file: FileRef; description: unknown }>()({
    input: z.object({ format: z.enum(['md', 'json', 'pdf']).default('md') }).strict(),
    access: ['office_head'],
    write: false,
    summary: 'The processing description for the CNDP declaration, generated from the database schema.',
  }),
} as const;
