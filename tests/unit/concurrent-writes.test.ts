import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore } from '../helpers/core';
import { createCore } from '../../src-main/core/core';
import { verifyAudit } from '../../src-main/core/audit/audit.repo';
import { projectRoot } from '../../src-main/core/paths';

const clock = () => new Date('2026-06-15T09:00:00.000Z');
const WORKERS = 6;
const EACH = 25;

interface WorkerReport {
  worker: string;
  made?: string[];
  edits?: number;
  errors?: string[];
  crashed?: string;
}

/** Runs the writer script in its own OS process (its own SQLite connection on the same file). */
function runWorker(dbPath: string, worker: number, sharedId: string): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const root = projectRoot();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests/helpers/concurrent-writer.ts'), dbPath, String(worker), String(EACH), sharedId], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', () => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as WorkerReport);
      } catch {
        reject(new Error(`worker ${worker} said: ${out} ${err}`));
      }
    });
  });
}

describe('several processes writing to one database file at once', () => {
  const core = tempCore({ clock });
  afterAll(() => core.dispose());

  it(
    `${WORKERS} processes × ${EACH} registrations and edits: no "database is locked", nothing lost or doubled`,
    async () => {
      await setupOffice(core);
      const shared = await core.invoke(
        'applicants.create',
        {
          cin: 'SH100000',
          firstNameLat: 'Hanane',
          lastNameLat: 'Zerouali',
          birthDate: '1988-04-12',
          communeCode: '08.201.01.01',
          consent: { given: true, date: '2026-06-15', textVersion: '2026-01', channel: 'paper' },
        },
        { actor: cli },
      );
      const dbPath = core.dbPath;
      // This process writes too, through its own core, while the others run.
      const reports = await Promise.all([
        ...Array.from({ length: WORKERS }, (_, w) => runWorker(dbPath, w, shared.id)),
        (async () => {
          let edits = 0;
          const errors: string[] = [];
          for (let i = 0; i < EACH; i++) {
            const r = await core.call('applicants.update', { id: shared.id, changes: { douar: `main-${i}` } }, { actor: cli });
            if (r.ok) edits++;
            else errors.push(r.error.code);
            await new Promise((res) => setTimeout(res, 5));
          }
          return { worker: 'main', made: [], edits, errors } as WorkerReport;
        })(),
      ]);
      for (const r of reports) {
        expect(r.crashed, `worker ${r.worker}`).toBeUndefined();
        expect(r.errors, `worker ${r.worker}`).toEqual([]);
        expect(r.edits).toBe(EACH);
      }
      const madeIds = reports.flatMap((r) => r.made ?? []);
      expect(madeIds).toHaveLength(WORKERS * EACH);
      expect(new Set(madeIds).size).toBe(WORKERS * EACH);

      // Read the result from a fresh connection: every registration is there once, with its own file number.
      const check = createCore({ dbPath, clock });
      try {
        const s = check.sqlite;
        const n = s.prepare(`SELECT COUNT(*) AS n, COUNT(DISTINCT file_no) AS f, COUNT(DISTINCT cin) AS c FROM applicants WHERE cin LIKE 'W%X%'`).get() as {
          n: number;
          f: number;
          c: number;
        };
        expect(n).toEqual({ n: WORKERS * EACH, f: WORKERS * EACH, c: WORKERS * EACH });
        const ids = s.prepare(`SELECT id FROM applicants WHERE cin LIKE 'W%X%'`).pluck().all() as string[];
        expect(new Set(ids)).toEqual(new Set(madeIds));
        // Every edit of the shared file is in its audit trail; the hash chain is whole.
        const edits = s.prepare(`SELECT COUNT(*) FROM audit_log WHERE method = 'applicants.update' AND entity_id = ?`).pluck().get(shared.id);
        expect(edits).toBe((WORKERS + 1) * EACH);
        expect(verifyAudit(s).ok).toBe(true);
        // One change number per write, none shared.
        const seqs = s.prepare(`SELECT COUNT(*) AS n, COUNT(DISTINCT seq) AS d FROM change_log`).get() as { n: number; d: number };
        expect(seqs.n).toBe(seqs.d);
      } finally {
        await check.close();
      }
    },
    120_000,
  );
});
