import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { CliContext, Command } from '../cli-kit';

function deliver(ctx: CliContext, fileId: string, out: string): string {
  const f = ctx.core().outbox.get(fileId);
  if (!f) throw new AppError('file.not_found', { fileId });
  const target = resolve(out);
  copyFileSync(f.path, target);
  return target;
}

function lang(ctx: CliContext): 'ar' | 'fr' {
  const l = ctx.flag('lang') ?? 'ar';
  if (l !== 'ar' && l !== 'fr') throw new AppError('cli.usage', { detail: '--lang ar|fr' });
  return l;
}

function int(ctx: CliContext, name: string): number | undefined {
  const v = ctx.flag(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new AppError('cli.usage', { detail: `--${name} needs a whole number` });
  return n;
}

function multi(ctx: CliContext, name: string): string[] {
  const v = ctx.args.flags[name];
  if (v === undefined || v === true) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).filter(Boolean);
}

export const reportsCommands: Command[] = [
  {
    name: 'report',
    summary: 'Write the indicator workbook of a month, a quarter or a year (Arabic right to left; --lang fr for French).',
    usage: 'report --db PATH --period 2026-11|2026-Q4|2026 --out FILE.xlsx [--lang fr]',
    async run(ctx) {
      const out = ctx.requireFlag('out');
      const r = await ctx.call('reports.workbook', { period: ctx.requireFlag('period'), lang: lang(ctx) });
      return { ...r, path: deliver(ctx, r.fileId, out) };
    },
  },
  {
    name: 'dashboard',
    summary: 'Print the dashboard series of a period as JSON (the same indicators as the workbook).',
    usage: 'dashboard --db PATH --period 2026-11|2026-Q4|2026',
    async run(ctx) {
      return ctx.call('reports.dashboard', { period: ctx.requireFlag('period') });
    },
  },
  {
    name: 'list',
    summary: 'Write the beneficiary list (search filters as flags) as a streamed xlsx.',
    usage:
      'list --db PATH --out FILE.xlsx [--q TEXT] [--commune CODE] [--category project_holder|difficult_situation|disability] [--situation CODE] ' +
      '[--status S[,S…]] [--age-min N] [--age-max N] [--disability yes|no] [--sex F|M] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--lang fr]',
    async run(ctx) {
      const out = ctx.requireFlag('out');
      const disability = ctx.flag('disability');
      const filters: Record<string, unknown> = {
        ...(ctx.flag('commune') ? { communeCode: ctx.flag('commune') } : {}),
        ...(ctx.flag('category') ? { category: ctx.flag('category') } : {}),
        ...(ctx.flag('situation') ? { situation: ctx.flag('situation') } : {}),
        ...(multi(ctx, 'status').length ? { status: multi(ctx, 'status') } : {}),
        ...(int(ctx, 'age-min') !== undefined ? { ageMin: int(ctx, 'age-min') } : {}),
        ...(int(ctx, 'age-max') !== undefined ? { ageMax: int(ctx, 'age-max') } : {}),
        ...(disability ? { hasDisability: disability === 'yes' || disability === 'true' } : {}),
        ...(ctx.flag('sex') ? { sex: ctx.flag('sex') } : {}),
        ...(ctx.flag('from') ? { registeredFrom: ctx.flag('from') } : {}),
        ...(ctx.flag('to') ? { registeredTo: ctx.flag('to') } : {}),
      };
      const r = await ctx.call('reports.list', { q: ctx.flag('q') ?? '', filters, lang: lang(ctx) });
      return { ...r, path: deliver(ctx, r.fileId, out) };
    },
  },
  {
    name: 'import-excel',
    summary: 'Import an existing Excel/CSV list of beneficiaries (--dry-run: only the summary); prints the summary as JSON.',
    usage: 'import-excel --db PATH FILE [--dry-run] [--rejects FILE.xlsx] [--sheet NAME|N] [--mapping JSON] [--lang fr] [--preview] [--confirm-communes] [--decisions JSON] [--row-pairs JSON]',
    booleans: ['dry-run', 'preview', 'confirm-communes'],
    async run(ctx) {
      const file = ctx.args.positionals[1]; // [0] is the command name
      if (!file) throw new AppError('cli.usage', { detail: 'name the file to import' });
      const sheetFlag = ctx.flag('sheet');
      const mappingFlag = ctx.flag('mapping');
      const decisionsFlag = ctx.flag('decisions');
      const rowPairsFlag = ctx.flag('row-pairs');
      const jsonOf = (v: string, usage: string): unknown => {
        try {
          return JSON.parse(v);
        } catch {
          throw new AppError('cli.usage', { detail: usage });
        }
      };
      let mapping: unknown;
      if (mappingFlag) {
        try {
          mapping = JSON.parse(mappingFlag);
        } catch {
          throw new AppError('cli.usage', { detail: '--mapping takes JSON: {"0":"cin","1":"lastName",…}' });
        }
      }
      const input = {
        path: resolve(file),
        ...(sheetFlag ? { sheet: /^\d+$/.test(sheetFlag) ? Number(sheetFlag) : sheetFlag } : {}),
        ...(mapping ? { mapping } : {}),
        lang: lang(ctx),
        // Communes recognised approximately are listed by --dry-run; --confirm-communes says they were checked.
        ...(ctx.bool('confirm-communes') ? { confirmCommunes: true } : {}),
        // --decisions '{"12":"new","15":"attach"}': per row, another person or the registry's file (see --dry-run).
        ...(decisionsFlag ? { decisions: jsonOf(decisionsFlag, '--decisions takes JSON: {"12":"new","15":"attach"}') } : {}),
        // --row-pairs '{"40:12":"different","41:12":"same"}': per pair of rows of the list that may be one person (see --dry-run).
        ...(rowPairsFlag ? { rowPairs: jsonOf(rowPairsFlag, '--row-pairs takes JSON: {"40:12":"same","41:12":"different"}') } : {}),
      };
      if (ctx.bool('preview')) return ctx.call('imports.preview', input);
      const r = ctx.bool('dry-run') ? await ctx.call('imports.analyse', input) : await ctx.call('imports.commit', input);
      const rejectsOut = ctx.flag('rejects');
      const rejectsPath = r.rejects && rejectsOut ? deliver(ctx, r.rejects.fileId, rejectsOut) : null;
      const { created, ...rest } = r;
      return { ...rest, created: created.length, rejectsPath };
    },
  },
];
