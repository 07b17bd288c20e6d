#!/usr/bin/env node
// `npm run build:electron`: bundles the Electron main process and its preload with esbuild.
//   src-main/host/main.ts       → dist-electron/main.cjs     (Node, CommonJS; packages stay in node_modules)
//   src-main/preload/preload.ts → dist-electron/preload.cjs  (sandboxed preload: one file, requires only 'electron')
// Only esbuild is needed, so it runs on any machine, with or without Electron's binary.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Electron 45 runs Node 22 and Chromium 140. */
export const MAIN_TARGET = 'node22';
export const PRELOAD_TARGET = 'chrome140';

/**
 * @param {{ outDir?: string, minify?: boolean, quiet?: boolean }} [opts]
 * @returns {Promise<{ main: string, preload: string, mainBytes: number, preloadBytes: number }>}
 */
export async function buildElectron(opts = {}) {
  const outDir = resolve(opts.outDir ?? join(root, 'dist-electron'));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const main = join(outDir, 'main.cjs');
  const preload = join(outDir, 'preload.cjs');
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
      // It carries the contract (zod schemas) to refuse unknown method names before any IPC;
      // minified, it parses faster on every page load.
      minify: true,
      external: ['electron'],
    }),
  ]);
  return { main, preload, mainBytes: statSync(main).size, preloadBytes: statSync(preload).size };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildElectron()
    .then((r) => {
      const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
      process.stdout.write(`dist-electron: main.cjs ${kb(r.mainBytes)}, preload.cjs ${kb(r.preloadBytes)}\n`);
    })
    .catch((e) => {
      process.stderr.write(`build-electron failed: ${e?.message ?? e}\n`);
      process.exit(1);
    });
}
