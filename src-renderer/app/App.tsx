import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Center, Loader, Stack, useDirection } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SystemStatus } from '../../src-main/shared/api/system.contract';
import type { UserInfo } from '../../src-main/shared/api/accounts.contract';
import { api } from '../api/client';
import { applyLang, dirOf, initialLang, loadLaterStrings, type Lang } from '../i18n';
import { errorText } from '../lib/errors';
import { AuthSessionContext, type AuthSessionValue } from '../lib/auth-session';
import { LoginPage } from '../features/login/LoginPage';
import { whenIdle } from '../lib/idle';
import { isOfficeNetwork, readDevice, type MainPcStatus } from '../api/client';
import { loadOfficeTimeZone } from '../lib/time-zone';

// The login screen is in the first chunk; the shell, the first-run setup and the pairing screen are fetched when
// needed (issue 15: first load ≤ 1.5 s). While the login screen waits for a password, the shell and the registry are
// fetched in the background, so that logging in does not wait for them either.
// Each waits for the strings of the screens after the login too (i18n/later.ts, not in the first load).
const withStrings = <T,>(chunk: Promise<T>): Promise<T> => Promise.all([chunk, loadLaterStrings()]).then(([m]) => m);
const loadShell = () => withStrings(import('./Shell'));
const Shell = lazy(() => loadShell().then((m) => ({ default: m.Shell })));
const SetupPage = lazy(() => withStrings(import('../features/setup/SetupPage')).then((m) => ({ default: m.SetupPage })));
const PairingPage = lazy(() => withStrings(import('../features/network/PairingPage')).then((m) => ({ default: m.PairingPage })));
const prefetchShell = () =>
  whenIdle(() => {
    void loadShell().catch(() => undefined);
    void import('./routes').then((m) => m.featureRoutes[0]?.page?.load());
  });

type Phase =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'setup'; notice?: string }
  | { kind: 'login'; notice?: string }
  | { kind: 'pair'; notice?: string }
  | { kind: 'app'; user: UserInfo };

/** Boot: is the installation set up? is there a live session? then setup, login or the shell. */
export function App() {
  const { t } = useTranslation('common');
  const [lang, setLang] = useState<Lang>(initialLang);
  const [status, setStatus] = useState<SystemStatus | null>(null);
  const [mainPc, setMainPc] = useState<MainPcStatus | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const direction = useDirection();
  // useDirection() is a new object at each render: held in a ref so that changeLang (and boot, which
  // depends on it) keep one identity. Otherwise a language switch re-ran boot, which showed the loader and
  // remounted the setup form or the whole shell: forms in progress, filters and scroll were lost (issue 15).
  const directionRef = useRef(direction);
  directionRef.current = direction;

  const changeLang = useCallback((l: Lang) => {
    applyLang(l);
    directionRef.current.setDirection(dirOf(l));
    setLang(l);
  }, []);

  useEffect(() => {
    applyLang(lang);
    direction.setDirection(dirOf(lang));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, with the language the app starts in: later switches go through changeLang
  }, []);

  const boot = useCallback(async (notice?: string) => {
    setPhase({ kind: 'loading' });
    // A browser on the office network that has not been paired: the pairing screen first (issue 17).
    if (isOfficeNetwork() && !readDevice()) return setPhase({ kind: 'pair' });
    try {
      // A workstation of the office's main PC (chosen at first run): everything then goes to the main PC. The
      // questions at once (the bridge forwards system.status to the main PC by itself): the login form waits for one
      // round trip, not several (issue 15: first load). The office zone's offsets come from the backend, before any
      // time is written (the browser's zone data may be old).
      const [mp, st] = await Promise.all([api.mainPc({ action: 'status' }).catch(() => null), api.call('system.status', {}), loadOfficeTimeZone()]);
      setMainPc(mp);
      api.workstation = mp?.mode === 'client';
      setStatus(st);
      if (!st.setupDone) return setPhase({ kind: 'setup', notice });
      if (api.sessionToken) {
        try {
          const me = await api.call('auth.me', {}, { silent: true });
          changeLang(me.language);
          return setPhase({ kind: 'app', user: me });
        } catch {
          api.setSession(null);
        }
      }
      setPhase({ kind: 'login' });
    } catch (e) {
      setPhase({ kind: 'failed', message: errorText(e) });
    }
  }, [changeLang]);

  useEffect(() => {
    void boot();
  }, [boot]);

  useEffect(
    () =>
      api.onDeviceLost((err) => {
        api.setSession(null);
        // A browser on the office network pairs again on its page; a workstation app gets the first-run choice back.
        if (isOfficeNetwork()) setPhase({ kind: 'pair', notice: errorText(err) });
        else void boot(errorText(err));
      }),
    [boot],
  );

  useEffect(
    () =>
      api.onSessionLost((err) => {
        setPhase({ kind: 'login', notice: errorText(err) });
      }),
    [],
  );

  const onLoggedIn = useCallback(
    (token: string, user: UserInfo) => {
      api.setSession(token);
      void loadOfficeTimeZone();
      changeLang(user.language);
      setPhase({ kind: 'app', user });
    },
    [changeLang],
  );

  const session = useMemo<AuthSessionValue | null>(() => {
    if (phase.kind !== 'app' || !status) return null;
    return {
      status,
      user: phase.user,
      lang,
      async setLanguage(l: Lang) {
        changeLang(l);
        try {
          const u = await api.call('users.setLanguage', { language: l });
          setPhase({ kind: 'app', user: u });
        } catch (e) {
          console.error('could not remember the language', e);
        }
      },
      async logout() {
        try {
          await api.call('auth.logout', {}, { silent: true });
        } catch {
          /* the session may already be gone */
        }
        api.setSession(null);
        setPhase({ kind: 'login' });
      },
      async refreshStatus() {
        setStatus(await api.call('system.status', {}));
      },
    };
  }, [phase, status, lang, changeLang]);

  useEffect(() => {
    if (phase.kind === 'login') prefetchShell();
  }, [phase.kind]);

  const loader = (
    <Center h="100vh">
      <Loader role="status" aria-label={t('loading')} />
    </Center>
  );
  switch (phase.kind) {
    case 'loading':
      return loader;
    case 'failed':
      return (
        <Center h="100vh">
          <Stack>
            <Alert color="red">{phase.message}</Alert>
            <Button onClick={() => void boot()}>{t('retry')}</Button>
          </Stack>
        </Center>
      );
    case 'pair':
      return (
        <Suspense fallback={loader}>
          <PairingPage lang={lang} onLang={changeLang} notice={phase.notice} onPaired={() => void boot()} />
        </Suspense>
      );
    case 'setup':
      return (
        <Suspense fallback={loader}>
          <SetupPage lang={lang} onLang={changeLang} notice={phase.notice} onDone={() => void boot()} />
        </Suspense>
      );
    case 'login':
      return (
        <LoginPage
          lang={lang}
          onLang={changeLang}
          status={status}
          notice={phase.notice}
          onLoggedIn={onLoggedIn}
          mainPc={mainPc?.mode === 'client' ? { address: mainPc.address, onForget: () => void api.mainPc({ action: 'forget' }).then(() => boot(), () => boot()) } : null}
        />
      );
    case 'app':
      return (
        <AuthSessionContext.Provider value={session}>
          <Suspense fallback={loader}>
            <Shell />
          </Suspense>
        </AuthSessionContext.Provider>
      );
  }
}
