import '@mantine/core/styles.css';
import { z } from 'zod';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DirectionProvider, MantineProvider, createTheme } from '@mantine/core';
import { dirOf, initialLang } from './i18n';
import { loadFonts } from './fonts';
import { App } from './app/App';

// The window's CSP forbids eval: tell zod not to probe for it.
z.config({ jitless: true });

const theme = createTheme({
  primaryColor: 'teal',
  fontFamily: "'Segoe UI', Tahoma, 'Noto Sans Arabic', 'Noto Sans', 'Jisr Amiri', system-ui, sans-serif",
  headings: { fontFamily: "'Segoe UI', Tahoma, 'Noto Sans Arabic', 'Noto Sans', 'Jisr Amiri', system-ui, sans-serif" },
  defaultRadius: 'sm',
});

loadFonts();
const lang = initialLang();
document.documentElement.lang = lang;
document.documentElement.dir = dirOf(lang);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <DirectionProvider initialDirection={dirOf(lang)} detectDirection={false}>
      <MantineProvider theme={theme} defaultColorScheme="light">
        <App />
      </MantineProvider>
    </DirectionProvider>
  </StrictMode>,
);
