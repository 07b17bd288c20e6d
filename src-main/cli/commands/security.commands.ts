import { copyFileSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../../shared/errors';
import { defaultDbPath } from '../../core/paths';
import { appendAudit } from '../../core/audit/audit.repo';
import { installedOffice } from '../../core/system/system.repo';
import { readable } from '../../core/db/handles';
import { actorName } from '../../core/context';
import { inspectBackup, refuseDamagedDatabase, officeOfFile, readBackupConfig, restoreImageToFile, storedPassphrase } from '../../core/security/backup';
import { checkAuditAnchors } from '../../core/security/audit-anchors';
import { cliActor, type CliContext, type Command } from '../cli-kit';
import { databaseFileState, FileKeyStore, newSecret, openDatabaseFile } from '../../core/db/encryption';
import type { BackupOpener } from '../../core/security/backup-format';
import { wordsToSecret } from '../../core/security/recovery';

async function passphraseFrom(ctx: CliContext, dbPath: string | null): Promise<string> {
  if (ctx.bool('passphrase-stdin')) {
    const p = (await ctx.io.stdin()).replace(/\r?\n$/, '');
    if (!p) throw new AppError('cli.usage', { detail: 'give the passphrase on stdin' });
    return p;
  }
  if (dbPath) {
    // The passphrase of automatic backups, when the database is readable and has one.
    let db: Database.Database | null = null;
    try {
      db = openDatabaseFile(dbPath, { readonly: true });
      const p = storedPassphrase(readable(db));
      if (p) return p;
    } catch {
      /* unreadable: fall through */
    } finally {
      try {
        db?.close();
      } catch {
        /* ignore */
      }
    }
  }
  throw new AppError('cli.usage', { detail: 'no stored backup passphrase: use --passphrase-stdin' });
}

/** Copies an outbox file produced by a method to --out. */
function saveOutboxFile(ctx: CliContext, id: string, out: string): string {
  const f = ctx.core().outbox.get(id);
  if (!f) throw new AppError('api.not_found');
  const dest = resolve(out);
  copyFileSync(f.path, dest);
  return dest;
}

export const securityCommands: Command[] = [
  {
    name: 'backup',
    summary: 'Take an encrypted backup (to --out FILE, or to the configured folder with rotation).',
    usage: 'backup --db PATH [--out FILE] [--passphrase-stdin]   (default passphrase: the one stored for automatic backups)',
    booleans: ['passphrase-stdin'],
    async run(ctx) {
      const passphrase = ctx.bool('passphrase-stdin') ? await passphraseFrom(ctx, null) : undefined;
      const out = ctx.flag('out');
      return ctx.call('backup.create', { trigger: 'cli', ...(passphrase ? { passphrase } : {}), ...(out ? { outFile: out } : {}) });
    },
  },
  {
    name: 'restore',
    summary: 'Check a backup (passphrase, integrity, same office, not newer than the app), keep a copy of the database, then replace it.',
    usage: 'restore --db PATH --from FILE [--passphrase-stdin | --recovery-words-stdin]',
    booleans: ['passphrase-stdin', 'recovery-words-stdin'],
    async run(ctx) {
      const dbPath = resolve(ctx.flag('db') ?? defaultDbPath());
      const from = ctx.requireFlag('from');
      // The backup opens with its passphrase, or with the recovery sheet's 12 words (format 2 backups).
      const recoverySecret = ctx.bool('recovery-words-stdin') ? wordsToSecret((await ctx.io.stdin()).split(/\r?\n/)[0] ?? '') : null;
      const passphrase: BackupOpener = recoverySecret ? { recoverySecret } : await passphraseFrom(ctx, dbPath);
      let file: Buffer;
      try {
        file = readFileSync(from);
      } catch (e) {
        throw new AppError('backup.file_unreadable', { path: from, detail: (e as NodeJS.ErrnoException).code ?? String(e) });
      }
      // The database is not opened before the restore (it may be the damaged one): checks run in memory.
      const expectOfficeId = officeOfFile(dbPath);
      const { inspection, dbImage } = inspectBackup(file, passphrase, { expectOfficeId });
      const now = new Date();
      // Written encrypted: with the database's own key, else (a new computer) the sheet's key or a new one.
      const keys = new FileKeyStore();
      const secret = (databaseFileState(dbPath) === 'encrypted' ? keys.load(dbPath) : null) ?? recoverySecret ?? newSecret();
      keys.save(dbPath, secret);
      const { replacedCopy } = restoreImageToFile(dbPath, dbImage, now, secret);
      const core = ctx.core(); // opens and migrates the restored database
      const actor = cliActor();
      core.sqlite.transaction(() =>
        appendAudit(core.sqlite, [
          {
            at: core.clock().toISOString(),
            actor_kind: 'cli',
            actor_id: null,
            actor_name: actorName(actor),
            method: 'backup.restore',
            entity: 'backup',
            entity_id: resolve(from).split(/[\\/]/).pop() ?? null,
            changes: JSON.stringify({ restore: [null, 'ok'], backup_created_at: [null, inspection.header.createdAt], replaced_copy: [null, replacedCopy] }),
          },
        ]),
      ).immediate();
      return {
        restored: dbPath,
        from: resolve(from),
        backupCreatedAt: inspection.header.createdAt,
        officeChecked: expectOfficeId !== null,
        replacedCopy,
        migrated: core.migration.pending,
        counts: inspection.counts,
      };
    },
  },
  {
    name: 'audit anchors',
    summary: "Compare the audit trail with the heads recorded in the backups (catches a chain rewritten with its head); exits non-zero on a mismatch.",
    usage: 'audit anchors --db PATH [--folder DIR]   (default: the configured backup folder)',
    async run(ctx) {
      const core = ctx.core();
      const folder = ctx.flag('folder') ?? readBackupConfig(readable(core.sqlite)).folder;
      const office = installedOffice(readable(core.sqlite))?.code;
      const r = checkAuditAnchors(core.sqlite, folder ? resolve(folder) : null, office ?? null);
      if (r.mismatches.length) {
        const m = r.mismatches[0];
        throw new AppError('audit.anchor_mismatch', { file: m.file, id: m.id, count: r.mismatches.length });
      }
      return r;
    },
  },
  {
    name: 'db check',
    summary: 'PRAGMA integrity_check on a database file (not opened by the app); names the last good backup if it fails.',
    usage: 'db check --db PATH [--quick]',
    booleans: ['quick'],
    async run(ctx) {
      const dbPath = resolve(ctx.flag('db') ?? defaultDbPath());
      return refuseDamagedDatabase(dbPath, { full: !ctx.bool('quick') });
    },
  },
  {
    name: 'access-request',
    summary: 'Everything held about one person (law 09-08 right of access) as PDF or JSON.',
    usage: 'access-request --db PATH --applicant ID --out FILE [--format pdf|json]',
    async run(ctx) {
      const r = await ctx.call('dataProtection.accessRequest', { applicantId: ctx.requireFlag('applicant'), format: ctx.flag('format') ?? 'pdf' });
      return { ...r, savedTo: saveOutboxFile(ctx, r.file.id, ctx.requireFlag('out')) };
    },
  },
  {
    name: 'cndp',
    summary: 'The processing description for the CNDP declaration, generated from the schema.',
    usage: 'cndp --db PATH --out FILE [--format md|json|pdf]',
    async run(ctx) {
      const r = await ctx.call('dataProtection.processingDescription', { format: ctx.flag('format') ?? 'md' });
      return { file: r.file, savedTo: saveOutboxFile(ctx, r.file.id, ctx.requireFlag('out')) };
    },
  },
];
