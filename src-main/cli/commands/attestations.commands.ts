import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { BatchStatus } from '../../shared/api/attestations.contract';
import type { CliContext, Command } from '../cli-kit';

function copyOut(ctx: CliContext, fileId: string, dest: string): string {
  const f = ctx.core().outbox.get(fileId);
  if (!f) throw new AppError('file.not_found');
  copyFileSync(f.path, dest);
  return dest;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Follows a batch to its end, reporting progress on stderr; Ctrl-C cancels it. */
async function followBatch(ctx: CliContext, start: BatchStatus): Promise<BatchStatus> {
  let status = start;
  let cancelled = false;
  const onInt = () => {
    if (cancelled) return;
    cancelled = true;
    ctx.io.err('cancelling …');
    void ctx.call('attestations.batchCancel', { jobId: start.jobId });
  };
  process.on('SIGINT', onInt);
  try {
    let last = -1;
    while (status.state === 'running') {
      await sleep(150);
      status = await ctx.call('attestations.batchStatus', { jobId: start.jobId });
      if (status.done !== last) {
        last = status.done;
        ctx.io.err(`${status.done}/${status.total}`);
      }
    }
  } finally {
    process.off('SIGINT', onInt);
  }
  return status;
}

export const attestationsCommands: Command[] = [
  {
    name: 'attest',
    summary: 'Issue an attestation to an applicant, or to every eligible member of a cohort (numbered, registered, signed QR).',
    usage:
      'attest --db PATH --applicant ID --kind KIND --out FILE.pdf [--date YYYY-MM-DD] [--preview]\n' +
      '  attest --db PATH --cohort ID --out FILE.pdf [--kind participation] [--date YYYY-MM-DD]   (one PDF)\n' +
      '  attest --db PATH --cohort ID --out-dir DIR [--kind participation]                        (one PDF per person)',
    booleans: ['preview'],
    async run(ctx) {
      const applicant = ctx.flag('applicant');
      const cohort = ctx.flag('cohort');
      const date = ctx.flag('date');
      if (!!applicant === !!cohort) throw new AppError('cli.usage', { detail: 'give either --applicant ID or --cohort ID' });
      if (applicant) {
        const kind = ctx.requireFlag('kind');
        const out = ctx.requireFlag('out');
        if (ctx.bool('preview')) {
          const p = await ctx.call('attestations.preview', { applicantId: applicant, kind, ...(date ? { issueDate: date } : {}) });
          return { preview: true, out: copyOut(ctx, p.fileId, out), size: p.size };
        }
        const r = await ctx.call('attestations.issue', { applicantId: applicant, kind, ...(date ? { issueDate: date } : {}) });
        return { serial: r.entry.serial, kind: r.entry.kind, hours: r.entry.hours, contentHash: r.entry.contentHash, out: copyOut(ctx, r.fileId, out), size: r.size };
      }
      const outDir = ctx.flag('out-dir');
      const out = outDir ? undefined : ctx.requireFlag('out');
      const start = await ctx.call('attestations.batchStart', {
        cohortId: cohort,
        kind: ctx.flag('kind') ?? 'participation',
        mode: outDir ? 'per_person' : 'single',
        ...(date ? { issueDate: date } : {}),
      });
      for (const s of start.skipped) ctx.io.err(`skipped ${s.fullName} (${s.applicantId}): ${s.problems.map((p) => `${p.code} ${JSON.stringify(p.params)}`).join('; ')}`);
      const end = await followBatch(ctx, start);
      if (end.state === 'failed') throw AppError.fromPayload(end.error ?? { code: 'attestations.batch_failed' });
      const written: string[] = [];
      if (outDir) {
        mkdirSync(outDir, { recursive: true });
        for (const f of end.files) written.push(copyOut(ctx, f.fileId, join(outDir, f.fileName)));
      } else if (end.files[0]) written.push(copyOut(ctx, end.files[0].fileId, out!));
      return { jobId: end.jobId, state: end.state, issued: end.total, printed: end.done, skipped: end.skipped.length, serials: end.serials, files: written };
    },
  },
  {
    name: 'verify-page',
    summary: "Region: write the verification page (one self-contained HTML file: office keys, signed list of revoked and replaced serials) into DIR/index.html.",
    usage: 'verify-page --db PATH --out DIR',
    async run(ctx) {
      const dir = ctx.requireFlag('out');
      const r = await ctx.call('attestations.verifyPage', {});
      mkdirSync(dir, { recursive: true });
      const out = copyOut(ctx, r.fileId, join(dir, 'index.html'));
      // A public page: readable by the web server that will serve it (the outbox keeps its files private).
      chmodSync(out, 0o644);
      const { url } = await ctx.call('attestations.verifySettings', {});
      return { out, url, offices: r.offices, revoked: r.revoked, replaced: r.replaced, issuedAt: r.issuedAt };
    },
  },
  {
    name: 'verify-url',
    summary: "Region: the verification page's address printed in the QR codes (https://…); --clear removes it. Without a flag, shows it.",
    usage: 'verify-url --db PATH [--set https://verifier.example.ma/ | --clear]',
    booleans: ['clear'],
    async run(ctx) {
      const set = ctx.flag('set');
      if (set !== undefined) return ctx.call('attestations.setVerifyUrl', { url: set });
      if (ctx.bool('clear')) return ctx.call('attestations.setVerifyUrl', { url: null });
      return ctx.call('attestations.verifySettings', {});
    },
  },
  {
    name: 'attest reprint',
    summary: 'Print a registered attestation again under the same number, marked duplicata.',
    usage: 'attest reprint --db PATH --serial ERR-2026-P-000123 --out FILE.pdf   (refused for a revoked or replaced attestation)',
    async run(ctx) {
      const r = await ctx.call('attestations.reprint', { serial: ctx.requireFlag('serial') });
      return { serial: r.entry.serial, duplicata: r.duplicata, printCount: r.entry.printCount, out: copyOut(ctx, r.fileId, ctx.requireFlag('out')) };
    },
  },
  {
    name: 'attest revoke',
    summary: 'Revoke an attestation with a reason.',
    usage: 'attest revoke --db PATH --serial ERR-2026-P-000123 --reason TEXT',
    async run(ctx) {
      return ctx.call('attestations.revoke', { serial: ctx.requireFlag('serial'), reason: ctx.requireFlag('reason') });
    },
  },
  {
    name: 'attest list',
    summary: 'The register of attestations (newest first).',
    usage: 'attest list --db PATH [--kind KIND] [--status valid|revoked|replaced] [--q TEXT: serial, file number, name, CIN] [--limit 50]',
    async run(ctx) {
      const status = ctx.flag('status');
      if (status && !['valid', 'revoked', 'replaced'].includes(status)) throw new AppError('cli.usage', { detail: '--status valid|revoked|replaced' });
      return ctx.call('attestations.list', {
        ...(ctx.flag('kind') ? { kind: ctx.flag('kind') } : {}),
        ...(status ? { status } : {}),
        ...(ctx.flag('q') ? { q: ctx.flag('q') } : {}),
        limit: Number(ctx.flag('limit') ?? 50),
      });
    },
  },
  {
    name: 'attest kinds',
    summary: 'Kinds of attestation available (templates).',
    usage: 'attest kinds --db PATH',
    async run(ctx) {
      return ctx.call('attestations.kinds', {});
    },
  },
  {
    name: 'verify',
    summary: 'Verify a scanned QR text or a typed serial; prints the verdict, exits non-zero unless valid.',
    usage: 'verify --db PATH --code TEXT [--cin CIN]',
    async run(ctx) {
      const cin = ctx.flag('cin');
      const v = await ctx.call('attestations.verify', { code: ctx.requireFlag('code'), ...(cin ? { cin } : {}) });
      ctx.io.out(JSON.stringify(v));
      if (v.verdict !== 'valid') throw new AppError(`attestations.verdict_${v.verdict}`, { serial: v.serial, reason: v.reason });
      if (v.cinMatches === false) throw new AppError('attestations.cin_mismatch', { serial: v.serial });
      return undefined;
    },
  },
];
