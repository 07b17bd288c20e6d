import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChartPoint, DashboardData, ImportSummary } from '../../../src-main/shared/api/reports.contract';
import { api } from '../../api/client';
import { codeText, errorText } from '../../app/errors';
import { can } from '../../app/permissions';
import { useSession } from '../../app/session';
import { currentLang } from '../../i18n';
import './reports.i18n';

type Msg = { ok: boolean; text: string } | null;

const defaultPeriod = () => new Date().toISOString().slice(0, 7);

/** A horizontal bar list (no chart library): label, bar, value. */
function Bars({ title, points, testId }: { title: string; points: ChartPoint[]; testId: string }) {
  const lang = currentLang();
  const max = Math.max(1, ...points.map((p) => p.value));
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text fw={600} mb="xs">
        {title}
      </Text>
      <Stack gap={4}>
        {points.map((p) => (
          <Group key={p.key} gap="xs" wrap="nowrap">
            <Text size="sm" w={170} truncate>
              {lang === 'ar' ? p.labelAr : p.labelFr}
            </Text>
            <div style={{ flex: 1, background: 'var(--mantine-color-gray-1)', height: 12 }}>
              <div style={{ width: `${(100 * p.value) / max}%`, background: 'var(--mantine-color-blue-6)', height: 12 }} />
            </div>
            <Text size="sm" w={60} ta="end">
              {p.value}
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

export function ReportsPage() {
  const { t } = useTranslation('reports');
  const s = useSession();
  const [period, setPeriod] = useState(defaultPeriod());
  const [d, setD] = useState<DashboardData | null>(null);
  const [m, setM] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setM(null);
    try {
      await fn();
    } catch (e) {
      setM({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }, []);
  const load = useCallback(() => run(async () => setD(await api.call('reports.dashboard', { period }))), [period, run]);
  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const lang = currentLang();
  return (
    <Stack gap="lg" maw={1200}>
      <Title order={2}>{t('title')}</Title>
      <Group align="end">
        <TextInput label={t('period')} value={period} onChange={(e) => setPeriod(e.currentTarget.value)} data-testid="report-period" />
        <Button onClick={() => void load()} data-testid="report-show">
          {t('show')}
        </Button>
        {can(s.user.role, 'reports.workbook') && (
          <>
            <Button
              variant="default"
              data-testid="report-workbook"
              onClick={() => run(async () => {
                const r = await api.call('reports.workbook', { period, lang: 'ar' });
                await api.saveFile(r.fileId, r.name);
              })}
            >
              {t('workbook')}
            </Button>
            <Button
              variant="subtle"
              onClick={() => run(async () => {
                const r = await api.call('reports.workbook', { period, lang: 'fr' });
                await api.saveFile(r.fileId, r.name);
              })}
            >
              {t('workbookFr')}
            </Button>
          </>
        )}
        {can(s.user.role, 'reports.list') && (
          <Button
            variant="default"
            onClick={() => run(async () => {
              const r = await api.call('reports.list', { lang });
              await api.saveFile(r.fileId, r.name);
            })}
          >
            {t('list')}
          </Button>
        )}
      </Group>
      {busy && <Loader size="sm" />}
      {m && <Alert color={m.ok ? 'green' : 'red'}>{m.text}</Alert>}
      {d && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="dashboard-totals">
            {(['registeredInPeriod', 'registeredToDate', 'sessions', 'hours', 'attendanceRate', 'attestations', 'financed'] as const).map((k) => (
              <Paper key={k} withBorder p="sm">
                <Text size="sm" c="dimmed">
                  {t(`totals.${k}`)}
                </Text>
                <Text fw={700} size="xl" data-testid={`total-${k}`}>
                  {k === 'attendanceRate' ? (d.totals.attendanceRate === null ? '—' : `${Math.round(d.totals.attendanceRate * 100)} %`) : d.totals[k]}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Bars title={t('charts.months')} points={d.registrationsByMonth} testId="chart-months" />
            <Bars title={t('charts.funnel')} points={d.funnel} testId="chart-funnel" />
            <Bars title={t('charts.communes')} points={d.communes.slice(0, 12)} testId="chart-communes" />
            <Bars title={t('charts.categories')} points={d.categories} testId="chart-categories" />
          </SimpleGrid>
        </>
      )}
      {can(s.user.role, 'imports.commit') && <ImportCard />}
    </Stack>
  );
}

function ImportCard() {
  const { t } = useTranslation('reports');
  const ref = useRef<HTMLInputElement>(null);
  const [upload, setUpload] = useState<{ uploadId: string; name: string } | null>(null);
  const [dry, setDry] = useState<ImportSummary | null>(null);
  const [done, setDone] = useState<ImportSummary | null>(null);
  const [pending, setPending] = useState<number | null>(null);
  const [m, setM] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  const lang = currentLang();
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setM(null);
    try {
      await fn();
    } catch (e) {
      setM({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const refreshPending = () => api.call('imports.consentPending', { limit: 1 }).then((r) => setPending(r.total), () => undefined);
  useEffect(() => {
    void refreshPending();
  }, []);
  const analyse = (u: { uploadId: string; name: string }) =>
    run(async () => {
      setUpload(u);
      setDone(null);
      setDry(await api.call('imports.analyse', { uploadId: u.uploadId, lang }));
    });
  const summary = dry ?? done;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={4}>{t('import.title')}</Title>
        <Group>
          <input
            ref={ref}
            type="file"
            hidden
            accept=".xlsx,.csv"
            data-testid="legacy-input"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (f) void run(async () => analyse(await api.upload(f)));
            }}
          />
          <Button
            variant="default"
            onClick={async () => {
              if (window.jisr) {
                const r = await window.jisr.pickFiles([{ name: 'Excel', extensions: ['xlsx', 'csv'] }], false);
                if (!r.ok) return setM({ ok: false, text: codeText(r.error.code, r.error.params) });
                if (r.value[0]) await analyse(r.value[0]);
              } else ref.current?.click();
            }}
          >
            {t('import.choose')}
          </Button>
          {pending !== null && (
            <Text size="sm" data-testid="consent-pending">
              {t('consent.title')}: {t('consent.count', { n: pending })}
            </Text>
          )}
        </Group>
        {busy && <Loader size="sm" />}
        {m && <Alert color={m.ok ? 'green' : 'red'}>{m.text}</Alert>}
        {done && <Alert color="green" data-testid="import-done">{t('import.done', { n: done.new })}</Alert>}
        {summary && (
          <>
            <Text data-testid="import-summary">
              {upload?.name} — {t('import.header', { row: summary.headerRow })} — {t('import.summary', { total: summary.total, new: summary.new, duplicate: summary.duplicate, invalid: summary.invalid })}
            </Text>
            {(summary.invalidRows.length > 0 || summary.duplicates.length > 0) && (
              <Table striped data-testid="import-issues">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('import.row')}</Table.Th>
                    <Table.Th>{t('import.reason')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {summary.invalidRows.slice(0, 50).map((r) => (
                    <Table.Tr key={`i${r.rowNo}`}>
                      <Table.Td>{r.rowNo}</Table.Td>
                      <Table.Td>{r.reasons.map((x) => codeText(x.code, x.params ?? {})).join(' · ')}</Table.Td>
                    </Table.Tr>
                  ))}
                  {summary.duplicates.slice(0, 50).map((r) => (
                    <Table.Tr key={`d${r.rowNo}`}>
                      <Table.Td>{r.rowNo}</Table.Td>
                      <Table.Td>
                        {codeText(
                          { cin: 'import.duplicate_cin', name_birth: 'import.duplicate_person', already_imported: 'import.already_imported', repeated_in_file: 'import.repeated_in_file' }[r.reason],
                          { fileNo: r.fileNo ?? '', row: r.otherRow ?? '' },
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Group>
              {summary.rejects && (
                <Button variant="default" data-testid="import-rejects" onClick={() => run(() => api.saveFile(summary.rejects!.fileId, summary.rejects!.name))}>
                  {t('import.rejects')}
                </Button>
              )}
              {dry && dry.new > 0 && upload && (
                <Button
                  data-testid="import-commit"
                  onClick={() =>
                    run(async () => {
                      setDone(await api.call('imports.commit', { uploadId: upload.uploadId, lang }));
                      setDry(null);
                      await refreshPending();
                    })
                  }
                >
                  {t('import.commit')}
                </Button>
              )}
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}
