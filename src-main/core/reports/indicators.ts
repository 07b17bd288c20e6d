/**
 * The indicators: ONE set of queries used by both the indicator workbook (workbook.ts) and the dashboard
 * (reports.dashboard), so the two can never disagree.
 *
 * Conventions:
 * - "period" counts what happened inside the period (registrations by created_at, sessions by date,
 *   attestations by issue date, financings by the date of the move to `financed`);
 * - "cumulative" counts the stock at the end of the period (every file registered before its end);
 * - a provincial office reports its own files (office_id); the region installation reports every file it
 *   holds, with the province (of the commune, else of the owning office) as a dimension.
 *
 * The counts come from the summaries the writes keep up to date (reports.repo.ts, migration 0014), binned by the
 * office calendar's month: a period is a run of whole local months.
 */
import type { ReadableDB } from '../db/handles';
import type { Office } from '../db/schema';
import * as repo from './reports.repo';
import { STATUS_PATH, APPLICANT_STATUSES, type ApplicantStatus } from '../../shared/api/applicants.contract';
import type { Period } from './period';
import type { ProvinceFigures } from '../../shared/api/reports.contract';

export interface Scope {
  /** null: every office (the region installation). */
  officeId: string | null;
  isRegion: boolean;
  provinceCode: string | null;
}

export function scopeOf(office: Office): Scope {
  const isRegion = office.kind === 'region';
  return { officeId: isRegion ? null : office.id, isRegion, provinceCode: office.province_code };
}

/** The summaries' filter for a scope and a period: its first and last month. */
function monthsOf(s: Scope, p: Period | string[]) {
  const months = Array.isArray(p) ? p : p.months;
  return { officeId: s.officeId, first: months[0], last: months[months.length - 1] };
}

/** A dimension's counts in a scope and period (`repo.countsBy`): registered in the period, and the stock at its end. */
export type CountsOf = (dim: repo.CountDim) => { key: string; period: number; cumulative: number }[];

/**
 * The counts read directly, or — given the region's counts by office (`repo.countsByOffice`, four dimensions read
 * once) — summed from them for those four dimensions: the same figures, and the table by province splits the same rows.
 */
export function countsReader(db: ReadableDB, s: Scope, p: Period, byOffice: repo.OfficeCount[] | null = null): CountsOf {
  const direct: CountsOf = (dim) => repo.countsBy(db, dim, monthsOf(s, p));
  if (!byOffice) return direct;
  return (dim) => {
    if (!(repo.OFFICE_DIMS as readonly string[]).includes(dim)) return direct(dim);
    const by = new Map<string, { key: string; period: number; cumulative: number }>();
    for (const r of byOffice) {
      if (r.dim !== dim) continue;
      const t = by.get(r.key) ?? { key: r.key, period: 0, cumulative: 0 };
      t.period += r.period;
      t.cumulative += r.cumulative;
      by.set(r.key, t);
    }
    return [...by.values()].filter((t) => t.cumulative !== 0);
  };
}

export interface Labelled {
  key: string;
  labelAr: string;
  labelFr: string;
}

export interface Counted extends Labelled {
  /** Registered during the period. */
  period: number;
  /** Registered before the period's end (the stock). */
  cumulative: number;
}

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

export const STATUS_LABELS: Record<ApplicantStatus, { ar: string; fr: string }> = {
  registered: { ar: 'مسجلة', fr: 'Inscrite' },
  oriented: { ar: 'موجهة', fr: 'Orientée' },
  preselected: { ar: 'منتقاة أوليا', fr: 'Présélectionnée' },
  in_training: { ar: 'في التكوين', fr: 'En formation' },
  trained: { ar: 'أنهت التكوين', fr: 'Formée' },
  in_incubation: { ar: 'في الاحتضان', fr: 'En incubation' },
  project_validated: { ar: 'مشروع مصادق عليه', fr: 'Projet validé' },
  financed: { ar: 'مشروع ممول', fr: 'Projet financé' },
  followed_up: { ar: 'في التتبع', fr: 'En suivi' },
  closed: { ar: 'ملف مغلق', fr: 'Dossier clôturé' },
  not_retained: { ar: 'غير مقبولة', fr: 'Non retenue' },
  dropped_out: { ar: 'انقطعت', fr: 'Abandon' },
};

export const AGE_BANDS = [
  { key: 'lt18', min: -1000, max: 17, ar: 'أقل من 18 سنة', fr: 'Moins de 18 ans' },
  { key: '18_24', min: 18, max: 24, ar: '18 – 24 سنة', fr: '18 – 24 ans' },
  { key: '25_34', min: 25, max: 34, ar: '25 – 34 سنة', fr: '25 – 34 ans' },
  { key: '35_44', min: 35, max: 44, ar: '35 – 44 سنة', fr: '35 – 44 ans' },
  { key: '45_55', min: 45, max: 55, ar: '45 – 55 سنة', fr: '45 – 55 ans' },
  { key: 'gt55', min: 56, max: 1000, ar: 'أكثر من 55 سنة', fr: 'Plus de 55 ans' },
] as const;

const UNKNOWN = { ar: 'غير محدد', fr: 'Non renseigné' };

const refLabels = repo.refLabels;

function labelled(key: string | null, refs: Map<string, { ar: string; fr: string }>): Labelled {
  if (key === null || key === '') return { key: '', labelAr: UNKNOWN.ar, labelFr: UNKNOWN.fr };
  const l = refs.get(key);
  return { key, labelAr: l?.ar ?? key, labelFr: l?.fr ?? key };
}

// ---------------------------------------------------------------------------------------------
// Registrations
// ---------------------------------------------------------------------------------------------

export interface MonthCount {
  month: string;
  total: number;
  women: number;
  men: number;
}

/** Registrations per month (created_at, the office calendar's month), for the given months (YYYY-MM, consecutive). */
export function registrationsByMonth(db: ReadableDB, s: Scope, months: string[]): MonthCount[] {
  // A month runs from local midnight on its first day to local midnight on the next month's (office time zone):
  // a file registered at 00:30 on 1 December in Casablanca (23:30 UTC the day before) counts in December.
  const by = new Map(repo.registrationsPerMonth(db, monthsOf(s, months)).map((r) => [r.month, r]));
  return months.map((m) => ({ month: m, total: by.get(m)?.total ?? 0, women: by.get(m)?.women ?? 0, men: by.get(m)?.men ?? 0 }));
}

/** Files registered in the period and before its end. */
export function registrationTotals(db: ReadableDB, s: Scope, p: Period, counts: CountsOf = countsReader(db, s, p)): { period: number; cumulative: number; women: number } {
  const rows = counts('sex');
  const t = { period: 0, cumulative: 0, women: 0 };
  for (const r of rows) {
    t.period += r.period;
    t.cumulative += r.cumulative;
    if (r.key === 'F') t.women += r.period;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// The path
// ---------------------------------------------------------------------------------------------

/**
 * Status of every file at the end of the period: its current status when it was set before the end (the file
 * has not moved since), else its latest move before the end (status_history), else `registered`.
 */
export function statusAtEnd(db: ReadableDB, s: Scope, p: Period, counts: CountsOf = countsReader(db, s, p)): (Labelled & { status: ApplicantStatus; count: number })[] {
  const by = new Map(counts('status').map((r) => [r.key, r.cumulative]));
  return APPLICANT_STATUSES.map((st) => ({
    key: st,
    status: st,
    labelAr: STATUS_LABELS[st].ar,
    labelFr: STATUS_LABELS[st].fr,
    count: by.get(st) ?? 0,
  }));
}

/**
 * The path as a funnel: for each step of the main path, the files that had reached it (or gone further)
 * by the end of the period, from their furthest step in the status history.
 */
export function funnel(db: ReadableDB, s: Scope, p: Period, counts: CountsOf = countsReader(db, s, p)): (Labelled & { status: ApplicantStatus; count: number })[] {
  // The path moves one step forward at a time, so a file still on the main path (status set before the end) has
  // reached exactly its current step; the others (closed, not retained, dropped out, or moved after the end) are
  // read from their history (the summary keeps each file's furthest step at the end of every month).
  const rows = counts('funnel').map((r) => ({ idx: Number(r.key), n: r.cumulative }));
  const atLeast = new Array<number>(STATUS_PATH.length).fill(0);
  for (const r of rows) for (let i = 0; i <= r.idx && i < atLeast.length; i++) atLeast[i] += r.n;
  return STATUS_PATH.map((st, i) => ({
    key: st,
    status: st,
    labelAr: STATUS_LABELS[st].ar,
    labelFr: STATUS_LABELS[st].fr,
    count: atLeast[i],
  }));
}

// ---------------------------------------------------------------------------------------------
// Breakdowns of the files (period and cumulative)
// ---------------------------------------------------------------------------------------------

export interface CommuneRow extends Counted {
  type: 'urbaine' | 'rurale' | null;
  provinceCode: string | null;
  provinceAr: string;
  provinceFr: string;
}

export function byCommune(db: ReadableDB, s: Scope, p: Period): CommuneRow[] {
  const rows = repo.countsByCommune(db, monthsOf(s, p));
  return rows.map((r) => ({
    key: r.code ?? '',
    labelAr: r.name_ar ?? UNKNOWN.ar,
    labelFr: r.name_fr ?? UNKNOWN.fr,
    type: r.type,
    provinceCode: r.prov,
    provinceAr: r.pa ?? UNKNOWN.ar,
    provinceFr: r.pf ?? UNKNOWN.fr,
    period: r.period ?? 0,
    cumulative: r.cumulative,
  }));
}

/** Urban / rural totals (from byCommune: one source). */
export function byArea(communes: CommuneRow[]): Counted[] {
  const out: Counted[] = [
    { key: 'urbaine', labelAr: 'حضري', labelFr: 'Urbain', period: 0, cumulative: 0 },
    { key: 'rurale', labelAr: 'قروي', labelFr: 'Rural', period: 0, cumulative: 0 },
    { key: '', labelAr: UNKNOWN.ar, labelFr: UNKNOWN.fr, period: 0, cumulative: 0 },
  ];
  for (const c of communes) {
    const t = out[c.type === 'urbaine' ? 0 : c.type === 'rurale' ? 1 : 2];
    t.period += c.period;
    t.cumulative += c.cumulative;
  }
  return out[2].cumulative ? out : out.slice(0, 2);
}

export interface Categories {
  /** Women project holders. */
  projectHolders: Counted;
  /** Women in a difficult situation (persons, whatever their sub-categories). */
  difficult: Counted;
  /** By sub-category (a woman may have several). */
  situations: Counted[];
  /** Persons with disabilities. */
  disability: Counted;
  /** By type (a person may have several). */
  disabilityTypes: Counted[];
}

export function categories(db: ReadableDB, s: Scope, p: Period, counts: CountsOf = countsReader(db, s, p)): Categories {
  const m = monthsOf(s, p);
  const totals: Record<string, number> = {};
  for (const r of counts('cat')) {
    totals[`${r.key}_p`] = r.period;
    totals[`${r.key}_c`] = r.cumulative;
  }
  const sub = (dim: 'sit' | 'dis', kind: string): Counted[] => {
    const rows = repo.countsBy(db, dim, m).map((r) => ({ code: r.key, period: r.period, cumulative: r.cumulative }));
    const by = new Map(rows.map((r) => [r.code, r]));
    const refs = refLabels(db, kind);
    const out: Counted[] = [...refs.keys()].map((code) => ({
      ...labelled(code, refs),
      period: by.get(code)?.period ?? 0,
      cumulative: by.get(code)?.cumulative ?? 0,
    }));
    for (const r of rows) if (!refs.has(r.code)) out.push({ ...labelled(r.code, refs), period: r.period, cumulative: r.cumulative });
    return out;
  };
  const n = (k: string) => totals[k] ?? 0;
  return {
    projectHolders: { key: 'project_holder', labelAr: 'نساء حاملات لمشاريع', labelFr: 'Femmes porteuses de projet', period: n('ph_p'), cumulative: n('ph_c') },
    difficult: { key: 'difficult_situation', labelAr: 'نساء في وضعية صعبة', labelFr: 'Femmes en situation difficile', period: n('ds_p'), cumulative: n('ds_c') },
    situations: sub('sit', 'situation'),
    disability: { key: 'disability', labelAr: 'أشخاص في وضعية إعاقة', labelFr: 'Personnes en situation de handicap', period: n('di_p'), cumulative: n('di_c') },
    disabilityTypes: sub('dis', 'disability_type'),
  };
}

/** Age (whole years) at the period's last day. */
export function byAgeBand(db: ReadableDB, s: Scope, p: Period): Counted[] {
  const rows = repo.countsByAge(db, monthsOf(s, p), p.last);
  const out: Counted[] = AGE_BANDS.map((b) => ({ key: b.key, labelAr: b.ar, labelFr: b.fr, period: 0, cumulative: 0 }));
  const unknown: Counted = { key: '', labelAr: UNKNOWN.ar, labelFr: UNKNOWN.fr, period: 0, cumulative: 0 };
  for (const r of rows) {
    const i = r.age === null ? -1 : AGE_BANDS.findIndex((b) => r.age! >= b.min && r.age! <= b.max);
    const t = i < 0 ? unknown : out[i];
    t.period += r.period;
    t.cumulative += r.cumulative;
  }
  if (unknown.cumulative) out.push(unknown);
  return out;
}

export function byEducation(db: ReadableDB, s: Scope, p: Period): Counted[] {
  const rows = repo.countsBy(db, 'edu', monthsOf(s, p)).map((r) => ({ code: r.key === repo.NONE_KEY ? null : r.key, period: r.period, cumulative: r.cumulative }));
  const refs = refLabels(db, 'education');
  const by = new Map(rows.map((r) => [r.code ?? '', r]));
  const out: Counted[] = [...refs.keys()].map((code) => ({
    ...labelled(code, refs),
    period: by.get(code)?.period ?? 0,
    cumulative: by.get(code)?.cumulative ?? 0,
  }));
  for (const r of rows) if (r.code !== null && !refs.has(r.code)) out.push({ ...labelled(r.code, refs), period: r.period, cumulative: r.cumulative });
  const none = by.get('');
  if (none) out.push({ ...labelled(null, refs), period: none.period, cumulative: none.cumulative });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Training
// ---------------------------------------------------------------------------------------------

export interface SessionRow {
  topicCode: string;
  topicAr: string;
  topicFr: string;
  organisationId: string;
  organisationAr: string;
  organisationFr: string;
  provinceCode: string | null;
  sessions: number;
  /** Sum of the sessions' durations, in minutes. */
  minutes: number;
  /** Attendance rows marked present. */
  present: number;
  /** Attendance rows recorded (present, absent, excused). */
  recorded: number;
}

/** Sessions held in the period (not cancelled), hours delivered and attendance, by topic and organisation. */
export function sessionsByTopicAndOrganisation(db: ReadableDB, s: Scope, p: Period): SessionRow[] {
  const rows = repo.sessionsByTopicAndOrganisation(db, monthsOf(s, p));
  const refs = refLabels(db, 'topic');
  return rows.map((r) => ({
    topicCode: r.topic,
    topicAr: refs.get(r.topic)?.ar ?? r.topic,
    topicFr: refs.get(r.topic)?.fr ?? r.topic,
    organisationId: r.org,
    organisationAr: r.oar,
    organisationFr: r.ofr,
    provinceCode: r.prov,
    sessions: r.n,
    minutes: r.minutes,
    present: r.present ?? 0,
    recorded: r.recorded ?? 0,
  }));
}

// ---------------------------------------------------------------------------------------------
// Attestations
// ---------------------------------------------------------------------------------------------

export interface AttestationRow extends Labelled {
  provinceCode: string | null;
  issued: number;
  revoked: number;
}

const ATTESTATION_KIND_LABELS: Record<string, { ar: string; fr: string }> = {
  registration: { ar: 'شهادة التسجيل', fr: "Attestation d'inscription" },
  participation: { ar: 'شهادة المشاركة', fr: 'Attestation de participation' },
  completion: { ar: 'شهادة إتمام التكوين', fr: 'Attestation de fin de formation' },
};

/** Attestations issued in the period (by issue date), by kind; the revoked ones among them. */
export function attestationsIssued(db: ReadableDB, s: Scope, p: Period): AttestationRow[] {
  const rows = repo.attestationsIssued(db, s, p.start, p.end);
  return rows.map((r) => ({
    key: r.kind,
    labelAr: ATTESTATION_KIND_LABELS[r.kind]?.ar ?? r.kind,
    labelFr: ATTESTATION_KIND_LABELS[r.kind]?.fr ?? r.kind,
    provinceCode: r.prov,
    issued: r.issued,
    revoked: r.revoked,
  }));
}

// ---------------------------------------------------------------------------------------------
// Financing
// ---------------------------------------------------------------------------------------------

export interface FinancingMatrix {
  sources: Labelled[];
  legalForms: Labelled[];
  /** counts[legalFormIndex][sourceIndex]: projects financed in the period. */
  counts: number[][];
}

/** Projects financed in the period (moves to `financed`), by financing source and legal form. */
/** Files financed in the period by source and legal form (each file once per source and form). */
export function projectsFinanced(db: ReadableDB, moves: readonly repo.FinancedMove[]): FinancingMatrix {
  const byKey = new Map<string, { src: string; lf: string | null; n: number }>();
  for (const m of moves) {
    const k = `${m.src}\0${m.lf ?? ''}`;
    const r = byKey.get(k);
    if (r) r.n++;
    else byKey.set(k, { src: m.src, lf: m.lf, n: 1 });
  }
  const rows = [...byKey.values()];
  const srcRefs = refLabels(db, 'financing_source');
  const lfRefs = refLabels(db, 'legal_form');
  const srcKeys = [...srcRefs.keys()];
  for (const r of rows) if (!srcKeys.includes(r.src)) srcKeys.push(r.src);
  const lfKeys: string[] = [...lfRefs.keys()];
  for (const r of rows) if (r.lf !== null && !lfKeys.includes(r.lf)) lfKeys.push(r.lf);
  if (rows.some((r) => r.lf === null)) lfKeys.push('');
  const counts = lfKeys.map(() => srcKeys.map(() => 0));
  for (const r of rows) counts[lfKeys.indexOf(r.lf ?? '')][srcKeys.indexOf(r.src)] += r.n;
  return {
    sources: srcKeys.map((k) => labelled(k, srcRefs)),
    legalForms: lfKeys.map((k) => labelled(k || null, lfRefs)),
    counts,
  };
}

// ---------------------------------------------------------------------------------------------
// Region: the province as a dimension
// ---------------------------------------------------------------------------------------------

export interface ProvinceRow extends Counted {
  financed: number;
  sessions: number;
  attestations: number;
}

/** Files financed in the period by province of the file (each file once). */
export function financedByProvince(moves: readonly repo.FinancedMove[]): Map<string | null, number> {
  const ids = new Map<string | null, Set<string>>();
  for (const m of moves) {
    let set = ids.get(m.prov);
    if (!set) ids.set(m.prov, (set = new Set()));
    set.add(m.id);
  }
  return new Map([...ids].map(([prov, set]) => [prov, set.size]));
}

export function byProvince(db: ReadableDB, communes: CommuneRow[], sessions: SessionRow[], attestations: AttestationRow[], fin: Map<string | null, number>): ProvinceRow[] {
  const provinces = repo.provinces(db);
  return provinces.map((pr) => ({
    key: pr.code,
    labelAr: pr.name_ar,
    labelFr: pr.name_fr,
    period: communes.filter((c) => c.provinceCode === pr.code).reduce((t, c) => t + c.period, 0),
    cumulative: communes.filter((c) => c.provinceCode === pr.code).reduce((t, c) => t + c.cumulative, 0),
    financed: fin.get(pr.code) ?? 0,
    sessions: sessions.filter((x) => x.provinceCode === pr.code).reduce((t, x) => t + x.sessions, 0),
    attestations: attestations.filter((x) => x.provinceCode === pr.code).reduce((t, x) => t + x.issued, 0),
  }));
}

// ---------------------------------------------------------------------------------------------
// Region: the dashboard's table by province
// ---------------------------------------------------------------------------------------------

/** The row of what belongs to no province: the region's own registrations, its organisations' sessions. */
const NO_PROVINCE = { ar: 'الجهة (خارج الأقاليم)', fr: 'Région (hors provinces)' };

/**
 * The region's main indicators by province: a file counts for the province of the office that holds it (an office
 * is a province; the region's own registrations, if any, in a row of their own), read from the same summaries as
 * the dashboard's totals, by office, in one pass; sessions by their organisation's province, attestations by their
 * office's, projects financed by the file's province as the workbook's province sheet counts them. The rows add up
 * to the dashboard's totals.
 */
export function provinceBreakdown(db: ReadableDB, ind: Indicators, opts: { sensitive: boolean }): { rows: ProvinceFigures[]; total: ProvinceFigures } {
  const provinceOfOffice = repo.officeProvinces(db);
  const blank = (key: string, labelAr: string, labelFr: string): ProvinceFigures => ({
    key,
    labelAr,
    labelFr,
    registeredInPeriod: 0,
    registeredToDate: 0,
    women: 0,
    projectHolders: 0,
    difficultSituation: 0,
    disability: opts.sensitive ? 0 : null,
    steps: STATUS_PATH.map(() => 0),
    notRetained: 0,
    droppedOut: 0,
    sessions: 0,
    hours: 0,
    attestations: 0,
    financed: 0,
  });
  const rows = repo.provinces(db).map((p) => blank(p.code, p.name_ar, p.name_fr));
  const other = blank('', NO_PROVINCE.ar, NO_PROVINCE.fr);
  const byCode = new Map(rows.map((r) => [r.key, r]));
  const rowOf = (province: string | null | undefined) => (province ? byCode.get(province) : undefined) ?? other;
  const minutes = new Map<ProvinceFigures, number>();

  for (const c of ind.officeCounts ?? repo.countsByOffice(db, monthsOf(ind.scope, ind.period))) {
    const r = rowOf(provinceOfOffice.get(c.office_id));
    if (c.dim === 'sex') {
      r.registeredInPeriod += c.period;
      r.registeredToDate += c.cumulative;
      if (c.key === 'F') r.women += c.cumulative;
    } else if (c.dim === 'cat') {
      if (c.key === 'ph') r.projectHolders += c.cumulative;
      else if (c.key === 'ds') r.difficultSituation += c.cumulative;
      else if (c.key === 'di' && r.disability !== null) r.disability += c.cumulative;
    } else if (c.dim === 'status') {
      if (c.key === 'not_retained') r.notRetained += c.cumulative;
      else if (c.key === 'dropped_out') r.droppedOut += c.cumulative;
    } else {
      const idx = Number(c.key);
      for (let i = 0; i <= idx && i < r.steps.length; i++) r.steps[i] += c.cumulative;
    }
  }
  for (const x of ind.sessions) {
    const r = rowOf(x.provinceCode);
    r.sessions += x.sessions;
    minutes.set(r, (minutes.get(r) ?? 0) + x.minutes);
  }
  for (const [r, m] of minutes) r.hours = Math.round((m / 60) * 100) / 100;
  for (const a of ind.attestations) rowOf(a.provinceCode).attestations += a.issued;
  for (const [prov, n] of ind.financedByProvince ?? financedByProvince(repo.financedMoves(db, ind.scope, ind.period.startAt, ind.period.endAt))) rowOf(prov).financed += n;

  const all = [...rows, other];
  const total = blank('total', 'المجموع', 'Total');
  for (const r of all) {
    for (const k of ['registeredInPeriod', 'registeredToDate', 'women', 'projectHolders', 'difficultSituation', 'notRetained', 'droppedOut', 'sessions', 'attestations', 'financed'] as const) total[k] += r[k];
    if (total.disability !== null) total.disability += r.disability ?? 0;
    r.steps.forEach((n, i) => (total.steps[i] += n));
  }
  total.hours = Math.round(([...minutes.values()].reduce((t, m) => t + m, 0) / 60) * 100) / 100;
  const used = (r: ProvinceFigures) =>
    r.registeredToDate || r.sessions || r.attestations || r.financed || r.steps.some(Boolean) || r.notRetained || r.droppedOut;
  return { rows: used(other) ? all : rows, total };
}

// ---------------------------------------------------------------------------------------------
// All of them
// ---------------------------------------------------------------------------------------------

export interface Indicators {
  period: Period;
  scope: Scope;
  totals: { period: number; cumulative: number; women: number };
  registrations: MonthCount[];
  statuses: ReturnType<typeof statusAtEnd>;
  funnel: ReturnType<typeof funnel>;
  communes: CommuneRow[];
  areas: Counted[];
  categories: Categories;
  ageBands: Counted[];
  education: Counted[];
  sessions: SessionRow[];
  attestations: AttestationRow[];
  financing: FinancingMatrix;
  /** Region installation only. */
  provinces: ProvinceRow[] | null;
  /** Region installation only: the summaries of sex, status, funnel and cat by office (the table by province). */
  officeCounts: repo.OfficeCount[] | null;
  /** Region installation only: files financed in the period by province (the province sheet and the table by province). */
  financedByProvince: Map<string | null, number> | null;
}

/** Every indicator of a period (the workbook writes them; the dashboard charts them). */
export function computeIndicators(db: ReadableDB, s: Scope, p: Period, opts: { registrationMonths?: string[] } = {}): Indicators {
  const communes = byCommune(db, s, p);
  const sessions = sessionsByTopicAndOrganisation(db, s, p);
  const attestations = attestationsIssued(db, s, p);
  // The region reads four dimensions once by office: its totals sum them, its table by province splits them.
  const officeCounts = s.isRegion ? repo.countsByOffice(db, monthsOf(s, p)) : null;
  const counts = countsReader(db, s, p, officeCounts);
  const moves = repo.financedMoves(db, s, p.startAt, p.endAt);
  const financedProv = s.isRegion ? financedByProvince(moves) : null;
  return {
    period: p,
    scope: s,
    totals: registrationTotals(db, s, p, counts),
    registrations: registrationsByMonth(db, s, opts.registrationMonths ?? p.months),
    statuses: statusAtEnd(db, s, p, counts),
    funnel: funnel(db, s, p, counts),
    communes,
    areas: byArea(communes),
    categories: categories(db, s, p, counts),
    ageBands: byAgeBand(db, s, p),
    education: byEducation(db, s, p),
    sessions,
    attestations,
    financing: projectsFinanced(db, moves),
    provinces: financedProv ? byProvince(db, communes, sessions, attestations, financedProv) : null,
    officeCounts,
    financedByProvince: financedProv,
  };
}
