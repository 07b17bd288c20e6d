/**
 * Queries of the applicant registry (db first argument) and the row ↔ domain mapping.
 * Hot paths (save, duplicate check, search) use prepared statements on the raw connection (`stmt`),
 * which run inside the dispatcher's transaction for write methods.
 */
import type { Sqlite } from '../db/connection';
import { stmt } from '../db/statements';
import type { HandlerContext } from '../context';
import type { Selectable } from 'kysely';
import type { ApplicantsTable } from '../db/schema-applicants';
import type { ReadableDB } from '../db/handles';
import { query } from '../db/query';
import type { ApplicantStatus, RefItem, RefKind } from '../../shared/api/applicants.contract';

export type ApplicantRow = Selectable<ApplicantsTable>;

export interface RefRow {
  kind: RefKind;
  code: string;
  label_ar: string;
  label_fr: string;
  sensitive: number;
  active: number;
  sort: number;
}

/** A setting's JSON value, or the fallback when absent or unreadable. */
export function getSetting<T>(sqlite: Sqlite, key: string, fallback: T): T {
  const r = stmt<[string], { value: string }>(sqlite, 'SELECT value FROM settings WHERE key = ?').get(key);
  if (!r) return fallback;
  try {
    return JSON.parse(r.value) as T;
  } catch {
    return fallback;
  }
}

export function listRefItems(sqlite: Sqlite, includeInactive = false): RefRow[] {
  return stmt<[number], RefRow>(
    sqlite,
    'SELECT kind, code, label_ar, label_fr, sensitive, active, sort FROM ref_items WHERE active >= ? ORDER BY kind, sort, code',
  ).all(includeInactive ? 0 : 1);
}

export function toRefItem(r: RefRow): RefItem {
  return { kind: r.kind, code: r.code, labelAr: r.label_ar, labelFr: r.label_fr, sensitive: r.sensitive === 1 };
}

const refCache = new WeakMap<Sqlite, { stamp: string; index: Map<string, Map<string, RefRow>> }>();

/**
 * kind → code → row (active and inactive: old files keep their labels). Cached per connection; the cache is
 * checked against a cheap fingerprint of the table, so an edited list is seen at once.
 */
export function refIndex(sqlite: Sqlite): Map<string, Map<string, RefRow>> {
  const stamp = (
    stmt<[], { s: string }>(
      sqlite,
      "SELECT count(*) || ':' || coalesce(max(rowid), 0) || ':' || total(active) || ':' || coalesce(sum(length(label_ar) + length(label_fr) + sensitive), 0) AS s FROM ref_items",
    ).get() as { s: string }
  ).s;
  const hit = refCache.get(sqlite);
  if (hit && hit.stamp === stamp) return hit.index;
  const index = buildRefIndex(sqlite);
  refCache.set(sqlite, { stamp, index });
  return index;
}

function buildRefIndex(sqlite: Sqlite): Map<string, Map<string, RefRow>> {
  const out = new Map<string, Map<string, RefRow>>();
  for (const r of listRefItems(sqlite, true)) {
    let m = out.get(r.kind);
    if (!m) out.set(r.kind, (m = new Map()));
    m.set(r.code, r);
  }
  return out;
}

export interface CommuneRow {
  code: string;
  province_code: string;
  name_ar: string;
  name_fr: string;
  type: 'urbaine' | 'rurale';
}

export function findCommune(sqlite: Sqlite, code: string): CommuneRow | undefined {
  return stmt<[string], CommuneRow>(sqlite, 'SELECT code, province_code, name_ar, name_fr, type FROM communes WHERE code = ?').get(code);
}

export function findByCin(sqlite: Sqlite, cin: string): { id: string; file_no: string } | undefined {
  return stmt<[string], { id: string; file_no: string }>(sqlite, 'SELECT id, file_no FROM applicants WHERE cin = ?').get(cin);
}

const applicantById = query((db, p: { id: string }) => db.selectFrom('applicants').selectAll().where('id', '=', p.id));

export function findApplicant(db: ReadableDB, id: string): ApplicantRow | undefined {
  return applicantById.get(db, { id });
}

/** The next file number of an office for a year: ERR-2026-000123 (the highest so far + 1). */
export function nextFileNo(sqlite: Sqlite, officeCode: string, year: number): string {
  const prefix = `${officeCode}-${year}-`;
  const last = stmt<[string, string], { file_no: string }>(
    sqlite,
    'SELECT file_no FROM applicants WHERE file_no >= ? AND file_no < ? ORDER BY file_no DESC LIMIT 1',
  ).get(prefix, prefix + '\uffff');
  const n = last ? Number(last.file_no.slice(prefix.length)) || 0 : 0;
  return `${prefix}${String(n + 1).padStart(6, '0')}`;
}

const INSERT_COLUMNS = [
  'id', 'office_id', 'file_no', 'cin', 'cin_format_ok', 'idcs', 'first_name_ar', 'last_name_ar', 'first_name_lat',
  'last_name_lat', 'name_key_ar', 'name_key_lat', 'name_skel', 'name_words', 'sex', 'birth_date', 'phone', 'phone_owner', 'address',
  'douar', 'commune_code', 'education_level', 'vocational_level', 'marital_status', 'is_project_holder',
  'is_difficult_situation', 'has_disability', 'disability_severity', 'disability_card_number', 'disability_card_expiry',
  'rsu_registered', 'rsu_index', 'project_sector', 'project_description', 'project_stage', 'project_legal_form',
  'heard_from', 'consent_status', 'consent_date', 'consent_text_version', 'consent_channel', 'status',
  'status_changed_at', 'financing_source', 'source', 'closed_at', 'anonymised_at', 'created_by', 'created_at',
  'updated_at', 'change_seq',
] as const satisfies readonly (keyof ApplicantRow)[];

export const INSERT_APPLICANT_SQL = `INSERT INTO applicants (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map((c) => '@' + c).join(', ')})`;

export function insertApplicant(sqlite: Sqlite, row: ApplicantRow): void {
  stmt(sqlite, INSERT_APPLICANT_SQL).run(row);
}

export function setSituations(sqlite: Sqlite, applicantId: string, codes: readonly string[]): void {
  stmt(sqlite, 'DELETE FROM applicant_situations WHERE applicant_id = ?').run(applicantId);
  const ins = stmt(sqlite, 'INSERT OR IGNORE INTO applicant_situations (applicant_id, code) VALUES (?, ?)');
  for (const c of codes) ins.run(applicantId, c);
}

export function setDisabilities(sqlite: Sqlite, applicantId: string, codes: readonly string[]): void {
  stmt(sqlite, 'DELETE FROM applicant_disabilities WHERE applicant_id = ?').run(applicantId);
  const ins = stmt(sqlite, 'INSERT OR IGNORE INTO applicant_disabilities (applicant_id, code) VALUES (?, ?)');
  for (const c of codes) ins.run(applicantId, c);
}

export function getSituations(sqlite: Sqlite, applicantId: string): string[] {
  return stmt<[string], { code: string }>(sqlite, 'SELECT code FROM applicant_situations WHERE applicant_id = ? ORDER BY code')
    .all(applicantId)
    .map((r) => r.code);
}

export function getDisabilities(sqlite: Sqlite, applicantId: string): string[] {
  return stmt<[string], { code: string }>(sqlite, 'SELECT code FROM applicant_disabilities WHERE applicant_id = ? ORDER BY code')
    .all(applicantId)
    .map((r) => r.code);
}

export interface StatusHistoryRow {
  id: string;
  applicant_id: string;
  office_id: string;
  from_status: ApplicantStatus | null;
  to_status: ApplicantStatus;
  reason: string;
  financing_source: string | null;
  at: string;
  user_id: string | null;
  user_name: string;
  created_at: string;
  updated_at: string;
  change_seq: number;
}

export function insertStatusHistory(sqlite: Sqlite, row: StatusHistoryRow): void {
  stmt(
    sqlite,
    `INSERT INTO status_history (id, applicant_id, office_id, from_status, to_status, reason, financing_source, at, user_id,
       user_name, created_at, updated_at, change_seq)
     VALUES (@id, @applicant_id, @office_id, @from_status, @to_status, @reason, @financing_source, @at, @user_id,
       @user_name, @created_at, @updated_at, @change_seq)`,
  ).run(row);
}

/** The first step of her path: a 'registered' row in status_history, numbered in the change sequence. */
export function insertInitialStatus(
  ctx: Pick<HandlerContext, 'sqlite' | 'newId' | 'change'>,
  a: { applicantId: string; officeId: string; userId: string | null; userName: string; at: string },
): string {
  const id = ctx.newId();
  insertStatusHistory(ctx.sqlite, {
    id,
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
    change_seq: ctx.change('status_history', id, 'insert', a.officeId),
  });
  return id;
}

export function listStatusHistory(sqlite: Sqlite, applicantId: string): StatusHistoryRow[] {
  return stmt<[string], StatusHistoryRow>(
    sqlite,
    'SELECT * FROM status_history WHERE applicant_id = ? ORDER BY at, created_at',
  ).all(applicantId);
}

export function insertDuplicateDecision(
  sqlite: Sqlite,
  row: { id: string; applicant_id: string | null; other_id: string; decision: 'distinct' | 'same'; at: string; user_name: string; office_id: string; change_seq: number },
): void {
  stmt(
    sqlite,
    `INSERT INTO duplicate_decisions (id, applicant_id, other_id, decision, at, user_name, office_id, created_at, updated_at, change_seq)
     VALUES (@id, @applicant_id, @other_id, @decision, @at, @user_name, @office_id, @at, @at, @change_seq)`,
  ).run(row);
}

/** The latest staff decision about a pair of files, in either direction. */
export function pairDecision(sqlite: Sqlite, a: string, b: string): 'distinct' | 'same' | null {
  const r = stmt<[string, string, string, string], { decision: 'distinct' | 'same' }>(
    sqlite,
    `SELECT decision FROM duplicate_decisions
     WHERE (applicant_id = ? AND other_id = ?) OR (applicant_id = ? AND other_id = ?)
     ORDER BY at DESC LIMIT 1`,
  ).get(a, b, b, a);
  return r?.decision ?? null;
}

export interface AuditRowLite {
  at: string;
  actor_name: string;
  method: string;
  changes: string | null;
}

export function listAuditFor(sqlite: Sqlite, entity: string, entityId: string): AuditRowLite[] {
  return stmt<[string, string], AuditRowLite>(
    sqlite,
    'SELECT at, actor_name, method, changes FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id',
  ).all(entity, entityId);
}

/** The columns a duplicate candidate or a list row needs, with the commune's names. */
export const CANDIDATE_COLUMNS = `a.id, a.file_no, a.cin, a.first_name_ar, a.last_name_ar, a.first_name_lat, a.last_name_lat,
  a.sex, a.birth_date, a.phone, a.commune_code, a.status, a.created_at, c.name_ar AS commune_name_ar, c.name_fr AS commune_name_fr, c.province_code`;

export interface CandidateRow {
  id: string;
  file_no: string;
  cin: string | null;
  first_name_ar: string;
  last_name_ar: string;
  first_name_lat: string;
  last_name_lat: string;
  sex: 'F' | 'M';
  birth_date: string | null;
  phone: string | null;
  commune_code: string | null;
  status: ApplicantStatus;
  created_at: string;
  commune_name_ar: string | null;
  commune_name_fr: string | null;
  province_code: string | null;
}

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

export function candidatesByBirthDates(sqlite: Sqlite, dates: string[]): CandidateRow[] {
  if (!dates.length) return [];
  return stmt<[string], CandidateRow>(
    sqlite,
    `SELECT ${CANDIDATE_COLUMNS} FROM applicants a LEFT JOIN communes c ON c.code = a.commune_code
     WHERE a.birth_date IN (SELECT value FROM json_each(?)) AND a.anonymised_at IS NULL LIMIT 2000`,
  ).all(JSON.stringify(dates));
}

export function candidatesBySkeleton(sqlite: Sqlite, skels: string[], fromDate: string, toDate: string): CandidateRow[] {
  if (!skels.length) return [];
  const s2 = skels[1] ?? skels[0];
  return stmt<[string, string, string, string], CandidateRow>(
    sqlite,
    `SELECT ${CANDIDATE_COLUMNS} FROM applicants a LEFT JOIN communes c ON c.code = a.commune_code
     WHERE a.name_skel IN (?, ?) AND a.anonymised_at IS NULL
       AND (a.birth_date IS NULL OR (a.birth_date >= ? AND a.birth_date <= ?)) LIMIT 300`,
  ).all(skels[0], s2, fromDate, toDate);
}

export function candidateById(sqlite: Sqlite, id: string): CandidateRow | undefined {
  return stmt<[string], CandidateRow>(
    sqlite,
    `SELECT ${CANDIDATE_COLUMNS} FROM applicants a LEFT JOIN communes c ON c.code = a.commune_code WHERE a.id = ?`,
  ).get(id);
}
