import type { Core } from '../core/core';
import { AppError, type ErrorPayload } from '../shared/errors';
import { translateError } from '../shared/i18n/translate-error';
import { commands } from './commands';
import { makeContext, parseArgs, readStdin, type CliIO, type Command } from './cli-kit';

function findCommand(words: string[]): Command | undefined {
  let best: Command | undefined;
  for (const c of commands) {
    const parts = c.name.split(' ');
    if (parts.every((p, i) => words[i] === p) && (!best || parts.length > best.name.split(' ').length)) best = c;
  }
  return best;
}

function helpText(): string {
  const lines = ['Jisr Desk — command line. Every command takes --db PATH (default: the app-data folder) and prints JSON.', ''];
  for (const c of commands) lines.push(`  ${c.usage}\n      ${c.summary}`);
  lines.push('', '  help                      this list', '  call METHOD               any API method (see `methods`)');
  return lines.join('\n');
}

export interface CliRunOptions {
  io?: Partial<CliIO>;
  /** Tests pass an already-open core factory. */
  open?: (dbPath: string) => Core;
}

/** Runs one CLI invocation; returns the exit code (0 ok, 1 error, 2 usage). */
export async function runCli(argv: string[], opts: CliRunOptions = {}): Promise<number> {
  const io: CliIO = {
    stdin: opts.io?.stdin ?? readStdin,
    out: opts.io?.out ?? ((l) => process.stdout.write(l + '\n')),
    err: opts.io?.err ?? ((l) => process.stderr.write(l + '\n')),
  };
  const words = argv.filter((a) => !a.startsWith('--'));
  if (!words.length || words[0] === 'help' || argv.includes('--help')) {
    io.out(helpText());
    return 0;
  }
  const cmd = findCommand(words);
  const printError = (e: ErrorPayload) => {
    io.err(JSON.stringify({ ok: false, error: { ...e, message: translateError(e, 'fr') } }));
  };
  if (!cmd) {
    printError({ code: 'cli.usage', params: { detail: `unknown command: ${words.join(' ')} (see help)` } });
    return 2;
  }
  let ctx: ReturnType<typeof makeContext> | undefined;
  try {
    const args = parseArgs(argv, new Set(cmd.booleans ?? []));
    ctx = makeContext(args, io, opts.open);
    const result = await cmd.run(ctx);
    if (result !== undefined) io.out(JSON.stringify(result));
    return 0;
  } catch (e) {
    if (e instanceof AppError) {
      printError(e.toPayload());
      return e.code === 'cli.usage' ? 2 : 1;
    }
    printError({ code: 'internal.unexpected', params: { ref: 'cli', detail: String((e as Error)?.message ?? e) } });
    return 1;
  } finally {
    await (ctx as unknown as { closeCore?: () => Promise<void> })?.closeCore?.();
  }
}
