import { Suspense, useEffect, useMemo } from 'react';
import { AppShell, Badge, Button, Center, Group, Loader, NavLink, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAuthSession } from '../lib/auth-session';
import { featureRoutes } from './routes';
import { href, navigate, useRoute } from '../lib/router';
import { can } from '../lib/permissions';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { NotAvailable } from './NotAvailable';
import { LockScreen } from './LockScreen';
import { useIdleLock } from '../lib/useIdleLock';
import { ExchangeReminder } from './ExchangeReminder';
import { DatabaseCheckBanner } from './DatabaseCheckBanner';
import { whenIdle } from '../lib/idle';

/** The app after login: header (office, user, language, logout), navigation, the current section, the screen lock. */
export function Shell() {
  const { t } = useTranslation('common');
  const s = useAuthSession();
  const [section, ...params] = useRoute();
  const visible = useMemo(() => featureRoutes.filter((r) => !r.access || can(s.user.role, r.access)), [s.user.role]);
  const current = featureRoutes.find((r) => r.key === section);
  const allowed = current && visible.includes(current);
  const { locked, minutes, unlock } = useIdleLock();

  useEffect(() => {
    if (!section && visible[0]) navigate(visible[0].key);
  }, [section, visible]);

  // The other sections' code is fetched while the user reads the first one, one at a time when the page is idle:
  // a click on the navigation then shows the section without waiting for its chunk.
  useEffect(() => {
    let stop = false;
    const queue = visible.filter((r) => r.page);
    const next = () => {
      const r = queue.shift();
      if (stop || !r?.page) return;
      void r.page.load().then(() => whenIdle(next), () => whenIdle(next));
    };
    whenIdle(next);
    return () => {
      stop = true;
    };
  }, [visible]);

  const officeName = s.status.office ? (s.lang === 'ar' ? s.status.office.nameAr : s.status.office.nameFr) : '';
  const Page = current?.page;

  return (
    <>
      <AppShell header={{ height: 64 }} navbar={{ width: 220, breakpoint: 0 }} padding="md" inert={locked || undefined} aria-hidden={locked || undefined}>
        <AppShell.Header className="app-header">
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Stack gap={0} className="header-title">
              <Title order={1} size="h4" data-testid="office-name">
                {officeName}
              </Title>
              <Text size="xs" c="dimmed">
                {t('appName')} · {t('programme')}
              </Text>
            </Stack>
            <Group gap="sm" wrap="nowrap">
              <Stack gap={0} align="flex-end" className="header-user">
                <Text size="sm" fw={600} data-testid="user-name">
                  {s.user.displayName}
                </Text>
                <Badge size="xs" variant="light" data-testid="user-role">
                  {t(`roles.${s.user.role}`)}
                </Badge>
              </Stack>
              <LanguageSwitch value={s.lang} onChange={(l) => void s.setLanguage(l)} />
              <Button variant="default" size="xs" onClick={() => void s.logout()} data-testid="logout">
                {t('logout')}
              </Button>
            </Group>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label={t('nav.label')} component="nav">
          {visible.map((r) => (
            <NavLink key={r.key} href={href(r.key)} label={t(r.label)} active={r.key === section} data-testid={`nav-${r.key}`} />
          ))}
        </AppShell.Navbar>
        <AppShell.Main>
          <DatabaseCheckBanner />
          <ExchangeReminder section={section} />
          {!section ? null : !current ? (
            <Text>{t('notFound')}</Text>
          ) : !allowed ? (
            <Text>{t('forbiddenPage')}</Text>
          ) : Page ? (
            <Suspense
              fallback={
                <Center p="xl">
                  <Loader role="status" aria-label={t('loading')} />
                </Center>
              }
            >
              <Page key={current.key} params={params} />
            </Suspense>
          ) : (
            <NotAvailable />
          )}
        </AppShell.Main>
      </AppShell>
      {locked && <LockScreen username={s.user.username} displayName={s.user.displayName} minutes={minutes} onUnlocked={unlock} onSwitchUser={() => void s.logout()} />}
    </>
  );
}

