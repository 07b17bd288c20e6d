import i18n from 'i18next';

/** Strings of the office network screens (issue 17), their own namespace 'network'. */
export const network = {
  ar: {
    pair: {
      title: 'ربط هذا الحاسوب بالحاسوب الرئيسي للمكتب',
      intro: 'اطلب من المسؤول فتح «إضافة حاسوب» على الحاسوب الرئيسي، ثم اكتب الرمز الظاهر. قارن بصمة الشهادة المعروضة هنا بالتي تظهر على شاشته قبل المتابعة.',
      address: 'عنوان الحاسوب الرئيسي',
      code: 'رمز الربط',
      name: 'اسم هذا الحاسوب (مثال: مكتب الاستقبال)',
      submit: 'ربط',
      done: 'تم الربط. بصمة الشهادة: {{fingerprint}}',
    },
    panel: {
      title: 'شبكة المكتب',
      intro: 'يحفظ هذا الحاسوب معطيات المكتب، ويتصل به الزملاء من حواسيبهم عبر الشبكة المحلية (HTTPS فقط). الشبكة معطلة افتراضيا.',
      enabled: 'تفعيل شبكة المكتب',
      interface: 'واجهة الشبكة',
      port: 'المنفذ',
      save: 'حفظ',
      address: 'العنوان الذي يكتبه الزملاء',
      fingerprint: 'بصمة الشهادة',
      off: 'شبكة المكتب معطلة: لا يمكن لأي حاسوب آخر الاتصال.',
      addDevice: 'إضافة حاسوب',
      code: 'رمز الربط (صالح 10 دقائق، لمرة واحدة)',
      codeHelp: 'يكتب الزميل العنوان والرمز على حاسوبه، ويقارن البصمة.',
      devices: 'الحواسيب المرتبطة',
      noDevices: 'لا يوجد أي حاسوب مرتبط.',
      deviceName: 'الحاسوب',
      lastSeen: 'آخر اتصال',
      lastUser: 'المستخدم',
      pairedAt: 'تاريخ الربط',
      revoke: 'إلغاء الربط',
      revoked: 'ملغى',
      never: '—',
    },
  },
  fr: {
    pair: {
      title: 'Appairer ce poste au PC principal du bureau',
      intro: 'Demandez à l’administrateur d’ouvrir « Ajouter un poste » sur le PC principal, puis saisissez le code affiché. Comparez l’empreinte du certificat affichée ici à celle de son écran avant de continuer.',
      address: 'Adresse du PC principal',
      code: 'Code d’appairage',
      name: 'Nom de ce poste (ex. : Accueil)',
      submit: 'Appairer',
      done: 'Poste appairé. Empreinte du certificat : {{fingerprint}}',
    },
    panel: {
      title: 'Réseau du bureau',
      intro: 'Ce PC détient les données du bureau ; les collègues s’y connectent depuis leur poste par le réseau local (HTTPS uniquement). Désactivé par défaut.',
      enabled: 'Activer le réseau du bureau',
      interface: 'Interface réseau',
      port: 'Port',
      save: 'Enregistrer',
      address: 'Adresse à donner aux collègues',
      fingerprint: 'Empreinte du certificat',
      off: 'Réseau du bureau désactivé : aucun autre poste ne peut se connecter.',
      addDevice: 'Ajouter un poste',
      code: 'Code d’appairage (valable 10 minutes, une seule fois)',
      codeHelp: 'Le collègue saisit l’adresse et le code sur son poste, et compare l’empreinte.',
      devices: 'Postes appairés',
      noDevices: 'Aucun poste appairé.',
      deviceName: 'Poste',
      lastSeen: 'Dernière connexion',
      lastUser: 'Utilisateur',
      pairedAt: 'Appairé le',
      revoke: 'Révoquer',
      revoked: 'Révoqué',
      never: '—',
    },
  },
};

for (const lang of ['ar', 'fr'] as const) {
  if (!i18n.hasResourceBundle(lang, 'network')) i18n.addResourceBundle(lang, 'network', network[lang]);
}
