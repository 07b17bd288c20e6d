import { ScrollArea, Stack, Text } from '@mantine/core';
import type { ConsentText } from '../../src-main/shared/api/applicants.contract';
import type { Lang } from '../i18n';

/** The law 09-08 information text in one language, scrollable, in its own direction (registration form, consent recorded later). */
export function ConsentTextView({ text, lang, maxHeight, testId }: { text: ConsentText; lang: Lang; maxHeight: number; testId: string }) {
  return (
    <ScrollArea.Autosize mah={maxHeight} type="auto" offsetScrollbars viewportProps={{ tabIndex: 0, 'aria-label': text[lang].title }}>
      <Stack gap="xs" data-testid={testId} lang={lang} dir={lang === 'ar' ? 'rtl' : 'ltr'}>
        <Text fw={700}>{text[lang].title}</Text>
        {text[lang].sections.map((sec) => (
          <div key={sec.heading}>
            <Text fw={600} size="sm">
              {sec.heading}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
              {sec.body}
            </Text>
          </div>
        ))}
      </Stack>
    </ScrollArea.Autosize>
  );
}
