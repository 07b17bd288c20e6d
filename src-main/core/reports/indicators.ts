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
 */
import { startOfLocalDayUtc } from '../../shared/time';
import type { Sqlite } from '../db/connection';
import type { Office } from '../db/schema';
import { stmt } from '../db/statements';
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

/** `AND a.office_id = @officeId` for a provincial office; nothing for the region. */
const scoped = (s: Scope, alias = 'a') => (s.officeId ? ` AND ${alias}.office_id = @officeId` : '');
const params = (s: Scope, extra: Record<string, unknown> = {}) => (s.officeId ? { officeId: s.officeId, ...extra } : extra);

/** Province of a file: its commune's, else its office's. */
const PROVINCE_OF = `COALESCE(c.province_code, o.province_code)`;
const APPLICANT_FROM = `FROM applicants a LEFT JOIN communes c ON c.code = a.commune_code LEFT JOIN offices o ON o.id = a.office_id`;

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

function refLabels(db: Sqlite, kind: string): Map<string, { ar: string; fr: string; sort: number }> {
  const rows = stmt<[string], { code: string; label_ar: string; label_fr: string; sort: number }>(
    db,
    'SELECT code, label_ar, label_fr, sort FROM ref_items WHERE kind = ? ORDER BY sort, code',
  ).all(kind);
  return new Map(rows.map((r) => [r.code, { ar: r.label_ar, fr: r.label_fr, sort: r.sort }]));
}

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

function nextMonth(ym: string): string {
  const [y, m] = ym.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Registrations per month (created_at), for the given months (YYYY-MM, consecutive). */
export function registrationsByMonth(db: Sqlite, s: Scope, months: string[]): MonthCount[] {
  // A month runs from local midnight on its first day to local midnight on the next month's (office time zone):
  // a file registered at 00:30 on 1 December in Casablanca (23:30 UTC the day before) counts in December.
  const bounds = [...months, nextMonth(months[months.length - 1])].map((m) => startOfLocalDayUtc(`${m}-01`));
  const bins = months.map((_, i) => `(${i}, @b${i}, @b${i + 1})`).join(', ');
  const named = Object.fromEntries(bounds.map((b, i) => [`b${i}`, b]));
  const rows = stmt<[Record<string, unknown>], { i: number; total: number; women: number; men: number }>(
    db,
    `WITH bins(i, s, e) AS (VALUES ${bins})
     SELECT bins.i AS i, COUNT(*) AS total, SUM(a.sex = 'F') AS women, SUM(a.sex = 'M') AS men
       FROM applicants a JOIN bins ON a.created_at >= bins.s AND a.created_at < bins.e
      WHERE a.created_at >= @start AND a.created_at < @end${scoped(s)} GROUP BY bins.i`,
  ).all(params(s, { ...named, start: bounds[0], end: bounds[bounds.length - 1] }));
  const byIndex = new Map(rows.map((r) => [r.i, r]));
  const by = new Map(months.map((m, i) => [m, byIndex.get(i)]));
  return months.map((m) => ({ month: m, total: by.get(m)?.total ?? 0, women: by.get(m)?.women ?? 0, men: by.get(m)?.men ?? 0 }));
}

/** Files registered in the period and before its end. */
export function registrationTotals(db: Sqlite, s: Scope, p: Period): { period: number; cumulative: number; women: number } {
  const r = stmt<[Record<string, unknown>], { period: number | null; cumulative: number; women: number | null }>(
    db,
    `SELECT SUM(a.created_at >= @start) AS period, COUNT(*) AS cumulative, SUM(a.created_at >= @start AND a.sex = 'F') AS women
       FROM applicants a WHERE a.created_at < @end${scoped(s)}`,
  ).get(params(s, { start: p.startAt, end: p.endAt }))!;
  return { period: r.period ?? 0, cumulative: r.cumulative, women: r.women ?? 0 };
}

// ---------------------------------------------------------------------------------------------
// The path
// ---------------------------------------------------------------------------------------------

/**
 * Status of every file at the end of the period: its current status when it was set before the end (the file
 * has not moved since), else its latest move before the end (status_history), else `registered`.
 */
export function statusAtEnd(db: Sqlite, s: Scope, p: Period): (Labelled & { status: ApplicantStatus; count: number })[] {
  const rows = stmt<[Record<string, unknown>], { status: ApplicantStatus; n: number }>(
    db,
    `SELECT CASE WHEN a.status_changed_at < @end THEN a.status
                 ELSE COALESCE((SELECT h.to_status FROM status_history h WHERE h.applicant_id = a.id AND h.at < @end ORDER BY h.at DESC LIMIT 1), 'registered')
            END AS status, COUNT(*) AS n
       FROM applicants a
      WHERE a.created_at < @end${scoped(s)}
      GROUP BY 1`,
  ).all(params(s, { end: p.endAt }));
  const by = new Map(rows.map((r) => [r.status, r.n]));
  return APPLICANT_STATUSES.map((st) => ({
    key: st,
    status: st,
    labelAr: STATUS_LABELS[st].ar,
    labelFr: STATUS_LABELS[st].fr,
    count: by.get(st) ?? 0,
  }));
}

const PATH_INDEX_SQL = (col: string) =>
  `CASE ${col} ${STATUS_PATH.map((st, i) => `WHEN '${st}' THEN ${i}`).join(' ')} ELSE 0 END`;

/**
 * The path as a funnel: for each step of the main path, the files that had reached it (or gone further)
 * by the end of the period, from their furthest step in the status history.
 */
export function funnel(db: Sqlite, s: Scope, p: Period): (Labelled & { status: ApplicantStatus; count: number })[] {
  // The path moves one step forward at a time, so a file still on the main path (status set before the end) has
  // reached exactly its current step; the others (closed, not retained, dropped out, or moved after the end) are
  // read from their history.
  const rows = stmt<[Record<string, unknown>], { idx: number; n: number }>(
    db,
    `SELECT CASE WHEN a.status_changed_at < @end AND a.status NOT IN ('closed', 'not_retained', 'dropped_out') THEN ${PATH_INDEX_SQL('a.status')}
                 ELSE COALESCE((SELECT MAX(${PATH_INDEX_SQL('h.to_status')}) FROM status_history h WHERE h.applicant_id = a.id AND h.at < @end),
                               CASE WHEN a.status_changed_at < @end THEN ${PATH_INDEX_SQL('a.status')} ELSE 0 END)
            END AS idx, COUNT(*) AS n
       FROM applicants a
      WHERE a.created_at < @end${scoped(s)}
      GROUP BY 1`,
  ).all(params(s, { end: p.endAt }));
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

export function byCommune(db: Sqlite, s: Scope, p: Period): CommuneRow[] {
  const rows = stmt<
    [Record<string, unknown>],
    { code: string | null; name_ar: string | null; name_fr: string | null; type: 'urbaine' | 'rurale' | null; prov: string | null; pa: string | null; pf: string | null; period: number; cumulative: number }
  >(
    db,
    `SELECT x.code, c.name_ar, c.name_fr, c.type, ${PROVINCE_OF} AS prov, pr.name_ar AS pa, pr.name_fr AS pf,
            SUM(x.period) AS period, SUM(x.cumulative) AS cumulative
       FROM (SELECT a.commune_code AS code, a.office_id, SUM(a.created_at >= @start) AS period, COUNT(*) AS cumulative
               FROM applicants a WHERE a.created_at < @end${scoped(s)} GROUP BY a.commune_code, a.office_id) x
       LEFT JOIN communes c ON c.code = x.code LEFT JOIN offices o ON o.id = x.office_id LEFT JOIN provinces pr ON pr.code = ${PROVINCE_OF}
      GROUP BY x.code, prov
      ORDER BY prov, c.type DESC, c.name_fr`,
  ).all(params(s, { start: p.startAt, end: p.endAt }));
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

export function categories(db: Sqlite, s: Scope, p: Period): Categories {
  const prm = params(s, { start: p.startAt, end: p.endAt });
  const totals = stmt<[Record<string, unknown>], Record<string, number | null>>(
    db,
    `SELECT SUM(a.sex = 'F' AND a.is_project_holder = 1 AND a.created_at >= @start) AS ph_p,
            SUM(a.sex = 'F' AND a.is_project_holder = 1) AS ph_c,
            SUM(a.sex = 'F' AND a.is_difficult_situation = 1 AND a.created_at >= @start) AS ds_p,
            SUM(a.sex = 'F' AND a.is_difficult_situation = 1) AS ds_c,
            SUM(a.has_disability = 1 AND a.created_at >= @start) AS di_p,
            SUM(a.has_disability = 1) AS di_c
       FROM applicants a WHERE a.created_at < @end${scoped(s)}`,
  ).get(prm)!;
  const sub = (table: 'applicant_situations' | 'applicant_disabilities', kind: string, extra: string): Counted[] => {
    const rows = stmt<[Record<string, unknown>], { code: string; period: number; cumulative: number }>(
      db,
      `SELECT x.code, SUM(a.created_at >= @start) AS period, COUNT(*) AS cumulative
         FROM ${table} x JOIN applicants a ON a.id = x.applicant_id
        WHERE a.created_at < @end${extra}${scoped(s)} GROUP BY x.code`,
    ).all(prm);
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
    situations: sub('applicant_situations', 'situation', ` AND a.sex = 'F' AND a.is_difficult_situation = 1`),
    disability: { key: 'disability', labelAr: 'أشخاص في وضعية إعاقة', labelFr: 'Personnes en situation de handicap', period: n('di_p'), cumulative: n('di_c') },
    disabilityTypes: sub('applicant_disabilities', 'disability_type', ` AND a.has_disability = 1`),
  };
}

/** Age (whole years) at the period's last day. */
export function byAgeBand(db: Sqlite, s: Scope, p: Period): Counted[] {
  const rows = stmt<[Record<string, unknown>], { age: number | null; period: number; cumulative: number }>(
    db,
    `SELECT CASE WHEN a.birth_date IS NULL THEN NULL ELSE
              (CAST(substr(@last, 1, 4) AS INTEGER) - CAST(substr(a.birth_date, 1, 4) AS INTEGER))
              - (substr(@last, 6, 5) < substr(a.birth_date, 6, 5)) END AS age,
            SUM(a.created_at >= @start) AS period, COUNT(*) AS cumulative
       FROM applicants a WHERE a.created_at < @end${scoped(s)} GROUP BY age`,
  ).all(params(s, { start: p.startAt, end: p.endAt, last: p.last }));
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

export function byEducation(db: Sqlite, s: Scope, p: Period): Counted[] {
  const rows = stmt<[Record<string, unknown>], { code: string | null; period: number; cumulative: number }>(
    db,
    `SELECT a.education_level AS code, SUM(a.created_at >= @start) AS period, COUNT(*) AS cumulative
       FROM applicants a WHERE a.created_at < @end${scoped(s)} GROUP BY a.education_level`,
  ).all(params(s, { start: p.startAt, end: p.endAt }));
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
export function sessionsByTopicAndOrganisation(db: Sqlite, s: Scope, p: Period): SessionRow[] {
  const prm = params(s, { start: p.start, end: p.end });
  const inPeriod = `s.date >= @start AND s.date < @end AND s.cancelled_at IS NULL${scoped(s, 's')}`;
  const rows = stmt<[Record<string, unknown>], { topic: string; org: string; oar: string; ofr: string; prov: string | null; n: number; minutes: number }>(
    db,
    `SELECT s.topic_code AS topic, s.organisation_id AS org, g.name_ar AS oar, g.name_fr AS ofr, g.province_code AS prov,
            COUNT(*) AS n, SUM(s.duration_min) AS minutes
       FROM training_sessions s JOIN organisations g ON g.id = s.organisation_id
      WHERE ${inPeriod}
      GROUP BY s.topic_code, s.organisation_id
      ORDER BY g.province_code, s.topic_code, g.name_fr`,
  ).all(prm);
  const att = stmt<[Record<string, unknown>], { topic: string; org: string; present: number; recorded: number }>(
    db,
    `SELECT s.topic_code AS topic, s.organisation_id AS org, SUM(att.status = 'present') AS present, COUNT(*) AS recorded
       FROM training_sessions s JOIN attendance att ON att.session_id = s.id
      WHERE ${inPeriod}
      GROUP BY s.topic_code, s.organisation_id`,
  ).all(prm);
  const attBy = new Map(att.map((r) => [`${r.topic}|${r.org}`, r]));
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
    present: attBy.get(`${r.topic}|${r.org}`)?.present ?? 0,
    recorded: attBy.get(`${r.topic}|${r.org}`)?.recorded ?? 0,
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
export function attestationsIssued(db: Sqlite, s: Scope, p: Period): AttestationRow[] {
  const rows = stmt<[Record<string, unknown>], { kind: string; prov: string | null; issued: number; revoked: number }>(
    db,
    `SELECT t.kind, o.province_code AS prov, COUNT(*) AS issued, SUM(t.status = 'revoked') AS revoked
       FROM attestations t JOIN offices o ON o.id = t.office_id
      WHERE t.issue_date >= @start AND t.issue_date < @end${scoped(s, 't')}
      GROUP BY t.kind, prov ORDER BY prov, t.kind`,
  ).all(params(s, { start: p.start, end: p.end }));
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
export function projectsFinanced(db: Sqlite, s: Scope, p: Period): FinancingMatrix {
  const rows = stmt<[Record<string, unknown>], { src: string; lf: string | null; n: number }>(
    db,
    `SELECT COALESCE(h.financing_source, a.financing_source, 'other') AS src, a.project_legal_form AS lf, COUNT(DISTINCT a.id) AS n
       FROM status_history h JOIN applicants a ON a.id = h.applicant_id
      WHERE h.to_status = 'financed' AND h.at >= @start AND h.at < @end${scoped(s)}
      GROUP BY src, lf`,
  ).all(params(s, { start: p.startAt, end: p.endAt }));
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

export function byProvince(db: Sqlite, s: Scope, p: Period, communes: CommuneRow[], sessions: SessionRow[], attestations: AttestationRow[]): ProvinceRow[] {
  const provinces = stmt<[], { code: string; name_ar: string; name_fr: string }>(db, 'SELECT code, name_ar, name_fr FROM provinces ORDER BY code').all();
  const financed = stmt<[Record<string, unknown>], { prov: string | null; n: number }>(
    db,
    `SELECT ${PROVINCE_OF} AS prov, COUNT(DISTINCT a.id) AS n
       FROM status_history h JOIN applicants a ON a.id = h.applicant_id
       LEFT JOIN communes c ON c.code = a.commune_code LEFT JOIN offices o ON o.id = a.office_id
      WHERE h.to_status = 'financed' AND h.at >= @start AND h.at < @end${scoped(s)} GROUP BY prov`,
  ).all(params(s, { start: p.startAt, end: p.endAt }));
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
export function computeIndicators(db: Sqlite, s: Scope, p: Period, opts: { registrationMonths?: string[] } = {}): Indicators {
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
