/** Command-line and environment options of the desktop app (`npm start -- --db PATH`). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface HostArgs {
  /** --db PATH: the database file; default <userData>/jisr.db. */
  dbPath?: string;
  /** The better_sqlite3.node built for Electron (scripts/start-electron.mjs); undefined = the package's own build. */
  nativeBinding?: string;
  /** Set when a native binding was named but does not exist (reported in the log, default used). */
  missingNativeBinding?: string;
  /** JISR_DATA_DIR: the data folder the CLI and the web bridge also honour (core/paths.ts). */
  dataDir?: string;
}

function argValue(argv: readonly string[], name: string): string | undefined {
  const flag = `--${name}`;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === flag && i + 1 < argv.length) return argv[i + 1];
    if (a.startsWith(flag + '=')) return a.slice(flag.length + 1);
  }
  return undefined;
}

/**
 * `allowNativeBinding` is false in the packaged app: there better-sqlite3 was rebuilt for Electron
 * by electron-builder, and no environment variable or switch may make the app load another addon.
 */
export function parseHostArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  opts: { allowNativeBinding?: boolean } = {},
): HostArgs {
  const db = argValue(argv, 'db');
  const binding = opts.allowNativeBinding === false ? undefined : (argValue(argv, 'native-binding') ?? env.JISR_NATIVE_BINDING);
  const out: HostArgs = {};
  if (db) out.dbPath = db === ':memory:' ? db : resolve(db);
  if (env.JISR_DATA_DIR) out.dataDir = resolve(env.JISR_DATA_DIR);
  if (binding) {
    const p = resolve(binding);
    if (existsSync(p)) out.nativeBinding = p;
    else out.missingNativeBinding = p;
  }
  return out;
}
