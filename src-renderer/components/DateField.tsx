import '@mantine/dates/styles.css';
import 'dayjs/locale/ar-ma';
import 'dayjs/locale/fr';
import { DateInput, DatesProvider, type DateInputProps } from '@mantine/dates';
import { useTranslation } from 'react-i18next';
import { parseDateInput } from '../../src-main/shared/normalize/dates';
import { formatDate } from '../../src-main/shared/format';

/** dayjs locales: Moroccan month names in Arabic (يناير … ماي … يوليوز غشت شتنبر … دجنبر, as docs/FORMAT.md), French. */
const LOCALE = { ar: 'ar-ma', fr: 'fr' } as const;

export type DateFieldProps = Omit<DateInputProps, 'value' | 'onChange' | 'defaultValue' | 'valueFormat' | 'dateParser'> & {
  /** The date as the API takes it: YYYY-MM-DD, or '' for none. */
  value: string;
  /** Called with YYYY-MM-DD, or '' when the field is emptied. */
  onChange: (iso: string) => void;
  'data-testid'?: string;
};

/**
 * The one way to enter a date (issue 15): a field that shows dd/mm/yyyy in both languages, where the date can be
 * typed (dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd, Arabic-Indic digits: the spellings `parseDateInput` reads) or picked on
 * a calendar with Arabic (Moroccan) or French month and day names, the calendar right-to-left in Arabic (it opens
 * in the page's direction; only the typed digits are held left-to-right). The value
 * given and returned is the ISO calendar date the API takes, never the browser's month-first date box.
 */
export function DateField({ value, onChange, ...rest }: DateFieldProps) {
  const { t, i18n } = useTranslation('pickers');
  const lang = i18n.language === 'fr' ? 'fr' : 'ar';
  return (
    <DatesProvider settings={{ locale: LOCALE[lang], firstDayOfWeek: 1, weekendDays: [], consistentWeeks: true }}>
      <DateInput
        dir="ltr"
        placeholder={t('date.placeholder')}
        allowDeselect
        // Contrast AA: no pale days of the next and previous months, no light-red weekend (axe in route-walk.e2e).
        hideOutsideDates
        {...rest}
        value={value || null}
        onChange={(v) => onChange(v ?? '')}
        valueFormat={(d) => formatDate(d)}
        dateParser={(s) => parseDateInput(s)}
        // The level buttons ("Décembre 2026") are named by their own text (axe: label-content-name-mismatch).
        ariaLabels={{
          nextMonth: t('date.nextMonth'),
          previousMonth: t('date.previousMonth'),
          nextYear: t('date.nextYear'),
          previousYear: t('date.previousYear'),
          nextDecade: t('date.nextDecade'),
          previousDecade: t('date.previousDecade'),
        }}
      />
    </DatesProvider>
  );
}
