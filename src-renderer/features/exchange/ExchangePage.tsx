import { useCallback, useRef, useState } from 'react';
import { Alert, Badge, Button, Checkbox, Code, Group, Loader, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExportHistoryRow, ExportResult, FileResult, ImportResult, NumberingRestartDecision, RegionOfficeStatus, ReviewItem } from '../../../src-main/shared/api/exchange.contract';
import { PROVINCE_NAMES } from '../../../src-main/shared/offices';
import { api } from '../../api/client';
import { codeText, errorText } from '../../lib/errors';
import { can } from '../../lib/permissions';
import { useAuthSession } from '../../lib/auth-session';
import { i18n } from '../../i18n';
import { JobProgressBar, useJob, wasCancelled, type JobKind } from './JobProgressBar';
import { formatDate } from '../../lib/format';
import { ReviewLevel, ReviewPair } from '../../components/matching/ReviewPair';
import { FingerprintGroups, KeyWizard } from './KeyWizard';
import { AuditChainDecisions } from './AuditChainDecision';
import { NumberingRestartDecisions } from './NumberingRestartDecision';
import { useExchangeKeys, useExchangeSchedule, useExportHistory, useOpenReviews, useRegionOffices } from './exchange.data';

/** `info`: neither success nor failure (a cancelled operation). */
type Msg = { ok: boolean; text: string; info?: boolean } | null;

function Message({ m }: { m: Msg }) {
  if (!m) return null;
  return (
    <Alert color={m.info ? 'blue' : m.ok ? 'green' : 'red'} data-testid="exchange-message" data-kind={m.info ? 'info' : m.ok ? 'ok' : 'error'}>
      {m.text}
    </Alert>
  );
}

/** An office by its province's name in the interface's language (the slug when unknown). */
const officeName = (slug: string | null | undefined) => (slug ? (PROVINCE_NAMES[slug]?.[i18n.language === 'fr' ? 'fr' : 'ar'] ?? slug) : '—');
const fmtDate = (iso: string | null | undefined, _lang?: string) => (iso ? formatDate(iso) : '—');
/** "Candidates: 12 · Présences: 340" (table names translated; the key itself when unknown). */
const countsText = (c: Record<string, number>) =>
  Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${i18n.t(`exchange:tables.${k}`, { defaultValue: k })}: ${n}`)
    .join(' · ');

/** An action of a view: the busy flag while it runs, its error shown, then the view reloaded. */
function runner(setBusy: (b: boolean) => void, setM: (m: Msg) => void, load: () => Promise<void>) {
  return async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setM(null);
    try {
      await fn();
      await load();
    } catch (e) {
      setM({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
}

/**
 * Runs a long call as a job (progress bar, Cancel button); a cancellation is reported as such — nothing
 * was changed — instead of as an error. Returns null when cancelled.
 */
async function asJob<T>(jobs: ReturnType<typeof useJob>, kind: JobKind, setM: (m: Msg) => void, fn: (jobId: string) => Promise<T>): Promise<T | null> {
  try {
    return await jobs.run(kind, fn);
  } catch (e) {
    if (!wasCancelled(e)) throw e;
    setM({ ok: true, info: true, text: i18n.t(kind === 'export' ? 'exchange:job.cancelledExport' : 'exchange:job.cancelledImport') });
    return null;
  }
}

/** The files in each office's sequence order (from the summary), those the summary could not place last. */
function inSequence<F extends { name: string }>(files: F[], summary: FileResult[]): F[] {
  const at = new Map(summary.map((r) => [r.file, r]));
  const key = (f: F) => {
    const r = at.get(f.name);
    return r?.office && r.fileSeq !== null ? [0, r.office, r.fileSeq] : [1, '', 0];
  };
  return [...files].sort((a, b) => {
    const [pa, oa, sa] = key(a);
    const [pb, ob, sb] = key(b);
    return (pa as number) - (pb as number) || String(oa).localeCompare(String(ob)) || (sa as number) - (sb as number);
  });
}

/** A hidden file input behind a button; gives the chosen File objects. */
function FilePick({ label, accept, multiple, onFiles, testId }: { label: string; accept: string; multiple?: boolean; onFiles: (f: File[]) => void; testId: string }) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={ref}
        type="file"
        hidden
        accept={accept}
        multiple={multiple}
        data-testid={testId}
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
          if (files.length) onFiles(files);
        }}
      />
      <Button variant="default" onClick={() => ref.current?.click()}>
        {label}
      </Button>
    </>
  );
}

/** Exchange files: the province sends, the region imports, reviews and answers with receipts. */
export function ExchangePage() {
  const { t } = useTranslation('exchange');
  const s = useAuthSession();
  const region = s.status.office?.kind === 'region';
  return (
    <Stack gap="lg" maw={1100}>
      <Title order={2}>{t(region ? 'titleRegion' : 'title')}</Title>
      {region ? <RegionView /> : <ProvinceView />}
      {can(s.user.role, 'exchange.keysShow') && <KeysCard />}
    </Stack>
  );
}

function KeysCard() {
  const { t } = useTranslation('exchange');
  const { data: k, error } = useExchangeKeys();
  const m: Msg = error ? { ok: false, text: error } : null;
  const download = () => {
    if (!k) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([k.keyFile], { type: 'application/json' }));
    a.download = `jisr-key-${k.office.slug}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={4}>{t('keys.mine')}</Title>
        <Message m={m} />
        {k && (
          <>
            <Text size="sm">{t('keys.readHint')}</Text>
            <Text size="sm" c="dimmed">
              {t('wizard.kind.signing')}
            </Text>
            <FingerprintGroups fingerprint={k.ed25519.fingerprint} testId="fingerprint-signing" />
            {k.x25519 && (
              <>
                <Text size="sm" c="dimmed">
                  {t('wizard.kind.encryption')}
                </Text>
                <FingerprintGroups fingerprint={k.x25519.fingerprint} testId="fingerprint-encryption" />
              </>
            )}
            <Group>
              <Button variant="default" onClick={download}>
                {t('keys.download')}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}

function ProvinceView() {
  const { t, i18n } = useTranslation('exchange');
  const s = useAuthSession();
  const head = can(s.user.role, 'exchange.export');
  const schedule = useExchangeSchedule();
  const exports = useExportHistory(head);
  const sched = schedule.data;
  const history: ExportHistoryRow[] = exports.data ?? [];
  const [full, setFull] = useState(false);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<ExportResult | null>(null);
  const [notice, setM] = useState<Msg>(null);
  const loadError = schedule.error ?? exports.error;
  const m: Msg = notice ?? (loadError ? { ok: false, text: loadError } : null);
  const jobs = useJob();
  const { reload: reloadSchedule } = schedule;
  const { reload: reloadHistory } = exports;
  const load = useCallback(async () => {
    await reloadSchedule();
    if (head) await reloadHistory();
  }, [head, reloadSchedule, reloadHistory]);

  const run = runner(setBusy, setM, load);
  /** One action: the file is made, then saved at once (the system's Save dialog in the window, a download in a browser). */
  const saveMade = async (r: ExportResult) => {
    setMade(r);
    const how = await api.saveFile(r.fileId, r.fileName);
    setM({ ok: how !== 'cancelled', info: how === 'cancelled', text: t(`province.sent_${how}`, { name: r.fileName }) });
  };
  const send = () =>
    run(async () => {
      const r = await asJob(jobs, 'export', setM, (jobId) => api.call('exchange.export', { full, jobId }));
      if (r) await saveMade(r);
    });
  const remake = (id: number) => run(async () => saveMade(await api.call('exchange.remake', { exportId: id })));

  if (!sched) return m ? <Message m={m} /> : <Loader size="sm" />;
  return (
    <>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group justify="space-between">
            <Text data-testid="exchange-due">{t('province.due', { date: fmtDate(sched.nextDueAt, i18n.language) })}</Text>
            <Badge color={sched.late ? 'red' : 'green'} data-testid="exchange-late">
              {sched.late ? t('province.late', { days: sched.daysLate }) : t('province.onTime')}
            </Badge>
          </Group>
          <Text size="sm">{t('province.pending', { n: sched.pendingChanges })}</Text>
          {head && (
            <NativeSelect
              label={t('province.cadence')}
              value={sched.cadence}
              data={(['weekly', 'monthly', 'quarterly'] as const).map((c) => ({ value: c, label: t(`province.${c}`) }))}
              onChange={(e) => run(() => api.call('exchange.setCadence', { cadence: e.currentTarget.value as 'weekly' | 'monthly' | 'quarterly' }))}
              maw={240}
            />
          )}
          <Text size="sm">
            {t('province.regionKey')}: {sched.regionKey ? <Code>{sched.regionKey.fingerprint}</Code> : t('province.noRegionKey')}
          </Text>
          {head && (
            <Group>
              <Checkbox label={t('province.full')} checked={full} onChange={(e) => setFull(e.currentTarget.checked)} />
              <Button onClick={send} loading={busy} disabled={!sched.regionKey} data-testid="exchange-send">
                {t('province.send')}
              </Button>
              {made && (
                <Button variant="light" onClick={() => void run(() => saveMade(made))} data-testid="exchange-save">
                  {t('province.save')}
                </Button>
              )}
              <KeyWizard mode="region" onDone={() => void load()} />
              <FilePick
                label={t('province.loadReceipt')}
                accept=".json"
                testId="receipt-input"
                onFiles={(f) =>
                  run(async () => {
                    const r = await api.call('exchange.loadReceipt', { text: await f[0].text() });
                    setM({ ok: r.upToDate, text: r.upToDate ? t('province.upToDate') : t('province.notUpToDate', { seq: r.receipt.lastFileSeq }) });
                  })
                }
              />
            </Group>
          )}
          {jobs.job && <JobProgressBar job={jobs.job} onCancel={() => void jobs.cancel()} />}
          {sched.lastReceipt && (
            <Text size="sm">
              {t('province.receipt')}: {fmtDate(sched.lastReceipt.issuedAt, i18n.language)} — {t('col.seq')} {sched.lastReceipt.lastFileSeq} — {countsText(sched.lastReceipt.counts)}
            </Text>
          )}
          <Message m={m} />
        </Stack>
      </Paper>
      {head && (
        <Paper withBorder p="md">
          <Title order={4}>{t('province.history')}</Title>
          <Table striped data-testid="exchange-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('col.seq')}</Table.Th>
                <Table.Th>{t('col.date')}</Table.Th>
                <Table.Th>{t('col.counts')}</Table.Th>
                <Table.Th>{t('col.file')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {history.map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Td>{h.fileSeq}</Table.Td>
                  <Table.Td>{fmtDate(h.madeAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{countsText(h.counts)}</Text>
                  </Table.Td>
                  <Table.Td dir="ltr">{h.fileName}</Table.Td>
                  <Table.Td>
                    {h.canRemake ? (
                      <Button size="xs" variant="subtle" onClick={() => remake(h.id)} disabled={busy}>
                        {t('province.remake')}
                      </Button>
                    ) : (
                      <Text size="xs" c="dimmed" title={t('province.notKeptHint')} data-testid="exchange-not-kept">
                        {t('province.notKept')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </>
  );
}

function ResultsTable({ results }: { results: FileResult[] }) {
  const { t } = useTranslation('exchange');
  const sum = (r: FileResult, k: 'new' | 'updated' | 'unchanged' | 'conflicts') => Object.values(r.tables ?? {}).reduce((a, s) => a + s[k], 0);
  return (
    <Table striped data-testid="exchange-results">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('col.file')}</Table.Th>
          <Table.Th>{t('col.office')}</Table.Th>
          <Table.Th>{t('col.seq')}</Table.Th>
          <Table.Th>{t('col.status')}</Table.Th>
          <Table.Th>{t('col.new')}</Table.Th>
          <Table.Th>{t('col.updated')}</Table.Th>
          <Table.Th>{t('col.unchanged')}</Table.Th>
          <Table.Th>{t('col.conflicts')}</Table.Th>
          <Table.Th>{t('col.duplicates')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {results.map((r, i) => (
          <Table.Tr key={i}>
            <Table.Td dir="ltr">{r.file}</Table.Td>
            <Table.Td>{officeName(r.office)}</Table.Td>
            <Table.Td>{r.fileSeq ?? '—'}</Table.Td>
            <Table.Td>
              <Badge color={r.status === 'refused' ? 'red' : r.status.includes('hold') || r.status === 'held' ? 'yellow' : 'green'}>{t(`status.${r.status}`)}</Badge>
              {r.error && (
                <Text size="xs" c="red">
                  {codeText(r.error.code, r.error.params)}
                </Text>
              )}
            </Table.Td>
            <Table.Td>{sum(r, 'new')}</Table.Td>
            <Table.Td>{sum(r, 'updated')}</Table.Td>
            <Table.Td>{sum(r, 'unchanged')}</Table.Td>
            <Table.Td>{sum(r, 'conflicts')}</Table.Td>
            <Table.Td>
              {(r.duplicates?.sameCin ?? 0) + (r.duplicates?.samePerson ?? 0)}
              {r.duplicates?.maybePerson ? (
                <Text span size="xs" c="dimmed">
                  {' '}
                  {t('region.maybeCount', { n: r.duplicates.maybePerson })}
                </Text>
              ) : null}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function RegionView() {
  const { t, i18n } = useTranslation('exchange');
  const officesQuery = useRegionOffices();
  const reviewsQuery = useOpenReviews();
  const offices: RegionOfficeStatus[] | null = officesQuery.data;
  const reviews: ReviewItem[] = reviewsQuery.data?.items ?? [];
  const [uploads, setUploads] = useState<{ uploadId: string; name: string }[]>([]);
  const [dry, setDry] = useState<ImportResult | null>(null);
  const [done, setDone] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setM] = useState<Msg>(null);
  const loadError = officesQuery.error ?? reviewsQuery.error;
  const m: Msg = notice ?? (loadError ? { ok: false, text: loadError } : null);
  const jobs = useJob();
  const { reload: reloadOffices } = officesQuery;
  const { reload: reloadReviews } = reviewsQuery;
  const load = useCallback(async () => {
    await reloadOffices();
    await reloadReviews();
  }, [reloadOffices, reloadReviews]);

  const run = runner(setBusy, setM, load);

  const summarise = (files: { uploadId: string; name: string }[]) =>
    run(async () => {
      setUploads(files);
      setDone(null);
      setDry(await asJob(jobs, 'import', setM, (jobId) => api.call('exchange.import', { files: files.map((f) => ({ uploadId: f.uploadId })), dryRun: true, jobId })));
    });
  /** After the coordinator accepted an office's restart: it says so, and the files chosen are summarised again (the next ones now follow). */
  const restartAccepted = (d: NumberingRestartDecision) =>
    run(async () => {
      setDone(null);
      setDry(await asJob(jobs, 'import', setM, (jobId) => api.call('exchange.import', { files: uploads.map((f) => ({ uploadId: f.uploadId })), dryRun: true, jobId })));
      setM({ ok: true, text: t('numberingRestart.done', { n: d.file.fileSeq }) });
    });
  const chooseElectron = async () => {
    let picked: Awaited<ReturnType<typeof api.pickFiles>>;
    try {
      picked = await api.pickFiles([{ name: 'Jisr', extensions: ['jisrx'] }], true);
    } catch (e) {
      return setM({ ok: false, text: errorText(e) });
    }
    if (picked?.length) await summarise(picked);
  };
  const apply = () =>
    run(async () => {
      // One call, so one transaction, per file (as the command line does), in each office's sequence order: a file
      // applied stays applied, whole, when a later one is refused or the import is cancelled.
      const merged: ImportResult = { dryRun: false, results: [], receipts: [], refused: 0 };
      for (const f of inSequence(uploads, dry?.results ?? [])) {
        const r = await asJob(jobs, 'import', setM, (jobId) => api.call('exchange.import', { files: [{ uploadId: f.uploadId }], dryRun: false, jobId }));
        if (!r) {
          // Cancelled: the file being applied left nothing; those before it are applied (shown), the rest can be applied again.
          if (merged.results.length) {
            setDone(merged);
            setM({ ok: true, info: true, text: i18n.t('exchange:job.cancelledImportAfter', { n: merged.results.filter((x) => x.status === 'applied').length }) });
          }
          return;
        }
        merged.results.push(...r.results);
        merged.refused += r.refused;
        // The last receipt of an office says all the region holds of it.
        for (const rc of r.receipts) merged.receipts = [...merged.receipts.filter((x) => x.office !== rc.office), rc];
      }
      setDone(merged);
      setDry(null);
    });

  return (
    <>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={4}>{t('region.import')}</Title>
          <Group>
            {window.jisr ? (
              <Button variant="default" onClick={() => void chooseElectron()}>
                {t('region.choose')}
              </Button>
            ) : (
              <FilePick
                label={t('region.choose')}
                accept=".jisrx"
                multiple
                testId="import-input"
                onFiles={(files) => run(async () => summarise(await Promise.all(files.map((f) => api.upload(f)))))}
              />
            )}
            <KeyWizard mode="trust" onDone={() => void load()} />
          </Group>
          {jobs.job ? <JobProgressBar job={jobs.job} onCancel={() => void jobs.cancel()} /> : busy && <Loader size="sm" />}
          <Message m={m} />
          {dry && (
            <>
              <Text fw={600}>{t('region.dryRun')}</Text>
              <ResultsTable results={dry.results} />
              <AuditChainDecisions results={dry.results} uploads={uploads} onAccepted={() => void summarise(uploads)} />
              <NumberingRestartDecisions results={dry.results} uploads={uploads} onAccepted={(d) => void restartAccepted(d)} />
              <Group>
                <Button onClick={apply} loading={busy} disabled={dry.results.every((r) => r.status === 'refused' || r.status === 'already_imported')} data-testid="exchange-apply">
                  {t('region.apply')}
                </Button>
                <Button variant="default" onClick={() => setDry(null)}>
                  {t('region.cancel')}
                </Button>
              </Group>
            </>
          )}
          {done && (
            <>
              <ResultsTable results={done.results} />
              <AuditChainDecisions results={done.results} uploads={uploads} onAccepted={() => void summarise(uploads)} />
              <NumberingRestartDecisions results={done.results} uploads={uploads} onAccepted={(d) => void restartAccepted(d)} />
              {done.receipts.length > 0 && (
                <Group>
                  <Text>{t('region.receipts')}:</Text>
                  {done.receipts.map((r) => (
                    <Button key={r.fileId} size="xs" variant="light" data-testid="exchange-receipt" onClick={() => api.saveFile(r.fileId, r.name).catch((e) => setM({ ok: false, text: errorText(e) }))}>
                      {r.name}
                    </Button>
                  ))}
                </Group>
              )}
            </>
          )}
        </Stack>
      </Paper>

      <Paper withBorder p="md">
        <Title order={4}>{t('region.offices')}</Title>
        {!offices ? (
          <Loader size="sm" />
        ) : (
          <Table striped data-testid="exchange-offices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('col.office')}</Table.Th>
                <Table.Th>{t('col.fingerprint')}</Table.Th>
                <Table.Th>{t('col.seq')}</Table.Th>
                <Table.Th>{t('col.lastFile')}</Table.Th>
                <Table.Th>{t('col.late')}</Table.Th>
                <Table.Th>{t('col.counts')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {offices.map((o) => (
                <Table.Tr key={o.officeId}>
                  <Table.Td>{officeName(o.slug)}</Table.Td>
                  <Table.Td dir="ltr">
                    <Code>{o.fingerprint ?? '—'}</Code>
                  </Table.Td>
                  <Table.Td>{o.lastFileSeq}</Table.Td>
                  <Table.Td>{fmtDate(o.lastFileCreatedAt, i18n.language)}</Table.Td>
                  <Table.Td>{o.late ? <Badge color="red">{t('col.late')}</Badge> : '—'}</Table.Td>
                  <Table.Td>
                    <Text size="xs">{countsText(o.counts)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {o.held.length > 0 && (
                      <Group gap="xs">
                        <Text size="xs">{t('region.held', { n: o.held.length })}</Text>
                        <Button size="xs" color="orange" variant="light" onClick={() => run(() => asJob(jobs, 'import', setM, (jobId) => api.call('exchange.acceptGap', { office: o.slug, jobId })))}>
                          {t('region.acceptGap')}
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <Paper withBorder p="md">
        <Title order={4}>{t('region.reviews')}</Title>
        <Table striped data-testid="exchange-reviews">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('col.kind')}</Table.Th>
              <Table.Th>{t('col.a')}</Table.Th>
              <Table.Th>{t('col.b')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {reviews.map((r) => (
              <Table.Tr key={r.id} data-testid="review-row">
                <Table.Td>
                  {t(`kind.${r.kind}`)}
                  {r.kind === 'same_person' && r.match && <ReviewLevel level={r.match.level} />}
                </Table.Td>
                {r.entity === 'applicants' && r.kind !== 'conflict' ? (
                  // People: the two files side by side with the matching engine's reasons (issue 13).
                  <Table.Td colSpan={2}>
                    <ReviewPair item={r} />
                  </Table.Td>
                ) : (
                  <>
                    <Table.Td>
                      {officeName(r.a.office)} · {r.a.fileNo ?? r.a.id} · {r.a.name ?? ''} {r.a.cin ? `· ${r.a.cin}` : ''}
                    </Table.Td>
                    <Table.Td>{r.b ? `${officeName(r.b.office)} · ${r.b.fileNo ?? r.b.id} · ${r.b.name ?? ''} ${r.b.cin ? `· ${r.b.cin}` : ''}` : '—'}</Table.Td>
                  </>
                )}
                <Table.Td>
                  <Group gap="xs">
                    {r.kind !== 'conflict' && (
                      <>
                        <Button size="xs" variant="light" onClick={() => run(() => api.call('exchange.resolveReview', { id: r.id, decision: 'same' }))}>
                          {t('region.same')}
                        </Button>
                        <Button size="xs" variant="light" onClick={() => run(() => api.call('exchange.resolveReview', { id: r.id, decision: 'distinct' }))}>
                          {t('region.distinct')}
                        </Button>
                      </>
                    )}
                    <Button size="xs" variant="subtle" onClick={() => run(() => api.call('exchange.resolveReview', { id: r.id, decision: 'dismissed' }))}>
                      {t('region.dismiss')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
    </>
  );
}
