import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Lang } from '../i18n';

/** العربية / Français, each label in its own language. */
export function LanguageSwitch({ value, onChange }: { value: Lang; onChange: (l: Lang) => void }) {
  const { t } = useTranslation('common');
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language')}
      data-testid="language-switch"
      value={value}
      onChange={(v) => onChange(v as Lang)}
      data={[
        { value: 'ar', label: <span lang="ar" dir="rtl">{t('langAr')}</span> },
        { value: 'fr', label: <span lang="fr" dir="ltr">{t('langFr')}</span> },
      ]}
    />
  );
}
