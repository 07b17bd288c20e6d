/**
 * The matching engine's reasons in words (shared/matching MatchReason codes), for every screen that shows
 * candidates: the registration form's duplicate panel, the Excel import check, the region's review.
 * {{a}} is this side (the form, the list's row), {{b}} the file it is compared with.
 */
export const matching = {
  ar: {
    level: {
      strong: 'احتمال قوي أنها نفس الشخص: يجب البت قبل الحفظ',
      weak: 'تشابه ضعيف: للاطلاع فقط، لا يمنع الحفظ',
    },
    levelShort: { strong: 'قوي', weak: 'ضعيف' },
    reason: {
      same_cin: 'نفس رقم البطاقة الوطنية <bdi>{{a}}</bdi>',
      birth_same: 'نفس تاريخ الازدياد <bdi>{{a}}</bdi>',
      birth_one_day: 'تاريخ الازدياد بفارق يوم واحد: <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      birth_swapped: 'اليوم والشهر مقلوبان في تاريخ الازدياد: <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      birth_same_year: 'نفس سنة الازدياد فقط: <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      birth_year_apart: 'سنة الازدياد بفارق سنة: <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      birth_unknown: 'تاريخ الازدياد غير معروف في أحد الطرفين',
      first_same: 'نفس الاسم الشخصي <bdi>{{a}}</bdi>',
      first_variant: 'الاسم الشخصي مكتوب <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      first_partial: 'الاسم الشخصي جزء من اسم مركب: <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      family_same: 'نفس الاسم العائلي <bdi>{{a}}</bdi>',
      family_variant: 'الاسم العائلي مكتوب <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      names_swapped: 'الاسم الشخصي والاسم العائلي مكتوبان في خانتين مقلوبتين',
      sex_differs: 'الجنس مختلف',
    },
    score: 'درجة التشابه {{score}}٪',
  },
  fr: {
    level: {
      strong: 'Probablement la même personne : à trancher avant d’enregistrer',
      weak: 'Ressemblance faible : pour information, n’empêche pas d’enregistrer',
    },
    levelShort: { strong: 'fort', weak: 'faible' },
    reason: {
      same_cin: 'Même numéro de CIN <bdi>{{a}}</bdi>',
      birth_same: 'Même date de naissance <bdi>{{a}}</bdi>',
      birth_one_day: 'Dates de naissance à un jour près : <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      birth_swapped: 'Jour et mois inversés dans la date de naissance : <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      birth_same_year: 'Même année de naissance seulement : <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      birth_year_apart: 'Années de naissance à un an d’écart : <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      birth_unknown: 'Date de naissance inconnue d’un côté',
      first_same: 'Même prénom <bdi>{{a}}</bdi>',
      first_variant: 'Prénom écrit <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      first_partial: 'Prénom composé en partie : <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      family_same: 'Même nom de famille <bdi>{{a}}</bdi>',
      family_variant: 'Nom de famille écrit <bdi>{{a}}</bdi> / <bdi>{{b}}</bdi>',
      names_swapped: 'Prénom et nom saisis dans les champs de l’autre',
      sex_differs: 'Sexe différent',
    },
    score: 'Ressemblance {{score}} %',
  },
};
