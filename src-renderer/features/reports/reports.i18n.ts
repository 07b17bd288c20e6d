import { i18n } from '../../i18n';

/** Strings of the reports screens (namespace `reports`), registered when the feature loads. */
export const reportsStrings = {
  ar: {
    title: 'التقارير ولوحة القيادة',
    period: 'الفترة (2026-11 أو 2026-Q4 أو 2026)',
    show: 'عرض',
    workbook: 'تقرير المؤشرات (Excel)',
    workbookFr: 'بالفرنسية',
    list: 'لائحة المستفيدات (Excel)',
    totals: {
      registeredInPeriod: 'التسجيلات خلال الفترة',
      registeredToDate: 'الملفات في نهاية الفترة',
      sessions: 'الحصص',
      hours: 'ساعات التكوين',
      attendanceRate: 'نسبة الحضور',
      attestations: 'الشهادات',
      financed: 'المشاريع الممولة',
    },
    charts: { months: 'التسجيلات حسب الشهر', funnel: 'المسار', communes: 'الجماعات', categories: 'الفئات' },
    import: {
      title: 'استيراد لائحة Excel قديمة',
      choose: 'اختيار ملف (xlsx أو csv)',
      summary: 'المجموع {{total}} · جديدة {{new}} · مكررة {{duplicate}} · غير صالحة {{invalid}}',
      header: 'سطر العناوين: {{row}}',
      rejects: 'تحميل الأسطر المرفوضة',
      commit: 'استيراد الأسطر الجديدة',
      done: 'تم استيراد {{n}} ملف. الموافقة يجب تأكيدها عند أول اتصال.',
      row: 'السطر',
      reason: 'السبب',
    },
    consent: { title: 'ملفات يجب تأكيد موافقتها', count: '{{n}} ملف' },
  },
  fr: {
    title: 'Rapports et tableau de bord',
    period: 'Période (2026-11, 2026-Q4 ou 2026)',
    show: 'Afficher',
    workbook: 'Rapport des indicateurs (Excel)',
    workbookFr: 'en français',
    list: 'Liste des bénéficiaires (Excel)',
    totals: {
      registeredInPeriod: 'Inscriptions de la période',
      registeredToDate: 'Dossiers en fin de période',
      sessions: 'Séances',
      hours: 'Heures de formation',
      attendanceRate: 'Taux de présence',
      attestations: 'Attestations',
      financed: 'Projets financés',
    },
    charts: { months: 'Inscriptions par mois', funnel: 'Parcours', communes: 'Communes', categories: 'Catégories' },
    import: {
      title: 'Importer une ancienne liste Excel',
      choose: 'Choisir un fichier (xlsx ou csv)',
      summary: 'Total {{total}} · nouvelles {{new}} · doublons {{duplicate}} · invalides {{invalid}}',
      header: 'Ligne d’en-têtes : {{row}}',
      rejects: 'Télécharger les lignes rejetées',
      commit: 'Importer les nouvelles lignes',
      done: '{{n}} dossiers importés. Le consentement est à confirmer au premier contact.',
      row: 'Ligne',
      reason: 'Motif',
    },
    consent: { title: 'Dossiers au consentement à confirmer', count: '{{n}} dossiers' },
  },
};

for (const lang of ['ar', 'fr'] as const) {
  if (!i18n.hasResourceBundle(lang, 'reports')) i18n.addResourceBundle(lang, 'reports', reportsStrings[lang], true, true);
}
