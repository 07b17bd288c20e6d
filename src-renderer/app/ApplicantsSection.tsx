import { Anchor, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PageProps } from '../lib/page';
import { href } from '../lib/router';
import { ApplicantsRoute } from '../features/applicants/ApplicantsRoute';
import { ImportCard } from '../features/reports/ImportCard';

/**
 * The registry section: its own routes, and #/applicants/import, the Excel import where staff look for it
 * (issue 15: it lived under Reports only). The shell joins the two features; neither imports the other.
 */
export function ApplicantsSection(props: PageProps) {
  const { t } = useTranslation('applicants');
  if (props.params[0] !== 'import') return <ApplicantsRoute {...props} />;
  return (
    <Stack>
      <Anchor href={href('applicants')}>{t('backToList')}</Anchor>
      <Title order={2}>{t('importTitle')}</Title>
      <ImportCard />
    </Stack>
  );
}
