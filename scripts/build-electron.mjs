#!/usr/bin/env node
// `npm run build:electron`: bundles the Electron main process and its preload with esbuild.
//   src-main/host/main.ts       → dist-electron/main.cjs     (Node, CommonJS; packages stay in node_modules)
//   src-main/preload/preload.ts → dist-electron/preload.cjs  (sandboxed preload: one file, requires only 'electron')
// Only esbuild is needed, so it runs on any machine, with or without Electron's binary.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Electron 45 runs Node 22 and Chromium 140. */
export const MAIN_TARGET = 'node22';
export const PRELOAD_TARGET = 'chrome140';

/**
 * The method names of the API contract, read by bundling src-main/shared/api/contract.ts and
 * evaluating it (the contract is plain TypeScript + zod, with no side effects).
 * @returns {Promise<string[]>}
 */
export async function contractMethodNames() {
  const r = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'src-main/shared/api/contract.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', r.outputFiles[0].text)(module, module.exports, createRequire(join(root, 'package.json')));
  const names = module.exports.METHOD_NAMES;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
    throw new Error('src-main/shared/api/contract.ts exports no METHOD_NAMES');
  }
  return [...names].sort();
}

/**
 * In the preload, the contract module is replaced by its list of method names: the preload refuses
 * unknown methods without carrying zod and every schema into the page's isolated world.
 * @param {string[]} names
 */
function contractNamesPlugin(names) {
  return {
    name: 'jisr-contract-names',
    setup(b) {
      b.onResolve({ filter: /[\\/]shared[\\/]api[\\/]contract(\.ts)?$/ }, (args) => ({ path: args.path, namespace: 'jisr-contract-names' }));
      b.onLoad({ filter: /.*/, namespace: 'jisr-contract-names' }, () => ({
        loader: 'js',
        contents: [
          `export const METHOD_NAMES = Object.freeze(${JSON.stringify(names)});`,
          'const known = new Set(METHOD_NAMES);',
          "export function isMethodName(name) { return typeof name === 'string' && known.has(name); }",
        ].join('\n'),
      }));
    },
  };
}

/**
 * @param {{ outDir?: string, minify?: boolean, quiet?: boolean }} [opts]
 * @returns {Promise<{ main: string, preload: string, mainBytes: number, preloadBytes: number, methodNames: string[] }>}
 */
export async function buildElectron(opts = {}) {
  const outDir = resolve(opts.outDir ?? join(root, 'dist-electron'));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const main = join(outDir, 'main.cjs');
  const preload = join(outDir, 'preload.cjs');
  const methodNames = await contractMethodNames();
  const common = {
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    sourcemap: true,
    minify: opts.minify === true,
    legalComments: 'none',
    logLevel: opts.quiet ? 'silent' : 'warning',
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'src-main/host/main.ts')],
      outfile: main,
      platform: 'node',
      target: MAIN_TARGET,
      // Our code is bundled; every npm package (better-sqlite3's native addon, kysely, exceljs,
      // pdfmake with its fonts…) is required from node_modules at run time, where electron-builder
      // packs the production dependencies (better-sqlite3 unpacked from the asar).
      packages: 'external',
      external: ['electron'],
      // core/paths.ts uses __dirname when bundled to CommonJS and import.meta.url under ESM.
      logOverride: { 'empty-import-meta': 'silent' },
    }),
    build({
      ...common,
      entryPoints: [join(root, 'src-main/preload/preload.ts')],
      outfile: preload,
      // A sandboxed preload cannot require Node modules: everything is bundled but 'electron';
      // platform 'browser' makes any node:* import a build error instead of a run-time one.
      platform: 'browser',
      target: PRELOAD_TARGET,
      external: ['electron'],
      plugins: [contractNamesPlugin(methodNames)],
    }),
    // The attestation verification page's script (issue 14), bundled ahead of time: a packaged app has no esbuild
    // (a devDependency), and the region's "write the page" reads this file instead (verify-page.ts pageScript).
    build({
      entryPoints: [join(root, 'src-main/core/attestations/verify-page/page-script.ts')],
      outfile: join(outDir, 'verify-page-script.js'),
      absWorkingDir: root,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      minify: true,
      legalComments: 'inline',
      logLevel: opts.quiet ? 'silent' : 'warning',
    }),
  ]);
  return { main, preload, mainBytes: statSync(main).size, preloadBytes: statSync(preload).size, methodNames };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildElectron()
    .then((r) => {
      const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
      process.stdout.write(`dist-electron: main.cjs ${kb(r.mainBytes)}, preload.cjs ${kb(r.preloadBytes)} (${r.methodNames.length} contract methods)\n`);
    })
    .catch((e) => {
      process.stderr.write(`build-electron failed: ${e?.message ?? e}\n`);
      process.exit(1);
    });
}
