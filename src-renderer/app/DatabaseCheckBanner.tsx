import { useEffect } from 'react';
import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useApiQuery } from '../lib/useApi';

/**
 * The start-up integrity check runs in the background after an unclean close (issue 19, core/security/start-check.ts).
 * While it runs, system.status is read again every few seconds; if it found the database damaged, every screen says
 * so (writes are refused, each with the message naming the last good backup to put back).
 */
export function DatabaseCheckBanner() {
  const { t } = useTranslation('common');
  const status = useApiQuery('system.status', {});
  const state = status.data?.databaseCheck;
  const { reload } = status;
  useEffect(() => {
    if (state !== 'running') return;
    const timer = setTimeout(() => void reload(), 5000);
    return () => clearTimeout(timer);
  }, [state, status.data, reload]);
  if (state !== 'damaged') return null;
  return (
    <Alert color="red" mb="sm" data-testid="database-damaged-banner" title={t('databaseDamaged.title')}>
      <Text size="sm">{t('databaseDamaged.text')}</Text>
    </Alert>
  );
}
