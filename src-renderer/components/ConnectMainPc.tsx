import { useState } from 'react';
import { Alert, Button, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { errorText } from '../lib/errors';

/**
 * First run, "connect to the office's main PC" (issue 17): the main PC's address, the one-time code the
 * administrator shows and a name for this workstation; then the main PC's certificate fingerprint, to compare with
 * the administrator's screen before anything is sent; then the pairing (the host keeps the credential, 0600) and the
 * app runs as a client of the main PC. What was typed stays in the form when something fails.
 */
export function ConnectMainPc({ onPaired }: { onPaired: () => void }) {
  const { t } = useTranslation('network');
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [probe, setProbe] = useState<{ address: string; fingerprint: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const check = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async () => setProbe(await api.mainPc({ action: 'probe', address })));
  };
  const pair = () =>
    void run(async () => {
      await api.mainPc({ action: 'pair', address: probe!.address, fingerprint: probe!.fingerprint, code, name });
      onPaired();
    });

  return (
    <form onSubmit={check} noValidate data-testid="connect-form">
      <Stack>
        <Text size="sm">{t('connect.intro')}</Text>
        <TextInput
          label={t('connect.address')}
          description={t('connect.addressHint')}
          placeholder="https://192.168.1.10:8443/"
          dir="ltr"
          value={address}
          onChange={(e) => {
            setAddress(e.currentTarget.value);
            setProbe(null);
          }}
          required
          disabled={busy}
          data-testid="connect-address"
        />
        <TextInput label={t('pair.code')} dir="ltr" value={code} onChange={(e) => setCode(e.currentTarget.value)} required disabled={busy} data-testid="connect-code" />
        <TextInput label={t('pair.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={60} disabled={busy} data-testid="connect-name" />
        {probe && (
          <Alert color="blue" title={t('connect.fingerprintTitle')} data-testid="connect-fingerprint-box">
            <Stack gap="xs">
              <Text size="sm">{t('connect.fingerprintHelp')}</Text>
              <Code block dir="ltr" data-testid="connect-fingerprint" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                {probe.fingerprint}
              </Code>
            </Stack>
          </Alert>
        )}
        {error && (
          <Alert color="red" role="alert" data-testid="connect-error">
            {error}
          </Alert>
        )}
        {probe ? (
          <Group>
            <Button onClick={pair} loading={busy} disabled={!code.trim() || !name.trim()} data-testid="connect-pair">
              {t('connect.pair')}
            </Button>
            <Button variant="default" onClick={() => setProbe(null)} disabled={busy} data-testid="connect-back">
              {t('connect.back')}
            </Button>
          </Group>
        ) : (
          <Button type="submit" loading={busy} disabled={!address.trim()} data-testid="connect-check">
            {t('connect.check')}
          </Button>
        )}
      </Stack>
    </form>
  );
}
