import { useCallback, useState } from 'react';
import { Alert, Button, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ChartPoint, DashboardData } from '../../../src-main/shared/api/reports.contract';
import { api } from '../../api/client';
import { errorText } from '../../lib/errors';
import { can } from '../../lib/permissions';
import { useAuthSession } from '../../lib/auth-session';
import { currentLang } from '../../i18n';
import { ConsentPending } from './ConsentPending';
import { ImportCard } from './ImportCard';
import { useApiQuery } from '../../lib/useApi';
import { integer, num, percent, todayLocal } from '../../lib/format';
import { PeriodPicker } from '../../components/PeriodPicker';
import { ProvinceTables } from './ProvinceTable';

type TotalKey = 'registeredInPeriod' | 'registeredToDate' | 'sessions' | 'hours' | 'attendanceRate' | 'attestations' | 'financed';

/** A dashboard figure in the language's writing (docs/FORMAT.md): 52,5 · 1 234 · 87 % (fr) / 87% (ar). */
function totalText(totals: DashboardData['totals'], k: TotalKey): string {
  if (k === 'attendanceRate') return totals.attendanceRate === null ? '—' : percent(totals.attendanceRate);
  if (k === 'hours') return num(totals.hours, { maxDecimals: 1 });
  return integer(totals[k]);
}

type Msg = { ok: boolean; text: string } | null;

const defaultPeriod = () => todayLocal().slice(0, 7);

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
              {integer(p.value)}
            </Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

export function ReportsPage() {
  const { t } = useTranslation('reports');
  const s = useAuthSession();
  const [period, setPeriod] = useState(defaultPeriod());
  // The dashboard shows the period asked for with "show" (choosing a period does not reload it).
  const [shownPeriod, setShownPeriod] = useState(period);
  const dashboard = useApiQuery('reports.dashboard', { period: shownPeriod });
  const d: DashboardData | null = dashboard.data;
  const [m, setM] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState(0);
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
  const show = () => {
    setM(null);
    if (period === shownPeriod) void dashboard.reload();
    else setShownPeriod(period);
  };
  const lang = currentLang();
  return (
    <Stack gap="lg" maw={1200}>
      <Title order={2}>{t('title')}</Title>
      <Group align="end">
        <PeriodPicker label={t('period')} value={period} onChange={setPeriod} />
        <Button onClick={show} data-testid="report-show">
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
      {(busy || dashboard.loading) && <Loader size="sm" />}
      {m ? <Alert color={m.ok ? 'green' : 'red'}>{m.text}</Alert> : dashboard.error && <Alert color="red">{dashboard.error}</Alert>}
      {d && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="dashboard-totals">
            {(['registeredInPeriod', 'registeredToDate', 'sessions', 'hours', 'attendanceRate', 'attestations', 'financed'] as const).map((k) => (
              <Paper key={k} withBorder p="sm">
                <Text size="sm" c="dimmed">
                  {t(`totals.${k}`)}
                </Text>
                <Text fw={700} size="xl" data-testid={`total-${k}`}>
                  {totalText(d.totals, k)}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Bars title={t('charts.months')} points={d.registrationsByMonth} testId="chart-months" />
            <Bars title={t('charts.funnel')} points={d.funnel} testId="chart-funnel" />
            <Bars title={t('charts.communes')} points={d.communes.slice(0, 12)} testId="chart-communes" />
            <Bars title={t('charts.categories')} points={d.categories} testId="chart-categories" />
            {d.provinces && <Bars title={t('charts.provinces')} points={d.provinces} testId="chart-provinces" />}
          </SimpleGrid>
          {d.provinceTable && <ProvinceTables data={d.provinceTable} />}
        </>
      )}
      {can(s.user.role, 'imports.preview') && <ImportCard onImported={() => setImported((n) => n + 1)} />}
      {can(s.user.role, 'imports.consentPending') && <ConsentPending reload={imported} />}
    </Stack>
  );
}
