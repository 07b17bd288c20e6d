import { Anchor, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PageProps } from '../../lib/page';
import { href } from '../../lib/router';
import { ApplicantList } from './ApplicantList';
import { ApplicantForm } from './ApplicantForm';
import { ApplicantPage } from './ApplicantPage';

/** #/applicants → the list; #/applicants/new → registration; #/applicants/ID[/edit] → the file. */
export function ApplicantsRoute({ params }: PageProps) {
  const { t } = useTranslation('applicants');
  const [first, second] = params;
  if (!first) return <ApplicantList />;
  if (first === 'new') {
    return (
      <Stack>
        <Anchor href={href('applicants')}>{t('backToList')}</Anchor>
        <Title order={2}>{t('newApplicant')}</Title>
        <ApplicantForm key="new" />
      </Stack>
    );
  }
  return <ApplicantPage key={`${first}/${second ?? ''}`} id={first} edit={second === 'edit'} />;
}
