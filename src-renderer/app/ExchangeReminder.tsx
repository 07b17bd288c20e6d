import { useEffect, useState } from 'react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ExchangeSchedule } from '../../src-main/shared/api/exchange.contract';
import { api } from '../api/client';
import { can } from './permissions';
import { navigate } from './router';
import { useSession } from './session';

/**
 * Reminds whoever sends the province's files to the region (the office head) that the next file is late, on
 * every screen, with a way to the exchange screen. Checked again when the section changes (a cheap read).
 */
export function ExchangeReminder({ section }: { section: string | undefined }) {
  const { t, i18n } = useTranslation('common');
  const s = useSession();
  const applies = s.status.office?.kind === 'province' && can(s.user.role, 'exchange.export');
  const [sched, setSched] = useState<ExchangeSchedule | null>(null);
  useEffect(() => {
    if (!applies) return;
    let live = true;
    api.call('exchange.schedule', {}).then(
      (r) => live && setSched(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [applies, section]);
  if (!applies || !sched?.late || section === 'exchange') return null;
  const date = new Date(sched.nextDueAt).toLocaleDateString(i18n.language === 'fr' ? 'fr-FR' : 'ar-MA', { timeZone: 'UTC' });
  return (
    <Alert color="orange" mb="sm" data-testid="exchange-late-banner">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">{t('exchangeLate.text', { days: sched.daysLate, date })}</Text>
        <Button size="xs" variant="white" color="orange" onClick={() => navigate('exchange')}>
          {t('exchangeLate.send')}
        </Button>
      </Group>
    </Alert>
  );
}
