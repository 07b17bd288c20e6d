/** Strings of the date field and the report period picker (namespace `pickers`). */
export const pickers = {
  ar: {
    date: {
      placeholder: 'يوم/شهر/سنة',
      nextMonth: 'الشهر التالي',
      previousMonth: 'الشهر السابق',
      nextYear: 'السنة التالية',
      previousYear: 'السنة السابقة',
      nextDecade: 'العشر سنوات التالية',
      previousDecade: 'العشر سنوات السابقة',
    },
    time: {
      placeholder: 'مثلا 09:30',
    },
    period: {
      kind: 'نوع الفترة',
      month: 'شهر',
      quarter: 'ربع سنة',
      year: 'سنة',
      theYear: 'السنة',
      theMonth: 'الشهر',
      theQuarter: 'الربع',
      q1: 'الربع الأول (يناير – مارس)',
      q2: 'الربع الثاني (أبريل – يونيو)',
      q3: 'الربع الثالث (يوليوز – شتنبر)',
      q4: 'الربع الرابع (أكتوبر – دجنبر)',
    },
  },
  fr: {
    date: {
      placeholder: 'jj/mm/aaaa',
      nextMonth: 'Mois suivant',
      previousMonth: 'Mois précédent',
      nextYear: 'Année suivante',
      previousYear: 'Année précédente',
      nextDecade: 'Décennie suivante',
      previousDecade: 'Décennie précédente',
    },
    time: {
      placeholder: 'ex. 09:30',
    },
    period: {
      kind: 'Type de période',
      month: 'Mois',
      quarter: 'Trimestre',
      year: 'Année',
      theYear: 'Année',
      theMonth: 'Mois',
      theQuarter: 'Trimestre',
      q1: '1er trimestre (janvier – mars)',
      q2: '2e trimestre (avril – juin)',
      q3: '3e trimestre (juillet – septembre)',
      q4: '4e trimestre (octobre – décembre)',
    },
  },
};
