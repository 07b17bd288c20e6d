import amiriRegular from '@expo-google-fonts/amiri/400Regular/Amiri_400Regular.ttf?url';
import amiriBold from '@expo-google-fonts/amiri/700Bold/Amiri_700Bold.ttf?url';

/**
 * A bundled Arabic font (Amiri, SIL OFL) as the last resort when the system has none
 * (Windows has Segoe UI and Tahoma; Debian has Noto Sans Arabic). Served from the app itself:
 * the CSP allows no remote font.
 */
export function loadFonts() {
  if (typeof FontFace === 'undefined') return;
  for (const [url, weight] of [
    [amiriRegular, '400'],
    [amiriBold, '700'],
  ] as const) {
    const face = new FontFace('Jisr Amiri', `url(${url})`, { weight, style: 'normal', unicodeRange: 'U+0600-06FF, U+0750-077F, U+08A0-08FF, U+FB50-FDFF, U+FE70-FEFF' });
    document.fonts.add(face);
  }
}
