import { Tabs, Title, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PageProps } from '../../lib/page';
import { navigate } from '../../lib/router';
import { CalendarView } from './CalendarView';
import { CohortsTab, OrganisationsTab } from './CohortsTab';
import { CohortPage } from './CohortPage';
import { SessionPage } from './SessionPage';
import { ApplicantTrainingPage } from './ApplicantTrainingPage';
import { SettingsTab } from './SettingsTab';
import { can } from '../../lib/permissions';
import { useAuthSession } from '../../lib/auth-session';

/**
 * Training and mentoring: `#/sessions` (calendar, cohorts, organisations), `#/sessions/cohort/ID`,
 * `#/sessions/session/ID` (the attendance checklist), `#/sessions/applicant/ID` (her hours and eligibility).
 */
export function SessionsPage({ params }: PageProps) {
  const { t } = useTranslation('sessions');
  const s = useAuthSession();
  const head = can(s.user.role, 'sessions.setCriteria');
  const [what, id] = params;
  if (what === 'cohort' && id) return <CohortPage id={id} />;
  if (what === 'session' && id) return <SessionPage id={id} />;
  if (what === 'applicant' && id) return <ApplicantTrainingPage id={id} />;
  const tab = what === 'cohorts' || what === 'organisations' || (what === 'settings' && head) ? what : 'calendar';
  return (
    <Stack gap="md">
      <Title order={2}>{t('title')}</Title>
      <Tabs value={tab} onChange={(v) => navigate('sessions', v ?? 'calendar')} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="calendar" data-testid="tab-calendar">
            {t('tabs.calendar')}
          </Tabs.Tab>
          <Tabs.Tab value="cohorts" data-testid="tab-cohorts">
            {t('tabs.cohorts')}
          </Tabs.Tab>
          <Tabs.Tab value="organisations" data-testid="tab-organisations">
            {t('tabs.organisations')}
          </Tabs.Tab>
          {head && (
            <Tabs.Tab value="settings" data-testid="tab-settings">
              {t('tabs.settings')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="calendar" pt="md">
          <CalendarView />
        </Tabs.Panel>
        <Tabs.Panel value="cohorts" pt="md">
          <CohortsTab />
        </Tabs.Panel>
        <Tabs.Panel value="organisations" pt="md">
          <OrganisationsTab />
        </Tabs.Panel>
        {head && (
          <Tabs.Panel value="settings" pt="md">
            <SettingsTab />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
