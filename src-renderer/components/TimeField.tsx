import { useState } from 'react';
import { TextInput, type TextInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { parseTimeInput } from '../../src-main/shared/normalize/dates';

export type TimeFieldProps = Omit<TextInputProps, 'value' | 'onChange' | 'defaultValue' | 'type'> & {
  /** The time as the API takes it: HH:mm on 24 hours, or '' for none. */
  value: string;
  /** Called with HH:mm when what is typed reads as a time, else with the text as typed (the API names it). */
  onChange: (hhmm: string) => void;
  'data-testid'?: string;
};

/**
 * The one way to enter a time (issue 15): a text field that shows 24-hour HH:mm in both languages, never the
 * browser's time box (which writes "09:00 AM" in some locales). It reads what staff type (9, 9h30, 0930, 17:00,
 * Arabic-Indic digits: `parseTimeInput`) and shows it as HH:mm once the field is left. Digits held left-to-right.
 */
export function TimeField({ value, onChange, onBlur, ...rest }: TimeFieldProps) {
  const { t } = useTranslation('pickers');
  // What is being typed, while the field has focus (so "9" is not rewritten to "09:00" under the cursor).
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <TextInput
      dir="ltr"
      inputMode="numeric"
      autoComplete="off"
      maxLength={8}
      placeholder={t('time.placeholder')}
      {...rest}
      value={draft ?? value}
      onChange={(e) => {
        const s = e.currentTarget.value;
        setDraft(s);
        onChange(s.trim() === '' ? '' : parseTimeInput(s) ?? s);
      }}
      onBlur={(e) => {
        setDraft(null);
        onBlur?.(e);
      }}
    />
  );
}
