// The built command line (scripts/build-cli.mjs → dist-cli/): `npm run cli` runs it instead of compiling TypeScript
// at every start. Built here under .scratch-cli-test/ (git-ignored; core/paths.ts finds the project from there as from
// dist-cli/; node_modules may be a link shared by several checkouts, so nothing is built inside it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, '.scratch-cli-test', 'dist-cli');
let built: { cli: string; web: string };
const dirs: string[] = [];

beforeAll(async () => {
  const { buildCli } = await import(pathToFileURL(join(root, 'scripts', 'build-cli.mjs')).href);
  built = await buildCli({ outDir, quiet: true });
}, 60_000);

afterAll(() => {
  rmSync(dirname(outDir), { recursive: true, force: true });
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [built.cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('the built command line', () => {
  it('answers help without TypeScript (plain node on the bundle)', () => {
    const r = run(['help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('init --db PATH');
  });

  it('opens a database and answers a method: migrations and templates are found from the bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jisr-cli-build-'));
    dirs.push(dir);
    const env = { JISR_KEY_DIR: join(dir, 'keys') };
    const r = run(['call', 'territories.provinces', '--db', join(dir, 'a.db'), '--input', '{}'], env);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { code: string }[]).map((p) => p.code)).toContain('08.201');
  });

  it('loads exceljs, @peculiar/x509 and pdfmake only when a call needs them, not at start; keeps its code cache', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jisr-cli-build-'));
    dirs.push(dir);
    // A preload that lists every package the process requires.
    const hook = join(dir, 'hook.cjs');
    writeFileSync(
      hook,
      "const M = require('module'); const load = M._load; const seen = new Set();" +
        'M._load = function (id, ...rest) { seen.add(id); return load.call(this, id, ...rest); };' +
        "process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify([...seen]) + '\\n'));",
    );
    const r = spawnSync(process.execPath, ['-r', hook, built.cli, 'call', 'territories.provinces', '--db', join(dir, 'a.db'), '--input', '{}'], {
      encoding: 'utf8',
      env: { ...process.env, JISR_KEY_DIR: join(dir, 'keys') },
    });
    expect(r.status, r.stderr).toBe(0);
    const loaded = JSON.parse(/LOADED (.*)/.exec(r.stderr)![1]) as string[];
    expect(loaded).toContain('better-sqlite3-multiple-ciphers');
    for (const lazy of ['exceljs', '@peculiar/x509', 'reflect-metadata', 'pdfmake', 'esbuild']) expect(loaded).not.toContain(lazy);
    // The first runs after a build leave V8's code cache beside the bundle.
    expect(existsSync(join(outDir, 'cli.bundle.cjs.cache'))).toBe(true);
  });
});
