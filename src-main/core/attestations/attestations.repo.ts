import { sql, type Selectable } from 'kysely';
import { readable, type ReadableDB, type WritableDB } from '../db/handles';
import type { Sqlite } from '../db/connection';
import { all, get, insertRow, qb, query } from '../db/query';
import type { AttestationsTable } from '../db/schema-attestations';
import type { AttestationEntry } from '../../shared/api/attestations.contract';

/**
 * Repository of the attestation register (attestations, attestation_counters, the setting attestations.verify_url):
 * Kysely's builder, compiled once (core/db/query.ts), row ↔ API mapping beside the queries. The applicant's names
 * shown in the register are read by join (one query, searchable by name); every rule about the applicant goes
 * through core/applicants (requireApplicant).
 */

export type AttestationRow = Selectable<AttestationsTable>;
type RowWithNames = AttestationRow & { first_name_ar: string | null; last_name_ar: string | null; first_name_lat: string | null; last_name_lat: string | null };

// ---------- facts printed on an attestation, read from reference tables ----------

const refLabelQ = query((db, p: { kind: string; code: string }) =>
  db.selectFrom('ref_items').select(['label_ar', 'label_fr']).where('kind', '=', p.kind).where('code', '=', p.code),
);
export function refLabel(db: ReadableDB, kind: string, code: string | null): { ar: string; fr: string } | null {
  if (!code) return null;
  const r = refLabelQ.get(db, { kind, code });
  return r ? { ar: r.label_ar, fr: r.label_fr } : null;
}

const validatedOnQ = query((db, p: { applicantId: string }) =>
  db
    .selectFrom('status_history')
    .select((eb) => eb.fn.max('at').as('at'))
    .where('applicant_id', '=', p.applicantId)
    .where('to_status', '=', 'project_validated'),
);
/** When the project was validated: the latest move into project_validated in the path history. */
export function projectValidatedOn(db: ReadableDB, applicantId: string): string | null {
  return validatedOnQ.get(db, { applicantId })?.at ?? null;
}

const signingKeyQ = query((db) => db.selectFrom('installation').select('signing_key_pem').where('id', '=', 1));
/** This installation's signing key (the CLI, the seed and tests may pass the core's connection). */
export function signingKey(db: ReadableDB | Sqlite): string | null {
  return signingKeyQ.get('prepare' in db ? readable(db) : db)?.signing_key_pem ?? null;
}

// ---------- the register ----------

function withNames() {
  return qb
    .selectFrom('attestations as t')
    .leftJoin('applicants as a', 'a.id', 't.applicant_id')
    .selectAll('t')
    .select(['a.first_name_ar', 'a.last_name_ar', 'a.first_name_lat', 'a.last_name_lat']);
}

const byIdQ = query((_db, p: { id: string }) => withNames().where('t.id', '=', p.id));
const bySerialQ = query((_db, p: { serial: string }) => withNames().where('t.serial', '=', p.serial));

export function findById(db: ReadableDB, id: string): RowWithNames | undefined {
  return byIdQ.get(db, { id });
}

export function findBySerial(db: ReadableDB, serial: string): RowWithNames | undefined {
  return bySerialQ.get(db, { serial });
}

const insertQ = insertRow('attestations', {
  id: true,
  office_id: true,
  serial: true,
  year: true,
  seq: true,
  kind: true,
  kind_version: true,
  applicant_id: true,
  issue_date: true,
  issued_at: true,
  issued_by: true,
  issued_by_name: true,
  content_json: true,
  content_hash: true,
  qr_text: true,
  hours: true,
  status: true,
  revoked_at: true,
  revoked_by: true,
  revoke_reason: true,
  print_count: true,
  last_printed_at: true,
  batch_id: true,
  replaced_by: true,
  replaced_at: true,
  replaces: true,
  created_at: true,
  updated_at: true,
  change_seq: true,
});

export function insertAttestation(db: WritableDB, row: AttestationRow): void {
  insertQ.run(db, row);
}

const markPrintedQ = query((db, p: { id: string; at: string; changeSeq: number }) =>
  db
    .updateTable('attestations')
    .set((eb) => ({ print_count: eb('print_count', '+', 1), last_printed_at: p.at, updated_at: p.at, change_seq: p.changeSeq }))
    .where('id', '=', p.id),
);
export function markPrinted(db: WritableDB, id: string, at: string, changeSeq: number): void {
  markPrintedQ.run(db, { id, at, changeSeq });
}

const currentQ = query((_db, p: { applicantId: string; kind: string }) =>
  withNames()
    .where('t.applicant_id', '=', p.applicantId)
    .where('t.kind', '=', p.kind)
    .where('t.status', '=', 'valid')
    .where('t.replaced_by', 'is', null)
    .orderBy('t.issued_at', 'desc')
    .limit(1),
);
/** Her current attestation of a kind: neither revoked nor replaced (at most one). */
export function findCurrent(db: ReadableDB, applicantId: string, kind: string): RowWithNames | undefined {
  return currentQ.get(db, { applicantId, kind });
}

const markReplacedQ = query((db, p: { id: string; bySerial: string; at: string; changeSeq: number }) =>
  db.updateTable('attestations').set({ replaced_by: p.bySerial, replaced_at: p.at, updated_at: p.at, change_seq: p.changeSeq }).where('id', '=', p.id),
);
export function markReplaced(db: WritableDB, id: string, bySerial: string, at: string, changeSeq: number): void {
  markReplacedQ.run(db, { id, bySerial, at, changeSeq });
}

const markRevokedQ = query((db, p: { id: string; at: string; by: string; reason: string; changeSeq: number }) =>
  db
    .updateTable('attestations')
    .set({ status: 'revoked', revoked_at: p.at, revoked_by: p.by, revoke_reason: p.reason, updated_at: p.at, change_seq: p.changeSeq })
    .where('id', '=', p.id),
);
export function markRevoked(db: WritableDB, id: string, at: string, by: string, reason: string, changeSeq: number): void {
  markRevokedQ.run(db, { id, at, by, reason, changeSeq });
}

export interface ListFilters {
  kind?: string;
  status?: 'valid' | 'revoked' | 'replaced';
  applicantId?: string;
  from?: string;
  to?: string;
  q?: string;
  limit: number;
  offset: number;
}

export function listAttestations(db: ReadableDB, f: ListFilters): { rows: RowWithNames[]; total: number } {
  let q = withNames();
  if (f.kind) q = q.where('t.kind', '=', f.kind);
  if (f.status === 'replaced') q = q.where('t.status', '=', 'valid').where('t.replaced_by', 'is not', null);
  else if (f.status === 'valid') q = q.where('t.status', '=', 'valid').where('t.replaced_by', 'is', null);
  else if (f.status) q = q.where('t.status', '=', f.status);
  if (f.applicantId) q = q.where('t.applicant_id', '=', f.applicantId);
  if (f.from) q = q.where('t.issue_date', '>=', f.from);
  if (f.to) q = q.where('t.issue_date', '<=', f.to);
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
    const cin = f.q.toUpperCase().replace(/[\s-]+/g, '');
    // LIKE … ESCAPE '\' (the builder has no ESCAPE clause).
    q = q.where(
      sql<boolean>`(t.serial LIKE ${like} ESCAPE '\\' OR a.file_no LIKE ${like} ESCAPE '\\' OR (a.first_name_lat || ' ' || a.last_name_lat) LIKE ${like} ESCAPE '\\' OR (a.first_name_ar || ' ' || a.last_name_ar) LIKE ${like} ESCAPE '\\' OR a.cin = ${cin})`,
    );
  }
  const total = get(db, q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')))?.n ?? 0;
  const rows = all(db, q.orderBy('t.issued_at', 'desc').orderBy('t.serial', 'desc').limit(f.limit).offset(f.offset));
  return { rows, total };
}

export function toEntry(r: RowWithNames): AttestationEntry {
  return {
    id: r.id,
    serial: r.serial,
    kind: r.kind,
    applicantId: r.applicant_id,
    fullNameAr: [r.first_name_ar, r.last_name_ar].filter(Boolean).join(' '),
    fullNameLat: [r.first_name_lat, r.last_name_lat].filter(Boolean).join(' '),
    issueDate: r.issue_date,
    issuedAt: r.issued_at,
    issuedByName: r.issued_by_name,
    contentHash: r.content_hash,
    hours: r.hours,
    status: r.status,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
    revokeReason: r.revoke_reason,
    printCount: r.print_count,
    lastPrintedAt: r.last_printed_at,
    batchId: r.batch_id,
    replacedBy: r.replaced_by ?? null,
    replacedAt: r.replaced_at ?? null,
    replaces: r.replaces ?? null,
  };
}

const officeByCodeQ = query((db, p: { code: string }) =>
  db
    .selectFrom('offices as o')
    .select((eb) => [
      'o.id',
      'o.code',
      'o.name_ar',
      'o.name_fr',
      'o.public_key',
      'o.trusted',
      eb.selectFrom('installation as i').select((e) => e.fn.countAll<number>().as('n')).whereRef('i.office_id', '=', 'o.id').as('own'),
    ])
    .where('o.code', '=', p.code),
);
/** Office that signs codes with this prefix, if its key is known here (this office, or trusted by exchange). */
export function officeByCode(db: ReadableDB, code: string) {
  return officeByCodeQ.get(db, { code });
}

// ---------- serial numbers (serials.ts) ----------

const counterQ = query((db, p: { officeId: string; year: number }) =>
  db.selectFrom('attestation_counters').select('last_seq').where('office_id', '=', p.officeId).where('year', '=', p.year),
);
const maxSeqQ = query((db, p: { officeId: string; year: number }) =>
  db.selectFrom('attestations').select((eb) => eb.fn.max('seq').as('m')).where('office_id', '=', p.officeId).where('year', '=', p.year),
);
/** The highest number of the office and year: its counter, or the register if a restored one went further. */
export function lastSeq(db: ReadableDB, officeId: string, year: number): number {
  return Math.max(counterQ.get(db, { officeId, year })?.last_seq ?? 0, maxSeqQ.get(db, { officeId, year })?.m ?? 0);
}

const putCounterQ = query((db, p: { officeId: string; year: number; seq: number }) =>
  db
    .insertInto('attestation_counters')
    .values({ office_id: p.officeId, year: p.year, last_seq: p.seq })
    .onConflict((oc) => oc.columns(['office_id', 'year']).doUpdateSet({ last_seq: (eb) => eb.ref('excluded.last_seq') })),
);
export function setCounter(db: WritableDB, officeId: string, year: number, seq: number): void {
  putCounterQ.run(db, { officeId, year, seq });
}

// ---------- the verification page (verify-page/verify-page.ts) ----------

const settingQ = query((db, p: { key: string }) => db.selectFrom('settings').select('value').where('key', '=', p.key));
export function readSetting(db: ReadableDB, key: string): string | undefined {
  return settingQ.get(db, { key })?.value;
}
const deleteSettingQ = query((db, p: { key: string }) => db.deleteFrom('settings').where('key', '=', p.key));
const putSettingQ = query((db, p: { key: string; value: string }) =>
  db
    .insertInto('settings')
    .values({ key: p.key, value: p.value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') })),
);
export function writeSetting(db: WritableDB, key: string, value: string | null): void {
  if (value === null) deleteSettingQ.run(db, { key });
  else putSettingQ.run(db, { key, value });
}

const installationQ = query((db) =>
  db
    .selectFrom('installation as i')
    .innerJoin('offices as o', 'o.id', 'i.office_id')
    .select(['o.code', 'o.name_ar', 'o.name_fr', 'o.kind', 'o.public_key', 'i.signing_key_pem'])
    .where('i.id', '=', 1),
);
/** This installation's office and signing key. */
export function installationOffice(db: ReadableDB) {
  return installationQ.get(db);
}

const trustedOfficesQ = query((db) =>
  db
    .selectFrom('offices as o')
    .select(['o.code', 'o.name_ar', 'o.name_fr', 'o.public_key'])
    .where('o.public_key', 'is not', null)
    .where((eb) => eb.or([eb('o.trusted', '=', 1), eb('o.id', 'in', eb.selectFrom('installation').select('office_id'))]))
    .orderBy('o.code'),
);
/** Offices whose signatures this installation trusts (its own and those trusted by exchange), with a key. */
export function trustedOffices(db: ReadableDB) {
  return trustedOfficesQ.all(db) as { code: string; name_ar: string; name_fr: string; public_key: string }[];
}

const revokedQ = query((db) =>
  db
    .selectFrom('attestations')
    .select(['serial', sql<string>`revoked_at`.as('at'), sql<string>`COALESCE(revoke_reason, '')`.as('reason')])
    .where('status', '=', 'revoked')
    .orderBy('serial'),
);
const replacedQ = query((db) =>
  db
    .selectFrom('attestations')
    .select(['serial', sql<string>`replaced_by`.as('by'), sql<string>`replaced_at`.as('at')])
    .where('status', '=', 'valid')
    .where('replaced_by', 'is not', null)
    .orderBy('serial'),
);
/** The register's revoked and replaced serials (the status list of the verification page). */
export function statusLists(db: ReadableDB) {
  return { revoked: revokedQ.all(db), replaced: replacedQ.all(db) };
}
