import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore } from '../../../tests/helpers/core';
import { runCli } from '../../cli/run-cli';
import { projectRoot } from '../paths';
import { addApplicants, contentHash } from './exchange.fixtures';
import { setJobControl } from './exchange.service';
import { officeCounts } from './receipts';
import { openDatabaseFile } from '../db/encryption';
import { copyDatabaseKey } from '../../../tests/helpers/keys';

const as = { actor: cli };

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdin: async () => '', out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

function hashOf(path: string, exclude: string[] = []): string {
  const d = openDatabaseFile(path);
  try {
    return contentHash(d, exclude);
  } finally {
    d.close();
  }
}

describe('exchange through the command line, and a process killed in the middle of an import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jisr-xproc-'));
  const regionDb = join(dir, 'region.db');
  const provinceDb = join(dir, 'errachidia.db');
  let provinceOfficeId = '';

  beforeAll(async () => {
    const region = tempCore();
    const province = tempCore();
    try {
      await setupOffice(region, 'region');
      await setupOffice(province, 'errachidia');
      addApplicants(province.sqlite, 400, { seed: 3 });
      provinceOfficeId = province.sqlite.prepare('SELECT office_id FROM installation').pluck().get() as string;
      region.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      province.sqlite.pragma('wal_checkpoint(TRUNCATE)');
      copyFileSync(region.dbPath, regionDb);
      copyFileSync(province.dbPath, provinceDb);
      copyDatabaseKey(region.dbPath, regionDb);
      copyDatabaseKey(province.dbPath, provinceDb);
    } finally {
      await region.dispose();
      await province.dispose();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keys are exchanged with key files, a file is exported and imported, the receipt goes back', async () => {
    const regionKey = join(dir, 'region.key.json');
    const officeKey = join(dir, 'errachidia.key.json');
    const show = io();
    expect(await runCli(['keys', 'show', '--db', regionDb, '--out', regionKey], { io: show.io })).toBe(0);
    expect(JSON.parse(show.out[0]).x25519.fingerprint).toMatch(/^[0-9A-F-]{19}$/);
    expect(await runCli(['keys', 'show', '--db', provinceDb, '--out', officeKey], { io: io().io })).toBe(0);
    expect(await runCli(['keys', 'region', '--db', provinceDb, '--key', regionKey], { io: io().io })).toBe(0);
    const trust = io();
    expect(await runCli(['keys', 'trust', '--db', regionDb, '--office-key', officeKey], { io: trust.io })).toBe(0);
    expect(JSON.parse(trust.out[0])).toMatchObject({ slug: 'errachidia', trusted: true, created: true });
    // The province cannot trust offices; the region key file is refused as an office key.
    expect(await runCli(['keys', 'trust', '--db', regionDb, '--office-key', regionKey], { io: io().io })).toBe(1);

    const exp = io();
    expect(await runCli(['export', '--db', provinceDb, '--out', join(dir, 'jisr-errachidia-000001.jisrx')], { io: exp.io })).toBe(0);
    expect(JSON.parse(exp.out[0])).toMatchObject({ fileSeq: 1, type: 'full' });
    expect(exp.err.some((l) => l.includes('"progress":"export"'))).toBe(true);
  });

  it('a process killed with -9 in the middle of an import leaves the region database exactly as it was', async () => {
    const before = hashOf(regionDb);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/main.ts', 'import', '--db', regionDb, join(dir, 'jisr-errachidia-000001.jisrx')], {
      cwd: projectRoot(),
      env: { ...process.env, JISR_EXCHANGE_TEST_PAUSE_AFTER_ROWS: '300' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const paused = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes('exchange-test-paused')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before pausing: ${stderr}`)));
    });
    await paused;
    // Rows were written inside the open transaction (into the WAL) when the process dies.
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(`${regionDb}-wal`)).toBe(true);
    expect(hashOf(regionDb)).toBe(before);

    // The same file imports cleanly afterwards.
    const imp = io();
    expect(await runCli(['import', '--db', regionDb, '--receipts', dir, join(dir, 'jisr-errachidia-000001.jisrx')], { io: imp.io })).toBe(0);
    const out = JSON.parse(imp.out[0]);
    expect(out.results[0]).toMatchObject({ status: 'applied', fileSeq: 1 });
    expect(out.results[0].tables.applicants.new).toBe(400);
    const d = openDatabaseFile(regionDb);
    expect(officeCounts(d, provinceOfficeId)).toMatchObject({ applicants: 400, status_history: 400 });
    d.close();

    const receipt = readdirSync(dir).find((f) => f.startsWith('jisr-receipt-errachidia'))!;
    const rl = io();
    expect(await runCli(['receipt', 'load', '--db', provinceDb, join(dir, receipt)], { io: rl.io })).toBe(0);
    expect(JSON.parse(rl.out[0])).toMatchObject({ upToDate: true, lastFileSeqSent: 1 });

    // A refused file: non-zero exit, the summary still printed.
    const bad = io();
    expect(await runCli(['import', '--db', regionDb, join(dir, 'errachidia.key.json')], { io: bad.io })).toBe(1);
    expect(JSON.parse(bad.out[0]).results[0]).toMatchObject({ status: 'refused', error: { code: 'exchange.not_exchange_file' } });
    // Re-importing the same file: nothing changes.
    const h = hashOf(regionDb, ['audit_log']);
    const again = io();
    expect(await runCli(['import', '--db', regionDb, join(dir, 'jisr-errachidia-000001.jisrx')], { io: again.io })).toBe(0);
    expect(JSON.parse(again.out[0]).results[0].status).toBe('already_imported');
    expect(hashOf(regionDb, ['audit_log'])).toBe(h);
  }, 60_000);
});

describe('exchange jobs can be cancelled without leaving anything half-done', () => {
  it('cancels an import after the first progress step and an export while compressing', async () => {
    const region = tempCore();
    const province = tempCore();
    try {
      await setupOffice(region, 'region');
      await setupOffice(province, 'zagora');
      addApplicants(province.sqlite, 9_000, { seed: 5 }); // with situations and status history: more than one progress step (20,000 rows)
      await province.invoke('exchange.keysRegion', { keyFile: (await region.invoke('exchange.keysShow', {}, as)).keyFile }, as);
      await region.invoke('exchange.keysTrust', { keyFile: (await province.invoke('exchange.keysShow', {}, as)).keyFile }, as);

      const stopExport = new AbortController();
      setJobControl(province.sqlite, { signal: stopExport.signal, onProgress: () => stopExport.abort() });
      const cancelled = await province.call('exchange.export', {}, as);
      expect(cancelled).toMatchObject({ ok: false, error: { code: 'exchange.cancelled' } });
      expect(province.sqlite.prepare('SELECT COUNT(*) FROM exchange_exports').pluck().get()).toBe(0);
      setJobControl(province.sqlite, null);

      const progress: number[] = [];
      setJobControl(province.sqlite, { onProgress: (p) => progress.push(p.done) });
      const e = await province.invoke('exchange.export', {}, as);
      setJobControl(province.sqlite, null);
      // The last step reports every row read (the counts hold no deletions here).
      expect(progress.at(-1)).toBe(Object.values(e.counts).reduce((a, b) => a + b, 0));
      const path = join(province.dir, e.fileName);
      copyFileSync(province.outbox.get(e.fileId)!.path, path);

      const before = contentHash(region.sqlite, ['audit_log']);
      const stopImport = new AbortController();
      const seen: number[] = [];
      setJobControl(region.sqlite, {
        signal: stopImport.signal,
        onProgress: (p) => {
          seen.push(p.done);
          stopImport.abort();
        },
      });
      const r = await region.call('exchange.import', { files: [{ path }] }, as);
      expect(r).toMatchObject({ ok: false, error: { code: 'exchange.cancelled' } });
      // The first progress step after 20,000 rows (bulk tables advance two thousand rows at a time).
      expect(seen[0]).toBeGreaterThanOrEqual(20_000);
      expect(seen[0]).toBeLessThan(22_000);
      expect(contentHash(region.sqlite, ['audit_log'])).toBe(before);
      setJobControl(region.sqlite, null);
      const ok = await region.invoke('exchange.import', { files: [{ path }] }, as);
      expect(ok.results[0].tables!.applicants.new).toBe(9_000);
    } finally {
      await region.dispose();
      await province.dispose();
    }
  }, 180_000);
});
