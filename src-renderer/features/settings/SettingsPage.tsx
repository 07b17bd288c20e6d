import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Code, Group, Loader, NativeSelect, NumberInput, Paper, PasswordInput, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { OfficeInfo } from '../../../src-main/shared/api/system.contract';
import type { UserInfo } from '../../../src-main/shared/api/accounts.contract';
import type { Role } from '../../../src-main/shared/roles';
import { api, isOfficeNetwork } from '../../api/client';
import { errorText, fieldErrors } from '../../lib/errors';
import { can } from '../../lib/permissions';
import { useAuthSession } from '../../lib/auth-session';
import { lockMinutes, setLockMinutes } from '../../lib/useIdleLock';
import { UserActions } from './UserActions';
import { OfficeNetworkPanel } from './OfficeNetworkPanel';
import { useApiQuery } from '../../lib/useApi';

type OfficeForm = Pick<OfficeInfo, 'nameAr' | 'nameFr' | 'addressAr' | 'addressFr' | 'signatoryTitleAr' | 'signatoryTitleFr'>;
const OFFICE_FIELDS: { key: keyof OfficeForm; dir: 'rtl' | 'ltr' }[] = [
  { key: 'nameAr', dir: 'rtl' },
  { key: 'nameFr', dir: 'ltr' },
  { key: 'addressAr', dir: 'rtl' },
  { key: 'addressFr', dir: 'ltr' },
  { key: 'signatoryTitleAr', dir: 'rtl' },
  { key: 'signatoryTitleFr', dir: 'ltr' },
];

/** Office settings (names, address, signatory), the signing key fingerprint, users, the screen lock delay. */
export function SettingsPage() {
  const { t } = useTranslation('settings');
  const s = useAuthSession();
  return (
    <Stack gap="lg" maw={960}>
      <Title order={2}>{t('title')}</Title>
      <OfficeSection />
      {can(s.user.role, 'users.list') && <UsersSection />}
      {can(s.user.role, 'network.configure') && !isOfficeNetwork() && <OfficeNetworkPanel />}
      <LockSection />
    </Stack>
  );
}

function OfficeSection() {
  const { t } = useTranslation('settings');
  const tc = useTranslation('common').t;
  const s = useAuthSession();
  const editable = can(s.user.role, 'settings.update');
  const office = useApiQuery('settings.get', {});
  const info: (OfficeInfo & { fingerprint: string }) | null = office.data;
  const [form, setForm] = useState<OfficeForm | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // The form starts from the office's settings once they are read.
  useEffect(() => {
    if (info) setForm({ nameAr: info.nameAr, nameFr: info.nameFr, addressAr: info.addressAr, addressFr: info.addressFr, signatoryTitleAr: info.signatoryTitleAr, signatoryTitleFr: info.signatoryTitleFr });
  }, [info]);

  if (!form || !info) {
    const failed = message?.text ?? office.error;
    return failed ? <Alert color="red">{failed}</Alert> : <Loader size="sm" />;
  }

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    setErrors({});
    try {
      await api.call('settings.update', form);
      await s.refreshStatus();
      setMessage({ ok: true, text: tc('saved') });
    } catch (err) {
      const fe = fieldErrors(err);
      setErrors(fe);
      setMessage({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md">
      <form onSubmit={save} data-testid="office-form">
        <Stack>
          <Group justify="space-between">
            <Title order={3}>{t('office.title')}</Title>
            <Badge variant="outline">
              {t('office.code')}: <span className="ltr-value">{info.code}</span>
            </Badge>
          </Group>
          {!editable && (
            <Text size="sm" c="dimmed" data-testid="office-readonly">
              {t('office.readOnly')}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {OFFICE_FIELDS.map((f) => (
              <TextInput
                key={f.key}
                label={t(`office.${f.key}`)}
                dir={f.dir}
                value={form[f.key]}
                readOnly={!editable}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setForm((x) => (x ? { ...x, [f.key]: v } : x));
                }}
                error={errors[f.key]}
                data-testid={`office-${f.key}`}
              />
            ))}
          </SimpleGrid>
          {message && (
            <Alert color={message.ok ? 'teal' : 'red'} data-testid="office-message">
              {message.text}
            </Alert>
          )}
          {editable && (
            <Group>
              <Button type="submit" loading={busy} data-testid="office-save">
                {tc('save')}
              </Button>
            </Group>
          )}
          <Stack gap={4}>
            <Text fw={600}>{t('key.title')}</Text>
            <Text size="sm">
              {t('key.fingerprint')}: <Code className="mono" data-testid="office-fingerprint">{info.fingerprint}</Code>
            </Text>
            <Text size="xs" c="dimmed">
              {t('key.hint')}
            </Text>
          </Stack>
        </Stack>
      </form>
    </Paper>
  );
}

const ASSIGNABLE: Record<Role, Role[]> = {
  admin: ['agent', 'office_head', 'coordinator', 'admin'],
  office_head: ['agent', 'office_head'],
  coordinator: [],
  agent: [],
};

function UsersSection() {
  const { t } = useTranslation('settings');
  const tc = useTranslation('common').t;
  const ta = useTranslation('auth').t;
  const s = useAuthSession();
  const usersQuery = useApiQuery('users.list', {});
  const users: UserInfo[] | null = usersQuery.data;
  const loadError = usersQuery.error;
  const roles = ASSIGNABLE[s.user.role].filter((r) => r !== 'coordinator' || s.status.office?.kind === 'region');
  const empty = { username: '', displayName: '', role: roles[0] ?? 'agent', password: '', language: s.lang };
  const [form, setForm] = useState(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () => void usersQuery.reload();

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const u = await api.call('users.create', form);
      setMessage({ ok: true, text: t('users.created', { username: u.username }) });
      setForm(empty);
      load();
    } catch (err) {
      const fe = fieldErrors(err);
      setErrors(fe);
      if (!Object.keys(fe).length) setMessage({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const v = e.currentTarget.value;
    setForm((f) => ({ ...f, [k]: v }));
  };

  return (
    <Paper withBorder p="md" data-testid="users-section">
      <Stack>
        <Title order={3}>{t('users.title')}</Title>
        {loadError && <Alert color="red">{loadError}</Alert>}
        {!users ? (
          !loadError && <Loader size="sm" />
        ) : users.length === 0 ? (
          <Text>{t('users.empty')}</Text>
        ) : (
          <Table striped data-testid="users-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('users.username')}</Table.Th>
                <Table.Th>{t('users.displayName')}</Table.Th>
                <Table.Th>{t('users.role')}</Table.Th>
                <Table.Th>{t('users.language')}</Table.Th>
                <Table.Th>{t('users.active')}</Table.Th>
                {can(s.user.role, 'users.setActive') && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td className="ltr-value">{u.username}</Table.Td>
                  <Table.Td>{u.displayName}</Table.Td>
                  <Table.Td>{tc(`roles.${u.role}`)}</Table.Td>
                  <Table.Td>{u.language === 'ar' ? tc('langAr') : tc('langFr')}</Table.Td>
                  <Table.Td>{u.active ? tc('yes') : tc('no')}</Table.Td>
                  {can(s.user.role, 'users.setActive') && <Table.Td>{u.id !== s.user.id && <UserActions user={u} onChanged={load} />}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {can(s.user.role, 'users.create') && roles.length > 0 && (
          <form onSubmit={create} data-testid="user-create-form">
            <Stack>
              <Text fw={600}>{t('users.add')}</Text>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label={t('users.username')} dir="ltr" value={form.username} onChange={set('username')} error={errors.username} required data-testid="user-username" />
                <TextInput label={t('users.displayName')} value={form.displayName} onChange={set('displayName')} error={errors.displayName} required data-testid="user-displayName" />
                <NativeSelect label={t('users.role')} value={form.role} onChange={set('role')} data={roles.map((r) => ({ value: r, label: tc(`roles.${r}`) }))} error={errors.role} data-testid="user-role" />
                <NativeSelect
                  label={t('users.language')}
                  value={form.language}
                  onChange={set('language')}
                  data={[
                    { value: 'ar', label: tc('langAr') },
                    { value: 'fr', label: tc('langFr') },
                  ]}
                  data-testid="user-language"
                />
                <PasswordInput label={t('users.password')} description={ta('setup.policy')} value={form.password} onChange={set('password')} error={errors.password} required data-testid="user-password" />
              </SimpleGrid>
              {message && (
                <Alert color={message.ok ? 'teal' : 'red'} data-testid="user-message">
                  {message.text}
                </Alert>
              )}
              <Group>
                <Button type="submit" loading={busy} data-testid="user-create">
                  {tc('create')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Paper>
  );
}

function LockSection() {
  const { t } = useTranslation('settings');
  const [minutes, setMinutes] = useState<number>(lockMinutes);
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Title order={3}>{t('lock.title')}</Title>
        <NumberInput
          label={t('lock.minutes')}
          description={t('lock.hint')}
          min={1}
          max={240}
          value={minutes}
          maw={320}
          onChange={(v) => {
            const n = typeof v === 'number' ? v : Number(v);
            if (Number.isFinite(n) && n >= 1 && n <= 240) {
              setMinutes(n);
              setLockMinutes(n);
            }
          }}
          data-testid="lock-minutes"
        />
      </Stack>
    </Paper>
  );
}
