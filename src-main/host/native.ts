/**
 * Development only (`npm start`): node_modules/better-sqlite3-multiple-ciphers (the SQLite driver) is built for Node, and the Electron
 * build lives apart (build/electron-native/…, see scripts/start-electron.mjs). createCore takes that
 * path as `nativeBinding`, but other code opens SQLite files with a plain `new Database(path)` (the
 * start-up integrity check, backups, restore). So that every connection of this process loads the
 * Electron build, better-sqlite3's default addon lookup — `require('bindings')('better_sqlite3.node')`,
 * made lazily on the first `new Database()` without `nativeBinding` — is answered with that build.
 * The packaged app never calls this: there electron-builder rebuilt the package itself for Electron.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

const ADDON_NAMES = new Set(['better_sqlite3.node', 'better_sqlite3']);

/**
 * @param bindingPath the better_sqlite3.node to use by default
 * @param appRoot the folder whose node_modules holds better-sqlite3
 * @returns a function that puts the original lookup back (tests)
 */
export function useSqliteAddonByDefault(bindingPath: string, appRoot: string): () => void {
  const fromApp = createRequire(join(appRoot, 'package.json'));
  const fromBs = createRequire(fromApp.resolve('better-sqlite3-multiple-ciphers'));
  const bindingsId = fromBs.resolve('bindings');
  const original = fromBs('bindings') as (opts: string | { bindings?: string }) => unknown;
  const addon = fromBs(bindingPath); // fails here, clearly, if the file is not a loadable addon
  const entry = fromBs.cache[bindingsId];
  if (!entry) throw new Error('better-sqlite3: the bindings module is not in the require cache');
  const patched = (opts: string | { bindings?: string }) => {
    const name = typeof opts === 'string' ? opts : opts?.bindings;
    return name && ADDON_NAMES.has(name) ? addon : original(opts);
  };
  entry.exports = patched;
  return () => {
    if (entry.exports === patched) entry.exports = original;
  };
}
