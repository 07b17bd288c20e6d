import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Shown for a section that is not built yet: says so, instead of showing made-up content. */
export function NotAvailable() {
  const { t } = useTranslation('common');
  return (
    <Alert color="gray" title={t('notAvailable.title')} data-testid="not-available">
      {t('notAvailable.body')}
    </Alert>
  );
}
