import { userInfo } from 'node:os';
import { createCore, type Core } from '../core/core';
import { clockFromEnv } from '../core/clock';
import { defaultDbPath } from '../core/paths';
import { stderrLogger, type Actor } from '../core/context';
import { AppError } from '../shared/errors';
import type { MethodName, MethodOutput } from '../shared/api/contract';

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true | string[]>;
}

export interface CliIO {
  stdin(): Promise<string>;
  out(line: string): void;
  err(line: string): void;
}

export interface CliContext {
  args: ParsedArgs;
  io: CliIO;
  /** The database named by --db (default: the app-data folder), opened and migrated on first use. */
  core(): Core;
  /** Calls a core method as the CLI actor (the administrator's tool; audited as cli:<os user>). */
  call<M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>>;
  flag(name: string): string | undefined;
  requireFlag(name: string): string;
  bool(name: string): boolean;
}

export interface Command {
  /** One or more words: `applicant add`. */
  name: string;
  summary: string;
  usage: string;
  /** Flags that take no value. */
  booleans?: string[];
  /** Returns what to print as JSON (undefined: the command printed itself). */
  run(ctx: CliContext): Promise<unknown>;
}

export function cliActor(): Actor {
  let osUser = 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    /* no passwd entry */
  }
  return { kind: 'cli', osUser };
}

export function parseArgs(argv: string[], booleans: Set<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      let name = a.slice(2);
      let value: string | true;
      const eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.slice(eq + 1);
        name = name.slice(0, eq);
      } else if (booleans.has(name)) {
        value = true;
      } else {
        if (i + 1 >= argv.length) throw new AppError('cli.usage', { detail: `--${name} needs a value` });
        value = argv[++i];
      }
      const prev = flags[name];
      if (prev === undefined) flags[name] = value;
      else flags[name] = ([] as string[]).concat(prev as string | string[], String(value));
    } else positionals.push(a);
  }
  return { positionals, flags };
}

export function makeContext(args: ParsedArgs, io: CliIO, open?: (dbPath: string) => Core): CliContext {
  let core: Core | undefined;
  const actor = cliActor();
  const ctx: CliContext = {
    args,
    io,
    core() {
      if (!core) {
        const dbPath = ctx.flag('db') ?? defaultDbPath();
        core = open ? open(dbPath) : createCore({ dbPath, logger: stderrLogger, clock: clockFromEnv() });
      }
      return core;
    },
    async call(method, input) {
      return ctx.core().invoke(method, input, { actor });
    },
    flag(name) {
      const v = args.flags[name];
      if (v === undefined || v === true) return undefined;
      return Array.isArray(v) ? v[v.length - 1] : v;
    },
    requireFlag(name) {
      const v = ctx.flag(name);
      if (v === undefined) throw new AppError('cli.usage', { detail: `--${name} is required` });
      return v;
    },
    bool(name) {
      return args.flags[name] === true || args.flags[name] === 'true';
    },
  };
  (ctx as CliContext & { closeCore(): Promise<void> }).closeCore = async () => {
    if (core) await core.close();
  };
  return ctx;
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJsonInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('cli.usage', { detail: 'stdin is not valid JSON' });
  }
}
