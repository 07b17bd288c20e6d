import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore, userToken } from '../helpers/core';
import { contract, METHOD_NAMES } from '../../src-main/shared/api/contract';
import type { JobProgress } from '../../src-main/shared/api/jobs.contract';
import { translateError } from '../../src-main/shared/i18n/translate-error';
import { AppError } from '../../src-main/shared/errors';
import { JobRegistry } from '../../src-main/core/jobs/job-registry';
import type { Actor } from '../../src-main/core/context';
import type { Sqlite } from '../../src-main/core/db/connection';
import { addApplicants, contentHash } from '../../src-main/core/exchange/exchange.fixtures';
import { setJobControl } from '../../src-main/core/exchange/exchange.service';
import { startWebBridge } from '../../src-main/web/server';
import { handlers } from '../../src-main/core/handlers';
import { registerIpc, type IpcEventLike, type IpcMainLike } from '../../src-main/host/ipc';
import { IPC_CHANNELS } from '../../src-main/preload/channels';
import { connectionOf, type ReadableDB } from '../../src-main/core/db/handles';

const as = { actor: cli };
type TCore = ReturnType<typeof tempCore>;

/** What "nothing changed" means: every table's row count, the last change number, and every row's content. */
function snapshot(db: Sqlite) {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  return {
    counts: Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get() as number])),
    changeLogMax: db.prepare('SELECT MAX(seq) FROM change_log').pluck().get() as number | null,
    hash: contentHash(db),
  };
}

const outboxSize = (c: TCore) => (c.outbox as unknown as { files: Map<string, unknown> }).files.size;
const turn = () => new Promise((r) => setImmediate(r));

describe('the jobs registry', () => {
  const alice: Actor = { kind: 'user', userId: 'u-alice', username: 'alice', role: 'coordinator', officeId: 'o', token: 't1' };
  const bob: Actor = { kind: 'user', userId: 'u-bob', username: 'bob', role: 'coordinator', officeId: 'o', token: 't2' };
  const admin: Actor = { kind: 'user', userId: 'u-admin', username: 'admin', role: 'admin', officeId: 'o', token: 't3' };

  it('shows a job to its owner and an administrator only, and forgets it a while after it ends', () => {
    let now = 1_000_000;
    const reg = new JobRegistry(() => now, 60_000);
    const id = randomUUID();
    const j = reg.begin(id, alice, 'exchange.import');
    j.control.onProgress({ phase: 'import', table: 'applicants', done: 5, total: 10 });
    expect(reg.progress(id, alice)).toMatchObject({ state: 'running', phase: 'import', table: 'applicants', done: 5, total: 10 });
    expect(reg.progress(id, admin).state).toBe('running');
    expect(() => reg.progress(id, bob)).toThrow(expect.objectContaining({ code: 'jobs.not_owner' }));
    expect(() => reg.cancel(id, bob)).toThrow(expect.objectContaining({ code: 'jobs.not_owner' }));
    expect(() => reg.begin(id, alice, 'exchange.import')).toThrow(expect.objectContaining({ code: 'jobs.duplicate' }));
    j.finish(null);
    expect(reg.progress(id, alice).state).toBe('done');
    now += 59_000;
    expect(reg.progress(id, alice).state).toBe('done');
    now += 2_000;
    expect(() => reg.progress(id, alice)).toThrow(expect.objectContaining({ code: 'jobs.not_found' }));
  });

  it('a cancellation aborts the signal until the point of no return, and is refused after it', async () => {
    const reg = new JobRegistry(() => Date.now());
    const first = randomUUID();
    const a = reg.begin(first, alice, 'm');
    expect(reg.cancel(first, alice)).toMatchObject({ accepted: true, cancelRequested: true, state: 'running' });
    expect(a.control.signal.aborted).toBe(true);
    await expect(a.control.pointOfNoReturn()).rejects.toMatchObject({ code: 'jobs.cancelled' });
    a.finish(new AppError('exchange.cancelled'));
    expect(reg.progress(first, alice).state).toBe('cancelled');
    expect(reg.cancel(first, alice).accepted).toBe(false);

    const second = randomUUID();
    const b = reg.begin(second, alice, 'm');
    await b.control.pointOfNoReturn();
    expect(reg.cancel(second, admin)).toMatchObject({ accepted: false, cancelRequested: false });
    expect(b.control.signal.aborted).toBe(false);
    b.finish(new Error('disk full'));
    expect(reg.progress(second, alice)).toMatchObject({ state: 'failed', error: { code: 'internal.unexpected' } });
  });

  it('every method that takes a job declares a jobId in its input; only jobs.*, changes.latest and system.timeZone are lock-free', () => {
    for (const m of METHOD_NAMES) {
      const spec = contract[m];
      if (spec.job) expect(Object.keys((spec.input as unknown as { shape: object }).shape), m).toContain('jobId');
    }
    expect(METHOD_NAMES.filter((m) => contract[m].lockFree).sort()).toEqual(['changes.latest', 'jobs.cancel', 'jobs.progress', 'system.timeZone']);
    expect(METHOD_NAMES.filter((m) => contract[m].job).sort()).toEqual(['exchange.acceptGap', 'exchange.acceptNumberingRestart', 'exchange.export', 'exchange.import']);
    for (const code of ['jobs.not_found', 'jobs.not_owner', 'jobs.duplicate', 'jobs.cancelled']) {
      expect(translateError({ code }, 'ar'), code).not.toBe(code);
      expect(translateError({ code }, 'fr'), code).not.toBe(code);
    }
  });
});

describe('long exchange calls with a jobId: progress and cancellation through the dispatcher', () => {
  let region: TCore;
  let province: TCore;
  let adminToken = '';
  let coord = '';
  let coord2 = '';
  let head = '';
  let file: { name: string; data: Buffer };

  beforeAll(async () => {
    region = tempCore();
    province = tempCore();
    adminToken = (await setupOffice(region, 'region')).token;
    const provinceAdmin = (await setupOffice(province, 'errachidia')).token;
    coord = await userToken(region, adminToken, 'coord', 'coordinator');
    coord2 = await userToken(region, adminToken, 'coord2', 'coordinator');
    head = await userToken(province, provinceAdmin, 'head', 'office_head');
    await province.invoke('exchange.keysRegion', { keyFile: (await region.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    await region.invoke('exchange.keysTrust', { keyFile: (await province.invoke('exchange.keysShow', {}, as)).keyFile }, as);
    // 20,000 applicants, their status rows and situations: some 52,000 rows, so the import passes
    // two of its checkpoints (every 20,000 rows), where a cancellation is seen.
    addApplicants(province.sqlite, 20_000, { seed: 7 });
    const r = await province.invoke('exchange.export', { full: true }, as);
    const f = province.outbox.get(r.fileId)!;
    file = { name: f.name, data: readFileSync(f.path) };
  }, 120_000);
  afterAll(async () => {
    await region?.dispose();
    await province?.dispose();
  });
  afterEach(() => {
    delete process.env.JISR_JOBS_TEST_HOLD_MS;
  });

  const upload = () => ({ uploadId: region.outbox.put(file.name, 'application/octet-stream', file.data).id });

  it('progress and cancel are answered while the import runs; the cancelled import leaves the region database as it was', async () => {
    const before = snapshot(region.sqlite);
    const jobId = randomUUID();
    const files = [upload()];
    const importing = region.call('exchange.import', { files, jobId }, { token: coord });
    let seen: JobProgress | null = null;
    const phases = new Set<string>();
    for (let i = 0; i < 100_000 && !seen; i++) {
      await turn();
      const p = await region.call('jobs.progress', { jobId }, { token: coord });
      if (!p.ok) {
        expect(p.error.code).toBe('jobs.not_found'); // not started yet
        continue;
      }
      phases.add(p.value.phase);
      expect(p.value.state).toBe('running');
      if (p.value.phase === 'import' && p.value.done > 0) seen = p.value;
    }
    expect(seen).not.toBeNull();
    expect(seen!.done).toBeLessThan(seen!.total);
    expect(seen!.total).toBeGreaterThan(40_000);
    expect(seen!.method).toBe('exchange.import');
    // Someone else may neither see nor stop it.
    expect(await region.call('jobs.progress', { jobId }, { token: coord2 })).toMatchObject({ ok: false, error: { code: 'jobs.not_owner' } });
    expect(await region.call('jobs.cancel', { jobId }, { token: coord2 })).toMatchObject({ ok: false, error: { code: 'jobs.not_owner' } });
    const c = await region.call('jobs.cancel', { jobId }, { token: coord });
    expect(c).toMatchObject({ ok: true, value: { accepted: true, cancelRequested: true } });
    const r = await importing;
    expect(r).toMatchObject({ ok: false, error: { code: 'exchange.cancelled' } });
    expect(snapshot(region.sqlite)).toEqual(before);
    const after = await region.call('jobs.progress', { jobId }, { token: coord });
    expect(after).toMatchObject({ ok: true, value: { state: 'cancelled', cancelRequested: true } });
    expect(after.ok && after.value.finishedAt).toBeTruthy();
    // An administrator sees every job.
    expect((await region.call('jobs.progress', { jobId }, { token: adminToken })).ok).toBe(true);
  });

  it('a locked call still waits for the running one; the lock-free ones do not, and touch no database', async () => {
    process.env.JISR_JOBS_TEST_HOLD_MS = '30000';
    const before = snapshot(region.sqlite);
    const jobId = randomUUID();
    const order: string[] = [];
    const importing = region.call('exchange.import', { files: [upload()], jobId }, { token: coord }).then((r) => (order.push('import'), r));
    let p: JobProgress | null = null;
    for (let i = 0; i < 100_000; i++) {
      await new Promise((r) => setTimeout(r, 5));
      const q = await region.call('jobs.progress', { jobId }, { token: coord });
      if (q.ok && q.value.phase === 'import' && q.value.done > 0 && q.value.done === q.value.total) {
        p = q.value;
        break;
      }
    }
    // Held before its point of no return: every row written in the transaction, nothing committed.
    expect(p).not.toBeNull();
    const status = region.call('exchange.offices', {}, { token: coord }).then((r) => (order.push('offices'), r));
    for (let i = 0; i < 20; i++) await turn();
    expect(order).toEqual([]);
    expect(await region.call('jobs.cancel', { jobId }, { token: coord })).toMatchObject({ ok: true, value: { accepted: true } });
    expect(await importing).toMatchObject({ ok: false, error: { code: 'exchange.cancelled' } });
    expect((await status).ok).toBe(true);
    expect(order).toEqual(['import', 'offices']);
    expect(snapshot(region.sqlite)).toEqual(before);
  });

  it('a cancelled export writes no file and records nothing', async () => {
    process.env.JISR_JOBS_TEST_HOLD_MS = '30000';
    const before = snapshot(province.sqlite);
    const files = outboxSize(province);
    const jobId = randomUUID();
    const exporting = province.call('exchange.export', { full: true, jobId }, { token: head });
    let p: JobProgress | null = null;
    for (let i = 0; i < 100_000 && !p; i++) {
      await new Promise((r) => setTimeout(r, 5));
      const q = await province.call('jobs.progress', { jobId }, { token: head });
      if (q.ok && q.value.phase === 'export' && q.value.done > 0 && q.value.done === q.value.total) p = q.value;
    }
    expect(p!.total).toBeGreaterThan(40_000);
    expect(await province.call('jobs.cancel', { jobId }, { token: head })).toMatchObject({ ok: true, value: { accepted: true } });
    expect(await exporting).toMatchObject({ ok: false, error: { code: 'exchange.cancelled' } });
    expect(snapshot(province.sqlite)).toEqual(before);
    expect(outboxSize(province)).toBe(files);
    expect(await province.call('jobs.progress', { jobId }, { token: head })).toMatchObject({ ok: true, value: { state: 'cancelled' } });
  });

  it('refuses: unknown job, a malformed id, no session; the CLI door still cancels through its connection control', async () => {
    expect(await region.call('jobs.progress', { jobId: randomUUID() }, { token: coord })).toMatchObject({ ok: false, error: { code: 'jobs.not_found' } });
    expect(await region.call('jobs.cancel', { jobId: 'not-a-uuid' }, { token: coord })).toMatchObject({ ok: false, error: { code: 'validation.failed' } });
    expect(await region.call('jobs.progress', { jobId: randomUUID() }, {})).toMatchObject({ ok: false, error: { code: 'auth.login_required' } });
    expect(await region.call('jobs.progress', { jobId: randomUUID() }, { token: 'nope' })).toMatchObject({ ok: false, error: { code: 'auth.session_expired' } });

    // The CLI's per-connection control and a jobId together: the CLI's Ctrl-C still cancels, its progress still prints.
    const before = snapshot(region.sqlite);
    const abort = new AbortController();
    const seen: string[] = [];
    setJobControl(region.sqlite, { signal: abort.signal, onProgress: (p) => (seen.push(p.phase), p.done >= 20_000 && abort.abort()) });
    try {
      const jobId = randomUUID();
      const r = await region.call('exchange.import', { files: [upload()], jobId }, as);
      expect(r).toMatchObject({ ok: false, error: { code: 'exchange.cancelled' } });
      expect(seen).toContain('import');
      expect(await region.call('jobs.progress', { jobId }, as)).toMatchObject({ ok: true, value: { state: 'cancelled', cancelRequested: false } });
    } finally {
      setJobControl(region.sqlite, null);
    }
    expect(snapshot(region.sqlite)).toEqual(before);
  });

  it('the web bridge serves the progress poll while the import request awaits, and the cancel request stops it', async () => {
    process.env.JISR_JOBS_TEST_HOLD_MS = '30000';
    const staticDir = mkdtempSync(join(tmpdir(), 'jisr-jobs-web-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    const bridge = await startWebBridge({ core: region, staticDir });
    try {
      const post = async (method: string, input: unknown) => {
        const res = await fetch(`http://127.0.0.1:${bridge.port}/api/call`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-jisr-key': bridge.token, authorization: `Bearer ${coord}` },
          body: JSON.stringify({ method, input }),
        });
        return (await res.json()) as { ok: boolean; value?: any; error?: { code: string } };
      };
      const before = snapshot(region.sqlite);
      const jobId = randomUUID();
      let answered = false;
      const importing = post('exchange.import', { files: [upload()], jobId }).then((r) => ((answered = true), r));
      let p: { ok: boolean; value?: JobProgress } | null = null;
      for (let i = 0; i < 2_000; i++) {
        p = await post('jobs.progress', { jobId });
        if (p.ok && p.value!.phase === 'import' && p.value!.done > 0 && p.value!.done === p.value!.total) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(p).toMatchObject({ ok: true, value: { state: 'running', phase: 'import' } });
      expect(answered).toBe(false);
      expect(await post('jobs.cancel', { jobId })).toMatchObject({ ok: true, value: { accepted: true } });
      expect(await importing).toMatchObject({ ok: false, error: { code: 'exchange.cancelled' } });
      expect(snapshot(region.sqlite)).toEqual(before);
    } finally {
      await bridge.close();
      rmSync(staticDir, { recursive: true, force: true });
    }
  });

  it("the desktop window's IPC door answers the poll and the cancel while the import call awaits", async () => {
    process.env.JISR_JOBS_TEST_HOLD_MS = '30000';
    const ipc = new Map<string, (event: IpcEventLike, ...args: unknown[]) => Promise<unknown>>();
    const ipcMain: IpcMainLike = { handle: (ch, l) => void ipc.set(ch, l), removeHandler: (ch) => void ipc.delete(ch) };
    const unregister = registerIpc<string>(ipcMain, {
      core: region,
      getWindow: () => null,
      documentsDir: tmpdir(),
      logger: { info() {}, warn() {}, error() {} },
      shell: { openPath: async () => '' },
      dialog: { showSaveDialog: async () => ({ canceled: true }), showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    });
    const frame: IpcEventLike = { senderFrame: { url: 'jisr://app/index.html#/exchange', parent: null } };
    const call = (method: string, input: unknown) => ipc.get(IPC_CHANNELS.call)!(frame, method, input, coord) as Promise<{ ok: boolean; value?: any; error?: { code: string } }>;
    try {
      const before = snapshot(region.sqlite);
      const jobId = randomUUID();
      const importing = call('exchange.import', { files: [upload()], jobId });
      let p: { ok: boolean; value?: JobProgress } | null = null;
      for (let i = 0; i < 5_000; i++) {
        p = await call('jobs.progress', { jobId });
        if (p.ok && p.value!.phase === 'import' && p.value!.done > 0 && p.value!.done === p.value!.total) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(p).toMatchObject({ ok: true, value: { state: 'running' } });
      expect(await call('jobs.cancel', { jobId })).toMatchObject({ ok: true, value: { accepted: true } });
      expect(await importing).toMatchObject({ ok: false, error: { code: 'exchange.cancelled' } });
      expect(snapshot(region.sqlite)).toEqual(before);
    } finally {
      unregister();
    }
  });

  it('a lock-free handler cannot reach the database', async () => {
    const original = handlers['jobs.progress'];
    (handlers as unknown as Record<string, unknown>)['jobs.progress'] = async (_i: unknown, ctx: { db: ReadableDB }) => connectionOf(ctx.db).prepare('SELECT 1').get();
    try {
      expect(await region.call('jobs.progress', { jobId: randomUUID() }, { token: coord })).toMatchObject({ ok: false, error: { code: 'internal.unexpected' } });
    } finally {
      (handlers as unknown as Record<string, unknown>)['jobs.progress'] = original;
    }
  });

  it('without a cancellation the same import is applied and the job says done', async () => {
    const jobId = randomUUID();
    const r = await region.call('exchange.import', { files: [upload()], jobId }, { token: coord });
    expect(r.ok && r.value.results[0].status).toBe('applied');
    const p = await region.call('jobs.progress', { jobId }, { token: coord });
    expect(p).toMatchObject({ ok: true, value: { state: 'done', phase: 'finish', cancelRequested: false } });
    expect(p.ok && p.value.done).toBe(p.ok && p.value.total);
    expect(p.ok && p.value.total).toBeGreaterThan(40_000);
    // Too late to cancel now.
    expect(await region.call('jobs.cancel', { jobId }, { token: coord })).toMatchObject({ ok: true, value: { accepted: false, state: 'done' } });
    // The same id cannot start another job.
    expect(await region.call('exchange.import', { files: [upload()], dryRun: true, jobId }, { token: coord })).toMatchObject({ ok: false, error: { code: 'jobs.duplicate' } });
  });
});
