import { Checkbox, NativeSelect, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CONSENT_CHANNELS, type ConsentText } from '../../../../src-main/shared/api/applicants.contract';
import { ConsentTextView } from '../../../components/ConsentTextView';
import { today } from '../../../lib/lookups';
import { DateField } from '../../../components/DateField';

export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export interface ConsentState {
  given: boolean;
  channel: ConsentChannel;
  /** YYYY-MM-DD ('' when emptied). */
  date: string;
}
/** Consent not given yet, on paper, today. */
export const initialConsent = (): ConsentState => ({ given: false, channel: 'paper', date: today() });

/**
 * Consent under law 09-08, first on a registration: the text in the interface's language, its version, given or
 * not, the channel and the date. The rest of the form stays disabled until it is given.
 */
export function ConsentSection(props: {
  text: ConsentText;
  lang: 'ar' | 'fr';
  value: ConsentState;
  onChange: (update: (c: ConsentState) => ConsentState) => void;
  errors: Record<string, string>;
  /** Called when consent is ticked: its "required" error goes. */
  onGiven: () => void;
}) {
  const { t } = useTranslation('applicants');
  const { text, lang, value: consent, onChange: setConsent, errors } = props;
  return (
    <Paper withBorder p="md" data-testid="consent-section">
      <Stack gap="sm">
        <Title order={3}>{t('section.consent')}</Title>
        <Text size="sm" c="dimmed">
          {t('form.consentFirst')}
        </Text>
        <ConsentTextView text={text} lang={lang} maxHeight={220} testId="consent-text" />
        <Text size="xs" c="dimmed">
          {t('form.consentVersion', { version: text.version })}
        </Text>
        <Checkbox
          label={t('form.consentGiven')}
          checked={consent.given}
          onChange={(e) => {
            const v = e.currentTarget.checked;
            setConsent((c) => ({ ...c, given: v }));
            if (v) props.onGiven();
          }}
          error={errors['consent.given']}
          data-testid="consent-given"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NativeSelect
            label={t('form.consentChannel')}
            value={consent.channel}
            onChange={(e) => {
              const v = e.currentTarget.value as ConsentChannel;
              setConsent((c) => ({ ...c, channel: v }));
            }}
            data={CONSENT_CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
            error={errors['consent.channel']}
            data-testid="consent-channel"
          />
          <DateField
            label={t('form.consentDate')}
            value={consent.date}
            onChange={(v) => setConsent((c) => ({ ...c, date: v }))}
            error={errors['consent.date']}
            data-testid="consent-date"
          />
        </SimpleGrid>
      </Stack>
    </Paper>
  );
}
