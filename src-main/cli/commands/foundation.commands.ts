import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { OFFICE_SLUGS, PROVINCE_NAMES, defaultOfficeSettings } from '../../shared/offices';
import { contract, isMethodName, METHOD_NAMES } from '../../shared/api/contract';
import { verifyAudit } from '../../core/audit/audit.repo';
import { installation } from '../../core/system/system.repo';
import { readable } from '../../core/db/handles';
import { seedDatabase } from '../../core/seed/seed';
import '../../core/seed/seeders';
import { parseJsonInput, type Command } from '../cli-kit';

export const foundationCommands: Command[] = [
  {
    name: 'init',
    summary: 'Create the database for an office and its first administrator (password on stdin).',
    usage: 'init --db PATH --office errachidia|ouarzazate|midelt|tinghir|zagora|region --admin NAME [--name-ar T --name-fr T --signatory-ar T --signatory-fr T] [--recovery-sheet FILE.pdf]',
    async run(ctx) {
      const office = ctx.requireFlag('office');
      if (!(OFFICE_SLUGS as readonly string[]).includes(office)) {
        throw new AppError('cli.usage', { detail: `--office must be one of ${OFFICE_SLUGS.join(', ')}` });
      }
      const admin = ctx.requireFlag('admin');
      const password = (await ctx.io.stdin()).replace(/\r?\n$/, '');
      if (!password) throw new AppError('cli.usage', { detail: 'give the administrator password on stdin' });
      const names = PROVINCE_NAMES[office];
      const d = defaultOfficeSettings(office, names.ar, names.fr);
      const setup = await ctx.call('system.setup', {
        office,
        settings: {
          nameAr: ctx.flag('name-ar') ?? d.nameAr,
          nameFr: ctx.flag('name-fr') ?? d.nameFr,
          addressAr: ctx.flag('address-ar') ?? '',
          addressFr: ctx.flag('address-fr') ?? '',
          signatoryTitleAr: ctx.flag('signatory-ar') ?? d.signatoryTitleAr,
          signatoryTitleFr: ctx.flag('signatory-fr') ?? d.signatoryTitleFr,
        },
        admin: { username: admin, displayName: ctx.flag('display-name') ?? admin, password },
      });
      // The recovery sheet (issue 16), printed at setup to keep in the office safe.
      const sheetOut = ctx.flag('recovery-sheet');
      if (!sheetOut) return setup;
      const sheet = await ctx.call('recovery.sheet', {});
      const f = ctx.core().outbox.get(sheet.file.id);
      if (!f) throw new AppError('api.not_found');
      copyFileSync(f.path, resolve(sheetOut));
      return { ...setup, recoverySheet: resolve(sheetOut) };
    },
  },
  {
    name: 'status',
    summary: 'Show the office, versions and migrations of a database.',
    usage: 'status --db PATH',
    async run(ctx) {
      const s = await ctx.call('system.status', {});
      return { ...s, dbPath: ctx.core().dbPath, migrationsApplied: ctx.core().migration.pending.length };
    },
  },
  {
    name: 'seed',
    summary: 'Fill a database with realistic synthetic data (names of the region, real communes, categories, statuses …).',
    usage: 'seed --db PATH --applicants N [--office SLUG] [--seed 42]',
    async run(ctx) {
      const n = Number(ctx.requireFlag('applicants'));
      if (!Number.isInteger(n) || n < 0) throw new AppError('cli.usage', { detail: '--applicants takes a whole number' });
      return seedDatabase(ctx.core(), {
        applicants: n,
        office: ctx.flag('office') ?? 'errachidia',
        seed: Number(ctx.flag('seed') ?? 42),
      });
    },
  },
  {
    name: 'call',
    summary: 'Call any API method with JSON input on stdin or --input (every method of the contract).',
    usage: 'call METHOD --db PATH [--input JSON]   (input on stdin when --input is absent)',
    async run(ctx) {
      const method = ctx.args.positionals[1];
      if (!isMethodName(method)) throw new AppError('api.unknown_method', { method });
      const raw = ctx.flag('input') ?? (await ctx.io.stdin());
      const input = raw.trim() ? parseJsonInput(raw) : {};
      return ctx.call(method, input);
    },
  },
  {
    name: 'methods',
    summary: 'List every API method with who may call it.',
    usage: 'methods',
    async run() {
      return METHOD_NAMES.map((m) => ({ method: m, access: contract[m].access, write: contract[m].write, summary: contract[m].summary }));
    },
  },
  {
    name: 'audit verify',
    summary: 'Check the hash chain of the audit trail and how far it is anchored outside (backups, exchange files, the region); exits non-zero if any row was edited or deleted.',
    usage: 'audit verify --db PATH',
    async run(ctx) {
      const v = verifyAudit(ctx.core().sqlite);
      if (!v.ok) throw new AppError('audit.chain_broken', { ...v.firstBad, rows: v.rows });
      // Issue 16: the heads this office sent in exchange files (and the region acknowledged) must still be in the chain.
      const anchored = installation(readable(ctx.core().sqlite)) ? (await ctx.call('audit.verify', {})).anchored : null;
      if (anchored?.broken.length) throw new AppError('audit.exchange_anchor_mismatch', { rows: anchored.broken[0].rows, fileSeq: anchored.broken[0].fileSeq ?? '—', count: anchored.broken.length });
      return { ...v, anchored };
    },
  },
];
