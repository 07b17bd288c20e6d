import { defineErrors } from './error-table';
/** Error messages of the desktop window's doors (IPC, file dialogs, start-up), in Arabic and French. */
export const desktopErrorMessages = defineErrors({
  ar: {
    'desktop.forbidden_sender': 'طلب مرفوض: لم يصدر عن نافذة التطبيق.',
    'desktop.bad_request': 'طلب غير صالح من الواجهة.',
    'desktop.ipc_failed': 'تعذر الاتصال بالتطبيق. أعد تشغيله إن تكرر الأمر.',
    'desktop.open_failed': 'تعذر فتح الملف: {{detail}}',
    'desktop.cannot_open_type': 'لا يمكن فتح هذا النوع من الملفات ({{ext}}). احفظه ثم افتحه يدويا.',
    'desktop.save_failed': 'تعذر حفظ الملف: {{detail}}',
    'desktop.read_failed': 'تعذرت قراءة الملف «{{name}}».',
    'desktop.file_too_large': 'الملف «{{name}}» كبير جدا (الحد الأقصى {{maxMb}} ميغابايت).',
    'desktop.startup_failed': 'تعذر تشغيل جسر ديسك. قاعدة البيانات: {{dbPath}}',
  },
  fr: {
    'desktop.forbidden_sender': 'Requête refusée : elle ne vient pas de la fenêtre de l’application.',
    'desktop.bad_request': 'Requête de l’interface invalide.',
    'desktop.ipc_failed': 'L’application ne répond pas. Redémarrez-la si cela se répète.',
    'desktop.open_failed': 'Impossible d’ouvrir le fichier : {{detail}}',
    'desktop.cannot_open_type': 'Ce type de fichier ({{ext}}) ne peut pas être ouvert directement. Enregistrez-le puis ouvrez-le.',
    'desktop.save_failed': 'Impossible d’enregistrer le fichier : {{detail}}',
    'desktop.read_failed': 'Impossible de lire le fichier « {{name}} ».',
    'desktop.file_too_large': 'Le fichier « {{name}} » est trop volumineux (au plus {{maxMb}} Mo).',
    'desktop.startup_failed': 'Jisr Desk n’a pas pu démarrer. Base de données : {{dbPath}}',
  },
});
