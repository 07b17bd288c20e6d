import { copyFileSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../../shared/errors';
import { getParticipation } from '../../core/sessions/participation';
import { findApplicantIdByRef } from '../../core/applicants/applicants.repo';
import { readable } from '../../core/db/handles';
import { parseJsonInput, type CliContext, type Command } from '../cli-kit';

/** An applicant named by id or by file number (e.g. ERR-2026-000123). */
function applicantId(ctx: CliContext, ref: string): string {
  const r = findApplicantIdByRef(readable(ctx.core().sqlite), ref);
  if (!r) throw new AppError('session.applicant_not_found', { applicantId: ref });
  return r.id;
}

function list(ctx: CliContext, name: string): string[] {
  const v = ctx.args.flags[name];
  if (v === undefined || v === true) return [];
  return Array.isArray(v) ? v : [v];
}

async function stdinJson(ctx: CliContext): Promise<unknown> {
  const raw = await ctx.io.stdin();
  if (!raw.trim()) throw new AppError('cli.usage', { detail: 'give the JSON on stdin' });
  return parseJsonInput(raw);
}

export const sessionsCommands: Command[] = [
  {
    name: 'org add',
    summary: 'Add an organisation (Entraide Nationale delegation, ADS, incubator association) of the office province.',
    usage: 'org add --db PATH --kind entraide|ads|incubator|other --name-ar T --name-fr T [--province CODE] [--phone P] [--address T]',
    async run(ctx) {
      return ctx.call('organisations.create', {
        kind: ctx.requireFlag('kind'),
        nameAr: ctx.requireFlag('name-ar'),
        nameFr: ctx.requireFlag('name-fr'),
        ...(ctx.flag('province') ? { provinceCode: ctx.flag('province') } : {}),
        ...(ctx.flag('phone') ? { phone: ctx.flag('phone') } : {}),
        address: ctx.flag('address') ?? '',
      });
    },
  },
  {
    name: 'org list',
    summary: 'List organisations with their facilitators, the training topics and the attestation criteria.',
    usage: 'org list --db PATH [--all]',
    booleans: ['all'],
    async run(ctx) {
      return ctx.call('sessions.lookups', { includeInactive: ctx.bool('all') });
    },
  },
  {
    name: 'facilitator add',
    summary: 'Add a trainer or mentor to an organisation.',
    usage: 'facilitator add --db PATH --org ID --name T --role trainer|mentor|both [--phone P]',
    async run(ctx) {
      return ctx.call('facilitators.create', {
        organisationId: ctx.requireFlag('org'),
        fullName: ctx.requireFlag('name'),
        role: ctx.requireFlag('role'),
        ...(ctx.flag('phone') ? { phone: ctx.flag('phone') } : {}),
      });
    },
  },
  {
    name: 'cohort add',
    summary: 'Create a cohort following a training path with an organisation.',
    usage: 'cohort add --db PATH --org ID --name T --start YYYY-MM-DD [--end YYYY-MM-DD] [--place T]',
    async run(ctx) {
      return ctx.call('cohorts.create', {
        organisationId: ctx.requireFlag('org'),
        name: ctx.requireFlag('name'),
        startDate: ctx.requireFlag('start'),
        ...(ctx.flag('end') ? { endDate: ctx.flag('end') } : {}),
        place: ctx.flag('place') ?? '',
      });
    },
  },
  {
    name: 'cohort enrol',
    summary: "Enrol beneficiaries (id or file number) in a cohort; --confirm moves a preselected woman's path to in_training.",
    usage: 'cohort enrol --db PATH --cohort ID --applicant ID|FILE_NO [--applicant …] --date YYYY-MM-DD [--confirm]',
    booleans: ['confirm'],
    async run(ctx) {
      const refs = list(ctx, 'applicant');
      if (!refs.length) throw new AppError('cli.usage', { detail: '--applicant is required' });
      return ctx.call('cohorts.enrol', {
        cohortId: ctx.requireFlag('cohort'),
        applicantIds: refs.map((r) => applicantId(ctx, r)),
        date: ctx.requireFlag('date'),
        moveToTraining: ctx.bool('confirm'),
      });
    },
  },
  {
    name: 'cohort withdraw',
    summary: 'Withdraw a beneficiary from a cohort, with date and reason.',
    usage: 'cohort withdraw --db PATH --cohort ID --applicant ID|FILE_NO --date YYYY-MM-DD --reason T',
    async run(ctx) {
      return ctx.call('cohorts.withdraw', {
        cohortId: ctx.requireFlag('cohort'),
        applicantId: applicantId(ctx, ctx.requireFlag('applicant')),
        date: ctx.requireFlag('date'),
        reason: ctx.requireFlag('reason'),
      });
    },
  },
  {
    name: 'cohort show',
    summary: 'A cohort with its members, their hours and attendance counts.',
    usage: 'cohort show --db PATH --id ID',
    async run(ctx) {
      return ctx.call('cohorts.get', { id: ctx.requireFlag('id') });
    },
  },
  {
    name: 'session add',
    summary: 'Record a session from JSON on stdin (attendance included); prints its id.',
    usage:
      'session add --db PATH   < {"kind":"group_training","date":"2026-03-02","startTime":"09:00","endTime":"12:00","topic":"marketing",' +
      '"organisationId":"…","cohortId":"…","attendance":[{"applicantId":"…","status":"present"}]}',
    async run(ctx) {
      const input = (await stdinJson(ctx)) as Record<string, unknown>;
      // Applicants may be named by file number in the JSON too.
      if (Array.isArray(input.attendance)) {
        input.attendance = input.attendance.map((e: Record<string, unknown>) =>
          typeof e?.applicantId === 'string' ? { ...e, applicantId: applicantId(ctx, e.applicantId) } : e,
        );
      }
      if (typeof input.applicantId === 'string') input.applicantId = applicantId(ctx, input.applicantId);
      const s = await ctx.call('sessions.create', input);
      return { id: s.id, durationMinutes: s.durationMinutes, attendance: s.checklist.filter((c) => c.status !== null).length };
    },
  },
  {
    name: 'session attendance',
    summary: 'Record or correct the attendance of a session from JSON on stdin: [{"applicantId","status"}…].',
    usage: 'session attendance --db PATH --id SESSION_ID   < [{"applicantId":"…","status":"present|absent|excused"}]',
    async run(ctx) {
      const entries = await stdinJson(ctx);
      if (!Array.isArray(entries)) throw new AppError('cli.usage', { detail: 'stdin must be a JSON array' });
      return ctx.call('sessions.recordAttendance', {
        sessionId: ctx.requireFlag('id'),
        entries: entries.map((e: Record<string, unknown>) => (typeof e?.applicantId === 'string' ? { ...e, applicantId: applicantId(ctx, e.applicantId) } : e)),
      });
    },
  },
  {
    name: 'session list',
    summary: "The office's sessions between two dates with attendance counts (week view), or with --days their totals per day (month view).",
    usage: 'session list --db PATH --from YYYY-MM-DD --to YYYY-MM-DD [--cohort ID] [--days]',
    async run(ctx) {
      return ctx.call('sessions.range', {
        from: ctx.requireFlag('from'),
        to: ctx.requireFlag('to'),
        ...(ctx.flag('cohort') ? { cohortId: ctx.flag('cohort') } : {}),
        ...(ctx.bool('days') ? { detail: 'days' as const } : {}),
      });
    },
  },
  {
    name: 'session sheet',
    summary: 'Printable attendance sheets (A4 PDF, Arabic and French): one session, or every session of a period (a week).',
    usage: 'session sheet --db PATH (--id SESSION_ID | --from YYYY-MM-DD --to YYYY-MM-DD [--cohort ID]) --out FILE.pdf',
    async run(ctx) {
      const out = ctx.requireFlag('out');
      const r = ctx.flag('id')
        ? await ctx.call('sessions.sheet', { sessionId: ctx.requireFlag('id') })
        : await ctx.call('sessions.sheet', { from: ctx.requireFlag('from'), to: ctx.requireFlag('to'), ...(ctx.flag('cohort') ? { cohortId: ctx.flag('cohort') } : {}) });
      const f = ctx.core().outbox.get(r.fileId);
      if (!f) throw new AppError('file.not_found');
      copyFileSync(f.path, out);
      return { out, sessions: r.sessions, size: r.size };
    },
  },
  {
    name: 'session attach',
    summary: "Attach the signed attendance sheet (scanned PDF, PNG or JPEG) to its session: the file is copied into the app's upload area first, as the window and the web page do.",
    usage: 'session attach --db PATH --id SESSION_ID --file SCAN.pdf',
    async run(ctx) {
      const file = ctx.requireFlag('file');
      // The administrator's own file on this machine: read here, handed to the core as an upload (never as a path).
      const up = ctx.core().outbox.put(basename(file), 'application/octet-stream', readFileSync(file));
      return ctx.call('sessions.attachSheet', { sessionId: ctx.requireFlag('id'), uploadId: up.id });
    },
  },
  {
    name: 'applicant hours',
    summary: "A beneficiary's hours (total, by topic), attendance rate and eligibility for the participation attestation.",
    usage: 'applicant hours --db PATH --id ID|FILE_NO [--timeline]',
    booleans: ['timeline'],
    async run(ctx) {
      const id = applicantId(ctx, ctx.requireFlag('id'));
      if (ctx.bool('timeline')) return ctx.call('sessions.forApplicant', { applicantId: id });
      return { applicantId: id, ...getParticipation(ctx.core().sqlite, id) };
    },
  },
];
