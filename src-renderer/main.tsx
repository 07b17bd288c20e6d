import '@mantine/core/styles.css';
import { z } from 'zod';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DirectionProvider, MantineProvider, createTheme, type ModalProps, type PasswordInputProps } from '@mantine/core';
import { dirOf, i18n, initialLang } from './i18n';
import { loadFonts } from './fonts';
import { App } from './app/App';

// The window's CSP forbids eval: tell zod not to probe for it.
z.config({ jitless: true });

/**
 * The labels Mantine puts on its own buttons (the password visibility toggle, a dialog's close button) in the
 * interface's language, never Mantine's English: one object each, given to the theme once and updated when
 * the language changes (the screens re-render on that change). The theme itself stays one object: making it
 * again remounted the shell's children.
 */
const toggleLabel: Record<string, string> = {};
const closeLabel: Record<string, string> = {};
const setMantineLabels = () => {
  toggleLabel['aria-label'] = i18n.t('common:showPassword');
  closeLabel['aria-label'] = i18n.t('common:close');
};
setMantineLabels();
i18n.on('languageChanged', setMantineLabels);

/** Contrast AA (issue 15): the primary colour on its darkest shade, the dimmed text a shade darker. */
const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: 9,
  fontFamily: "'Segoe UI', Tahoma, 'Noto Sans Arabic', 'Noto Sans', 'Jisr Amiri', system-ui, sans-serif",
  headings: { fontFamily: "'Segoe UI', Tahoma, 'Noto Sans Arabic', 'Noto Sans', 'Jisr Amiri', system-ui, sans-serif" },
  defaultRadius: 'sm',
  components: {
    // Plain objects (what `X.extend` returns), so that the first chunk does not carry Modal's code (issue 15).
    PasswordInput: { defaultProps: { visibilityToggleButtonProps: toggleLabel } satisfies Partial<PasswordInputProps> },
    Modal: { defaultProps: { closeButtonProps: closeLabel } satisfies Partial<ModalProps> },
  },
});

/** Text colours dark enough for AA on white and on the light tints (badges, pills, the active navigation link). */
const AA_COLORS = ['teal', 'red', 'orange', 'yellow', 'green', 'blue', 'cyan', 'grape', 'violet', 'indigo', 'pink', 'lime', 'gray', 'dark'];
const resolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    ...Object.fromEntries(AA_COLORS.flatMap((c) => [[`--mantine-color-${c}-light-color`, `var(--mantine-color-${c}-9)`], [`--mantine-color-${c}-light`, `var(--mantine-color-${c}-0)`]])),
    // Shades 9 of these are still too light for small text: darker tones of the same hue.
    '--mantine-color-green-light-color': '#1f6b30',
    '--mantine-color-orange-light-color': '#a63a06',
    '--mantine-color-yellow-light-color': '#7a5300',
    '--mantine-color-lime-light-color': '#3f5f00',
    '--mantine-color-green-filled': '#237032',
    '--mantine-color-orange-filled': '#b8450a',
    '--mantine-color-teal-filled-hover': '#066649',
    '--mantine-primary-color-filled-hover': '#066649',
  },
  dark: {},
});

loadFonts();
const lang = initialLang();
document.documentElement.lang = lang;
document.documentElement.dir = dirOf(lang);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DirectionProvider initialDirection={dirOf(lang)} detectDirection={false}>
      <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={resolver}>
        <App />
      </MantineProvider>
    </DirectionProvider>
  </StrictMode>,
);
