/**
 * The applicant registry's repository: the only code that holds SQL for its tables (applicants, their situations and
 * disabilities, status_history, duplicate_decisions, the search tables, matching_keys, ref_items, the registry's
 * settings), and the row ↔ domain mapping. Database handle first: ReadableDB for reads, WritableDB for writes; every
 * statement is written once with Kysely's builder (core/db/query.ts) and prepared once per connection, which keeps the
 * hot paths (save, duplicate check, search) as fast as hand-prepared statements.
 */
import { sql, type InferResult, type Kysely, type Selectable } from 'kysely';
import type { ApplicantsTable, RefItemsTable, StatusHistoryTable } from '../db/schema-applicants';
import type { CommunesTable, DB } from '../db/schema';
import type { ReadableDB, WritableDB } from '../db/handles';
import { query, readQuery, insertRow, updateRow } from '../db/query';
import type { RefItem, RefKind } from '../../shared/api/applicants.contract';
import { applicantNameKeys } from '../../shared/normalize/names';
import { cinFormatOk } from '../../shared/normalize/cin';
import { insertRowsBulk } from './repo/bulk-insert';
import { BOOLEAN_FIELDS, FIELD_COLUMNS, SCALAR_FIELDS, type ApplicantValues, type ScalarField } from './repo/fields';

export type ApplicantRow = Selectable<ApplicantsTable>;
export type RefRow = Selectable<RefItemsTable>;
export type StatusHistoryRow = Selectable<StatusHistoryTable>;
export type CommuneRow = Pick<Selectable<CommunesTable>, 'code' | 'province_code' | 'name_ar' | 'name_fr' | 'type'>;
export type { ApplicantValues } from './repo/fields';

// A constant LIMIT is written as a literal (sql.lit): Kysely binds `.limit(n)` as a parameter, and SQLite plans a
// bound LIMIT about 30 % slower on the duplicate check's candidate reads (measured, an A/B of the two texts on the 100k registry).

// ---------------------------------------------------------------------------------------------
// Settings and reference lists
// ---------------------------------------------------------------------------------------------

const settingByKey = query((db, p: { key: string }) => db.selectFrom('settings').select('value').where('key', '=', p.key));

/** A setting's JSON value, or the fallback when absent or unreadable. */
export function getSetting<T>(db: ReadableDB, key: string, fallback: T): T {
  const r = settingByKey.get(db, { key });
  if (!r) return fallback;
  try {
    return JSON.parse(r.value) as T;
  } catch {
    return fallback;
  }
}

const refItems = query((db, p: { minActive: number }) =>
  db
    .selectFrom('ref_items')
    .select(['kind', 'code', 'label_ar', 'label_fr', 'sensitive', 'active', 'sort'])
    .where('active', '>=', p.minActive)
    .orderBy('kind')
    .orderBy('sort')
    .orderBy('code'),
);

export function listRefItems(db: ReadableDB, includeInactive = false): RefRow[] {
  return refItems.all(db, { minActive: includeInactive ? 0 : 1 });
}

export function toRefItem(r: RefRow): RefItem {
  return { kind: r.kind as RefKind, code: r.code, labelAr: r.label_ar, labelFr: r.label_fr, sensitive: r.sensitive === 1 };
}

/** Active items of some kinds (the Excel import reads education and marital labels). */
const activeRefsOfKinds = query((db, p: { kinds: string }) =>
  db
    .selectFrom('ref_items')
    .select(['kind', 'code', 'label_ar', 'label_fr'])
    .where('kind', 'in', (eb) => eb.selectFrom(sql<{ value: string }>`json_each(${p.kinds})`.as('j')).select('j.value'))
    .where('active', '=', 1),
);
export function activeRefItems(db: ReadableDB, kinds: readonly string[]): Pick<RefRow, 'kind' | 'code' | 'label_ar' | 'label_fr'>[] {
  return activeRefsOfKinds.all(db, { kinds: JSON.stringify(kinds) });
}

// A fingerprint of the whole table in one aggregate (a concatenation of aggregates: written as an SQL expression).
const refStamp = readQuery(() =>
  sql<{ s: string }>`SELECT count(*) || ':' || coalesce(max(rowid), 0) || ':' || total(active) || ':' || coalesce(sum(length(label_ar) + length(label_fr) + sensitive), 0) AS s FROM ref_items`,
);

const refCache = new WeakMap<object, { stamp: string; index: Map<string, Map<string, RefRow>> }>();

/**
 * kind → code → row (active and inactive: old files keep their labels). Cached per connection; the cache is
 * checked against a cheap fingerprint of the table, so an edited list is seen at once.
 */
export function refIndex(db: ReadableDB): Map<string, Map<string, RefRow>> {
  const stamp = refStamp.get(db)!.s;
  const hit = refCache.get(db);
  if (hit && hit.stamp === stamp) return hit.index;
  const index = new Map<string, Map<string, RefRow>>();
  for (const r of listRefItems(db, true)) {
    let m = index.get(r.kind);
    if (!m) index.set(r.kind, (m = new Map()));
    m.set(r.code, r);
  }
  refCache.set(db, { stamp, index });
  return index;
}

// ---------------------------------------------------------------------------------------------
// Communes (the territory a file is registered in)
// ---------------------------------------------------------------------------------------------

const communeByCode = query((db, p: { code: string }) =>
  db.selectFrom('communes').select(['code', 'province_code', 'name_ar', 'name_fr', 'type']).where('code', '=', p.code),
);

export function findCommune(db: ReadableDB, code: string): CommuneRow | undefined {
  return communeByCode.get(db, { code });
}

// ---------------------------------------------------------------------------------------------
// Applicants
// ---------------------------------------------------------------------------------------------

const byCin = query((db, p: { cin: string }) => db.selectFrom('applicants').select(['id', 'file_no']).where('cin', '=', p.cin));

export function findByCin(db: ReadableDB, cin: string): { id: string; file_no: string } | undefined {
  return byCin.get(db, { cin });
}

const applicantById = query((db, p: { id: string }) => db.selectFrom('applicants').selectAll().where('id', '=', p.id));

const fileCount = query((db, p: { officeId: string }) => db.selectFrom('applicants').select((eb) => eb.fn.countAll<number>().as('n')).where('office_id', '=', p.officeId));
/** The files an office holds here (counted on the index on office_id: a few ms at 100,000). */
export function officeFileCount(db: ReadableDB, officeId: string): number {
  return fileCount.get(db, { officeId })?.n ?? 0;
}

export function findApplicant(db: ReadableDB, id: string): ApplicantRow | undefined {
  return applicantById.get(db, { id });
}

const byIdOrFileNo = query((db, p: { ref: string }) => db.selectFrom('applicants').select('id').where((eb) => eb.or([eb('id', '=', p.ref), eb('file_no', '=', p.ref)])));

/** A file named by its id or its file number (the command line takes either). */
export function findApplicantIdByRef(db: ReadableDB, ref: string): { id: string } | undefined {
  return byIdOrFileNo.get(db, { ref });
}

const lastFileNo = query((db, p: { from: string; to: string }) =>
  db.selectFrom('applicants').select('file_no').where('file_no', '>=', p.from).where('file_no', '<', p.to).orderBy('file_no', 'desc').limit(sql.lit(1)),
);

/** The next file number of an office for a year: ERR-2026-000123 (the highest so far + 1). */
export function nextFileNo(db: ReadableDB, officeCode: string, year: number): string {
  const prefix = `${officeCode}-${year}-`;
  const last = lastFileNo.get(db, { from: prefix, to: prefix + '\uffff' });
  const n = last ? Number(last.file_no.slice(prefix.length)) || 0 : 0;
  return `${prefix}${String(n + 1).padStart(6, '0')}`;
}

/** Every column of an applicant row, in the table's order. */
export const APPLICANT_COLUMNS = [
  'id', 'office_id', 'file_no', 'cin', 'cin_format_ok', 'idcs', 'first_name_ar', 'last_name_ar', 'first_name_lat',
  'last_name_lat', 'name_key_ar', 'name_key_lat', 'name_skel', 'name_words', 'sex', 'birth_date', 'phone', 'phone_owner', 'address',
  'douar', 'commune_code', 'education_level', 'vocational_level', 'marital_status', 'is_project_holder',
  'is_difficult_situation', 'has_disability', 'disability_severity', 'disability_card_number', 'disability_card_expiry',
  'rsu_registered', 'rsu_index', 'project_sector', 'project_description', 'project_stage', 'project_legal_form',
  'heard_from', 'consent_status', 'consent_date', 'consent_text_version', 'consent_channel', 'status',
  'status_changed_at', 'financing_source', 'source', 'closed_at', 'anonymised_at', 'created_by', 'created_at',
  'updated_at', 'change_seq',
] as const satisfies readonly (keyof ApplicantRow)[];
// Compile-time check: the list names every column of the table.
const allColumnsListed: Exclude<keyof ApplicantRow, (typeof APPLICANT_COLUMNS)[number]> extends never ? true : false = true;
void allColumnsListed;

const insertOne = query((db, p: ApplicantRow) =>
  db.insertInto('applicants').values(Object.fromEntries(APPLICANT_COLUMNS.map((c) => [c, p[c]])) as ApplicantRow),
);

/**
 * The INSERT of one applicant row with named parameters (@column), for writers that run outside the dispatcher on a
 * raw connection (the bench's and region build's bulk writers). In the core, call `insertApplicant`.
 */
export const INSERT_APPLICANT_SQL = `INSERT INTO applicants (${APPLICANT_COLUMNS.join(', ')}) VALUES (${APPLICANT_COLUMNS.map((c) => '@' + c).join(', ')})`;

/**
 * Writes one applicant row as it is (no rule checked: `registerApplicant` in applicants.service.ts is the registration
 * with its rules; this is its last step, and the writer of rows that were checked elsewhere: the region's
 * consolidation of other offices' files). The search index follows through the table's trigger.
 */
export function insertApplicant(db: WritableDB, row: ApplicantRow): void {
  insertOne.run(db, row);
}

/** The columns an edit of the fields rewrites: the fields' columns and what is computed from them. */
const EDIT_COLUMNS = [...Object.values(FIELD_COLUMNS), 'name_key_ar', 'name_key_lat', 'name_skel', 'name_words', 'cin_format_ok'] as const;
type EditColumns = Pick<ApplicantRow, (typeof EDIT_COLUMNS)[number]>;

const updateValues = query((db, p: EditColumns & { id: string; updated_at: string; change_seq: number }) =>
  db
    .updateTable('applicants')
    .set({ ...(Object.fromEntries(EDIT_COLUMNS.map((c) => [c, p[c]])) as EditColumns), updated_at: p.updated_at, change_seq: p.change_seq })
    .where('id', '=', p.id),
);

/**
 * Many new applicant rows in one statement (an Excel import of thousands: the search index written once, see
 * repo/bulk-insert.ts). The rows are complete (newApplicantRow).
 */
export function insertApplicantsBulk(db: WritableDB, rows: readonly ApplicantRow[]): void {
  insertRowsBulk(db, 'applicants', rows);
}

/** Many status_history rows in one statement (the first path steps of an import's files). */
export function insertStatusHistoryBulk(db: WritableDB, rows: readonly StatusHistoryRow[]): void {
  insertRowsBulk(db, 'status_history', rows);
}

/** Rewrites an applicant's fields (and their computed keys) from her values. */
export function updateApplicantValues(db: WritableDB, id: string, v: ApplicantValues, at: string, changeSeq: number): void {
  updateValues.run(db, { ...valuesToColumns(v), id, updated_at: at, change_seq: changeSeq });
}

const updateStatus = updateRow('applicants', {
  status: true,
  status_changed_at: true,
  financing_source: true,
  closed_at: true,
  updated_at: true,
  change_seq: true,
});

const updateStatusOnly = updateRow('applicants', { status: true, status_changed_at: true, updated_at: true, change_seq: true });

/** Her status and its date alone (another feature moved her on: her financing source and closing date stay). */
export function setStatusColumns(db: WritableDB, row: Pick<ApplicantRow, 'id' | 'status' | 'status_changed_at' | 'updated_at' | 'change_seq'>): void {
  updateStatusOnly.run(db, row);
}

/** A step on her path: the file's status columns. */
export function setApplicantStatus(
  db: WritableDB,
  row: Pick<ApplicantRow, 'id' | 'status' | 'status_changed_at' | 'financing_source' | 'closed_at' | 'updated_at' | 'change_seq'>,
): void {
  updateStatus.run(db, row);
}

// ---------------------------------------------------------------------------------------------
// Row ↔ domain values
// ---------------------------------------------------------------------------------------------

/** The columns of her fields, with the keys computed from them (names for search and matching, CIN format). */
export function valuesToColumns(v: ApplicantValues, nameKeys?: ReturnType<typeof applicantNameKeys>): EditColumns {
  const out: Record<string, unknown> = {};
  for (const f of SCALAR_FIELDS) {
    const x = v[f];
    out[FIELD_COLUMNS[f]] = BOOLEAN_FIELDS.has(f) ? (x ? 1 : 0) : (x ?? null);
  }
  const keys = nameKeys ?? applicantNameKeys(v);
  out.name_key_ar = keys.nameKeyAr;
  out.name_key_lat = keys.nameKeyLat;
  out.name_skel = keys.nameSkel;
  out.name_words = keys.nameWords;
  out.cin_format_ok = cinFormatOk(v.cin) ? 1 : 0;
  return out as EditColumns;
}

/** Her values from her row and her link tables' codes. */
export function rowToValues(r: ApplicantRow, situations: string[], disabilities: string[]): ApplicantValues {
  const v: Record<string, unknown> = {};
  for (const f of SCALAR_FIELDS as ScalarField[]) {
    const c = FIELD_COLUMNS[f];
    v[f] = BOOLEAN_FIELDS.has(f) ? r[c] === 1 : r[c];
  }
  v.situations = situations;
  v.disabilityTypes = disabilities;
  return v as unknown as ApplicantValues;
}

/** A new file's row: her values' columns and the file's own columns. */
export function newApplicantRow(
  v: ApplicantValues,
  file: Omit<ApplicantRow, keyof EditColumns>,
  nameKeys?: ReturnType<typeof applicantNameKeys>,
): ApplicantRow {
  return { ...valuesToColumns(v, nameKeys), ...file };
}

// ---------------------------------------------------------------------------------------------
// Situations and disabilities (link tables)
// ---------------------------------------------------------------------------------------------

const deleteSituations = query((db, p: { id: string }) => db.deleteFrom('applicant_situations').where('applicant_id', '=', p.id));
const insertSituation = query((db, p: { id: string; code: string }) =>
  db.insertInto('applicant_situations').orIgnore().values({ applicant_id: p.id, code: p.code }),
);
const deleteDisabilities = query((db, p: { id: string }) => db.deleteFrom('applicant_disabilities').where('applicant_id', '=', p.id));
const insertDisability = query((db, p: { id: string; code: string }) =>
  db.insertInto('applicant_disabilities').orIgnore().values({ applicant_id: p.id, code: p.code }),
);
const situationsOf = query((db, p: { id: string }) =>
  db.selectFrom('applicant_situations').select('code').where('applicant_id', '=', p.id).orderBy('code'),
);
const disabilitiesOf = query((db, p: { id: string }) =>
  db.selectFrom('applicant_disabilities').select('code').where('applicant_id', '=', p.id).orderBy('code'),
);

export function setSituations(db: WritableDB, applicantId: string, codes: readonly string[]): void {
  deleteSituations.run(db, { id: applicantId });
  for (const code of codes) insertSituation.run(db, { id: applicantId, code });
}

export function setDisabilities(db: WritableDB, applicantId: string, codes: readonly string[]): void {
  deleteDisabilities.run(db, { id: applicantId });
  for (const code of codes) insertDisability.run(db, { id: applicantId, code });
}

export function getSituations(db: ReadableDB, applicantId: string): string[] {
  return situationsOf.column<string>(db, { id: applicantId });
}

export function getDisabilities(db: ReadableDB, applicantId: string): string[] {
  return disabilitiesOf.column<string>(db, { id: applicantId });
}

const disabilityOfPage = query((db, p: { ids: string }) =>
  db
    .selectFrom('applicants as a')
    .leftJoin('applicant_disabilities as d', 'd.applicant_id', 'a.id')
    .select(['a.id', 'a.has_disability', 'd.code'])
    .where('a.id', 'in', (eb) => eb.selectFrom(sql<{ value: string }>`json_each(${p.ids})`.as('j')).select('j.value'))
    .orderBy('a.id')
    .orderBy('d.code'),
);

/**
 * Whether each file of a page has a disability, and its types (codes, in order): the registry list's column for the
 * roles that see sensitive data (one read by primary key per page, only asked for those roles).
 */
export function disabilityOfFiles(db: ReadableDB, ids: readonly string[]): Map<string, { has: boolean; codes: string[] }> {
  const out = new Map<string, { has: boolean; codes: string[] }>();
  if (!ids.length) return out;
  for (const r of disabilityOfPage.all(db, { ids: JSON.stringify(ids) })) {
    let e = out.get(r.id);
    if (!e) out.set(r.id, (e = { has: r.has_disability === 1, codes: [] }));
    if (r.code !== null && e.has) e.codes.push(r.code);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The path (status_history)
// ---------------------------------------------------------------------------------------------

const insertHistory = insertRow('status_history', {
  id: true,
  applicant_id: true,
  office_id: true,
  from_status: true,
  to_status: true,
  reason: true,
  financing_source: true,
  at: true,
  user_id: true,
  user_name: true,
  created_at: true,
  updated_at: true,
  change_seq: true,
});

export function insertStatusHistory(db: WritableDB, row: StatusHistoryRow): void {
  insertHistory.run(db, row);
}

/** The first step of her path: the 'registered' row of status_history (its id and change number given by the caller). */
export function initialStatusRow(a: {
  id: string;
  applicantId: string;
  officeId: string;
  userId: string | null;
  userName: string;
  at: string;
  changeSeq: number;
}): StatusHistoryRow {
  return {
    id: a.id,
    applicant_id: a.applicantId,
    office_id: a.officeId,
    from_status: null,
    to_status: 'registered',
    reason: '',
    financing_source: null,
    at: a.at,
    user_id: a.userId,
    user_name: a.userName,
    created_at: a.at,
    updated_at: a.at,
    change_seq: a.changeSeq,
  };
}

/** Writes the first step of her path (see initialStatusRow). */
export function insertInitialStatus(db: WritableDB, a: Parameters<typeof initialStatusRow>[0]): void {
  insertStatusHistory(db, initialStatusRow(a));
}

const historyOf = query((db, p: { id: string }) =>
  db.selectFrom('status_history').selectAll().where('applicant_id', '=', p.id).orderBy('at').orderBy('created_at'),
);

export function listStatusHistory(db: ReadableDB, applicantId: string): StatusHistoryRow[] {
  return historyOf.all(db, { id: applicantId });
}

// ---------------------------------------------------------------------------------------------
// Duplicate decisions
// ---------------------------------------------------------------------------------------------

type DecisionInput = { id: string; applicant_id: string | null; other_id: string; decision: 'distinct' | 'same'; at: string; user_name: string; office_id: string; change_seq: number };
const insertDecision = query((db, p: DecisionInput) =>
  db.insertInto('duplicate_decisions').values({
    id: p.id,
    applicant_id: p.applicant_id,
    other_id: p.other_id,
    decision: p.decision,
    at: p.at,
    user_name: p.user_name,
    office_id: p.office_id,
    created_at: p.at,
    updated_at: p.at,
    change_seq: p.change_seq,
  }),
);

export function insertDuplicateDecision(db: WritableDB, row: DecisionInput): void {
  insertDecision.run(db, row);
}

const decisionOfPair = query((db, p: { a: string; b: string }) =>
  db
    .selectFrom('duplicate_decisions')
    .select('decision')
    .where((eb) =>
      eb.or([eb.and([eb('applicant_id', '=', p.a), eb('other_id', '=', p.b)]), eb.and([eb('applicant_id', '=', p.b), eb('other_id', '=', p.a)])]),
    )
    .orderBy('at', 'desc')
    .limit(sql.lit(1)),
);

const decisionsAsOther = query((db, p: { id: string }) =>
  db
    .selectFrom('duplicate_decisions')
    .selectAll()
    .where('other_id', '=', p.id)
    .where((eb) => eb.or([eb('applicant_id', 'is', null), eb('applicant_id', '<>', p.id)])),
);

/** Decisions where she is the existing file (the other side of a pair): the right of access shows these. */
export function decisionsNamingAsOther(db: ReadableDB, applicantId: string): Selectable<DB['duplicate_decisions']>[] {
  return decisionsAsOther.all(db, { id: applicantId });
}

/** The latest staff decision about a pair of files, in either direction. */
export function pairDecision(db: ReadableDB, a: string, b: string): 'distinct' | 'same' | null {
  return decisionOfPair.get(db, { a, b })?.decision ?? null;
}

// ---------------------------------------------------------------------------------------------
// Candidates (duplicate check) and list rows (search): the same columns
// ---------------------------------------------------------------------------------------------

/** The columns a duplicate candidate or a list row needs, with the commune's names (over `applicants a`, `communes c`). */
export const CANDIDATE_SELECT = [
  'a.id',
  'a.file_no',
  'a.cin',
  'a.first_name_ar',
  'a.last_name_ar',
  'a.first_name_lat',
  'a.last_name_lat',
  'a.sex',
  'a.birth_date',
  'a.phone',
  'a.commune_code',
  'a.status',
  'a.created_at',
  'c.name_ar as commune_name_ar',
  'c.name_fr as commune_name_fr',
  'c.province_code',
] as const;

export function selectCandidates(db: Kysely<DB>) {
  return db.selectFrom('applicants as a').leftJoin('communes as c', 'c.code', 'a.commune_code').select(CANDIDATE_SELECT);
}
export type CandidateRow = InferResult<ReturnType<typeof selectCandidates>>[number];

/** The same columns as SQL text, for the search's statements written at the call (search.ts). */
export const CANDIDATE_COLUMNS = `a.id, a.file_no, a.cin, a.first_name_ar, a.last_name_ar, a.first_name_lat, a.last_name_lat,
  a.sex, a.birth_date, a.phone, a.commune_code, a.status, a.created_at, c.name_ar AS commune_name_ar, c.name_fr AS commune_name_fr, c.province_code`;

/** A candidate row's columns as the API names them (the registry list and the duplicate panel show the same fields). */
export function candidateFields(r: CandidateRow) {
  return {
    id: r.id,
    fileNo: r.file_no,
    cin: r.cin,
    firstNameAr: r.first_name_ar,
    lastNameAr: r.last_name_ar,
    firstNameLat: r.first_name_lat,
    lastNameLat: r.last_name_lat,
    birthDate: r.birth_date,
    phone: r.phone,
    communeCode: r.commune_code,
    communeNameAr: r.commune_name_ar,
    communeNameFr: r.commune_name_fr,
    status: r.status,
    createdAt: r.created_at,
  };
}

const byBirthDates = query((db, p: { dates: string }) =>
  selectCandidates(db)
    .where('a.birth_date', 'in', (eb) => eb.selectFrom(sql<{ value: string }>`json_each(${p.dates})`.as('j')).select('j.value'))
    .where('a.anonymised_at', 'is', null)
    .limit(sql.lit(2000)),
);

export function candidatesByBirthDates(db: ReadableDB, dates: string[]): CandidateRow[] {
  if (!dates.length) return [];
  return byBirthDates.all(db, { dates: JSON.stringify(dates) });
}

const bySkeleton = query((db, p: { s1: string; s2: string; from: string; to: string }) =>
  selectCandidates(db)
    .where('a.name_skel', 'in', [p.s1, p.s2])
    .where('a.anonymised_at', 'is', null)
    .where((eb) => eb.or([eb('a.birth_date', 'is', null), eb.and([eb('a.birth_date', '>=', p.from), eb('a.birth_date', '<=', p.to)])]))
    .limit(sql.lit(300)),
);

export function candidatesBySkeleton(db: ReadableDB, skels: string[], fromDate: string, toDate: string): CandidateRow[] {
  if (!skels.length) return [];
  return bySkeleton.all(db, { s1: skels[0], s2: skels[1] ?? skels[0], from: fromDate, to: toDate });
}

const candidateOne = query((db, p: { id: string }) => selectCandidates(db).where('a.id', '=', p.id));

export function candidateById(db: ReadableDB, id: string): CandidateRow | undefined {
  return candidateOne.get(db, { id });
}

// ---------------------------------------------------------------------------------------------
// Matching keys (name_skel, name_words) and their version
// ---------------------------------------------------------------------------------------------

// sqlite_master is SQLite's own catalogue, not a table of the schema: an SQL text.
const hasMatchingKeysTable = readQuery(() => sql<{ one: number }>`SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'matching_keys'`);
const keysVersion = query((db) => db.selectFrom('matching_keys').select('version').where('id', '=', 1));
const keysOfLiveFiles = query((db) =>
  db
    .selectFrom('applicants')
    .select(['id', 'first_name_ar', 'last_name_ar', 'first_name_lat', 'last_name_lat', 'name_skel', 'name_words'])
    .where('anonymised_at', 'is', null),
);
const updateKeys = query((db, p: { id: string; name_skel: string; name_words: string }) =>
  db.updateTable('applicants').set({ name_skel: p.name_skel, name_words: p.name_words }).where('id', '=', p.id),
);
const upsertKeysVersion = query((db, p: { version: string }) =>
  db
    .insertInto('matching_keys')
    .values({ id: 1, version: p.version })
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({ version: eb.ref('excluded.version') }))),
);

/** The version the stored keys were made with; undefined before migration 0010 or before the first refresh. */
export function matchingKeysVersion(db: ReadableDB): { table: boolean; version: string | undefined } {
  if (!hasMatchingKeysTable.get(db)) return { table: false, version: undefined };
  return { table: true, version: keysVersion.get(db)?.version };
}

/** The names and stored keys of every file not anonymised. */
export function liveFileKeys(db: ReadableDB) {
  return keysOfLiveFiles.all(db);
}

export function setMatchingKeys(db: WritableDB, id: string, nameSkel: string, nameWords: string): void {
  updateKeys.run(db, { id, name_skel: nameSkel, name_words: nameWords });
}

export function setMatchingKeysVersion(db: WritableDB, version: string): void {
  upsertKeysVersion.run(db, { version });
}

// ---------------------------------------------------------------------------------------------
// Consent to confirm (files of an import: no consent recorded yet)
// ---------------------------------------------------------------------------------------------

const consentPendingCount = query((db, p: { officeId: string }) =>
  db
    .selectFrom('applicants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('consent_status', '=', 'to_confirm')
    .where('office_id', '=', p.officeId)
    .where('anonymised_at', 'is', null),
);
const consentPendingPage = query((db, p: { officeId: string; limit: number; offset: number }) =>
  db
    .selectFrom('applicants as a')
    .leftJoin('communes as c', 'c.code', 'a.commune_code')
    .select([
      'a.id', 'a.file_no', 'a.cin', 'a.first_name_ar', 'a.last_name_ar', 'a.first_name_lat', 'a.last_name_lat', 'a.phone',
      'c.name_ar as commune_ar', 'c.name_fr as commune_fr', 'a.source', 'a.created_at',
    ])
    .where('a.consent_status', '=', 'to_confirm')
    .where('a.office_id', '=', p.officeId)
    .where('a.anonymised_at', 'is', null)
    .orderBy('a.file_no')
    .limit(p.limit)
    .offset(p.offset),
);

/** An office's files whose consent is to be confirmed: how many, and one page of them by file number. */
export function consentPending(db: ReadableDB, officeId: string, limit: number, offset: number) {
  return { total: consentPendingCount.get(db, { officeId })?.n ?? 0, rows: consentPendingPage.all(db, { officeId, limit, offset }) };
}

const updateConsent = updateRow('applicants', {
  consent_status: true,
  consent_date: true,
  consent_text_version: true,
  consent_channel: true,
  updated_at: true,
  change_seq: true,
});

export function setConsent(
  db: WritableDB,
  row: Pick<ApplicantRow, 'id' | 'consent_status' | 'consent_date' | 'consent_text_version' | 'consent_channel' | 'updated_at' | 'change_seq'>,
): void {
  updateConsent.run(db, row);
}

// ---------------------------------------------------------------------------------------------
// The Excel import's duplicate index: the registry's files that may be a list's people, in three reads
// ---------------------------------------------------------------------------------------------

// PRAGMA table_info: an old registry's copy (before migration 0010) has no name_skel.
const matchingColumns = readQuery(() => sql<{ n: number }>`SELECT count(*) AS n FROM pragma_table_info('applicants') WHERE name IN ('id', 'sex', 'name_skel')`);
const filesByCins = query((db, p: { cins: string }) =>
  db
    .selectFrom('applicants')
    .select(['cin', 'file_no', 'id'])
    .where('cin', 'in', (eb) => eb.selectFrom(sql<{ value: string }>`json_each(${p.cins})`.as('j')).select('j.value')),
);
const filesByCinsOld = readQuery((_db, p: { cins: string }) =>
  sql<{ cin: string; file_no: string; id: null }>`SELECT cin, file_no, NULL AS id FROM applicants WHERE cin IN (SELECT value FROM json_each(${p.cins}))`,
);
const personColumns = ['id', 'cin', 'file_no', 'birth_date', 'first_name_ar', 'last_name_ar', 'first_name_lat', 'last_name_lat', 'sex', 'name_skel'] as const;
const filesByDates = query((db, p: { dates: string }) =>
  db
    .selectFrom('applicants')
    .select(personColumns)
    .where('birth_date', 'in', (eb) => eb.selectFrom(sql<{ value: string }>`json_each(${p.dates})`.as('j')).select('j.value'))
    .where('anonymised_at', 'is', null),
);
const filesBySkels = query((db, p: { skels: string }) =>
  db
    .selectFrom('applicants')
    .select(personColumns)
    .where('name_skel', 'in', (eb) => eb.selectFrom(sql<{ value: string }>`json_each(${p.skels})`.as('j')).select('j.value'))
    .where('anonymised_at', 'is', null),
);
type PersonFile = { [K in (typeof personColumns)[number]]: K extends 'id' | 'sex' | 'name_skel' ? ApplicantRow[K] | null : ApplicantRow[K] };
const filesByDatesOld = readQuery((_db, p: { dates: string }) =>
  sql<PersonFile>`SELECT NULL AS id, cin, file_no, birth_date, first_name_ar, last_name_ar, first_name_lat, last_name_lat, NULL AS sex, NULL AS name_skel
    FROM applicants WHERE birth_date IN (SELECT value FROM json_each(${p.dates})) AND anonymised_at IS NULL`,
);

/**
 * The registry's files that may be the people of a list: those with one of the CINs (on the UNIQUE index), born on
 * one of the dates, or with one of the name skeletons (not anonymised). Without the matching columns (an old
 * registry's copy) ids, sexes and skeletons are null and no skeleton is looked up.
 */
export function filesForMatching(db: ReadableDB, q: { cins: string[]; dates: string[]; skels: string[] }): {
  byCin: { cin: string | null; file_no: string; id: string | null }[];
  byDate: PersonFile[];
  bySkel: PersonFile[];
} {
  const current = matchingColumns.get(db)?.n === 3;
  const cins = JSON.stringify(q.cins);
  const dates = JSON.stringify(q.dates);
  if (!current) return { byCin: filesByCinsOld.all(db, { cins }), byDate: filesByDatesOld.all(db, { dates }), bySkel: [] };
  return {
    byCin: filesByCins.all(db, { cins }),
    byDate: filesByDates.all(db, { dates }),
    bySkel: q.skels.length ? filesBySkels.all(db, { skels: JSON.stringify(q.skels) }) : [],
  };
}

const allCommunes = query((db) => db.selectFrom('communes').select(['code', 'code_digits', 'province_code', 'name_ar', 'name_fr']).orderBy('code'));

/** Every commune (the import's commune matcher). */
export function listCommunes(db: ReadableDB) {
  return allCommunes.all(db);
}

// ——— For the audit list (security): which files a search text names, and how a file is shown ———

const idsMatchingFile = query((db, p: { text: string; like: string }) =>
  db
    .selectFrom('applicants')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('file_no', '=', p.text),
        eb('cin', '=', eb.fn<string>('upper', [eb.val(p.text)])),
        eb(sql`first_name_ar || ' ' || last_name_ar`, 'like', p.like),
        eb(sql`first_name_lat || ' ' || last_name_lat`, 'like', p.like),
        eb(sql`last_name_lat || ' ' || first_name_lat`, 'like', p.like),
      ]),
    )
    .limit(500),
);

/** The ids (at most 500) of the files a text names: the file number, the CIN, or part of the holder's name. */
export function applicantIdsMatching(db: ReadableDB, text: string): string[] {
  const like = `%${text.replace(/[%_]/g, '')}%`;
  return idsMatchingFile.column<string>(db, { text, like });
}

const labelsOf = query((db, p: { ids: string }) =>
  db
    .selectFrom('applicants')
    .select(['id', 'file_no', 'first_name_ar', 'last_name_ar', 'first_name_lat', 'last_name_lat'])
    .where('id', 'in', (eb) => eb.selectFrom(sql<{ value: string }>`json_each(${p.ids})`.as('j')).select('j.value')),
);

/** The number and names of these files (a parameter cannot be a list: the ids travel as one JSON text). */
export function applicantLabels(db: ReadableDB, ids: readonly string[]) {
  return ids.length ? labelsOf.all(db, { ids: JSON.stringify(ids) }) : [];
}

// ---------------------------------------------------------------------------------------------
// Retention (law 09-08): the closed files due for anonymisation (the rule is security/retention.ts)
// ---------------------------------------------------------------------------------------------

const retentionDue = query((db, p: { cutoff: string; statuses: string }) =>
  db
    .selectFrom('applicants')
    .select(['id', 'file_no as fileNo', 'status', 'closed_at as closedAt', 'commune_code as communeCode', 'office_id as officeId'])
    .where('anonymised_at', 'is', null)
    .where('closed_at', 'is not', null)
    .where('closed_at', '<', p.cutoff)
    .where(sql<boolean>`status IN (SELECT value FROM json_each(${p.statuses}))`)
    .orderBy('closed_at')
    .orderBy('id'),
);

/** Files with one of `statuses`, closed before `cutoff` and not anonymised yet, oldest first. */
export function closedFilesBefore(db: ReadableDB, cutoff: string, statuses: readonly string[]) {
  return retentionDue.all(db, { cutoff, statuses: JSON.stringify(statuses) });
}
