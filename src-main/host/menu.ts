/** The application menu, in Arabic or French (the OS language; Arabic unless it is French). */
import type { MenuItemConstructorOptions } from 'electron';

export type MenuLang = 'ar' | 'fr';

export function menuLanguage(locale: string | undefined): MenuLang {
  return (locale ?? '').toLowerCase().startsWith('fr') ? 'fr' : 'ar';
}

const LABELS = {
  ar: {
    file: 'ملف',
    openData: 'فتح مجلد البيانات',
    quit: 'خروج',
    edit: 'تحرير',
    undo: 'تراجع',
    redo: 'إعادة',
    cut: 'قص',
    copy: 'نسخ',
    paste: 'لصق',
    selectAll: 'تحديد الكل',
    view: 'عرض',
    zoomIn: 'تكبير',
    zoomOut: 'تصغير',
    resetZoom: 'الحجم الأصلي',
    fullscreen: 'ملء الشاشة',
    reload: 'إعادة التحميل',
    devtools: 'أدوات المطور',
    help: 'مساعدة',
    about: 'حول جسر ديسك',
    appName: 'جسر ديسك',
    version: 'الإصدار',
    schema: 'مخطط قاعدة البيانات',
    database: 'قاعدة البيانات',
    ok: 'حسنا',
  },
  fr: {
    file: 'Fichier',
    openData: 'Ouvrir le dossier des données',
    quit: 'Quitter',
    edit: 'Édition',
    undo: 'Annuler',
    redo: 'Rétablir',
    cut: 'Couper',
    copy: 'Copier',
    paste: 'Coller',
    selectAll: 'Tout sélectionner',
    view: 'Affichage',
    zoomIn: 'Zoom avant',
    zoomOut: 'Zoom arrière',
    resetZoom: 'Taille réelle',
    fullscreen: 'Plein écran',
    reload: 'Recharger',
    devtools: 'Outils de développement',
    help: 'Aide',
    about: 'À propos de Jisr Desk',
    appName: 'Jisr Desk',
    version: 'Version',
    schema: 'Schéma de la base',
    database: 'Base de données',
    ok: 'OK',
  },
} as const satisfies Record<MenuLang, Record<string, string>>;

export function menuLabels(lang: MenuLang) {
  return LABELS[lang];
}

export interface MenuActions {
  about(): void;
  openDataFolder(): void;
}

/** Reload and DevTools only in development: in the packaged app they are absent from the menu. */
export function buildMenuTemplate(lang: MenuLang, actions: MenuActions, opts: { devTools: boolean }): MenuItemConstructorOptions[] {
  const t = LABELS[lang];
  const view: MenuItemConstructorOptions[] = [
    { label: t.zoomIn, role: 'zoomIn' },
    { label: t.zoomOut, role: 'zoomOut' },
    { label: t.resetZoom, role: 'resetZoom' },
    { type: 'separator' },
    { label: t.fullscreen, role: 'togglefullscreen' },
  ];
  if (opts.devTools) view.push({ type: 'separator' }, { label: t.reload, role: 'reload' }, { label: t.devtools, role: 'toggleDevTools' });
  return [
    {
      label: t.file,
      submenu: [{ label: t.openData, click: () => actions.openDataFolder() }, { type: 'separator' }, { label: t.quit, role: 'quit' }],
    },
    {
      label: t.edit,
      submenu: [
        { label: t.undo, role: 'undo' },
        { label: t.redo, role: 'redo' },
        { type: 'separator' },
        { label: t.cut, role: 'cut' },
        { label: t.copy, role: 'copy' },
        { label: t.paste, role: 'paste' },
        { label: t.selectAll, role: 'selectAll' },
      ],
    },
    { label: t.view, submenu: view },
    { label: t.help, submenu: [{ label: t.about, click: () => actions.about() }] },
  ];
}
