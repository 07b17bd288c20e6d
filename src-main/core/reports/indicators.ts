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
export function registrationTotals(db: ReadableDB, s: Scope, p: Period): { period: number; cumulative: number; women: number } {
  const rows = repo.countsBy(db, 'sex', monthsOf(s, p));
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
export function statusAtEnd(db: ReadableDB, s: Scope, p: Period): (Labelled & { status: ApplicantStatus; count: number })[] {
  const by = new Map(repo.countsBy(db, 'status', monthsOf(s, p)).map((r) => [r.key, r.cumulative]));
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
export function funnel(db: ReadableDB, s: Scope, p: Period): (Labelled & { status: ApplicantStatus; count: number })[] {
  // The path moves one step forward at a time, so a file still on the main path (status set before the end) has
  // reached exactly its current step; the others (closed, not retained, dropped out, or moved after the end) are
  // read from their history (the summary keeps each file's furthest step at the end of every month).
  const rows = repo.countsBy(db, 'funnel', monthsOf(s, p)).map((r) => ({ idx: Number(r.key), n: r.cumulative }));
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

export function categories(db: ReadableDB, s: Scope, p: Period): Categories {
  const m = monthsOf(s, p);
  const totals: Record<string, number> = {};
  for (const r of repo.countsBy(db, 'cat', m)) {
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
export function projectsFinanced(db: ReadableDB, s: Scope, p: Period): FinancingMatrix {
  const rows = repo.projectsFinanced(db, s, p.startAt, p.endAt);
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

export function byProvince(db: ReadableDB, s: Scope, p: Period, communes: CommuneRow[], sessions: SessionRow[], attestations: AttestationRow[]): ProvinceRow[] {
  const provinces = repo.provinces(db);
  const financed = repo.projectsFinancedByProvince(db, s, p.startAt, p.endAt);
  const fin = new Map(financed.map((r) => [r.prov, r.n]));
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
}

/** Every indicator of a period (the workbook writes them; the dashboard charts them). */
export function computeIndicators(db: ReadableDB, s: Scope, p: Period, opts: { registrationMonths?: string[] } = {}): Indicators {
  const communes = byCommune(db, s, p);
  const sessions = sessionsByTopicAndOrganisation(db, s, p);
  const attestations = attestationsIssued(db, s, p);
  return {
    period: p,
    scope: s,
    totals: registrationTotals(db, s, p),
    registrations: registrationsByMonth(db, s, opts.registrationMonths ?? p.months),
    statuses: statusAtEnd(db, s, p),
    funnel: funnel(db, s, p),
    communes,
    areas: byArea(communes),
    categories: categories(db, s, p),
    ageBands: byAgeBand(db, s, p),
    education: byEducation(db, s, p),
    sessions,
    attestations,
    financing: projectsFinanced(db, s, p),
    provinces: s.isRegion ? byProvince(db, s, p, communes, sessions, attestations) : null,
  };
}
