#!/usr/bin/env node
// `npm run build:cli`: bundles the command line and the loopback web bridge with esbuild, so that a call does not
// compile TypeScript at every start (tsx costs about 3 s of CPU per process; issue 19).
//   src-main/cli/main.ts → dist-cli/cli.bundle.cjs, run by dist-cli/cli.mjs (`npm run cli`, scripts/launch.mjs)
//   src-main/web/main.ts → dist-cli/web.bundle.cjs, run by dist-cli/web.mjs (`npm run web`)
// core/paths.ts finds migrations/ and templates/ from the bundle's folder (dist-cli/ → the project).
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Node the CLI and the web bridge run on (package.json engines: >= 20.19). */
export const CLI_TARGET = 'node20';

/** Packages left in node_modules: native addons, and packages a call loads only when it needs them. */
export const EXTERNAL = ['better-sqlite3-multiple-ciphers', 'exceljs', 'pdfmake', 'pdfkit', '@peculiar/x509', 'reflect-metadata', 'qrcode', 'unicode-properties', '@expo-google-fonts/*', 'esbuild'];

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
          'let m;',
          `const load = () => (m ??= require(${JSON.stringify(args.path)}));`,
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
 * The runner written beside each bundle (`dist-cli/cli.mjs`, `dist-cli/web.mjs`): it compiles the CommonJS bundle with
 * V8's code cache (`<bundle>.cache`, written by the first run after a build): parsing and compiling 1.7 MB of
 * JavaScript was the largest part of a start once TypeScript was no longer compiled. Node 20 has no compile cache of
 * its own for modules (module.enableCompileCache() is Node ≥ 22.1). Without a usable cache, the bundle still runs.
 */
function runnerSource(bundle) {
  return `// Made by scripts/build-cli.mjs: runs ${bundle} with V8's code cache (see there).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const dir = dirname(fileURLToPath(import.meta.url));
const file = join(dir, ${JSON.stringify(bundle)});
const cacheFile = \`\${file}.cache\`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
if (cachedData === undefined || script.cachedDataRejected) {
  // At exit the cache holds the functions this run compiled too; written whole or not at all.
  process.once('exit', () => {
    try {
      const tmp = \`\${cacheFile}.\${process.pid}.tmp\`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      /* a read-only installation runs without the cache */
    }
  });
}
const mod = new Module(file);
mod.filename = file;
mod.paths = Module._nodeModulePaths(dir);
script.runInThisContext()(mod.exports, createRequire(file), mod, file, dir);
`;
}

/**
 * @param {{ outDir?: string, quiet?: boolean }} [opts]
 * @returns {Promise<{ cli: string, web: string, cliBytes: number, webBytes: number }>}
 */
export async function buildCli(opts = {}) {
  const outDir = resolve(opts.outDir ?? join(root, 'dist-cli'));
  mkdirSync(outDir, { recursive: true });
  const entries = { cli: join(root, 'src-main/cli/main.ts'), web: join(root, 'src-main/web/main.ts') };
  const out = {};
  await Promise.all(
    Object.entries(entries).map(async ([name, entry]) => {
      const bundle = `${name}.bundle.cjs`;
      await build({
        absWorkingDir: root,
        entryPoints: [entry],
        outfile: join(outDir, bundle),
        bundle: true,
        format: 'cjs',
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
        // core/paths.ts uses __dirname when bundled to CommonJS and import.meta.url under ESM.
        logOverride: { 'empty-import-meta': 'silent' },
        logLevel: opts.quiet ? 'silent' : 'warning',
      });
      // A new bundle: its old cache would be rejected anyway; removed so the next run writes a fresh one.
      rmSync(join(outDir, `${bundle}.cache`), { force: true });
      const runner = join(outDir, `${name}.mjs`);
      writeFileSync(runner, runnerSource(bundle));
      out[name] = runner;
      out[`${name}Bytes`] = statSync(join(outDir, bundle)).size;
    }),
  );
  return /** @type {{ cli: string, web: string, cliBytes: number, webBytes: number }} */ (out);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  buildCli()
    .then((r) => {
      const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
      process.stdout.write(`dist-cli: cli.bundle.cjs ${kb(r.cliBytes)}, web.bundle.cjs ${kb(r.webBytes)}\n`);
    })
    .catch((e) => {
      process.stderr.write(`build-cli failed: ${e?.message ?? e}\n`);
      process.exit(1);
    });
}
