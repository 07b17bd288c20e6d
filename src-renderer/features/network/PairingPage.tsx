import { useState } from 'react';
import { Alert, Button, Center, Code, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { errorText } from '../../lib/errors';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import type { Lang } from '../../i18n';

/**
 * A browser on the office network that is not paired yet: the address it is on, the one-time code the administrator
 * shows, a name for this workstation. The credential it receives is kept by this browser; every request is signed
 * with it. The certificate's fingerprint is shown to compare with the administrator's screen.
 */
export function PairingPage({ lang, onLang, notice, onPaired }: { lang: Lang; onLang: (l: Lang) => void; notice?: string; onPaired: () => void }) {
  const { t } = useTranslation('network');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.pair(code, name);
      onPaired();
    } catch (err) {
      setError(errorText(err)); // what was typed stays in the form
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="lg" maw={520} w="100%">
        <form onSubmit={submit} data-testid="pairing-page">
          <Stack>
            <LanguageSwitch value={lang} onChange={onLang} />
            <Title order={2}>{t('pair.title')}</Title>
            <Text size="sm">{t('pair.intro')}</Text>
            {notice && <Alert color="orange">{notice}</Alert>}
            <Text size="sm">
              {t('pair.address')}: <Code dir="ltr">{window.location.origin}</Code>
            </Text>
            <TextInput label={t('pair.code')} value={code} onChange={(e) => setCode(e.currentTarget.value)} required dir="ltr" data-testid="pair-code" autoFocus />
            <TextInput label={t('pair.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={60} data-testid="pair-name" />
            {error && (
              <Alert color="red" role="alert" data-testid="pair-error">
                {error}
              </Alert>
            )}
            <Button type="submit" loading={busy} data-testid="pair-submit">
              {t('pair.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
