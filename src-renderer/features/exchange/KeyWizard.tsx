import { useRef, useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, Paper, Stack, Stepper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { KeyFilePreview } from '../../../src-main/shared/api/exchange.contract';
import { api } from '../../api/client';
import { errorText } from '../../lib/errors';

/**
 * A fingerprint as the groups people read over the phone ("3F2A · 91C0 · …"), each group in its own box,
 * left to right whatever the page's direction (the other side reads it in the same order).
 */
export function FingerprintGroups({ fingerprint, testId }: { fingerprint: string; testId?: string }) {
  const { t } = useTranslation('exchange');
  const groups = fingerprint.split('-');
  return (
    <Group gap="xs" dir="ltr" data-testid={testId} data-fingerprint={fingerprint} role="group" aria-label={t('wizard.fingerprintLabel')} wrap="nowrap">
      {groups.map((g, i) => (
        <Paper key={i} withBorder px="sm" py={4} bg="gray.0">
          <Text ff="monospace" fz="xl" fw={700} lts={2}>
            {g}
          </Text>
        </Paper>
      ))}
    </Group>
  );
}

type Mode = 'trust' | 'region';

/**
 * The key exchange as guided steps (issue 15): choose the key file → read its fingerprints over the phone with
 * the other side, tick that they match → confirm → what was done. Nothing is trusted before the last step: the
 * file is only read (`exchange.keyPreview`), and the trust carries the fingerprints confirmed (the backend
 * refuses a confirmation that is not the file's).
 * `trust`: the region trusts a province's key; `region`: a province loads the region's key.
 */
export function KeyWizard({ mode, onDone }: { mode: Mode; onDone: () => void }) {
  const { t, i18n } = useTranslation('exchange');
  const [open, setOpen] = useState(false);
  const [step, setStep] = useState(0);
  const [keyFile, setKeyFile] = useState<string | null>(null);
  const [preview, setPreview] = useState<KeyFilePreview | null>(null);
  const [matched, setMatched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const reset = () => {
    setStep(0);
    setKeyFile(null);
    setPreview(null);
    setMatched(false);
    setError(null);
  };
  const close = () => {
    setOpen(false);
    reset();
  };
  const name = (p: KeyFilePreview) => (i18n.language === 'fr' ? p.nameFr : p.nameAr);

  const read = async (f: File) => {
    setBusy(true);
    setError(null);
    try {
      const text = await f.text();
      const p = await api.call('exchange.keyPreview', { keyFile: text });
      setKeyFile(text);
      setPreview(p);
      setMatched(false);
      setStep(1);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!keyFile || !preview) return;
    setBusy(true);
    setError(null);
    try {
      const confirmedFingerprints = preview.fingerprints.map((f) => f.fingerprint);
      if (mode === 'trust') await api.call('exchange.keysTrust', { keyFile, confirmedFingerprints });
      else await api.call('exchange.keysRegion', { keyFile, confirmedFingerprints });
      setStep(2);
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button variant="default" onClick={() => setOpen(true)} data-testid={`key-wizard-open-${mode}`}>
        {mode === 'trust' ? t('region.trust') : t('province.loadRegionKey')}
      </Button>
      <Modal opened={open} onClose={close} size="lg" title={mode === 'trust' ? t('wizard.titleTrust') : t('wizard.titleRegion')} data-testid="key-wizard">
        <Stepper active={step} size="sm" allowNextStepsSelect={false}>
          <Stepper.Step label={t('wizard.step1')}>
            <Stack>
              <Text>{mode === 'trust' ? t('wizard.chooseTrust') : t('wizard.chooseRegion')}</Text>
              <input
                ref={input}
                type="file"
                hidden
                accept=".json"
                data-testid="key-wizard-input"
                onChange={(e) => {
                  const f = e.currentTarget.files?.[0];
                  e.currentTarget.value = '';
                  if (f) void read(f);
                }}
              />
              <Group>
                <Button onClick={() => input.current?.click()} loading={busy} data-testid="key-wizard-choose">
                  {t('wizard.choose')}
                </Button>
              </Group>
            </Stack>
          </Stepper.Step>
          <Stepper.Step label={t('wizard.step2')}>
            {preview && (
              <Stack>
                <Text fw={600} data-testid="key-wizard-office">
                  {t(mode === 'trust' ? 'wizard.officeKey' : 'wizard.regionKey', { name: name(preview) })}
                </Text>
                {preview.status === 'same' && <Alert color="blue" data-testid="key-wizard-same">{t('wizard.same')}</Alert>}
                {preview.status === 'changed' && (
                  <Alert color="orange" title={t('wizard.changedTitle')} data-testid="key-wizard-changed">
                    {t(mode === 'trust' ? 'wizard.changedTrust' : 'wizard.changedRegion')}
                  </Alert>
                )}
                <Text>{mode === 'trust' ? t('wizard.phoneTrust', { name: name(preview) }) : t('wizard.phoneRegion')}</Text>
                {preview.fingerprints.map((f) => (
                  <Stack key={f.kind} gap={4}>
                    <Text size="sm" c="dimmed">
                      {t(`wizard.kind.${f.kind}`)}
                    </Text>
                    <FingerprintGroups fingerprint={f.fingerprint} testId={`key-wizard-fp-${f.kind}`} />
                  </Stack>
                ))}
                <Checkbox
                  label={preview.fingerprints.length > 1 ? t('wizard.matchedMany') : t('wizard.matched')}
                  checked={matched}
                  onChange={(e) => setMatched(e.currentTarget.checked)}
                  data-testid="key-wizard-matched"
                />
                <Text size="sm" c="dimmed">
                  {t('wizard.differ')}
                </Text>
                <Group>
                  <Button onClick={() => void confirm()} disabled={!matched} loading={busy} data-testid="key-wizard-confirm">
                    {mode === 'trust' ? t('wizard.confirmTrust') : t('wizard.confirmRegion')}
                  </Button>
                  <Button variant="default" onClick={close} data-testid="key-wizard-cancel">
                    {t('wizard.cancel')}
                  </Button>
                </Group>
              </Stack>
            )}
          </Stepper.Step>
          <Stepper.Step label={t('wizard.step3')}>
            {preview && (
              <Stack>
                <Alert color="green" data-testid="key-wizard-done">
                  {mode === 'trust' ? t('wizard.doneTrust', { name: name(preview) }) : t('wizard.doneRegion', { name: name(preview) })}
                </Alert>
                <Group>
                  <Button onClick={close} data-testid="key-wizard-close">
                    {t('wizard.close')}
                  </Button>
                </Group>
              </Stack>
            )}
          </Stepper.Step>
        </Stepper>
        {error && (
          <Alert color="red" mt="md" data-testid="key-wizard-error">
            {error}
          </Alert>
        )}
      </Modal>
    </>
  );
}
