import { useCallback, useRef, useState } from 'react';
import { Button, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { JobProgress } from '../../../src-main/shared/api/jobs.contract';
import { api, ApiError } from '../../api/client';
import { formatNumber } from '../../../src-main/shared/format';

/** A v4 UUID for a job the page starts (crypto.randomUUID where the context allows it). */
export function newJobId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export type JobKind = 'export' | 'import';

export interface RunningJob {
  id: string;
  kind: JobKind;
  progress: JobProgress | null;
  cancelling: boolean;
}

const POLL_MS = 300;

/** True when the long call stopped because it was cancelled (nothing was changed). */
export const wasCancelled = (e: unknown) => e instanceof ApiError && (e.code === 'exchange.cancelled' || e.code === 'jobs.cancelled');

/**
 * Runs a long call with a jobId and polls `jobs.progress` while it runs (those polls are answered at once by
 * the backend, even though the call itself holds it). `cancel` asks `jobs.cancel`; the call then fails with
 * `exchange.cancelled` and nothing is left half-done.
 */
export function useJob() {
  const [job, setJob] = useState<RunningJob | null>(null);
  const current = useRef<string | null>(null);

  const run = useCallback(async <T,>(kind: JobKind, fn: (jobId: string) => Promise<T>): Promise<T> => {
    const id = newJobId();
    current.current = id;
    setJob({ id, kind, progress: null, cancelling: false });
    let live = true;
    const poll = async () => {
      while (live) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (!live) return;
        try {
          const p = await api.call('jobs.progress', { jobId: id }, { silent: true });
          if (live) setJob((j) => (j && j.id === id ? { ...j, progress: p } : j));
        } catch {
          // Not started yet (jobs.not_found while the call waits its turn) or a passing failure: ask again.
        }
      }
    };
    void poll();
    try {
      return await fn(id);
    } finally {
      live = false;
      if (current.current === id) current.current = null;
      setJob((j) => (j && j.id === id ? null : j));
    }
  }, []);

  const cancel = useCallback(async () => {
    const id = current.current;
    if (!id) return;
    setJob((j) => (j && j.id === id ? { ...j, cancelling: true } : j));
    try {
      await api.call('jobs.cancel', { jobId: id }, { silent: true });
    } catch {
      // Already finished: the call's own answer says how it ended.
    }
  }, []);

  return { job, run, cancel };
}

/** Phase, table, done of total, a bar, and the Cancel button of a running export or import. */
export function JobProgressBar({ job, onCancel }: { job: RunningJob; onCancel: () => void }) {
  const { t, i18n } = useTranslation('exchange');
  const p = job.progress;
  const nf = { format: (n: number) => formatNumber(n, i18n.language === 'fr' ? 'fr' : 'ar') };
  const phase = t(`job.phase.${p?.phase ?? 'start'}`, { defaultValue: p?.phase ?? '' });
  const table = !p?.table ? '' : p.table === '_changes' ? t('job.changes') : t(`tables.${p.table}`, { defaultValue: p.table });
  const pct = p && p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : 0;
  return (
    <Paper withBorder p="sm" data-testid="job-progress" data-state={p?.state ?? 'starting'}>
      <Stack gap={6}>
        <Text fw={600}>{t(`job.title.${job.kind}`)}</Text>
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" data-testid="job-phase">
            {phase}
            {table ? ` — ${table}` : ''}
          </Text>
          <Text size="sm" data-testid="job-count">
            {p && p.total > 0 ? t('job.count', { done: nf.format(p.done), total: nf.format(p.total) }) : ''}
          </Text>
        </Group>
        <Progress value={pct} animated striped size="lg" transitionDuration={150} aria-label={t(`job.title.${job.kind}`)} data-testid="job-bar" />
        <Group>
          <Button color="red" variant="light" size="xs" onClick={onCancel} disabled={job.cancelling} data-testid="job-cancel">
            {job.cancelling ? t('job.cancelling') : t('job.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
