#!/usr/bin/env node
// `npm start [-- --db PATH]`: builds the app and opens the Electron window.
//
// The SQLite driver (better-sqlite3-multiple-ciphers: better-sqlite3's API over SQLite3 Multiple Ciphers, for
// the encrypted database) is a native addon compiled for one runtime. node_modules/<driver> stays built
// for Node (so `npm test`, `npm run web` and the CLI keep working); for Electron a copy is built in
// build/electron-native/<better-sqlite3 version>-electron-<version>-<platform>-<arch>/ and its
// better_sqlite3.node is handed to the core through JISR_NATIVE_BINDING (createCore's nativeBinding).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const MIN_NODE = [22, 12];

export class StartError extends Error {}

function readJson(p) {
  return JSON.parse(readFileSync(p, 'utf8'));
}

export function nodeIsRecentEnough(version = process.versions.node) {
  const [maj, min] = version.split('.').map(Number);
  return maj > MIN_NODE[0] || (maj === MIN_NODE[0] && min >= MIN_NODE[1]);
}

/**
 * Where Electron's binary is, without triggering its download (require('electron') would try to
 * download it when missing). Returns { path } or { missing: reason }.
 */
export function locateElectron(electronDir = join(root, 'node_modules', 'electron'), env = process.env) {
  if (!existsSync(join(electronDir, 'package.json'))) return { missing: 'the electron package is not installed' };
  const pathFile = join(electronDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(env.ELECTRON_OVERRIDE_DIST_PATH, rel || 'electron');
    return existsSync(p) ? { path: p } : { missing: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary (${p})` };
  }
  if (!rel) return { missing: 'node_modules/electron has no path.txt: the binary was never downloaded' };
  const p = join(electronDir, 'dist', rel);
  return existsSync(p) ? { path: p } : { missing: `${relative(root, p)} does not exist` };
}

export function missingElectronMessage(reason, electronVersion) {
  return [
    `Electron's binary is not installed (${reason}).`,
    `On a machine with internet access and Node ≥ ${MIN_NODE.join('.')} (Electron ${electronVersion} requires it), run:`,
    '    node node_modules/electron/install.js',
    'then `npm start` again. `npm run web` serves the same app to a browser without Electron.',
  ].join('\n');
}

/** The SQLite driver package the app loads (better-sqlite3's API, with SQLite3 Multiple Ciphers inside). */
export const SQLITE_PACKAGE = 'better-sqlite3-multiple-ciphers';

/** The folder where the SQLite driver is built for this Electron version, and the .node file in it. */
export function electronNativePaths(opts = {}) {
  const nodeModules = opts.nodeModules ?? join(root, 'node_modules');
  const bsVersion = readJson(join(nodeModules, SQLITE_PACKAGE, 'package.json')).version;
  const electronVersion = opts.electronVersion ?? readJson(join(nodeModules, 'electron', 'package.json')).version;
  const platform = opts.platform ?? process.platform;
  const arch = opts.arch ?? process.arch;
  const dir = join(opts.baseDir ?? join(root, 'build', 'electron-native'), `${SQLITE_PACKAGE}-${bsVersion}-electron-${electronVersion}-${platform}-${arch}`);
  return { dir, binding: join(dir, 'build', 'Release', 'better_sqlite3.node'), bsVersion, electronVersion, platform, arch };
}

function run(cmd, args, cwd, label) {
  process.stdout.write(`» ${label}\n`);
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
  return r.status === 0;
}

/**
 * Builds better-sqlite3 for Electron in its own folder (a copy of the package), leaving
 * node_modules/better-sqlite3 built for Node. First a prebuilt binary (prebuild-install, no compiler
 * needed), else a compile against Electron's headers (node-gyp; needs a C++ toolchain).
 * Cached: nothing is done when the .node file already exists.
 */
export function ensureElectronSqlite(paths = electronNativePaths()) {
  if (existsSync(paths.binding)) return paths.binding;
  const src = join(root, 'node_modules', SQLITE_PACKAGE);
  rmSync(paths.dir, { recursive: true, force: true });
  mkdirSync(paths.dir, { recursive: true });
  cpSync(src, paths.dir, {
    recursive: true,
    filter: (p) => {
      const rel = relative(src, p);
      return !(rel === 'build' || rel.startsWith(`build${sep}`) || rel === 'node_modules' || rel.startsWith(`node_modules${sep}`));
    },
  });
  const common = [`--target=${paths.electronVersion}`, `--arch=${paths.arch}`];
  const prebuild = join(root, 'node_modules', 'prebuild-install', 'bin.js');
  if (
    existsSync(prebuild) &&
    run(process.execPath, [prebuild, '--runtime=electron', ...common, `--platform=${paths.platform}`, '--verbose'], paths.dir, `${SQLITE_PACKAGE} ${paths.bsVersion}: prebuilt binary for Electron ${paths.electronVersion}`) &&
    existsSync(paths.binding)
  ) {
    return paths.binding;
  }
  const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (
    existsSync(gyp) &&
    run(process.execPath, [gyp, 'rebuild', '--release', ...common, '--dist-url=https://electronjs.org/headers'], paths.dir, `${SQLITE_PACKAGE} ${paths.bsVersion}: compiling against Electron ${paths.electronVersion}'s headers`) &&
    existsSync(paths.binding)
  ) {
    return paths.binding;
  }
  rmSync(paths.dir, { recursive: true, force: true });
  throw new StartError(
    [
      `Could not build ${SQLITE_PACKAGE} for Electron ${paths.electronVersion}.`,
      'Neither a prebuilt binary (downloaded from GitHub) nor a compile against Electron\'s headers',
      '(downloaded from electronjs.org; needs Python and a C++ toolchain, on Windows the "Desktop development with C++" Build Tools) succeeded.',
      'node_modules is untouched: `npm test` and `npm run web` still work.',
    ].join('\n'),
  );
}

async function buildAll() {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!run(process.execPath, [vite, 'build', '--logLevel', 'warn'], root, 'renderer (vite build)')) throw new StartError('vite build failed (see above).');
  process.stdout.write('» main process and preload (esbuild)\n');
  const { buildElectron } = await import('./build-electron.mjs');
  try {
    await buildElectron({ quiet: false });
  } catch (e) {
    // esbuild has already printed the errors with their source locations.
    throw new StartError(`esbuild could not bundle the main process or the preload (${e?.errors?.length ?? '?'} error(s), see above).`);
  }
}

export async function main(argv = process.argv.slice(2)) {
  const electronVersion = readJson(join(root, 'node_modules', 'electron', 'package.json')).version;
  const electron = locateElectron();
  if (!electron.path) throw new StartError(missingElectronMessage(electron.missing, electronVersion));
  if (!nodeIsRecentEnough()) {
    process.stderr.write(`warning: Node ${process.versions.node} is older than ${MIN_NODE.join('.')}, which Electron ${electronVersion}'s tooling requires.\n`);
  }
  await buildAll();
  const binding = ensureElectronSqlite(electronNativePaths({ electronVersion }));
  process.stdout.write(`» Electron ${electronVersion} (${SQLITE_PACKAGE}: ${relative(root, binding)})\n`);
  const env = { ...process.env, JISR_NATIVE_BINDING: binding };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electron.path, ['.', ...argv], { cwd: root, stdio: 'inherit', env });
  const forward = (sig) => () => child.kill(sig);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  return new Promise((done) => child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0))));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main()
    .then((code) => process.exit(code))
    .catch((e) => {
      // A known failure is one clear paragraph; only an unexpected one shows its stack.
      process.stderr.write(`\nnpm start: ${e instanceof StartError ? e.message : (e?.stack ?? e)}\n`);
      process.exit(1);
    });
}
