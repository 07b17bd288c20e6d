import { sql, type Selectable } from 'kysely';
import type { ReadableDB, WritableDB } from '../../db/handles';
import { all, get, qb, query } from '../../db/query';
import type { ExchangeReviewsTable } from '../../db/schema-exchange';

/**
 * What the region's coordinator reviews (exchange_reviews: the same CIN, the same person, a conflict) and the CINs
 * kept aside because another office's record holds them (exchange_cin_aside).
 */

export type ReviewRow = Omit<Selectable<ExchangeReviewsTable>, 'import_id'>;

const insertReviewQ = query(
  (
    db,
    p: { id: string; kind: ReviewRow['kind']; entity: string; entityId: string; officeId: string; otherId: string; otherOfficeId: string; detail: string; importId: number; now: string },
  ) =>
    db
      .insertInto('exchange_reviews')
      .orIgnore()
      .values({
        id: p.id,
        kind: p.kind,
        entity: p.entity,
        entity_id: p.entityId,
        office_id: p.officeId,
        other_id: p.otherId,
        other_office_id: p.otherOfficeId,
        detail: p.detail,
        import_id: p.importId,
        created_at: p.now,
      }),
);
/** Opens a review item; 0 when the pair was already there (a pair is stored once, see its unique index). */
export function insertReview(
  db: WritableDB,
  r: { id: string; kind: ReviewRow['kind']; entity: string; entityId: string; officeId: string; otherId: string; otherOfficeId: string; detail: string; importId: number; now: string },
): number {
  return insertReviewQ.run(db, r).changes;
}

const reviewColumns = ['id', 'kind', 'entity', 'entity_id', 'office_id', 'other_id', 'other_office_id', 'detail', 'status', 'note', 'created_at', 'resolved_at', 'resolved_by'] as const;

/** A page of review items (optional filters: built at the call) and their number. */
export function listReviews(
  db: ReadableDB,
  f: { status?: ReviewRow['status']; kind?: ReviewRow['kind']; limit: number; offset: number },
): { total: number; rows: ReviewRow[] } {
  let base = qb.selectFrom('exchange_reviews');
  if (f.status) base = base.where('status', '=', f.status);
  if (f.kind) base = base.where('kind', '=', f.kind);
  // The number from the counts the writes keep (migration 0024), not from counting the items at every page.
  let counted = qb.selectFrom('exchange_review_counts');
  if (f.status) counted = counted.where('status', '=', f.status);
  if (f.kind) counted = counted.where('kind', '=', f.kind);
  const total = get(db, counted.select((eb) => eb.fn.coalesce(eb.fn.sum<number>('n'), eb.lit(0)).as('n')))?.n ?? 0;
  const rows = all(db, base.select(reviewColumns).orderBy('created_at').orderBy('id').limit(f.limit).offset(f.offset));
  return { total, rows };
}

const byId = query((db, p: { id: string }) => db.selectFrom('exchange_reviews').select(reviewColumns).where('id', '=', p.id));
export function getReview(db: ReadableDB, id: string): ReviewRow | undefined {
  return byId.get(db, { id });
}

const resolve = query((db, p: { id: string; status: ReviewRow['status']; note: string; now: string; by: string }) =>
  db.updateTable('exchange_reviews').set({ status: p.status, note: p.note, resolved_at: p.now, resolved_by: p.by }).where('id', '=', p.id),
);
export function resolveReview(db: WritableDB, r: { id: string; status: ReviewRow['status']; note: string; now: string; by: string }): void {
  resolve.run(db, r);
}

const putAside = query((db, p: { applicantId: string; cin: string; otherId: string }) =>
  db.replaceInto('exchange_cin_aside').values({ applicant_id: p.applicantId, cin: p.cin, other_id: p.otherId }),
);
/** An applicant's CIN that another office's record holds, kept aside (the applicant row stores none). */
export function setCinAside(db: WritableDB, applicantId: string, cin: string, otherId: string): void {
  putAside.run(db, { applicantId, cin, otherId });
}

const clearAside = query((db, p: { applicantId: string }) => db.deleteFrom('exchange_cin_aside').where('applicant_id', '=', p.applicantId));
export function clearCinAside(db: WritableDB, applicantId: string): void {
  clearAside.run(db, { applicantId });
}

export type ReviewSideRow = {
  file_no: string;
  first_name_ar: string;
  last_name_ar: string;
  first_name_lat: string;
  last_name_lat: string;
  birth_date: string | null;
  cin: string | null;
  sex: 'F' | 'M';
  phone: string | null;
  commune_ar: string | null;
  commune_fr: string | null;
  province_code: string | null;
};

// The applicant as the review shows it: with the CIN kept aside, the commune's names and the province.
// (A read of the applicants table joined to the exchange's own exchange_cin_aside: one statement per side shown.)
const side = query((db, p: { id: string }) =>
  db
    .selectFrom('applicants as a')
    .leftJoin('exchange_cin_aside as x', 'x.applicant_id', 'a.id')
    .leftJoin('communes as c', 'c.code', 'a.commune_code')
    .leftJoin('offices as o', 'o.id', 'a.office_id')
    .select([
      'a.file_no',
      'a.first_name_ar',
      'a.last_name_ar',
      'a.first_name_lat',
      'a.last_name_lat',
      'a.birth_date',
      sql<string | null>`COALESCE(a.cin, x.cin)`.as('cin'),
      'a.sex',
      'a.phone',
      'c.name_ar as commune_ar',
      'c.name_fr as commune_fr',
      sql<string | null>`COALESCE(c.province_code, o.province_code)`.as('province_code'),
    ])
    .where('a.id', '=', p.id),
);
export function reviewSide(db: ReadableDB, applicantId: string): ReviewSideRow | undefined {
  return side.get(db, { id: applicantId }) as ReviewSideRow | undefined;
}

export type SamePersonCandidate = {
  id: string;
  office_id: string;
  first_name_ar: string;
  last_name_ar: string;
  first_name_lat: string;
  last_name_lat: string;
  sex: 'F' | 'M' | null;
  birth_date: string;
  cin: string | null;
};
// Other offices' living applicants born on one of the dates (a JSON array: a parameter cannot be a list), with
// the CIN kept aside when the row holds none.
const candidates = query((db, p: { dates: string; officeId: string }) =>
  db
    .selectFrom('applicants as a')
    .leftJoin('exchange_cin_aside as x', 'x.applicant_id', 'a.id')
    .select(['a.id', 'a.office_id', 'a.first_name_ar', 'a.last_name_ar', 'a.first_name_lat', 'a.last_name_lat', 'a.sex', 'a.birth_date', sql<string | null>`COALESCE(a.cin, x.cin)`.as('cin')])
    .where('a.birth_date', 'in', (eb) => eb.selectFrom(sql<{ value: string }>`json_each(${p.dates})`.as('j')).select('j.value'))
    .where('a.office_id', '<>', p.officeId)
    .where('a.anonymised_at', 'is', null),
);
/** Candidates for "the same person" at the region: other offices' applicants born on one of these dates. */
export function samePersonCandidates(db: ReadableDB, birthDates: readonly string[], officeId: string): SamePersonCandidate[] {
  return candidates.all(db, { dates: JSON.stringify(birthDates), officeId }) as SamePersonCandidate[];
}

// Other offices' living applicants with the same name skeleton, born within the years given (or birth unknown), on
// the name-skeleton index: the weak candidates, as the registration form's duplicate check finds them.
const bySkeleton = query((db, p: { s1: string; s2: string; from: string; to: string; officeId: string }) =>
  db
    .selectFrom('applicants as a')
    .leftJoin('exchange_cin_aside as x', 'x.applicant_id', 'a.id')
    .select(['a.id', 'a.office_id', 'a.first_name_ar', 'a.last_name_ar', 'a.first_name_lat', 'a.last_name_lat', 'a.sex', 'a.birth_date', sql<string | null>`COALESCE(a.cin, x.cin)`.as('cin')])
    .where('a.name_skel', 'in', [p.s1, p.s2])
    .where((eb) => eb.or([eb('a.birth_date', 'is', null), eb.and([eb('a.birth_date', '>=', p.from), eb('a.birth_date', '<=', p.to)])]))
    .where('a.office_id', '<>', p.officeId)
    .where('a.anonymised_at', 'is', null)
    .limit(sql.lit(300)),
);
/** Candidates for "maybe the same person" at the region: other offices' applicants with her name skeleton, born close. */
export function maybePersonCandidates(db: ReadableDB, skels: readonly string[], from: string, to: string, officeId: string): SamePersonCandidate[] {
  if (!skels.length) return [];
  return bySkeleton.all(db, { s1: skels[0], s2: skels[1] ?? skels[0], from, to, officeId }) as SamePersonCandidate[];
}
