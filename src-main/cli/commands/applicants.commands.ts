import { AppError } from '../../shared/errors';
import { APPLICANT_STATUSES, FINANCING_SOURCES, type ApplicantStatus } from '../../shared/api/applicants.contract';
import { parseJsonInput, type Command } from '../cli-kit';
import { getParticipation } from '../../core/sessions/participation';

export const applicantsCommands: Command[] = [
  {
    name: 'applicant add',
    summary:
      'Register an applicant from JSON on stdin (the fields of applicants.create, consent included); prints {"id", "fileNo", "warnings"}. ' +
      'A taken CIN or invalid data fails with the error code; likely duplicates fail listing the candidates unless --distinct.',
    usage: 'applicant add --db PATH [--distinct]   (JSON on stdin)',
    booleans: ['distinct'],
    async run(ctx) {
      const raw = await ctx.io.stdin();
      if (!raw.trim()) throw new AppError('cli.usage', { detail: 'give the applicant as JSON on stdin' });
      const input = parseJsonInput(raw);
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new AppError('cli.usage', { detail: 'stdin must be one JSON object' });
      }
      try {
        return await ctx.call('applicants.create', input);
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'applicant.possible_duplicates' || !ctx.bool('distinct')) throw e;
        // --distinct: the operator confirms every proposed file is another person (recorded as decisions).
        const ids = (e.params.candidates as { id: string }[]).map((c) => c.id);
        const given = (input as { distinctFrom?: string[] }).distinctFrom ?? [];
        return ctx.call('applicants.create', { ...input, distinctFrom: [...new Set([...given, ...ids])] });
      }
    },
  },
  {
    name: 'applicant search',
    summary: 'Search by CIN prefix, phone (any format), file number or name fragment in either script; prints JSON lines, best first.',
    usage: 'applicant search --db PATH --q TEXT [--limit 50] [--offset 0] [--status S] [--commune CODE] [--sort relevance|name_ar|name_lat|registered|file_no]',
    async run(ctx) {
      const q = ctx.flag('q') ?? '';
      const limit = Number(ctx.flag('limit') ?? 50);
      const offset = Number(ctx.flag('offset') ?? 0);
      if (!Number.isInteger(limit) || !Number.isInteger(offset)) throw new AppError('cli.usage', { detail: '--limit and --offset take whole numbers' });
      const status = ctx.args.flags.status;
      const filters: Record<string, unknown> = {};
      if (status !== undefined && status !== true) filters.status = ([] as string[]).concat(status);
      if (ctx.flag('commune')) filters.communeCode = ctx.flag('commune');
      const r = await ctx.call('applicants.search', { q, limit, offset, filters, sort: ctx.flag('sort') ?? 'relevance' });
      for (const item of r.items) ctx.io.out(JSON.stringify(item));
      ctx.io.err(JSON.stringify({ mode: r.mode, total: r.total, shown: r.items.length }));
      return undefined;
    },
  },
  {
    name: 'applicant show',
    summary: 'The whole file of an applicant as JSON (fields with labels, commune, status and edit history, hours attended and attestation eligibility).',
    usage: 'applicant show --db PATH --id ID',
    async run(ctx) {
      const file = await ctx.call('applicants.get', { id: ctx.requireFlag('id') });
      // Hours attended and eligibility for the participation attestation (sessions feature).
      return { ...file, participation: getParticipation(ctx.core().sqlite, ctx.requireFlag('id')) };
    },
  },
  {
    name: 'applicant status',
    summary: `Move a file along the path (${APPLICANT_STATUSES.join(', ')}); financed needs --source (${FINANCING_SOURCES.join('|')}).`,
    usage: 'applicant status --db PATH --id ID --to STATE [--reason TEXT] [--source programme|indh|intelaka|other] [--date YYYY-MM-DD]',
    async run(ctx) {
      const to = ctx.requireFlag('to');
      if (!(APPLICANT_STATUSES as readonly string[]).includes(to)) {
        throw new AppError('cli.usage', { detail: `--to must be one of ${APPLICANT_STATUSES.join(', ')}` });
      }
      const input: Record<string, unknown> = { id: ctx.requireFlag('id'), to: to as ApplicantStatus, reason: ctx.flag('reason') ?? '' };
      if (ctx.flag('source')) input.financingSource = ctx.flag('source');
      if (ctx.flag('date')) input.date = ctx.flag('date');
      return ctx.call('applicants.setStatus', input);
    },
  },
];
