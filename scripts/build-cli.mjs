#!/usr/bin/env node
// `npm run build:cli`: bundles the command line and the loopback web bridge with esbuild, so that a call does not
// compile TypeScript at every start (tsx costs about 3 s of CPU per process; issue 19).
//   src-main/cli/main.ts → dist-cli/cli.mjs   (`npm run cli` runs it when present)
//   src-main/web/main.ts → dist-cli/web.mjs   (`npm run web` runs it when present)
// Node ESM; every npm package (better-sqlite3-multiple-ciphers' native addon, kysely, exceljs, pdfmake …) stays in
// node_modules. core/paths.ts finds migrations/ and templates/ from the bundle's folder (dist-cli/ → the project).
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Node the CLI and the web bridge run on (package.json engines: >= 20.19). */
export const CLI_TARGET = 'node20';

/** Packages left in node_modules: native addons, and packages a call loads only when it needs them. */
export const EXTERNAL = ['better-sqlite3', 'better-sqlite3-multiple-ciphers', 'exceljs', 'pdfmake', 'pdfkit', '@peculiar/x509', 'reflect-metadata', 'qrcode', 'unicode-properties', '@expo-google-fonts/*', 'esbuild'];

/**
 * exceljs is imported by the reports' modules (`import ExcelJS from 'exceljs'`, property access only: ExcelJS.Workbook,
 * ExcelJS.stream.xlsx …) but needed only by the calls that read or write a workbook. In the bundle its default import
 * is a stand-in that requires the package on first use: loading it took about 0.6 s of every start.
 */
function lazyDefaultImportPlugin(packages) {
  const filter = new RegExp(`^(${packages.map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  return {
    name: 'jisr-lazy-default-import',
    setup(b) {
      b.onResolve({ filter }, (args) => (args.namespace === 'jisr-lazy' ? { path: args.path, external: true } : { path: args.path, namespace: 'jisr-lazy' }));
      b.onLoad({ filter: /.*/, namespace: 'jisr-lazy' }, (args) => ({
        loader: 'js',
        resolveDir: root,
        contents: [
          "import { createRequire } from 'node:module';",
          'let m;',
          `const load = () => (m ??= createRequire(import.meta.url)(${JSON.stringify(args.path)}));`,
          'export default new Proxy({}, {',
          '  get: (_, k) => load()[k],',
          '  has: (_, k) => k in load(),',
          '  ownKeys: () => Reflect.ownKeys(load()),',
          '  getOwnPropertyDescriptor: (_, k) => { const d = Reflect.getOwnPropertyDescriptor(load(), k); return d && { ...d, configurable: true }; },',
          '});',
        ].join('\n'),
      }));
    },
  };
}

/**
 * @param {{ outDir?: string, quiet?: boolean }} [opts]
 * @returns {Promise<{ cli: string, web: string, cliBytes: number, webBytes: number }>}
 */
export async function buildCli(opts = {}) {
  const outDir = resolve(opts.outDir ?? join(root, 'dist-cli'));
  mkdirSync(outDir, { recursive: true });
  const cli = join(outDir, 'cli.mjs');
  const web = join(outDir, 'web.mjs');
  await build({
    absWorkingDir: root,
    entryPoints: { cli: join(root, 'src-main/cli/main.ts'), web: join(root, 'src-main/web/main.ts') },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // One copy of the modules the two entries share (the core, the contract): no code is loaded twice.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: CLI_TARGET,
    // Pure-JS packages are bundled in: loading kysely's and zod's hundreds of ESM files took most of a start.
    // The native addon stays in node_modules, and so do the packages only some calls load.
    external: EXTERNAL,
    plugins: [lazyDefaultImportPlugin(['exceljs'])],
    sourcemap: true,
    // Less text to parse at every start (about a third of it); identifiers are kept for readable stack traces.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    logLevel: opts.quiet ? 'silent' : 'warning',
  });
  return { cli, web, cliBytes: statSync(cli).size, webBytes: statSync(web).size };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildCli()
    .then((r) => {
      const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
      process.stdout.write(`dist-cli: cli.mjs ${kb(r.cliBytes)}, web.mjs ${kb(r.webBytes)}\n`);
    })
    .catch((e) => {
      process.stderr.write(`build-cli failed: ${e?.message ?? e}\n`);
      process.exit(1);
    });
}
