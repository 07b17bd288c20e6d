import { Paper, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DashboardData, ProvinceFigures } from '../../../src-main/shared/api/reports.contract';
import { currentLang } from '../../i18n';
import { integer, num } from '../../lib/format';

type Breakdown = NonNullable<DashboardData['provinceTable']>;
type Column = { key: string; label: string; value: (r: ProvinceFigures) => string };

/**
 * A table whose first column names the province (from the territories' names) and whose other columns are figures
 * written by the shared format module. The table follows the page's direction: in Arabic the province is on the right
 * and the columns read right to left; the figures are centred under their heading in both directions.
 */
function FiguresTable({ title, hint, columns, data, testId }: { title: string; hint: string; columns: Column[]; data: Breakdown; testId: string }) {
  const { t } = useTranslation('reports');
  const lang = currentLang();
  const row = (r: ProvinceFigures, total = false) => (
    <Table.Tr key={r.key} data-testid={total ? `${testId}-total` : `${testId}-row`} data-province={total ? undefined : r.key} fw={total ? 700 : undefined}>
      <Table.Th scope="row" fw={total ? 700 : 600}>
        {total ? t('byProvince.total') : lang === 'ar' ? r.labelAr : r.labelFr}
      </Table.Th>
      {columns.map((c) => (
        <Table.Td key={c.key} ta="center" data-col={c.key}>
          <bdi>{c.value(r)}</bdi>
        </Table.Td>
      ))}
    </Table.Tr>
  );
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Text fw={600}>{title}</Text>
      <Text size="sm" c="dimmed" mb="xs">
        {hint}
      </Text>
      <Table.ScrollContainer minWidth={900}>
        <Table striped withTableBorder withColumnBorders fz="sm" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('byProvince.province')}</Table.Th>
              {columns.map((c) => (
                <Table.Th key={c.key} scope="col" ta="center" data-col={c.key}>
                  {c.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>{data.rows.map((r) => row(r))}</Table.Tbody>
          <Table.Tfoot>{row(data.total, true)}</Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** The region's dashboard: the main indicators, then the path, by province (names, never codes). */
export function ProvinceTables({ data }: { data: Breakdown }) {
  const { t } = useTranslation('reports');
  const lang = currentLang();
  const int = (k: 'registeredInPeriod' | 'registeredToDate' | 'women' | 'projectHolders' | 'difficultSituation' | 'sessions' | 'attestations' | 'financed' | 'notRetained' | 'droppedOut') =>
    ({ key: k, label: t(`byProvince.${k}`), value: (r: ProvinceFigures) => integer(r[k]) }) satisfies Column;
  const main: Column[] = [
    int('registeredInPeriod'),
    int('registeredToDate'),
    int('women'),
    int('projectHolders'),
    int('difficultSituation'),
    // Disability only reaches the roles that see sensitive data: for the others the backend sends no figure.
    ...(data.total.disability === null ? [] : [{ key: 'disability', label: t('byProvince.disability'), value: (r: ProvinceFigures) => integer(r.disability ?? 0) }]),
    int('sessions'),
    { key: 'hours', label: t('byProvince.hours'), value: (r) => num(r.hours, { maxDecimals: 1 }) },
    int('attestations'),
    int('financed'),
  ];
  const path: Column[] = [
    ...data.steps.map((s, i) => ({ key: s.key, label: lang === 'ar' ? s.labelAr : s.labelFr, value: (r: ProvinceFigures) => integer(r.steps[i] ?? 0) })),
    int('notRetained'),
    int('droppedOut'),
  ];
  return (
    <>
      <FiguresTable title={t('byProvince.title')} hint={t('byProvince.hint')} columns={main} data={data} testId="province-table" />
      <FiguresTable title={t('byProvince.pathTitle')} hint={t('byProvince.pathHint')} columns={path} data={data} testId="province-path" />
    </>
  );
}
