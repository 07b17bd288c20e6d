import { useState } from 'react';
import { Badge, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { UserInfo } from '../../../src-main/shared/api/accounts.contract';
import { api } from '../../api/client';
import { errorText } from '../../lib/errors';

/** Account administration in Settings → users (office heads): reset password, (de)activate, unlock. */
export function UserActions({ user, onChanged }: { user: UserInfo; onChanged: () => void }) {
  const { t } = useTranslation('security');
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (f: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await f();
      setMsg({ ok: true, text: done });
      setResetting(false);
      setPassword('');
      onChanged();
    } catch (e) {
      setMsg({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap={4}>
      <Group gap={4}>
        <Button size="compact-xs" variant="default" onClick={() => setResetting((r) => !r)} data-testid={`user-reset-${user.username}`}>
          {t('users.reset')}
        </Button>
        <Button
          size="compact-xs"
          variant="default"
          loading={busy}
          onClick={() => void run(() => api.call('users.setActive', { userId: user.id, active: !user.active }), user.active ? t('users.deactivated') : t('users.activated'))}
          data-testid={`user-active-${user.username}`}
        >
          {user.active ? t('users.deactivate') : t('users.activate')}
        </Button>
        {user.locked && (
          <>
            <Badge color="red" variant="light" data-testid={`user-locked-${user.username}`}>
              {t('users.lockedBadge')}
            </Badge>
            <Button size="compact-xs" color="red" loading={busy} onClick={() => void run(() => api.call('users.unlock', { userId: user.id }), t('users.unlocked'))} data-testid={`user-unlock-${user.username}`}>
              {t('users.unlock')}
            </Button>
          </>
        )}
      </Group>
      {resetting && (
        <Group gap={4} align="end">
          <PasswordInput size="xs" label={t('users.newPassword')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} data-testid="user-reset-password" />
          <Button
            size="compact-xs"
            loading={busy}
            disabled={!password}
            onClick={() => void run(() => api.call('users.resetPassword', { userId: user.id, newPassword: password }), t('users.resetDone'))}
            data-testid="user-reset-submit"
          >
            {t('users.resetSubmit')}
          </Button>
        </Group>
      )}
      {msg && (
        <Text size="xs" c={msg.ok ? 'green' : 'red'} data-testid="user-action-message">
          {msg.text}
        </Text>
      )}
    </Stack>
  );
}
