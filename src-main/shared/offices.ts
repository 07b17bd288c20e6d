/** The six kinds of installation. Province codes are HCP codes (see shared/domain/territories.csv). */
export const OFFICES = [
  { slug: 'errachidia', code: 'ERR', provinceCode: '08.201', kind: 'province' },
  { slug: 'ouarzazate', code: 'OUA', provinceCode: '08.401', kind: 'province' },
  { slug: 'midelt', code: 'MID', provinceCode: '08.363', kind: 'province' },
  { slug: 'tinghir', code: 'TIN', provinceCode: '08.577', kind: 'province' },
  { slug: 'zagora', code: 'ZAG', provinceCode: '08.587', kind: 'province' },
  { slug: 'region', code: 'REG', provinceCode: null, kind: 'region' },
] as const;

export type OfficeSlug = (typeof OFFICES)[number]['slug'];
export const OFFICE_SLUGS = OFFICES.map((o) => o.slug) as unknown as readonly [OfficeSlug, ...OfficeSlug[]];

export function officeBySlug(slug: string) {
  return OFFICES.find((o) => o.slug === slug);
}

/** Default names and signatory titles proposed at setup (editable; used on documents). */
export function defaultOfficeSettings(slug: string, provinceAr: string, provinceFr: string) {
  if (slug === 'region') {
    return {
      nameAr: 'المندوبية الجهوية للتعاون الوطني بجهة درعة تافيلالت',
      nameFr: "Délégation régionale de l'Entraide Nationale – Drâa-Tafilalet",
      addressAr: '',
      addressFr: '',
      signatoryTitleAr: 'المندوب الجهوي',
      signatoryTitleFr: 'Le Délégué régional',
    };
  }
  return {
    nameAr: `المندوبية الإقليمية للتعاون الوطني ب${provinceAr}`,
    nameFr: `Délégation provinciale de l'Entraide Nationale – ${provinceFr}`,
    addressAr: '',
    addressFr: '',
    signatoryTitleAr: 'المندوب الإقليمي',
    signatoryTitleFr: 'Le Délégué provincial',
  };
}

export const PROVINCE_NAMES: Record<string, { ar: string; fr: string }> = {
  errachidia: { ar: 'الرشيدية', fr: 'Errachidia' },
  ouarzazate: { ar: 'ورزازات', fr: 'Ouarzazate' },
  midelt: { ar: 'ميدلت', fr: 'Midelt' },
  tinghir: { ar: 'تنغير', fr: 'Tinghir' },
  zagora: { ar: 'زاكورة', fr: 'Zagora' },
  region: { ar: 'درعة تافيلالت', fr: 'Drâa-Tafilalet' },
};
