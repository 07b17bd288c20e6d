/**
 * The reports' repository: every SQL statement of the indicators, the dashboard and the beneficiary list.
 *
 * The breakdowns of the files and the sessions read the summaries that migration 0014 keeps up to date with
 * triggers (report_counts, report_sessions): a look costs the number of summary rows, not the number of files.
 * The summaries are keyed by the office calendar's month (report_months, Africa/Casablanca): a period is a run of
 * months, so "in the period" sums its months and "the stock at its end" sums every month up to its last.
 *
 * Reports are a read model over other features' tables: besides the summaries, the attestations issued and the
 * projects financed in a period (both read from an index on their date), the labels (ref_items, communes,
 * provinces, organisations) and the list's rows are read here, read-only.
 */
import { sql, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { ReadableDB } from '../db/handles';
import type { DB } from '../db/schema';
import type { ReportCountsTable } from '../db/schema-reports';
import { iterate, query, readQuery } from '../db/query';
import type { ApplicantStatus } from '../../shared/api/applicants.contract';

/** The office filter of every query: a provincial office its own rows, the region (null) every office's. */
type Scoped = { officeId: string | null };
/** A period as months of the office calendar (YYYY-MM), first and last inclusive. */
type Months = Scoped & { first: string; last: string };

/** `@officeId IS NULL OR office_id = @officeId`: one statement for both scopes (the office is not the summaries' first key). */
const ofOffice = (col: string, officeId: string | null) => sql<SqlBool>`(${officeId} IS NULL OR ${sql.ref(col)} = ${officeId})`;

// ---------------------------------------------------------------------------------------------
// The summaries
// ---------------------------------------------------------------------------------------------

export type CountDim = ReportCountsTable['dim'];
/** The summaries' key for "none" (a file without commune, education or birth date). */
export const NONE_KEY = '~';

const countsByKey = query((db, p: Months & { dim: CountDim }) =>
  db
    .selectFrom('report_counts as r')
    .select((eb) => [
      'r.key',
      eb.fn.sum<number>(eb.case().when('r.month', '>=', p.first).then(eb.ref('r.n')).else(0).end()).as('period'),
      eb.fn.sum<number>('r.n').as('cumulative'),
    ])
    .where('r.dim', '=', p.dim)
    .where('r.month', '<=', p.last)
    .where(ofOffice('r.office_id', p.officeId))
    .groupBy('r.key')
    .having((eb) => eb.fn.sum('r.n'), '<>', 0),
);

/** Files registered in the period and before its end, by the dimension's key; for `status` and `funnel` (kept as
 * deltas), `cumulative` is the count at the end of the period. */
export function countsBy(db: ReadableDB, dim: CountDim, m: Months): { key: string; period: number; cumulative: number }[] {
  return countsByKey.all(db, { ...m, dim });
}

/** The dimensions the region reads by office: registrations by sex, status and furthest step at the end, categories. */
export const OFFICE_DIMS = ['sex', 'status', 'funnel', 'cat'] as const satisfies readonly CountDim[];
export type OfficeCount = { dim: (typeof OFFICE_DIMS)[number]; office_id: string; key: string; period: number; cumulative: number };

const countsByOfficeKey = query((db, p: Months) =>
  db
    .selectFrom('report_counts as r')
    .select((eb) => [
      'r.dim',
      'r.office_id',
      'r.key',
      eb.fn.sum<number>(eb.case().when('r.month', '>=', p.first).then(eb.ref('r.n')).else(0).end()).as('period'),
      eb.fn.sum<number>('r.n').as('cumulative'),
    ])
    .where('r.dim', 'in', OFFICE_DIMS)
    .where('r.month', '<=', p.last)
    .where(ofOffice('r.office_id', p.officeId))
    .groupBy(['r.dim', 'r.office_id', 'r.key'])
    .having((eb) => eb.fn.sum('r.n'), '<>', 0),
);

/**
 * What `countsBy` gives for the dimensions sex, status, funnel and cat, at once and by owning office: the region's
 * dashboard and workbook sum them (instead of four reads) and its table by province (an office is a province) splits
 * them. One pass over the summary rows of the four dimensions.
 */
export function countsByOffice(db: ReadableDB, m: Months): OfficeCount[] {
  return countsByOfficeKey.all(db, m) as OfficeCount[];
}

const officesProvince = query((db) => db.selectFrom('offices').select(['id', 'province_code']));

/** Every office the installation knows (the region's: each province's office, from the exchange) → its province. */
export function officeProvinces(db: ReadableDB): Map<string, string | null> {
  return new Map(officesProvince.all(db).map((o) => [o.id, o.province_code]));
}

const monthlyBySex = query((db, p: Months) =>
  db
    .selectFrom('report_counts as r')
    .select((eb) => [
      'r.month',
      eb.fn.sum<number>('r.n').as('total'),
      eb.fn.sum<number>(eb.case().when('r.key', '=', 'F').then(eb.ref('r.n')).else(0).end()).as('women'),
      eb.fn.sum<number>(eb.case().when('r.key', '=', 'M').then(eb.ref('r.n')).else(0).end()).as('men'),
    ])
    .where('r.dim', '=', 'sex')
    .where('r.month', '>=', p.first)
    .where('r.month', '<=', p.last)
    .where(ofOffice('r.office_id', p.officeId))
    .groupBy('r.month'),
);

/** Registrations per local month (total, women, men), for the months from `first` to `last`. */
export function registrationsPerMonth(db: ReadableDB, m: Months): { month: string; total: number; women: number; men: number }[] {
  return monthlyBySex.all(db, m);
}

const ageAtLast = query((db, p: Months & { lastDay: string }) =>
  db
    .selectFrom('report_counts as r')
    .select((eb) => [
      // The age at the period's last day, as the files' birth dates give it (the key keeps the birth date's year and
      // month, and its day when the day could matter: after the 28th).
      sql<number | null>`CASE WHEN r.key = ${NONE_KEY} THEN NULL ELSE
              (CAST(substr(${p.lastDay}, 1, 4) AS INTEGER) - CAST(substr(r.key, 1, 4) AS INTEGER))
              - (substr(${p.lastDay}, 6, 5) < substr(r.key, 6, 5)) END`.as('age'),
      eb.fn.sum<number>(eb.case().when('r.month', '>=', p.first).then(eb.ref('r.n')).else(0).end()).as('period'),
      eb.fn.sum<number>('r.n').as('cumulative'),
    ])
    .where('r.dim', '=', 'birth')
    .where('r.month', '<=', p.last)
    .where(ofOffice('r.office_id', p.officeId))
    .groupBy('age'),
);

/** Files by age (whole years) at the period's last day (null: no birth date). */
export function countsByAge(db: ReadableDB, m: Months, lastDay: string): { age: number | null; period: number; cumulative: number }[] {
  return ageAtLast.all(db, { ...m, lastDay });
}

const provinceOf = (eb: ExpressionBuilder<DB, 'communes' | 'offices'>) => eb.fn.coalesce('communes.province_code', 'offices.province_code');

const communeCounts = query((db, p: Months) =>
  db
    .selectFrom((sub) =>
      sub
        .selectFrom('report_counts as r')
        .select((eb) => [
          eb.fn<string | null>('nullif', ['r.key', eb.val(NONE_KEY)]).as('code'),
          'r.office_id',
          eb.fn.sum<number>(eb.case().when('r.month', '>=', p.first).then(eb.ref('r.n')).else(0).end()).as('period'),
          eb.fn.sum<number>('r.n').as('cumulative'),
        ])
        .where('r.dim', '=', 'commune')
        .where('r.month', '<=', p.last)
        .where(ofOffice('r.office_id', p.officeId))
        .groupBy(['r.key', 'r.office_id'])
        .having((eb) => eb.fn.sum('r.n'), '<>', 0)
        .as('x'),
    )
    .leftJoin('communes', 'communes.code', 'x.code')
    .leftJoin('offices', 'offices.id', 'x.office_id')
    .leftJoin('provinces', (j) => j.on((eb) => eb('provinces.code', '=', provinceOf(eb))))
    .select((eb) => [
      'x.code',
      'communes.name_ar',
      'communes.name_fr',
      'communes.type',
      provinceOf(eb).as('prov'),
      'provinces.name_ar as pa',
      'provinces.name_fr as pf',
      eb.fn.sum<number>('x.period').as('period'),
      eb.fn.sum<number>('x.cumulative').as('cumulative'),
    ])
    .groupBy((eb) => ['x.code', provinceOf(eb)])
    .orderBy((eb) => provinceOf(eb))
    .orderBy('communes.type', 'desc')
    .orderBy('communes.name_fr'),
);

/** Files by commune (and province: the commune's, else the owning office's), in the period and the stock. */
export function countsByCommune(db: ReadableDB, m: Months) {
  return communeCounts.all(db, m);
}

const sessionsHeld = query((db, p: Months) =>
  db
    .selectFrom('report_sessions as r')
    .innerJoin('organisations as g', 'g.id', 'r.organisation_id')
    .select((eb) => [
      'r.topic_code as topic',
      'r.organisation_id as org',
      'g.name_ar as oar',
      'g.name_fr as ofr',
      'g.province_code as prov',
      eb.fn.sum<number>('r.sessions').as('n'),
      eb.fn.sum<number>('r.minutes').as('minutes'),
      eb.fn.sum<number>('r.present').as('present'),
      eb.fn.sum<number>('r.recorded').as('recorded'),
    ])
    .where('r.month', '>=', p.first)
    .where('r.month', '<=', p.last)
    .where(ofOffice('r.office_id', p.officeId))
    .groupBy(['r.topic_code', 'r.organisation_id'])
    .having((eb) => eb.fn.sum('r.sessions'), '<>', 0)
    .orderBy('g.province_code')
    .orderBy('r.topic_code')
    .orderBy('g.name_fr'),
);

/** Sessions held in the period (not cancelled), their minutes and attendance, by topic and organisation. */
export function sessionsByTopicAndOrganisation(db: ReadableDB, m: Months) {
  return sessionsHeld.all(db, m);
}

// ---------------------------------------------------------------------------------------------
// Read from the rows (an index on the date bounds them to the period)
// ---------------------------------------------------------------------------------------------

const issued = query((db, p: Scoped & { start: string; end: string }) =>
  db
    .selectFrom('attestations as t')
    .innerJoin('offices as o', 'o.id', 't.office_id')
    .select((eb) => [
      't.kind',
      'o.province_code as prov',
      eb.fn.countAll<number>().as('issued'),
      eb.fn.sum<number>(eb.case().when('t.status', '=', 'revoked').then(1).else(0).end()).as('revoked'),
    ])
    .where('t.issue_date', '>=', p.start)
    .where('t.issue_date', '<', p.end)
    .where(ofOffice('t.office_id', p.officeId))
    .groupBy(['t.kind', 'prov'])
    .orderBy('prov')
    .orderBy('t.kind'),
);

/** Attestations issued between two local dates (issue_date, end exclusive), by kind and province; the revoked ones. */
export function attestationsIssued(db: ReadableDB, scope: Scoped, start: string, end: string) {
  return issued.all(db, { ...scope, start, end });
}

// The moves to `financed` in a period, one row per file and source (a file moved twice with two sources is in both),
// with the file's province and legal form. Read once per look: the dashboard counts them by source and form and, at
// the region, by province, twice (it read the year's 45,000 moves of the full region and their files three times:
// 520 ms of a 600 ms dashboard).
// Raw SQL for INDEXED BY (migration 0023): the planner would read each file's row in the table instead.
const financedMovesQ = readQuery((_db, p: Scoped & { startAt: string; endAt: string }) =>
  sql<FinancedMove>`SELECT DISTINCT a.id AS id, COALESCE(communes.province_code, offices.province_code) AS prov,
      COALESCE(h.financing_source, a.financing_source, 'other') AS src, a.project_legal_form AS lf
    FROM status_history AS h
    JOIN applicants AS a INDEXED BY applicants_financed ON a.id = h.applicant_id
    LEFT JOIN communes ON communes.code = a.commune_code
    LEFT JOIN offices ON offices.id = a.office_id
    WHERE h.to_status = 'financed' AND h.at >= ${p.startAt} AND h.at < ${p.endAt} AND ${ofOffice('a.office_id', p.officeId)}`,
);
export type FinancedMove = { id: string; prov: string | null; src: string; lf: string | null };

/** The files moved to `financed` between two instants: file, province, source, legal form (distinct). */
export function financedMoves(db: ReadableDB, scope: Scoped, startAt: string, endAt: string): FinancedMove[] {
  return financedMovesQ.all(db, { ...scope, startAt, endAt }) as FinancedMove[];
}

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

const refsOfKind = query((db, p: { kind: string }) =>
  db.selectFrom('ref_items').select(['code', 'label_ar', 'label_fr', 'sort']).where('kind', '=', p.kind).orderBy('sort').orderBy('code'),
);

/** The labels of a reference list, in its order. */
export function refLabels(db: ReadableDB, kind: string): Map<string, { ar: string; fr: string; sort: number }> {
  return new Map(refsOfKind.all(db, { kind }).map((r) => [r.code, { ar: r.label_ar, fr: r.label_fr, sort: r.sort }]));
}

const allProvinces = query((db) => db.selectFrom('provinces').select(['code', 'name_ar', 'name_fr']).orderBy('code'));

export function provinces(db: ReadableDB) {
  return allProvinces.all(db);
}

// ---------------------------------------------------------------------------------------------
// The beneficiary list
// ---------------------------------------------------------------------------------------------

const listLabels = query((db) =>
  db.selectFrom('ref_items').select(['kind', 'code', 'label_ar', 'label_fr']).where('kind', 'in', ['education', 'marital']),
);

/** The labels the list prints (education, marital status). */
export function listRefLabels(db: ReadableDB) {
  return listLabels.all(db);
}

/** SQL text with `?` placeholders and its parameters, as a Kysely `sql` fragment. */
function withParams(text: string, params: readonly unknown[]) {
  const parts = text.split('?');
  if (parts.length !== params.length + 1) throw new Error('placeholders and parameters differ');
  return sql.join(
    parts.flatMap((t, i) => (i < params.length ? [sql.raw(t), sql`${params[i]}`] : [sql.raw(t)])),
    sql``,
  );
}

export interface ListRow {
  file_no: string;
  cin: string | null;
  last_name_ar: string;
  first_name_ar: string;
  last_name_lat: string;
  first_name_lat: string;
  sex: string;
  birth_date: string | null;
  phone: string | null;
  commune: string | null;
  area: 'urbaine' | 'rurale' | null;
  province: string | null;
  education_level: string | null;
  marital_status: string | null;
  is_project_holder: number;
  is_difficult_situation: number;
  status: ApplicantStatus;
  consent_status: string;
  registered: string;
}

/**
 * The list's rows, in file-number order, streamed: the registry search's selection (its FROM clause and conditions,
 * built by applicants/search.ts as SQL text with `?` parameters, FTS5 MATCH included; null: nothing matches),
 * within the office's scope. Raw SQL: the search's clauses are text the builder cannot take apart.
 */
export function listRows(
  db: ReadableDB,
  scope: Scoped,
  sel: { from: string; where: readonly string[]; params: readonly unknown[] } | null,
  lang: 'ar' | 'fr',
): IterableIterator<ListRow> {
  const conditions = sel ? [...sel.where] : ['0'];
  const params: unknown[] = sel ? [...sel.params] : [];
  if (scope.officeId) {
    conditions.push('a.office_id = ?');
    params.push(scope.officeId);
  }
  const from = sel ? sel.from : 'applicants a';
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const name = lang === 'ar' ? 'name_ar' : 'name_fr';
  const text = `SELECT a.file_no, a.cin, a.last_name_ar, a.first_name_ar, a.last_name_lat, a.first_name_lat, a.sex, a.birth_date, a.phone,
                      c.${name} AS commune, c.type AS area, pr.${name} AS province,
                      a.education_level, a.marital_status, a.is_project_holder, a.is_difficult_situation, a.status, a.consent_status,
                      substr(a.created_at, 1, 10) AS registered
                 FROM ${from} LEFT JOIN communes c ON c.code = a.commune_code LEFT JOIN provinces pr ON pr.code = c.province_code
                 ${where} ORDER BY a.file_no`;
  return iterate(db, withParams(text, params) as unknown as RawBuilder<ListRow>);
}
