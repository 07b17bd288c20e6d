import { defineErrors } from './error-table';
/** Messages of the office network (issue 17), Arabic and French. Registered by shared/api/network.contract.ts. */
export const networkErrorMessages = defineErrors({
  ar: {
    'network.not_enabled': 'شبكة المكتب غير مفعلة على الحاسوب الرئيسي. يفعّلها المسؤول من الإعدادات.',
    'network.host_invalid': 'عنوان الشبكة غير صحيح (مثال: 192.168.1.10).',
    'network.code_invalid': 'رمز الربط غير صحيح أو انتهت صلاحيته. اطلب من المسؤول رمزا جديدا.',
    'network.device_not_found': 'هذا الحاسوب غير موجود في لائحة الحواسيب المرتبطة.',
    'network.unpaired': 'هذا الحاسوب غير مرتبط بالحاسوب الرئيسي للمكتب. اطلب من المسؤول رمز ربط.',
    'network.device_revoked': 'ألغى المسؤول ربط هذا الحاسوب. اطلب منه رمز ربط جديدا إن لزم.',
    'network.bad_signature': 'طلب غير موقع بشكل صحيح من هذا الحاسوب. أعد الربط.',
    'network.replayed': 'رُفض طلب مكرر (سبق استعماله).',
    'network.bad_host': 'عنوان غير مقبول لهذا الخادم.',
    'network.device_locked': 'محاولات دخول فاشلة كثيرة من هذا الحاسوب. أعد المحاولة بعد {{minutes}} دقيقة.',
    'network.main_pc_unreachable': 'تعذر الوصول إلى الحاسوب الرئيسي للمكتب (مطفأ أو غير متصل بالشبكة). ما كتبته محفوظ في هذه الشاشة؛ أعد المحاولة بعد قليل.',
    'network.fingerprint_mismatch': 'بصمة شهادة الحاسوب الرئيسي لا تطابق البصمة المسجلة عند الربط. لا ترسل أي معطيات واتصل بالمسؤول.',
  },
  fr: {
    'network.not_enabled': 'Le réseau du bureau n’est pas activé sur le PC principal. L’administrateur l’active dans les paramètres.',
    'network.host_invalid': 'Adresse réseau invalide (exemple : 192.168.1.10).',
    'network.code_invalid': 'Code d’appairage incorrect ou expiré. Demandez un nouveau code à l’administrateur.',
    'network.device_not_found': 'Ce poste ne figure pas parmi les postes appairés.',
    'network.unpaired': 'Ce poste n’est pas appairé au PC principal du bureau. Demandez un code d’appairage à l’administrateur.',
    'network.device_revoked': 'L’administrateur a révoqué ce poste. Demandez-lui un nouveau code si nécessaire.',
    'network.bad_signature': 'Requête mal signée par ce poste. Refaites l’appairage.',
    'network.replayed': 'Requête rejouée refusée (déjà utilisée).',
    'network.bad_host': 'Adresse non acceptée par ce serveur.',
    'network.device_locked': 'Trop d’échecs de connexion depuis ce poste. Réessayez dans {{minutes}} minute(s).',
    'network.main_pc_unreachable': 'Le PC principal du bureau est injoignable (éteint ou hors réseau). Ce que vous avez saisi est conservé sur cet écran ; réessayez dans un instant.',
    'network.fingerprint_mismatch': 'L’empreinte du certificat du PC principal ne correspond pas à celle enregistrée à l’appairage. N’envoyez rien et prévenez l’administrateur.',
  },
});
