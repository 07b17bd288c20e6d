import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Checkbox, Code, Group, NativeSelect, NumberInput, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { NetworkStatus } from '../../../src-main/shared/api/network.contract';
import { formatDateTime } from '../../../src-main/shared/format';
import { api } from '../../api/client';
import { useApiAction, useApiQuery } from '../../lib/useApi';

/**
 * The main PC's office network (administrator): on/off, interface and port, the address to give colleagues and the
 * certificate fingerprint; "add a workstation" shows a one-time code; the paired workstations with revoke.
 */
export function OfficeNetworkPanel() {
  const { t } = useTranslation('network');
  // Read again whenever anyone saves (live), and every 30 s: "last seen" moves without a change of the registry.
  const status = useApiQuery('network.status', {}, { live: true });
  const st: NetworkStatus | null = status.data;
  const [form, setForm] = useState<{ enabled: boolean; host: string; port: number }>({ enabled: false, host: '', port: 8443 });
  const [code, setCode] = useState<{ code: string; fingerprint: string; address: string } | null>(null);
  const action = useApiAction();
  const busy = action.busy;
  const error = action.error ?? status.error;
  const { reload } = status;
  useEffect(() => {
    const id = setInterval(() => void reload(), 30_000);
    return () => clearInterval(id);
  }, [reload]);
  // The form starts from the saved settings (the first address that is not the loopback when none is saved).
  useEffect(() => {
    if (st) setForm((f) => (f.host ? f : { enabled: st.enabled, host: st.host ?? st.interfaces.find((i) => !i.address.startsWith('127.'))?.address ?? st.interfaces[0]?.address ?? '', port: st.port }));
  }, [st]);

  const run = async (f: () => Promise<unknown>) => {
    const done = await action.run(async () => {
      await f();
      return true;
    });
    if (done) void reload();
  };
  if (!st) return null;
  const hosts = [...new Set([form.host, ...st.interfaces.map((i) => i.address)].filter(Boolean))];
  return (
    <Paper withBorder p="md" data-testid="network-panel">
      <Stack>
        <Title order={3}>{t('panel.title')}</Title>
        <Text size="sm">{t('panel.intro')}</Text>
        <Group align="end">
          <Checkbox label={t('panel.enabled')} checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.currentTarget.checked })} data-testid="network-enabled" />
          <NativeSelect label={t('panel.interface')} data={hosts} value={form.host} onChange={(e) => setForm({ ...form, host: e.currentTarget.value })} data-testid="network-host" dir="ltr" />
          <NumberInput label={t('panel.port')} value={form.port} min={1024} max={65535} onChange={(v) => setForm({ ...form, port: Number(v) || 8443 })} data-testid="network-port" w={120} dir="ltr" />
          <Button loading={busy} onClick={() => run(() => api.call('network.configure', form))} data-testid="network-save">
            {t('panel.save')}
          </Button>
        </Group>
        {st.enabled && st.address ? (
          <Stack gap={4}>
            <Text>
              {t('panel.address')}: <Code dir="ltr" data-testid="network-address">{st.address}</Code>
            </Text>
            <Text size="sm">
              {t('panel.fingerprint')}: <Code dir="ltr" data-testid="network-fingerprint">{st.fingerprint}</Code>
            </Text>
            <Group>
              <Button variant="light" loading={busy} onClick={() => run(async () => setCode(await api.call('network.pairingCode', {})))} data-testid="network-add-device">
                {t('panel.addDevice')}
              </Button>
            </Group>
            {code && (
              <Alert color="blue" data-testid="network-code-box">
                <Text>
                  {t('panel.code')}:{' '}
                  <Code fz="xl" dir="ltr" data-testid="network-code">
                    {code.code}
                  </Code>
                </Text>
                <Text size="sm">
                  {t('panel.address')}: <Code dir="ltr">{code.address}</Code>
                </Text>
                <Text size="sm">
                  {t('panel.fingerprint')}: <Code dir="ltr">{code.fingerprint}</Code>
                </Text>
                <Text size="sm">{t('panel.codeHelp')}</Text>
              </Alert>
            )}
          </Stack>
        ) : (
          <Text c="dimmed">{t('panel.off')}</Text>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Title order={4}>{t('panel.devices')}</Title>
        {st.devices.length === 0 ? (
          <Text size="sm">{t('panel.noDevices')}</Text>
        ) : (
          <Table striped data-testid="network-devices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('panel.deviceName')}</Table.Th>
                <Table.Th>{t('panel.lastSeen')}</Table.Th>
                <Table.Th>{t('panel.lastUser')}</Table.Th>
                <Table.Th>{t('panel.pairedAt')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {st.devices.map((d) => (
                <Table.Tr key={d.id} data-testid="network-device">
                  <Table.Td>{d.name}</Table.Td>
                  <Table.Td>{d.lastSeenAt ? formatDateTime(d.lastSeenAt) : t('panel.never')}</Table.Td>
                  <Table.Td>{d.lastUser ?? t('panel.never')}</Table.Td>
                  <Table.Td>{formatDateTime(d.pairedAt)}</Table.Td>
                  <Table.Td>
                    {d.revokedAt ? (
                      <Badge color="gray">{t('panel.revoked')}</Badge>
                    ) : (
                      <Button size="xs" color="red" variant="light" loading={busy} onClick={() => run(() => api.call('network.revoke', { id: d.id }))} data-testid="network-revoke">
                        {t('panel.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Paper>
  );
}
