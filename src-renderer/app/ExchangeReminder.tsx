import { useEffect, useRef } from 'react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExchangeSchedule } from '../../src-main/shared/api/exchange.contract';
import { useApiQuery } from '../lib/useApi';
import { can } from '../lib/permissions';
import { navigate } from '../lib/router';
import { useAuthSession } from '../lib/auth-session';
import { showDate } from '../lib/lookups';

/**
 * Reminds whoever sends the province's files to the region (the office head) that the next file is late, on
 * every screen, with a way to the exchange screen. Read at login and again on leaving the exchange screen (where a
 * file may have been made): exchange.schedule counts the changes not sent yet, ~0.1 s on a 100,000-file office,
 * too much for every change of screen.
 */
export function ExchangeReminder({ section }: { section: string | undefined }) {
  const { t } = useTranslation('common');
  const s = useAuthSession();
  const applies = s.status.office?.kind === 'province' && can(s.user.role, 'exchange.export');
  // A failure leaves the banner as it was (nothing to show, or the last answer).
  const schedule = useApiQuery('exchange.schedule', {}, { enabled: applies });
  const sched: ExchangeSchedule | null = schedule.data;
  const previous = useRef(section);
  const { reload } = schedule;
  useEffect(() => {
    if (previous.current === 'exchange' && section !== 'exchange' && applies) void reload();
    previous.current = section;
  }, [section, applies, reload]);
  if (!applies || !sched?.late || section === 'exchange') return null;
  return (
    <Alert color="orange" mb="sm" data-testid="exchange-late-banner">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{t('exchangeLate.text', { days: sched.daysLate, date: showDate(sched.nextDueAt) })}</Text>
        <Button size="xs" variant="white" color="orange" onClick={() => navigate('exchange')}>
          {t('exchangeLate.send')}
        </Button>
      </Group>
    </Alert>
  );
}
