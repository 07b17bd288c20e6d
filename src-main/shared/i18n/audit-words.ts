/**
 * The audit trail read as sentences (issue 15): "Souad Idrissi registered Fatima Zahra Benali (ERR-…)",
 * "changed the phone from … to …". Every recorded operation has its words here, in Arabic and French;
 * `{{who}}` is the person's name, `{{what}}` the file or account concerned (left out when there is none).
 * tests/unit/audit-words.test.ts checks that every write method of the contract has its words.
 */
import { fieldLabel } from './field-labels';
import { formatDateTime } from '../format';

type Words = { ar: string; fr: string };

export const AUDIT_ACTIONS: Record<string, Words> = {
  'system.setup': { ar: '{{who}} هيأ التطبيق', fr: '{{who}} a configuré l’application' },
  'settings.update': { ar: '{{who}} عدل معلومات المكتب', fr: '{{who}} a modifié les informations du bureau' },
  'auth.login': { ar: '{{who}} حاول تسجيل الدخول', fr: '{{who}} s’est présenté(e) à la connexion' },
  'auth.changePassword': { ar: '{{who}} غير كلمة مروره', fr: '{{who}} a changé son mot de passe' },
  'auth.reauth': { ar: '{{who}} أكد هويته بكلمة المرور', fr: '{{who}} a confirmé son identité' },
  'users.setLanguage': { ar: '{{who}} غير لغة الواجهة', fr: '{{who}} a changé la langue de l’interface' },
  'users.create': { ar: '{{who}} أنشأ حساب {{what}}', fr: '{{who}} a créé le compte de {{what}}' },
  'users.resetPassword': { ar: '{{who}} أعاد تعيين كلمة مرور {{what}}', fr: '{{who}} a réinitialisé le mot de passe de {{what}}' },
  'users.setActive': { ar: '{{who}} غير حالة حساب {{what}}', fr: '{{who}} a activé ou désactivé le compte de {{what}}' },
  'users.setRole': { ar: '{{who}} غير دور {{what}}', fr: '{{who}} a changé le rôle de {{what}}' },
  'users.unlock': { ar: '{{who}} فتح حساب {{what}}', fr: '{{who}} a débloqué le compte de {{what}}' },
  'applicants.create': { ar: '{{who}} سجل {{what}}', fr: '{{who}} a enregistré {{what}}' },
  'applicants.update': { ar: '{{who}} عدل ملف {{what}}', fr: '{{who}} a modifié le dossier de {{what}}' },
  'applicants.recordDuplicateDecision': { ar: '{{who}} قرر أن ملف {{what}} ليس مكررا', fr: '{{who}} a décidé que le dossier de {{what}} n’est pas un doublon' },
  'applicants.setStatus': { ar: '{{who}} غير وضعية {{what}}', fr: '{{who}} a changé le statut de {{what}}' },
  'topics.save': { ar: '{{who}} حفظ محورا من محاور التكوين', fr: '{{who}} a enregistré un thème de formation' },
  'organisations.create': { ar: '{{who}} أضاف مؤسسة', fr: '{{who}} a ajouté un organisme' },
  'organisations.update': { ar: '{{who}} عدل مؤسسة', fr: '{{who}} a modifié un organisme' },
  'facilitators.create': { ar: '{{who}} أضاف مؤطرا', fr: '{{who}} a ajouté un formateur' },
  'facilitators.update': { ar: '{{who}} عدل مؤطرا', fr: '{{who}} a modifié un formateur' },
  'cohorts.create': { ar: '{{who}} أنشأ فوجا', fr: '{{who}} a créé une cohorte' },
  'cohorts.update': { ar: '{{who}} عدل فوجا', fr: '{{who}} a modifié une cohorte' },
  'cohorts.enrol': { ar: '{{who}} سجل {{what}} في فوج', fr: '{{who}} a inscrit {{what}} dans une cohorte' },
  'cohorts.withdraw': { ar: '{{who}} سحب {{what}} من فوج', fr: '{{who}} a retiré {{what}} d’une cohorte' },
  'sessions.create': { ar: '{{who}} أضاف حصة', fr: '{{who}} a ajouté une séance' },
  'sessions.update': { ar: '{{who}} عدل حصة', fr: '{{who}} a modifié une séance' },
  'sessions.cancel': { ar: '{{who}} ألغى حصة', fr: '{{who}} a annulé une séance' },
  'sessions.recordAttendance': { ar: '{{who}} سجل الحضور', fr: '{{who}} a noté les présences' },
  'sessions.setBusinessPlan': { ar: '{{who}} غير حالة مخطط أعمال {{what}}', fr: '{{who}} a changé l’état du plan d’affaires de {{what}}' },
  'sessions.attachSheet': { ar: '{{who}} أرفق ورقة حضور موقعة', fr: '{{who}} a joint une feuille de présence signée' },
  'sessions.setCriteria': { ar: '{{who}} غير شروط شهادة المشاركة', fr: '{{who}} a changé les critères de l’attestation de participation' },
  'attestations.issue': { ar: '{{who}} سلم شهادة إلى {{what}}', fr: '{{who}} a délivré une attestation à {{what}}' },
  'attestations.reprint': { ar: '{{who}} أعاد طبع شهادة {{what}}', fr: '{{who}} a réimprimé une attestation de {{what}}' },
  'attestations.revoke': { ar: '{{who}} ألغى شهادة {{what}}', fr: '{{who}} a révoqué une attestation de {{what}}' },
  'attestations.batchStart': { ar: '{{who}} سلم شهادات فوج', fr: '{{who}} a délivré les attestations d’une cohorte' },
  'attestations.setVerifyUrl': { ar: '{{who}} غير عنوان صفحة التحقق', fr: '{{who}} a changé l’adresse de la page de vérification' },
  'imports.commit': { ar: '{{who}} استورد لائحة مستفيدات', fr: '{{who}} a importé une liste de bénéficiaires' },
  'imports.recordConsent': { ar: '{{who}} سجل موافقة {{what}}', fr: '{{who}} a enregistré le consentement de {{what}}' },
  'exchange.keysShow': { ar: '{{who}} اطلع على مفتاح المكتب', fr: '{{who}} a affiché la clé du bureau' },
  'exchange.keysTrust': { ar: '{{who}} وثق بمفتاح مكتب', fr: '{{who}} a accordé sa confiance à la clé d’un bureau' },
  'exchange.keysRegion': { ar: '{{who}} استورد مفتاح الجهة', fr: '{{who}} a importé la clé de la région' },
  'exchange.export': { ar: '{{who}} أعد ملف التبادل للجهة', fr: '{{who}} a préparé le fichier pour la région' },
  'exchange.remake': { ar: '{{who}} أعاد إعداد ملف تبادل', fr: '{{who}} a refait un fichier d’échange' },
  'exchange.setCadence': { ar: '{{who}} غير وتيرة الإرسال إلى الجهة', fr: '{{who}} a changé le rythme des envois à la région' },
  'exchange.import': { ar: '{{who}} أدمج ملف تبادل', fr: '{{who}} a intégré un fichier d’échange' },
  'exchange.acceptGap': { ar: '{{who}} قبل ملفا ناقصا في سلسلة التبادل', fr: '{{who}} a accepté un manque dans la suite des fichiers' },
  'exchange.acceptAuditChain': { ar: '{{who}} قبل سجل التتبع الجديد لمكتب', fr: '{{who}} a accepté le nouveau journal d’audit d’un bureau' },
  'exchange.acceptNumberingRestart': { ar: '{{who}} قبل استئناف ترقيم ملفات مكتب بعد استرجاع نسخة احتياطية', fr: '{{who}} a accepté la reprise de la numérotation d’un bureau après la restauration d’une sauvegarde' },
  'exchange.resolveReview': { ar: '{{who}} حسم ملفا للمراجعة', fr: '{{who}} a tranché un dossier à revoir' },
  'exchange.loadReceipt': { ar: '{{who}} استورد وصل الاستلام من الجهة', fr: '{{who}} a importé l’accusé de réception de la région' },
  'backup.updateSettings': { ar: '{{who}} غير إعدادات النسخ الاحتياطية', fr: '{{who}} a modifié les réglages des sauvegardes' },
  'backup.create': { ar: '{{who}} أنجز نسخة احتياطية', fr: '{{who}} a fait une sauvegarde' },
  'backup.restore': { ar: '{{who}} استرجع نسخة احتياطية', fr: '{{who}} a restauré une sauvegarde' },
  'dataProtection.accessRequest': { ar: '{{who}} أعد وثيقة حق الاطلاع لفائدة {{what}}', fr: '{{who}} a préparé le document de droit d’accès de {{what}}' },
  'retention.run': { ar: '{{who}} طبق مدة الاحتفاظ بالمعطيات', fr: '{{who}} a appliqué la durée de conservation' },
  'retention.setYears': { ar: '{{who}} غير مدة الاحتفاظ بالمعطيات', fr: '{{who}} a changé la durée de conservation' },
  'network.configure': { ar: '{{who}} غير إعدادات شبكة المكتب', fr: '{{who}} a réglé le réseau du bureau' },
  'network.pairingCode': { ar: '{{who}} أنشأ رمز ربط جهاز', fr: '{{who}} a créé un code d’appairage' },
  'network.pair': { ar: '{{who}} ربط جهازا بالمكتب', fr: '{{who}} a appairé un poste' },
  'network.revoke': { ar: '{{who}} ألغى ربط جهاز', fr: '{{who}} a retiré un poste' },
  'network.seen': { ar: 'اتصل جهاز من أجهزة المكتب', fr: 'Un poste du bureau s’est connecté' },
  'recovery.sheet': { ar: '{{who}} طبع ورقة الاسترجاع', fr: '{{who}} a imprimé la feuille de récupération' },
  'recovery.unlockAdmin': { ar: '{{who}} استرجع حساب المدير', fr: '{{who}} a récupéré le compte administrateur' },
};

const FALLBACK: Words = { ar: '{{who}} أنجز عملية', fr: '{{who}} a fait une opération' };

/** The action's words alone (the filter's list), without a person: "a enregistré …". */
export function actionLabel(method: string, lang: 'ar' | 'fr'): string {
  const w = AUDIT_ACTIONS[method] ?? FALLBACK;
  return w[lang]
    .replace('{{who}} ', '')
    .replace(/ ?(de |d’|à |لفائدة )?\{\{what\}\}/, '')
    .replace(/^./, (c) => c.toUpperCase());
}

/** The sentence: who did what to whom. */
export function auditSentence(method: string, who: string, what: string | null, lang: 'ar' | 'fr'): string {
  const w = (AUDIT_ACTIONS[method] ?? FALLBACK)[lang];
  let s = w.replace('{{who}}', who);
  s = what ? s.replace('{{what}}', what) : s.replace(/ ?(de |d’|à |لفائدة )?\{\{what\}\}/, '');
  return s.replace(/^./, (c) => c.toUpperCase());
}

/** Names of recorded fields that the forms do not show under these names (stored columns). */
const STORED_FIELDS: Record<string, { ar: string; fr: string }> = {
  name_ar: { ar: 'الاسم بالعربية', fr: 'Nom en arabe' },
  name_fr: { ar: 'الاسم بالفرنسية', fr: 'Nom en français' },
  display_name: { ar: 'الاسم الكامل', fr: 'Nom complet' },
  failed_attempts: { ar: 'المحاولات الفاشلة', fr: 'Tentatives échouées' },
  locked_until: { ar: 'مقفل إلى غاية', fr: 'Bloqué jusqu’au' },
  active: { ar: 'نشط', fr: 'Actif' },
  role: { ar: 'الدور', fr: 'Rôle' },
  language: { ar: 'اللغة', fr: 'Langue' },
  password_hash: { ar: 'كلمة المرور', fr: 'Mot de passe' },
  must_change_password: { ar: 'تغيير كلمة المرور مطلوب', fr: 'Changement de mot de passe demandé' },
  print_count: { ar: 'عدد مرات الطبع', fr: 'Nombre d’impressions' },
  revoked_at: { ar: 'تاريخ الإلغاء', fr: 'Révoquée le' },
  revoke_reason: { ar: 'سبب الإلغاء', fr: 'Motif de la révocation' },
  replaced_by: { ar: 'عوضت بالشهادة', fr: 'Remplacée par' },
  status: { ar: 'الوضعية', fr: 'Statut' },
  withdrawn_at: { ar: 'تاريخ الانسحاب', fr: 'Retirée le' },
  enrolled_at: { ar: 'تاريخ التسجيل في الفوج', fr: 'Inscrite le' },
  folder: { ar: 'مجلد النسخ', fr: 'Dossier des sauvegardes' },
  keep: { ar: 'عدد النسخ المحتفظ بها', fr: 'Nombre de sauvegardes gardées' },
  years: { ar: 'مدة الاحتفاظ (سنوات)', fr: 'Durée de conservation (ans)' },
  audit_rows_kept: { ar: 'أسطر سجل التتبع المحفوظة لدى الجهة', fr: 'Lignes du journal d’audit tenues par la région' },
  audit_seen_file: { ar: 'رقم ملف المكتب', fr: 'Numéro du fichier du bureau' },
  reason: { ar: 'السبب', fr: 'Motif' },
  audit_chain_break: { ar: 'ما وجدته الجهة', fr: 'Ce que la région a constaté' },
  numbering_restart_file: { ar: 'الملف الذي استأنف به المكتب ترقيمه', fr: 'Fichier avec lequel le bureau a repris sa numérotation' },
  last_file_seq: { ar: 'آخر ملف مطبق للمكتب', fr: 'Dernier fichier appliqué du bureau' },
  last_change_seq: { ar: 'آخر رقم تغيير مستلم من المكتب', fr: 'Dernier numéro de modification reçu du bureau' },
  superseded_from: { ar: 'أول رقم ملف أعاد المكتب استعماله', fr: 'Premier numéro de fichier repris par le bureau' },
  superseded_to: { ar: 'آخر رقم ملف أعاد المكتب استعماله', fr: 'Dernier numéro de fichier repris par le bureau' },
};

/** A recorded field in words (the form's label), or null when it has none a person would know. */
export function auditFieldLabel(key: string, lang: 'ar' | 'fr'): string | null {
  const stored = STORED_FIELDS[key];
  if (stored) return stored[lang];
  const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return fieldLabel(camel, lang) ?? fieldLabel(key, lang);
}

/** Values that are codes, in words, by field. */
const VALUE_WORDS: Record<string, Record<string, { ar: string; fr: string }>> = {
  role: {
    agent: { ar: 'عون', fr: 'Agent' },
    office_head: { ar: 'رئيس المكتب', fr: 'Chef de bureau' },
    coordinator: { ar: 'منسق جهوي', fr: 'Coordinateur régional' },
    admin: { ar: 'مدير النظام', fr: 'Administrateur' },
  },
  language: { ar: { ar: 'العربية', fr: 'arabe' }, fr: { ar: 'الفرنسية', fr: 'français' } },
  audit_chain_break: {
    rewritten: { ar: 'سطر أعيدت كتابته', fr: 'une ligne réécrite' },
    missing: { ar: 'أسطر محذوفة', fr: 'des lignes disparues' },
  },
};

/** A recorded value in words: codes by their names, yes/no, dates dd/mm/yyyy; identifiers and fingerprints are not shown. */
export function auditValue(v: unknown, lang: 'ar' | 'fr', key?: string): string | null {
  if (v === null || v === undefined || v === '') return '—';
  if (key && typeof v === 'string' && VALUE_WORDS[key]?.[v]) return VALUE_WORDS[key][v][lang];
  if (typeof v === 'string' && /^[a-z]+(_[a-z]+)+$/.test(v)) return null;
  if (typeof v === 'boolean' || v === 0 || v === 1) {
    if (typeof v === 'boolean') return v ? (lang === 'ar' ? 'نعم' : 'oui') : lang === 'ar' ? 'لا' : 'non';
  }
  if (typeof v === 'number') return String(v).replace('.', ',');
  if (typeof v !== 'string') return null;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(v) || /^[0-9a-f]{32,}$/i.test(v) || /^\$|^scrypt/.test(v)) return null;
  if (/^\d{4}-\d{2}-\d{2}T/.test(v)) return formatDateTime(v);
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (d) return `${d[3]}/${d[2]}/${d[1]}`;
  return v;
}
