import { closeSync, copyFileSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { FileResult } from '../../shared/api/exchange.contract';
import { peekOrder } from '../../core/exchange/file-format';
import { setJobControl } from '../../core/exchange/exchange.service';
import type { CliContext, Command } from '../cli-kit';
import { auditChainDecisionWords } from '../../shared/i18n/audit-chain-words';
import { numberingRestartWords } from '../../shared/i18n/numbering-restart-words';

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new AppError('file.not_found', { path });
  }
}

/** Progress on stderr and Ctrl-C cancels (the transaction is rolled back) for the length of `fn`. */
async function withJob<T>(ctx: CliContext, fn: () => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let lastPct = -1;
  setJobControl(ctx.core().sqlite, {
    signal: abort.signal,
    onProgress: (p) => {
      const pct = p.total ? Math.floor((100 * p.done) / p.total) : 100;
      if (pct !== lastPct && pct % 10 === 0) {
        lastPct = pct;
        ctx.io.err(JSON.stringify({ progress: p.phase, done: p.done, total: p.total }));
      }
    },
  });
  try {
    return await fn();
  } finally {
    process.removeListener('SIGINT', onSigint);
    setJobControl(ctx.core().sqlite, null);
  }
}

function order(path: string): { office: string; fileSeq: number } | null {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return peekOrder(buf.subarray(0, n));
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export const exchangeCommands: Command[] = [
  {
    name: 'export',
    summary: 'Send to region: write one signed, encrypted file with every change since the last file (--full: everything).',
    usage: 'export --db PATH --out FILE [--full] | export --db PATH --out FILE --remake EXPORT_ID',
    booleans: ['full'],
    async run(ctx) {
      const out = resolve(ctx.requireFlag('out'));
      const remake = ctx.flag('remake');
      const r = await withJob(ctx, () =>
        remake ? ctx.call('exchange.remake', { exportId: Number(remake) }) : ctx.call('exchange.export', { full: ctx.bool('full') }),
      );
      const f = ctx.core().outbox.get(r.fileId);
      if (!f) throw new AppError('exchange.file_missing');
      const target = out.endsWith('/') || out.endsWith('\\') ? join(out, r.fileName) : out;
      copyFileSync(f.path, target);
      return { ...r, path: target };
    },
  },
  {
    name: 'import',
    summary: 'Region: check and apply exchange files in sequence order, one transaction per file; prints the summary; exit 1 if a file is refused.',
    usage: 'import --db PATH FILE... [--dry-run] [--receipts DIR]',
    booleans: ['dry-run'],
    async run(ctx) {
      const files = ctx.args.positionals.slice(1).map((p) => resolve(p));
      if (!files.length) throw new AppError('cli.usage', { detail: 'name at least one exchange file' });
      const dryRun = ctx.bool('dry-run');
      const results: FileResult[] = [];
      const receipts: { office: string; path: string }[] = [];
      const receiptDir = resolve(ctx.flag('receipts') ?? dirname(files[0]));
      await withJob(ctx, async () => {
        if (dryRun) {
          results.push(...(await ctx.call('exchange.import', { files: files.map((path) => ({ path })), dryRun: true })).results);
          return;
        }
        // One call, hence one transaction, per file, in sequence order.
        const sorted = files
          .map((path) => ({ path, o: order(path) }))
          .sort((a, b) => (a.o?.office ?? '').localeCompare(b.o?.office ?? '') || (a.o?.fileSeq ?? 0) - (b.o?.fileSeq ?? 0));
        for (const { path } of sorted) {
          const r = await ctx.call('exchange.import', { files: [{ path }], dryRun: false });
          results.push(...r.results);
          for (const rc of r.receipts) {
            const f = ctx.core().outbox.get(rc.fileId);
            if (!f) continue;
            const target = join(receiptDir, rc.name);
            writeFileSync(target, readFileSync(f.path));
            const i = receipts.findIndex((x) => x.office === rc.office);
            if (i >= 0) receipts[i] = { office: rc.office, path: target };
            else receipts.push({ office: rc.office, path: target });
          }
        }
      });
      const refused = results.filter((r) => r.status === 'refused').length;
      ctx.io.out(JSON.stringify({ dryRun, results, receipts, refused }));
      if (refused) throw new AppError('exchange.files_refused', { refused });
      return undefined;
    },
  },
  {
    name: 'keys show',
    summary: "Print this office's public keys and fingerprints (--out: write the key file to give to the other side).",
    usage: 'keys show --db PATH [--out FILE]',
    async run(ctx) {
      const r = await ctx.call('exchange.keysShow', {});
      const out = ctx.flag('out');
      if (out) writeFileSync(resolve(out), r.keyFile);
      return { office: r.office, ed25519: r.ed25519, x25519: r.x25519, ...(out ? { keyFile: resolve(out) } : {}) };
    },
  },
  {
    name: 'keys trust',
    summary: "Region: trust a province's key file (check its fingerprint by phone first).",
    usage: 'keys trust --db PATH --office-key FILE',
    async run(ctx) {
      return ctx.call('exchange.keysTrust', { keyFile: readText(ctx.requireFlag('office-key')) });
    },
  },
  {
    name: 'keys region',
    summary: "Province: load the region's key file (files are encrypted to it).",
    usage: 'keys region --db PATH --key FILE',
    async run(ctx) {
      return ctx.call('exchange.keysRegion', { keyFile: readText(ctx.requireFlag('key')) });
    },
  },
  {
    name: 'keys list',
    summary: 'Trusted offices (region) and loaded region keys (province).',
    usage: 'keys list --db PATH',
    async run(ctx) {
      return ctx.call('exchange.keysList', {});
    },
  },
  {
    name: 'receipt load',
    summary: "Province: load the region's signed receipt and compare with this office's counts.",
    usage: 'receipt load --db PATH FILE',
    async run(ctx) {
      const file = ctx.args.positionals[2];
      if (!file) throw new AppError('cli.usage', { detail: 'name the receipt file' });
      return ctx.call('exchange.loadReceipt', { text: readText(resolve(file)) });
    },
  },
  {
    name: 'exchange history',
    summary: 'Province: files sent to the region.',
    usage: 'exchange history --db PATH',
    async run(ctx) {
      return ctx.call('exchange.history', {});
    },
  },
  {
    name: 'exchange offices',
    summary: 'Region: each province’s last file, sequence, lateness and files held.',
    usage: 'exchange offices --db PATH',
    async run(ctx) {
      return ctx.call('exchange.offices', {});
    },
  },
  {
    name: 'exchange accept-gap',
    summary: 'Region: accept that the missing files of an office will not come and apply the held ones.',
    usage: 'exchange accept-gap --db PATH --office SLUG',
    async run(ctx) {
      return ctx.call('exchange.acceptGap', { office: ctx.requireFlag('office') });
    },
  },
  {
    name: 'exchange accept-audit',
    summary:
      "Region: an office's file is refused because its audit trail no longer extends what the region holds (e.g. it restored an older backup). Without --reason: say what was seen; with --reason: accept the office's new trail (audited).",
    usage: 'exchange accept-audit --db PATH --file FILE [--reason TEXT]',
    async run(ctx) {
      const path = resolve(ctx.requireFlag('file'));
      const reason = ctx.flag('reason');
      const d = reason === undefined ? await ctx.call('exchange.auditChainBreak', { refusedFile: { path } }) : await ctx.call('exchange.acceptAuditChain', { refusedFile: { path }, reason });
      // The decision in words, both languages, as the screen shows it.
      return { ...d, words: { ar: auditChainDecisionWords(d, 'ar'), fr: auditChainDecisionWords(d, 'fr') } };
    },
  },
  {
    name: 'exchange accept-restore',
    summary:
      "Region: an office's file reuses a number already received (exchange.numbering_restarted: the office restored a backup older than its last file sent). Without --reason: say what the region holds against what the file says; with --reason: accept the restart (the office's position goes back to the file's start, its audit trail is accepted too if needed), then apply the file — one transaction, audited.",
    usage: 'exchange accept-restore --db PATH --file FILE [--reason TEXT]',
    async run(ctx) {
      const path = resolve(ctx.requireFlag('file'));
      const reason = ctx.flag('reason');
      const d =
        reason === undefined
          ? await ctx.call('exchange.numberingRestart', { refusedFile: { path } })
          : await withJob(ctx, () => ctx.call('exchange.acceptNumberingRestart', { refusedFile: { path }, reason }));
      // The decision in words, both languages, as the screen shows it.
      return { ...d, words: { ar: numberingRestartWords(d, 'ar'), fr: numberingRestartWords(d, 'fr') } };
    },
  },
];
