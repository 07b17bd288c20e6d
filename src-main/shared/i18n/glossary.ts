/**
 * The glossary (issue 15): the words of the programme, one per thing, in Arabic and French, with the variants that
 * drifted in and are not to be used. Every string table (src-renderer/i18n, src-main/shared/i18n), the document
 * templates and the texts the core writes into PDFs and workbooks are checked against it by
 * tests/unit/glossary.test.ts. A new term, or a new forbidden variant, is one entry here.
 */

/** The programme's official name, first: exactly these words wherever it is named. */
export const PROGRAMME_NAME = {
  ar: 'جسر للتمكين والريادة',
  fr: "Jisr pour l'autonomisation et le leadership",
} as const;

export interface GlossaryTerm {
  /** What the term names (for the people who maintain the tables). */
  concept: string;
  ar: string;
  fr: string;
  /** Spellings that must not appear, by language (matched anywhere in a string). */
  forbidden: { ar?: RegExp[]; fr?: RegExp[] };
  note?: string;
}

/** Not inside an Arabic or Latin word (Arabic words take prefixes: و، ب، ل، ال are allowed before). */
const END = '(?![\\p{L}])';

export const GLOSSARY: GlossaryTerm[] = [
  {
    concept: "The programme's name",
    ar: PROGRAMME_NAME.ar,
    fr: PROGRAMME_NAME.fr,
    forbidden: {
      // The header once said والقيادة ("and leadership" as in command): the name is والريادة.
      ar: [/جسر للتمكين(?! والريادة)/u, /للتمكين والقيادة/u],
      // The straight apostrophe, as on the attestations; never an English name.
      fr: [/Jisr pour(?! l'autonomisation et le leadership)/u, /Jisr for Empowerment/iu],
    },
  },
  {
    concept: 'An attestation (a document the office signs for a beneficiary)',
    ar: 'شهادة / الشهادات',
    fr: 'attestation / attestations',
    forbidden: { ar: [/شواهد/u, /شاهدة/u] },
    note: 'الشواهد (Moroccan administrative plural) was used on some screens and in the consent text: الشهادات everywhere.',
  },
  {
    concept: 'A partner organisation (association, incubator, trainer body) that runs sessions',
    ar: 'مؤسسة / المؤسسات',
    fr: 'organisme / organismes',
    // هيئة, not تهيئة (setting up).
    forbidden: { ar: [/(?<!ت)هيئ(ة|ات)/u] },
  },
  {
    concept: 'Download: save on the computer a file the application made (a list, a workbook, rejected rows)',
    ar: 'تنزيل',
    fr: 'télécharger',
    // تحميل means both download and upload: kept only for a screen loading (جار التحميل, إعادة التحميل).
    forbidden: { ar: [/(?<!جار ال|إعادة ال)تحميل/u, new RegExp(`(?<![\\p{L}])حمّ?ل(ت)?${END}`, 'u')] },
  },
  {
    concept: 'Import: bring into the application a file received (the region key, a receipt, exchange files, a spreadsheet)',
    ar: 'استيراد',
    fr: 'importer',
    // "charger" (load) a file: the word is importer; "Chargement…" (a screen loading) stays.
    forbidden: { fr: [new RegExp(`(?<![\\p{L}])[Cc]harg(er|é|ée|ez|és|ées)${END}`, 'u')] },
  },
  {
    concept: 'Upload: a file chosen on this computer and taken into the application (a spreadsheet, a scan, a backup, a key or exchange file)',
    ar: 'الملف المختار / اختيار الملف',
    fr: 'le fichier choisi / choisir le fichier',
    forbidden: {
      // المرفوع and المرسل both named the same upload; المرسل stays for what the office sends to the region.
      ar: [/مرفوع/u, new RegExp(`(?<![\\p{L}])ارفع(ه|ها|ي|يه|يها)?${END}`, 'u'), /الملف المرسل(?! إلى)/u, /أرسله من جديد/u],
      fr: [/t[ée]l[ée]vers/iu, /fichier envoyé(?! à la région| par)/iu, /envoyez-le à nouveau/iu],
    },
    note: 'Staff choose a file (the system dialog in the window, the page file input in a browser): the message says to choose it again.',
  },
  {
    concept: "The reports' dashboard (totals and charts), not the programme's name",
    ar: 'لوحة القيادة',
    fr: 'tableau de bord',
    forbidden: { ar: [/لوحة التحكم/u] },
    note: 'القيادة here is steering (tableau de bord): the programme itself is والريادة, in French « leadership » (PROGRAMME_NAME).',
  },
  {
    concept: "The region's acknowledgement of an exchange file",
    ar: 'وصل الاستلام',
    fr: 'accusé de réception',
    forbidden: { ar: [/إشعار الاستلام/u] },
  },
  {
    concept: "The exchange page, as titled on a province's office (the region's own page is titled for the offices)",
    ar: 'التبادل مع الجهة / التبادل مع المكاتب الإقليمية',
    fr: 'Échange avec la région / Échanges avec les bureaux provinciaux',
    forbidden: {},
  },
];

/** Every forbidden variant found in a text: `[concept, the text matched]`. */
export function glossaryViolations(text: string, lang: 'ar' | 'fr'): [string, string][] {
  const out: [string, string][] = [];
  for (const term of GLOSSARY) {
    for (const re of term.forbidden[lang] ?? []) {
      const m = re.exec(text);
      if (m) out.push([term.concept, m[0]]);
    }
  }
  return out;
}
