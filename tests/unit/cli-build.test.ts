// The built command line (scripts/build-cli.mjs → dist-cli/): `npm run cli` runs it instead of compiling TypeScript
// at every start. Built here under node_modules/.cache (core/paths.ts finds the project from there as from dist-cli/).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'node_modules', '.cache', 'jisr-cli-test', 'dist-cli');
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

  it('loads exceljs and @peculiar/x509 only when a call needs them, not at start', () => {
    const files = [built.cli, built.web, ...readdirSync(join(outDir, 'chunks')).filter((f) => f.endsWith('.mjs')).map((f) => join(outDir, 'chunks', f))];
    for (const f of files) {
      const code = readFileSync(f, 'utf8');
      expect(code, f).not.toMatch(/(from|import)\s*["'](exceljs|@peculiar\/x509|pdfmake)["']/);
    }
  });
});
