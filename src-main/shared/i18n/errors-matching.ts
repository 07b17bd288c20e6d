import { defineErrors } from './error-table';
/** Error messages of the matching engine's entry paths (issue 13: Excel import, region review), Arabic and French. */
export const matchingErrorMessages = defineErrors({
  ar: {
    'import.age_out_of_range': 'السن {{age}} سنة خارج سن البرنامج ({{min}} إلى {{max}} سنة).',
    'import.communes_to_confirm': 'تم التعرف على {{count}} جماعة بشكل تقريبي: راجعها وأكدها قبل الاستيراد.',
    'import.decision_no_candidate': 'السطر {{row}} لا يشبه أي ملف مسجل: لا يمكن إلحاقه بملف موجود.',
    'import.attached': 'ألحق بالملف الموجود {{fileNo}} (نفس الشخص).',
  },
  fr: {
    'import.age_out_of_range': 'Âge de {{age}} ans hors de la tranche du programme ({{min}} à {{max}} ans).',
    'import.communes_to_confirm': '{{count}} communes reconnues de façon approximative : vérifiez-les et confirmez-les avant l’import.',
    'import.decision_no_candidate': 'La ligne {{row}} ne ressemble à aucun dossier : elle ne peut pas être rattachée à un dossier existant.',
    'import.attached': 'Rattachée au dossier existant {{fileNo}} (même personne).',
  },
});
