import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/run-cli';
import { projectRoot } from '../../src-main/core/paths';
import { openDatabaseFile } from '../../src-main/core/db/encryption';

const dir = mkdtempSync(join(tmpdir(), 'jisr-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { io: { stdin: async () => stdin, out: (l) => out.push(l), err: (l) => err.push(l) } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('CLI', () => {
  const db = join(dir, 'office.db');

  it('help lists the commands', async () => {
    const r = await cli(['help']);
    expect(r.code).toBe(0);
    for (const c of ['init', 'seed', 'status', 'call', 'methods', 'audit verify']) expect(r.out).toContain(c);
  });

  it('init creates the office and its administrator from the password on stdin', async () => {
    const r = await cli(['init', '--db', db, '--office', 'midelt', '--admin', 'chef'], 'strong-pass-2026\n');
    expect(r.code, r.err).toBe(0);
    const v = JSON.parse(r.out);
    expect(v.fingerprint).toMatch(/^[0-9A-F]{4}-/);
    const d = openDatabaseFile(db, { readonly: true });
    expect(d.prepare('SELECT slug, code, name_ar FROM offices').get()).toEqual({ slug: 'midelt', code: 'MID', name_ar: 'المندوبية الإقليمية للتعاون الوطني بميدلت' });
    expect(d.prepare('SELECT username, role FROM users').get()).toEqual({ username: 'chef', role: 'admin' });
    d.close();
  });

  it('fails with a coded one-line JSON error and a non-zero exit', async () => {
    const again = await cli(['init', '--db', db, '--office', 'midelt', '--admin', 'chef'], 'strong-pass-2026\n');
    expect(again.code).toBe(1);
    const e = JSON.parse(again.err);
    expect(e).toMatchObject({ ok: false, error: { code: 'setup.already_done' } });
    expect(e.error.message).toMatch(/configurée/);
    const weak = await cli(['init', '--db', join(dir, 'weak.db'), '--office', 'zagora', '--admin', 'chef'], 'short\n');
    expect(weak.code).toBe(1);
    expect(JSON.parse(weak.err).error.code).toBe('validation.failed');
    const badOffice = await cli(['init', '--db', join(dir, 'x.db'), '--office', 'casablanca', '--admin', 'chef'], 'strong-pass-2026\n');
    expect(badOffice.code).toBe(2);
    expect(JSON.parse(badOffice.err).error.code).toBe('cli.usage');
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('reaches any method through `call`, audited as the CLI with the OS user', async () => {
    const r = await cli(['call', 'territories.communes', '--db', db, '--input', '{"provinceCode":"08.363"}']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toHaveLength(29);
    const w = await cli(['call', 'users.create', '--db', db], JSON.stringify({ username: 'agent7', displayName: 'Agent 7', role: 'agent', password: 'agent-pass-77' }));
    expect(w.code, w.err).toBe(0);
    const d = openDatabaseFile(db, { readonly: true });
    const row = d.prepare("SELECT actor_kind, actor_name FROM audit_log WHERE method = 'users.create'").get() as { actor_kind: string; actor_name: string };
    d.close();
    expect(row.actor_kind).toBe('cli');
    expect(row.actor_name).toMatch(/^cli:/);
  });

  it('audit verify passes on an untouched database', async () => {
    const r = await cli(['audit', 'verify', '--db', db]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true });
  });

  it('runs as `npm run cli` does (a real process, tsx), printing help', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot(), 'src-main/cli/main.ts'), 'help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('init --db PATH');
  });
});
