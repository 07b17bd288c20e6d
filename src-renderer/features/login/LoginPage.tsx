import { useState } from 'react';
import { Alert, Button, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SystemStatus } from '../../../src-main/shared/api/system.contract';
import type { UserInfo } from '../../../src-main/shared/api/accounts.contract';
import { api } from '../../api/client';
import { errorText } from '../../lib/errors';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import type { Lang } from '../../i18n';
import { UnlockAdminWithRecovery } from '../../components/RecoveryPanels';

/** Login: errors shown as translated messages (wrong password, temporary lockout with its minutes). */
export function LoginPage(props: {
  lang: Lang;
  onLang: (l: Lang) => void;
  status: SystemStatus | null;
  notice?: string;
  onLoggedIn: (token: string, user: UserInfo) => void;
  /** A workstation of the office's main PC (issue 17): its address, and a way to pair with another main PC. */
  mainPc?: { address: string | null; onForget: () => void } | null;
}) {
  const { t } = useTranslation('auth');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // After an administrator reset her password, the server answers nothing else until she sets a new one.
  const [pending, setPending] = useState<{ token: string; user: UserInfo; current: string } | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const office = props.status?.office;

  const submitNew = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!pending) return;
    setError(null);
    if (newPassword !== confirm) {
      setError(t('login.mismatch'));
      return;
    }
    setBusy(true);
    try {
      await api.call('auth.changePassword', { currentPassword: pending.current, newPassword });
      setNewPassword('');
      setConfirm('');
      props.onLoggedIn(pending.token, pending.user);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.call('auth.login', { username, password });
      setPassword('');
      if (r.mustChangePassword) {
        api.setSession(r.token);
        setPending({ token: r.token, user: r.user, current: password });
        return;
      }
      props.onLoggedIn(r.token, r.user);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <div className="auth-lang">
        <LanguageSwitch value={props.lang} onChange={props.onLang} />
      </div>
      <Paper withBorder shadow="sm" p="xl" className="auth-card">
        {pending ? (
          <form onSubmit={submitNew} data-testid="change-password-form">
            <Stack>
              <Title order={1} size="h2">
                {t('login.changeTitle')}
              </Title>
              <Text size="sm">{t('login.changeIntro')}</Text>
              <PasswordInput label={t('login.newPassword')} autoComplete="new-password" value={newPassword} onChange={(e) => setNewPassword(e.currentTarget.value)} required data-testid="new-password" />
              <PasswordInput label={t('login.confirmPassword')} autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} required data-testid="confirm-password" />
              {error && (
                <Alert color="red" data-testid="login-error" role="alert">
                  {error}
                </Alert>
              )}
              <Button type="submit" loading={busy} data-testid="change-password-submit">
                {t('login.changeSubmit')}
              </Button>
            </Stack>
          </form>
        ) : (
        <form onSubmit={submit} data-testid="login-form">
          <Stack>
            {office && (
              <Text c="dimmed" size="sm" data-testid="login-office">
                {props.lang === 'ar' ? office.nameAr : office.nameFr}
              </Text>
            )}
            <Title order={1} size="h2">
              {t('login.title')}
            </Title>
            {props.notice && !error && <Alert color="yellow">{props.notice}</Alert>}
            <TextInput label={t('login.username')} dir="ltr" autoComplete="username" value={username} onChange={(e) => setUsername(e.currentTarget.value)} required autoFocus data-testid="login-username" />
            <PasswordInput label={t('login.password')} autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} required data-testid="login-password" />
            {error && (
              <Alert color="red" data-testid="login-error" role="alert">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Stack>
        </form>
        )}
        {!pending && props.mainPc && <MainPcFooter address={props.mainPc.address} onForget={props.mainPc.onForget} />}
        {!pending && !props.mainPc && (
          <Stack mt="md">
            <UnlockAdminWithRecovery />
          </Stack>
        )}
      </Paper>
    </div>
  );
}

/** On a workstation: which main PC it is connected to, and "connect to another main PC" (a replaced main PC). */
function MainPcFooter({ address, onForget }: { address: string | null; onForget: () => void }) {
  const { t } = useTranslation('network');
  return (
    <Stack mt="md" gap={4} data-testid="login-main-pc">
      <Text size="xs" c="dimmed">
        {t('connect.connectedTo', { address: address ?? '' })}
      </Text>
      <Button
        variant="subtle"
        size="compact-xs"
        onClick={() => {
          if (window.confirm(t('connect.forgetConfirm'))) onForget();
        }}
        data-testid="login-forget-main-pc"
      >
        {t('connect.forget')}
      </Button>
    </Stack>
  );
}
