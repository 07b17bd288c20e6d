import { Group, Input, NativeSelect, SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { monthNames } from '../../src-main/shared/format';
import { todayLocal } from '../lib/format';

export type PeriodKind = 'month' | 'quarter' | 'year';

/** A report period as the API takes it (`PeriodSchema`): `2026`, `2026-11` or `2026-Q4`. */
export function parsePeriod(p: string): { kind: PeriodKind; year: number; month: number; quarter: number } {
  const m = /^(\d{4})(?:-(\d{2})|-Q([1-4]))?$/.exec(p);
  const year = m ? Number(m[1]) : Number(todayLocal().slice(0, 4));
  if (m?.[2]) return { kind: 'month', year, month: Number(m[2]), quarter: Math.ceil(Number(m[2]) / 3) };
  if (m?.[3]) return { kind: 'quarter', year, month: (Number(m[3]) - 1) * 3 + 1, quarter: Number(m[3]) };
  return { kind: 'year', year, month: 1, quarter: 1 };
}

export function formatPeriod(kind: PeriodKind, year: number, month: number, quarter: number): string {
  if (kind === 'year') return String(year);
  if (kind === 'quarter') return `${year}-Q${quarter}`;
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** The first year offered: the programme's files start in 2024. */
const FIRST_YEAR = 2024;

/**
 * The report period chosen, never typed (issue 15): a month, a quarter or a year, with the months' names as written
 * in Morocco (Arabic) or in French. The value stays the API's period (`2026-11`, `2026-Q4`, `2026`); the
 * wrapper carries it as `data-period` for the tests.
 */
export function PeriodPicker({ value, onChange, label }: { value: string; onChange: (period: string) => void; label: string }) {
  const { t, i18n } = useTranslation('pickers');
  const lang = i18n.language === 'fr' ? 'fr' : 'ar';
  const p = parsePeriod(value);
  const thisYear = Number(todayLocal().slice(0, 4));
  const years: number[] = [];
  for (let y = thisYear; y >= Math.min(FIRST_YEAR, p.year); y--) years.push(y);
  const set = (u: Partial<typeof p>) => {
    const n = { ...p, ...u };
    onChange(formatPeriod(n.kind, n.year, n.month, n.quarter));
  };
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return (
    <Input.Wrapper label={label} labelElement="div" data-testid="report-period" data-period={value}>
      <Group gap="xs" wrap="nowrap" role="group" aria-label={label}>
        <SegmentedControl
          aria-label={t('period.kind')}
          value={p.kind}
          onChange={(k) => set({ kind: k as PeriodKind })}
          data={(['month', 'quarter', 'year'] as const).map((k) => ({ value: k, label: t(`period.${k}`) }))}
          data-testid="period-kind"
        />
        {p.kind === 'month' && (
          <NativeSelect
            aria-label={t('period.theMonth')}
            value={String(p.month)}
            onChange={(e) => set({ month: Number(e.currentTarget.value) })}
            data={monthNames(lang).map((m, i) => ({ value: String(i + 1), label: cap(m) }))}
            data-testid="period-month"
          />
        )}
        {p.kind === 'quarter' && (
          <NativeSelect
            aria-label={t('period.theQuarter')}
            value={String(p.quarter)}
            onChange={(e) => set({ quarter: Number(e.currentTarget.value) })}
            data={[1, 2, 3, 4].map((q) => ({ value: String(q), label: t(`period.q${q}`) }))}
            data-testid="period-quarter"
          />
        )}
        <NativeSelect
          aria-label={t('period.theYear')}
          value={String(p.year)}
          onChange={(e) => set({ year: Number(e.currentTarget.value) })}
          data={years.map((y) => String(y))}
          data-testid="period-year"
        />
      </Group>
    </Input.Wrapper>
  );
}
