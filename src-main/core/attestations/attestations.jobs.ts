import type { Sqlite } from '../db/connection';
import type { Outbox } from '../files/outbox';
import type { Logger } from '../context';
import { appendAudit } from '../audit/audit.repo';
import { recordChange } from '../changes/changes.repo';
import type { BatchStatus } from '../../shared/api/attestations.contract';
import { markPrinted } from './attestations.repo';
import { renderPages, type PageInput } from './pdf-render';
import type { Layout } from './templates';
import { connectionOf, type WritableDB } from '../db/handles';

/**
 * Batch jobs: the attestations of a batch are registered (numbers, register rows, audit) by the call that
 * starts it, inside its transaction; the PDFs are then rendered here in the background, a chunk of pages at a
 * time, with progress and cancellation. Once rendering stops, the attestations actually rendered are marked
 * printed in one short transaction of their own (taken only when no call holds a transaction on the connection).
 */

export interface BatchJob {
  status: BatchStatus;
  cancelRequested: boolean;
  pages: (PageInput & { id: string })[];
  fileBase: string;
  actor: { kind: 'user' | 'cli' | 'anonymous'; id: string | null; name: string };
  officeId: string;
  /** Settles when the job has stopped (done, cancelled or failed) and its rows are marked. */
  finished: Promise<void>;
}

const registries = new WeakMap<Outbox, Map<string, BatchJob>>();

export function jobsOf(outbox: Outbox): Map<string, BatchJob> {
  let m = registries.get(outbox);
  if (!m) registries.set(outbox, (m = new Map()));
  return m;
}

export function publicStatus(job: BatchJob): BatchStatus {
  return { ...job.status, files: [...job.status.files], serials: [...job.status.serials], skipped: [...job.status.skipped] };
}

/** Runs `fn` in its own transaction as soon as no other transaction is open on the connection. */
function whenIdle(sqlite: Sqlite, fn: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (!sqlite.open) return reject(new Error('database closed'));
      if (sqlite.inTransaction) return void setTimeout(attempt, 5);
      try {
        sqlite.transaction(fn).immediate();
        resolve();
      } catch (e) {
        reject(e);
      }
    };
    attempt();
  });
}

export function startJob(job: Omit<BatchJob, 'finished'>, deps: { db: WritableDB; outbox: Outbox; layout: Layout; now: () => string; logger: Logger }): BatchJob {
  const full = job as BatchJob;
  full.finished = new Promise<void>((resolve) => {
    setImmediate(() => {
      run(full, deps)
        .catch((e) => {
          deps.logger.error('attestation batch failed', { jobId: full.status.jobId, error: (e as Error)?.stack ?? String(e) });
          full.status.state = 'failed';
          full.status.error = { code: 'attestations.batch_failed', params: { detail: String((e as Error)?.message ?? e) } };
        })
        .finally(resolve);
    });
  });
  jobsOf(deps.outbox).set(job.status.jobId, full);
  return full;
}

async function run(job: BatchJob, deps: { db: WritableDB; outbox: Outbox; layout: Layout; now: () => string }): Promise<void> {
  const printed: string[] = [];
  const s = job.status;
  const cancelled = () => job.cancelRequested;
  try {
    if (s.mode === 'single') {
      const pdf = await renderPages(job.pages, deps.layout, {
        chunk: 25,
        isCancelled: cancelled,
        onProgress: (done) => {
          s.done = done;
        },
        title: job.fileBase,
      });
      if (pdf) {
        const f = deps.outbox.put(`${job.fileBase}.pdf`, 'application/pdf', pdf);
        s.files.push({ fileId: f.id, fileName: f.name, size: f.size });
        printed.push(...job.pages.map((p) => p.id));
      }
    } else {
      for (const page of job.pages) {
        if (cancelled()) break;
        const pdf = (await renderPages([page], deps.layout, { title: page.content.serial }))!;
        const f = deps.outbox.put(`${page.content.serial}.pdf`, 'application/pdf', pdf);
        s.files.push({ fileId: f.id, fileName: f.name, size: f.size });
        printed.push(page.id);
        s.done++;
        await new Promise((r) => setImmediate(r));
      }
    }
  } finally {
    if (printed.length) {
      const at = deps.now();
      // The connection itself, for its transaction state (the batch writes after its call has returned).
      const sqlite = connectionOf(deps.db);
      await whenIdle(sqlite, () => {
        for (const id of printed) markPrinted(deps.db, id, at, recordChange(deps.db, 'attestations', id, 'update', job.officeId, at));
        appendAudit(sqlite, [
          {
            at,
            actor_kind: job.actor.kind,
            actor_id: job.actor.id,
            actor_name: job.actor.name,
            method: 'attestations.batchStart',
            entity: 'attestations',
            entity_id: job.status.jobId,
            changes: JSON.stringify({ printed: [0, printed.length], of: [null, job.pages.length] }),
          },
        ]);
      });
    }
  }
  // Only now (rows marked) does a poller see the end.
  s.state = cancelled() && printed.length < job.pages.length ? 'cancelled' : 'done';
}
