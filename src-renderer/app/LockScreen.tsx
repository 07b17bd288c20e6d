import { useState } from 'react';
import { Alert, Button, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { errorText } from '../lib/errors';

/**
 * The screen lock after inactivity: covers the app (which stays mounted, so nothing typed is lost)
 * until the same user types her password again. Failures count towards the account lockout.
 */
export function LockScreen(props: { username: string; displayName: string; minutes: number; onUnlocked: () => void; onSwitchUser: () => void }) {
  const { t } = useTranslation('common');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.call('auth.login', { username: props.username, password });
      // End the session that was open before the lock (the app is covered: nothing else is calling).
      if (api.sessionToken) await api.call('auth.logout', {}, { silent: true }).catch(() => undefined);
      api.setSession(r.token);
      setPassword('');
      props.onUnlocked();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title" data-testid="lock-screen">
      <Paper withBorder shadow="md" p="xl" className="auth-card">
        <form onSubmit={submit}>
          <Stack>
            <Title order={2} id="lock-title">
              {t('lock.title')}
            </Title>
            <Text>{t('lock.body', { minutes: props.minutes })}</Text>
            <Text fw={600}>{t('lock.user', { name: props.displayName })}</Text>
            <PasswordInput label={t('lock.password')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} autoFocus required data-testid="lock-password" />
            {error && (
              <Alert color="red" data-testid="lock-error">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy}>
              {t('lock.unlock')}
            </Button>
            <Button variant="subtle" onClick={props.onSwitchUser}>
              {t('lock.other')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </div>
  );
}
