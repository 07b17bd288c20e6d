import { useMemo, useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Loader, SegmentedControl, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { href } from '../../lib/router';
import { useAuthSession } from '../../lib/auth-session';
import { addDays, fmtHours, label, todayIso } from './shared';
import { useApiQuery } from '../../lib/useApi';
import { range as fmtRange } from '../../lib/format';
import { WeekSheetsButton } from './SheetsBox';
import { SESSIONS_LIVE } from './sessions.live';

type Mode = 'week' | 'month';

function bounds(mode: Mode, anchor: string): { from: string; to: string } {
  if (mode === 'month') {
    const from = `${anchor.slice(0, 7)}-01`;
    const d = new Date(`${from}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + 1);
    d.setUTCDate(0);
    return { from, to: d.toISOString().slice(0, 10) };
  }
  // Weeks start on Monday.
  const dow = (new Date(`${anchor}T00:00:00Z`).getUTCDay() + 6) % 7;
  const from = addDays(anchor, -dow);
  return { from, to: addDays(from, 6) };
}

/** The office's sessions by week or month, with attendance counts; a click opens the checklist. */
export function CalendarView() {
  const { t } = useTranslation('sessions');
  const { lang } = useAuthSession();
  const [mode, setMode] = useState<Mode>('week');
  const [anchor, setAnchor] = useState(todayIso());
  // The month view shows one line per day: only the days' totals are asked for.
  const range = useMemo(() => ({ ...bounds(mode, anchor), detail: mode === 'month' ? ('days' as const) : ('sessions' as const) }), [mode, anchor]);
  const { data, error } = useApiQuery('sessions.range', range, { live: SESSIONS_LIVE });
  const move = (dir: 1 | -1) => {
    if (mode === 'week') setAnchor(addDays(anchor, 7 * dir));
    else {
      const d = new Date(`${anchor.slice(0, 7)}-01T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() + dir);
      setAnchor(d.toISOString().slice(0, 10));
    }
  };
  return (
    <>
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={() => move(-1)} data-testid="cal-prev">
            {t('previous')}
          </Button>
          <Button variant="default" size="xs" onClick={() => setAnchor(todayIso())}>
            {t('today')}
          </Button>
          <Button variant="default" size="xs" onClick={() => move(1)} data-testid="cal-next">
            {t('next')}
          </Button>
          <Text fw={600} data-testid="cal-range" data-from={range.from}>
            {fmtRange(range.from, range.to)}
          </Text>
          {mode === 'week' && <WeekSheetsButton from={range.from} to={range.to} />}
        </Group>
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as Mode)}
          data={[
            { value: 'week', label: t('week') },
            { value: 'month', label: t('month') },
          ]}
          data-testid="cal-mode"
        />
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!data ? (
        !error && <Loader size="sm" />
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="xs" data-testid="cal-totals">
            {t('totals', { sessions: data.totals.sessions, hours: fmtHours(data.totals.hours), present: data.totals.present })}
          </Text>
          {data.days.every((d) => d.sessions === 0) ? (
            <Text>{t('noSessions')}</Text>
          ) : mode === 'month' ? (
            // A month can hold hundreds of sessions: one line per day; a click opens that day's week.
            <Table striped highlightOnHover data-testid="cal-days">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('field.date')}</Table.Th>
                  <Table.Th>{t('field.sessionsCount')}</Table.Th>
                  <Table.Th>{t('field.hours')}</Table.Th>
                  <Table.Th>{t('field.present')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.days
                  .filter((d) => d.sessions > 0)
                  .map((d) => (
                    <Table.Tr key={d.date}>
                      <Table.Td className="ltr-value">
                        <Anchor
                          component="button"
                          onClick={() => {
                            setAnchor(d.date);
                            setMode('week');
                          }}
                          data-testid={`cal-day-${d.date}`}
                        >
                          {d.date}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{d.sessions}</Table.Td>
                      <Table.Td>{fmtHours(Math.round(d.hours * 100) / 100)}</Table.Td>
                      <Table.Td>{d.present}</Table.Td>
                    </Table.Tr>
                  ))}
              </Table.Tbody>
            </Table>
          ) : (
            <Table striped highlightOnHover data-testid="cal-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('field.date')}</Table.Th>
                  <Table.Th>{t('field.kind')}</Table.Th>
                  <Table.Th>{t('field.topic')}</Table.Th>
                  <Table.Th>{t('field.cohort')}</Table.Th>
                  <Table.Th>{t('field.organisation')}</Table.Th>
                  <Table.Th>{t('session.checklist')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.sessions.map((s) => (
                  <Table.Tr key={s.id}>
                    <Table.Td className="ltr-value">
                      <Anchor href={href('sessions', 'session', s.id)}>
                        {s.date} {s.startTime ?? ''}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {t(`kinds.${s.kind}`)} · {t('session.hours', { hours: fmtHours(s.hours) })}
                    </Table.Td>
                    <Table.Td>{lang === 'ar' ? s.topicAr : s.topicFr}</Table.Td>
                    <Table.Td dir="auto">{s.cohortName ?? ''}</Table.Td>
                    <Table.Td>{label({ nameAr: s.organisationNameAr, nameFr: s.organisationNameFr }, lang)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={s.present + s.absent + s.excused >= s.expected ? 'teal' : 'gray'}>
                        {s.present}/{s.expected}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      )}
    </>
  );
}
