/**
 * The names people see for the fields of the forms, in Arabic and French, by the field's key in the API
 * (the zod path). An error about a field names it as the form does — never `nameAr, nameFr` (issue 15).
 * The applicants' and sessions' labels are the forms' own (tests/unit/field-labels.test.ts checks they agree).
 */
export type FieldLabel = { ar: string; fr: string };

const FORM_FIELDS: Record<string, FieldLabel> = {
  cin: { ar: "رقم البطاقة الوطنية", fr: "N° de CIN" },
  idcs: { ar: "المعرف المدني والاجتماعي", fr: "Identifiant civil et social" },
  firstNameAr: { ar: "الاسم الشخصي (بالعربية)", fr: "Prénom (en arabe)" },
  lastNameAr: { ar: "الاسم العائلي (بالعربية)", fr: "Nom (en arabe)" },
  firstNameLat: { ar: "الاسم الشخصي (بالحروف اللاتينية)", fr: "Prénom (en lettres latines)" },
  lastNameLat: { ar: "الاسم العائلي (بالحروف اللاتينية)", fr: "Nom (en lettres latines)" },
  sex: { ar: "الجنس", fr: "Sexe" },
  birthDate: { ar: "تاريخ الازدياد", fr: "Date de naissance" },
  phone: { ar: "الهاتف", fr: "Téléphone" },
  phoneOwner: { ar: "صاحب الهاتف", fr: "Titulaire du téléphone" },
  address: { ar: "العنوان", fr: "Adresse" },
  douar: { ar: "الدوار / الحي", fr: "Douar / quartier" },
  communeCode: { ar: "الجماعة", fr: "Commune" },
  educationLevel: { ar: "المستوى الدراسي", fr: "Niveau scolaire" },
  vocationalLevel: { ar: "مستوى التكوين المهني", fr: "Formation professionnelle" },
  maritalStatus: { ar: "الحالة العائلية", fr: "Situation familiale" },
  isProjectHolder: { ar: "امرأة حاملة لمشروع", fr: "Femme porteuse de projet" },
  isDifficultSituation: { ar: "امرأة في وضعية صعبة", fr: "Femme en situation difficile" },
  situations: { ar: "الوضعيات (يمكن اختيار عدة)", fr: "Situations (plusieurs possibles)" },
  hasDisability: { ar: "شخص في وضعية إعاقة", fr: "Personne en situation de handicap" },
  disabilityTypes: { ar: "نوع الإعاقة (يمكن اختيار عدة)", fr: "Type de handicap (plusieurs possibles)" },
  disabilitySeverity: { ar: "درجة الإعاقة", fr: "Degré du handicap" },
  disabilityCardNumber: { ar: "رقم بطاقة الإعاقة", fr: "N° de carte de handicap" },
  disabilityCardExpiry: { ar: "تاريخ انتهاء صلاحية البطاقة", fr: "Expiration de la carte" },
  rsuRegistered: { ar: "مسجلة في السجل الاجتماعي الموحد", fr: "Inscrite au RSU" },
  rsuIndex: { ar: "المؤشر الاجتماعي والاقتصادي", fr: "Indice socio-économique" },
  projectSector: { ar: "قطاع المشروع", fr: "Secteur du projet" },
  projectDescription: { ar: "فكرة المشروع", fr: "Idée de projet" },
  projectStage: { ar: "مرحلة المشروع", fr: "Stade du projet" },
  projectLegalForm: { ar: "الشكل القانوني المرغوب", fr: "Forme juridique envisagée" },
  heardFrom: { ar: "كيف عرفت البرنامج", fr: "Comment a-t-elle connu le programme" },
  fileNo: { ar: "رقم الملف", fr: "N° de dossier" },
  age: { ar: "السن", fr: "Âge" },
  createdAt: { ar: "تاريخ التسجيل", fr: "Inscrite le" },
  status: { ar: "الوضعية", fr: "Statut" },
  commune: { ar: "الجماعة", fr: "Commune" },
  name: { ar: "الاسم", fr: "Nom" },
  reason: { ar: "السبب", fr: "Motif" },
  consent: { ar: "الموافقة", fr: "Consentement" },
  given: { ar: "تمت الموافقة", fr: "Donné" },
  date: { ar: "التاريخ", fr: "Date" },
  textVersion: { ar: "إصدار النص", fr: "Version du texte" },
  channel: { ar: "الطريقة", fr: "Mode" },
  financingSource: { ar: "مصدر التمويل", fr: "Source de financement" },
  organisation: { ar: "المؤسسة", fr: "Organisme" },
  cohort: { ar: "الفوج", fr: "Cohorte" },
  sessionsCount: { ar: "عدد الحصص", fr: "Séances" },
  hours: { ar: "الساعات", fr: "Heures" },
  present: { ar: "الحضور", fr: "Présences" },
  startDate: { ar: "تاريخ البداية", fr: "Date de début" },
  endDate: { ar: "تاريخ النهاية", fr: "Date de fin" },
  place: { ar: "المكان", fr: "Lieu" },
  kind: { ar: "النوع", fr: "Type" },
  startTime: { ar: "ساعة البداية", fr: "Heure de début" },
  endTime: { ar: "ساعة النهاية", fr: "Heure de fin" },
  duration: { ar: "المدة (دقائق)", fr: "Durée (minutes)" },
  topic: { ar: "المحور", fr: "Thème" },
  facilitator: { ar: "المؤطر(ة)", fr: "Formateur·rice" },
  notes: { ar: "ملاحظات", fr: "Notes" },
  nextSteps: { ar: "الخطوات المقبلة", fr: "Prochaines étapes" },
  nameAr: { ar: "الاسم بالعربية", fr: "Nom en arabe" },
  nameFr: { ar: "الاسم بالفرنسية", fr: "Nom en français" },
  fullName: { ar: "الاسم الكامل", fr: "Nom complet" },
  role: { ar: "الدور", fr: "Rôle" },
  search: { ar: "بحث (الاسم، رقم الملف، البطاقة الوطنية)", fr: "Recherche (nom, n° de dossier, CIN)" },
};

/** Fields of other forms: setup, settings, accounts, backups, reports, exchange. By full path first. */
const OTHER_FIELDS: Record<string, FieldLabel> = {
  'settings.nameAr': { ar: 'اسم المكتب بالعربية', fr: 'Nom du bureau en arabe' },
  'settings.nameFr': { ar: 'اسم المكتب بالفرنسية', fr: 'Nom du bureau en français' },
  'settings.addressAr': { ar: 'العنوان بالعربية', fr: 'Adresse en arabe' },
  'settings.addressFr': { ar: 'العنوان بالفرنسية', fr: 'Adresse en français' },
  'settings.signatoryTitleAr': { ar: 'صفة الموقع بالعربية', fr: 'Titre du signataire en arabe' },
  'settings.signatoryTitleFr': { ar: 'صفة الموقع بالفرنسية', fr: 'Titre du signataire en français' },
  'admin.username': { ar: 'اسم المستخدم', fr: 'Nom d’utilisateur' },
  'admin.displayName': { ar: 'الاسم الكامل', fr: 'Nom complet' },
  'admin.password': { ar: 'كلمة المرور', fr: 'Mot de passe' },
  office: { ar: 'المكتب', fr: 'Bureau' },
  username: { ar: 'اسم المستخدم', fr: 'Nom d’utilisateur' },
  displayName: { ar: 'الاسم الكامل', fr: 'Nom complet' },
  password: { ar: 'كلمة المرور', fr: 'Mot de passe' },
  currentPassword: { ar: 'كلمة المرور الحالية', fr: 'Mot de passe actuel' },
  newPassword: { ar: 'كلمة المرور الجديدة', fr: 'Nouveau mot de passe' },
  language: { ar: 'اللغة', fr: 'Langue' },
  role: { ar: 'الدور', fr: 'Rôle' },
  period: { ar: 'الفترة', fr: 'Période' },
  passphrase: { ar: 'كلمة سر النسخ', fr: 'Phrase secrète des sauvegardes' },
  folder: { ar: 'مجلد النسخ', fr: 'Dossier des sauvegardes' },
  keep: { ar: 'عدد النسخ المحتفظ بها', fr: 'Nombre de sauvegardes gardées' },
  'consent.given': { ar: 'الموافقة', fr: 'Consentement' },
  'consent.date': { ar: 'تاريخ الموافقة', fr: 'Date du consentement' },
  'consent.channel': { ar: 'طريقة الموافقة', fr: 'Mode du consentement' },
  'consent.textVersion': { ar: 'إصدار نص الموافقة', fr: 'Version du texte de consentement' },
  minHours: { ar: 'الحد الأدنى من الساعات', fr: 'Heures minimales' },
  minAttendanceRate: { ar: 'الحد الأدنى لنسبة الحضور', fr: 'Taux de présence minimal' },
  labelAr: { ar: 'التسمية بالعربية', fr: 'Libellé en arabe' },
  labelFr: { ar: 'التسمية بالفرنسية', fr: 'Libellé en français' },
  code: { ar: 'الرمز', fr: 'Code' },
  q: { ar: 'البحث', fr: 'Recherche' },
};

/**
 * The label of a field by its API path (`changes.firstNameAr`, `settings.nameAr`, `members.3.date`), or null.
 * The full path is tried first, then shorter and shorter tails (numbers — list positions — skipped).
 */
export function fieldLabel(path: string, lang: 'ar' | 'fr'): string | null {
  const parts = path.split('.').filter((p) => p !== '' && !/^\d+$/.test(p));
  for (let i = 0; i < parts.length; i++) {
    const key = parts.slice(i).join('.');
    const l = OTHER_FIELDS[key] ?? FORM_FIELDS[key];
    if (l) return l[lang];
  }
  return null;
}

/** For tests: the form labels held here. */
export const FORM_FIELD_LABELS = FORM_FIELDS;
