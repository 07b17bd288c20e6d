import { useState } from 'react';
import { Alert, Button, Paper, PasswordInput, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorText, fieldErrors } from '../../lib/errors';
import { useAuthSession } from '../../lib/auth-session';
import { useApiQuery } from '../../lib/useApi';
import { formatDateTime, integer } from '../../lib/format';
import type { Lang } from '../../i18n';

/** Every user's own account (issue 15): her password, her interface language, her last logins. */
export function AccountPage() {
  const { t } = useTranslation('account');
  return (
    <Stack gap="lg" maw={820} data-testid="account-page">
      <Title order={2}>{t('title')}</Title>
      <PasswordSection />
      <LanguageSection />
      <LoginsSection />
    </Stack>
  );
}

function PasswordSection() {
  const { t } = useTranslation('account');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setMessage(null);
    setErrors({});
    if (next !== confirm) {
      setErrors({ confirm: t('password.mismatch') });
      return;
    }
    setBusy(true);
    try {
      await api.call('auth.changePassword', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setConfirm('');
      setMessage({ ok: true, text: t('password.done') });
    } catch (err) {
      const fe = fieldErrors(err);
      // The backend names the fields as its input does: currentPassword / newPassword.
      const shown = { current: fe.currentPassword, new: fe.newPassword };
      if (shown.current || shown.new) setErrors(Object.fromEntries(Object.entries(shown).filter(([, v]) => v)) as Record<string, string>);
      else setMessage({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate data-testid="account-password-form">
        <Stack gap="sm" maw={420}>
          <Title order={3}>{t('password.title')}</Title>
          <PasswordInput label={t('password.current')} required autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.currentTarget.value)} error={errors.current} data-testid="account-current" />
          <PasswordInput
            label={t('password.new')}
            required
            autoComplete="new-password"
            description={t('password.rules')}
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            error={errors.new}
            data-testid="account-new"
          />
          <PasswordInput label={t('password.confirm')} required autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} error={errors.confirm} data-testid="account-confirm" />
          {message && (
            <Alert color={message.ok ? 'green' : 'red'} role={message.ok ? 'status' : 'alert'} data-testid="account-password-msg">
              {message.text}
            </Alert>
          )}
          <div>
            <Button type="submit" loading={busy} data-testid="account-password-save">
              {t('password.save')}
            </Button>
          </div>
        </Stack>
      </form>
    </Paper>
  );
}

function LanguageSection() {
  const { t } = useTranslation('account');
  const tc = useTranslation('common').t;
  const s = useAuthSession();
  return (
    <Paper withBorder p="md">
      <Radio.Group label={<Title order={3}>{t('language.title')}</Title>} description={t('language.hint')} value={s.lang} onChange={(v) => void s.setLanguage(v as Lang)} data-testid="account-language">
        <Stack gap="xs" mt="xs">
          <Radio value="ar" label={<span lang="ar" dir="rtl">{tc('langAr')}</span>} data-testid="account-language-ar" />
          <Radio value="fr" label={<span lang="fr" dir="ltr">{tc('langFr')}</span>} data-testid="account-language-fr" />
        </Stack>
      </Radio.Group>
    </Paper>
  );
}

function LoginsSection() {
  const { t } = useTranslation('account');
  const logins = useApiQuery('auth.myLogins', { limit: 20 });
  const items = logins.data?.items ?? [];
  const failed = items.filter((i) => i.outcome !== 'ok').length;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3}>{t('logins.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('logins.hint')}
        </Text>
        {logins.error && <Alert color="red">{logins.error}</Alert>}
        {logins.data && !items.length && <Text>{t('logins.none')}</Text>}
        {failed > 0 && (
          <Text size="sm" fw={600} c="red.9" data-testid="account-failed-count">
            {t('logins.failedCount', { n: integer(failed) })}
          </Text>
        )}
        {items.length > 0 && (
          <Table striped data-testid="account-logins">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('logins.when')}</Table.Th>
                <Table.Th>{t('logins.where')}</Table.Th>
                <Table.Th>{t('logins.result')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((i, n) => (
                <Table.Tr key={n} data-testid="account-login" data-outcome={i.outcome}>
                  <Table.Td>
                    <bdi dir="ltr">{formatDateTime(i.at)}</bdi>
                  </Table.Td>
                  <Table.Td>{i.workstation ? <bdi>{i.workstation}</bdi> : t('logins.here')}</Table.Td>
                  <Table.Td c={i.outcome === 'ok' ? undefined : 'red.9'}>{t(`logins.${i.outcome}`)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
