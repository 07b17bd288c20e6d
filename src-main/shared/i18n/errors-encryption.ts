import { defineErrors } from './error-table';
/** Error messages of the encrypted database and its recovery sheet (issue 16), Arabic and French. */
export const encryptionErrorMessages = defineErrors({
  ar: {
    'db.key_missing':
      'قاعدة البيانات مشفرة ومفتاحها غير محفوظ على هذا الحاسوب. أدخل كلمات ورقة الاسترجاع المحفوظة في خزانة المكتب لفتحها.',
    'db.key_wrong': 'المفتاح لا يفتح قاعدة البيانات هذه. تأكد من ورقة الاسترجاع الخاصة بهذا المكتب.',
    'db.encryption_failed': 'تعذر تشفير قاعدة البيانات؛ بقيت نسختها السليمة محفوظة. ({{detail}})',
    'recovery.words_invalid': 'كلمات الاسترجاع غير صحيحة: يجب إدخال الكلمات الاثنتي عشرة كما هي مكتوبة في الورقة.',
    'recovery.words_checksum': 'كلمات الاسترجاع لا تتطابق (كلمة خاطئة أو ترتيب مختلف). راجع الورقة كلمة كلمة.',
    'recovery.words_wrong': 'هذه ليست كلمات ورقة الاسترجاع لهذه القاعدة.',
    'recovery.not_admin': 'لا يمكن فتح إلا حساب مسؤول النظام بورقة الاسترجاع.',
    'recovery.unavailable': 'قاعدة البيانات هذه غير مشفرة، فلا توجد لها ورقة استرجاع.',
    'recovery.too_many_attempts': 'محاولات كثيرة بكلمات خاطئة. أعد المحاولة بعد {{minutes}} دقيقة.',
    'recovery.database_exists': 'توجد قاعدة بيانات في هذا الحاسوب؛ لا يمكن الاسترجاع إلا في تثبيت جديد.',
    'backup.no_recovery_slot': 'هذه النسخة الاحتياطية لا تُفتح بورقة الاسترجاع (أُخذت بإصدار أقدم): استعمل كلمة مرورها.',
    'backup.recovery_key_wrong': 'ورقة الاسترجاع هذه لا تفتح هذه النسخة الاحتياطية (مكتب آخر أو قاعدة أخرى).',
  },
  fr: {
    'db.key_missing':
      'La base de données est chiffrée et sa clé n’est pas enregistrée sur cet ordinateur. Saisissez les mots de la feuille de récupération conservée dans le coffre du bureau pour l’ouvrir.',
    'db.key_wrong': 'Cette clé n’ouvre pas cette base de données. Vérifiez la feuille de récupération de ce bureau.',
    'db.encryption_failed': 'Le chiffrement de la base a échoué ; sa copie vérifiée est conservée. ({{detail}})',
    'recovery.words_invalid': 'Mots de récupération incorrects : saisissez les douze mots tels qu’ils sont écrits sur la feuille.',
    'recovery.words_checksum': 'Les mots de récupération ne concordent pas (un mot erroné ou dans le désordre). Relisez la feuille mot à mot.',
    'recovery.words_wrong': 'Ce ne sont pas les mots de la feuille de récupération de cette base.',
    'recovery.not_admin': 'La feuille de récupération ne débloque qu’un compte administrateur.',
    'recovery.unavailable': 'Cette base n’est pas chiffrée : elle n’a pas de feuille de récupération.',
    'recovery.too_many_attempts': 'Trop d’essais avec des mots erronés. Réessayez dans {{minutes}} minutes.',
    'recovery.database_exists': 'Une base de données existe sur cet ordinateur : la récupération ne se fait que sur une installation neuve.',
    'backup.no_recovery_slot': 'Cette sauvegarde ne s’ouvre pas avec la feuille de récupération (faite par une version plus ancienne) : utilisez sa phrase secrète.',
    'backup.recovery_key_wrong': 'Cette feuille de récupération n’ouvre pas cette sauvegarde (autre bureau ou autre base).',
  },
});
