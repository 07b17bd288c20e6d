import type { Sqlite } from '../db/connection';
import { stmt } from '../db/statements';
import type { AttestationsTable } from '../db/schema-attestations';
import type { AttestationEntry } from '../../shared/api/attestations.contract';

/** Queries of the attestation register (prepared once per connection), row ↔ API mapping. */

export interface ApplicantForAttestation {
  id: string;
  office_id: string;
  file_no: string;
  cin: string | null;
  first_name_ar: string;
  last_name_ar: string;
  first_name_lat: string;
  last_name_lat: string;
  sex: 'F' | 'M';
  birth_date: string | null;
  status: string;
  project_sector: string | null;
  created_at: string;
  anonymised_at: string | null;
}

export function findApplicant(db: Sqlite, id: string): ApplicantForAttestation | undefined {
  return stmt<[string], ApplicantForAttestation>(
    db,
    `SELECT id, office_id, file_no, cin, first_name_ar, last_name_ar, first_name_lat, last_name_lat, sex, birth_date,
            status, project_sector, created_at, anonymised_at
       FROM applicants WHERE id = ?`,
  ).get(id);
}

export function refLabel(db: Sqlite, kind: string, code: string | null): { ar: string; fr: string } | null {
  if (!code) return null;
  const r = stmt<[string, string], { label_ar: string; label_fr: string }>(db, 'SELECT label_ar, label_fr FROM ref_items WHERE kind = ? AND code = ?').get(kind, code);
  return r ? { ar: r.label_ar, fr: r.label_fr } : null;
}

/** When the project was validated: the latest move into project_validated in the path history. */
export function projectValidatedOn(db: Sqlite, applicantId: string): string | null {
  const r = stmt<[string], { at: string | null }>(
    db,
    "SELECT MAX(at) AS at FROM status_history WHERE applicant_id = ? AND to_status = 'project_validated'",
  ).get(applicantId);
  return r?.at ?? null;
}

export function signingKey(db: Sqlite): string | null {
  const r = stmt<[], { signing_key_pem: string }>(db, 'SELECT signing_key_pem FROM installation WHERE id = 1').get();
  return r?.signing_key_pem ?? null;
}

export type AttestationRow = AttestationsTable;
type RowWithNames = AttestationRow & { first_name_ar: string | null; last_name_ar: string | null; first_name_lat: string | null; last_name_lat: string | null };

const SELECT_WITH_NAMES = `SELECT t.*, a.first_name_ar, a.last_name_ar, a.first_name_lat, a.last_name_lat
  FROM attestations t LEFT JOIN applicants a ON a.id = t.applicant_id`;

export function findById(db: Sqlite, id: string): RowWithNames | undefined {
  return stmt<[string], RowWithNames>(db, `${SELECT_WITH_NAMES} WHERE t.id = ?`).get(id);
}

export function findBySerial(db: Sqlite, serial: string): RowWithNames | undefined {
  return stmt<[string], RowWithNames>(db, `${SELECT_WITH_NAMES} WHERE t.serial = ?`).get(serial);
}

export function insertAttestation(db: Sqlite, row: AttestationRow): void {
  stmt(
    db,
    `INSERT INTO attestations (id, office_id, serial, year, seq, kind, kind_version, applicant_id, issue_date, issued_at,
       issued_by, issued_by_name, content_json, content_hash, qr_text, hours, status, revoked_at, revoked_by, revoke_reason,
       print_count, last_printed_at, batch_id, replaced_by, replaced_at, replaces, created_at, updated_at, change_seq)
     VALUES (@id, @office_id, @serial, @year, @seq, @kind, @kind_version, @applicant_id, @issue_date, @issued_at,
       @issued_by, @issued_by_name, @content_json, @content_hash, @qr_text, @hours, @status, @revoked_at, @revoked_by, @revoke_reason,
       @print_count, @last_printed_at, @batch_id, @replaced_by, @replaced_at, @replaces, @created_at, @updated_at, @change_seq)`,
  ).run(row);
}

export function markPrinted(db: Sqlite, id: string, at: string, changeSeq: number): void {
  stmt(db, 'UPDATE attestations SET print_count = print_count + 1, last_printed_at = ?, updated_at = ?, change_seq = ? WHERE id = ?').run(at, at, changeSeq, id);
}

/** Her current attestation of a kind: neither revoked nor replaced (at most one). */
export function findCurrent(db: Sqlite, applicantId: string, kind: string): RowWithNames | undefined {
  return stmt<[string, string], RowWithNames>(
    db,
    `${SELECT_WITH_NAMES} WHERE t.applicant_id = ? AND t.kind = ? AND t.status = 'valid' AND t.replaced_by IS NULL ORDER BY t.issued_at DESC LIMIT 1`,
  ).get(applicantId, kind);
}

export function markReplaced(db: Sqlite, id: string, bySerial: string, at: string, changeSeq: number): void {
  stmt(db, 'UPDATE attestations SET replaced_by = ?, replaced_at = ?, updated_at = ?, change_seq = ? WHERE id = ?').run(bySerial, at, at, changeSeq, id);
}

export function markRevoked(db: Sqlite, id: string, at: string, by: string, reason: string, changeSeq: number): void {
  stmt(
    db,
    "UPDATE attestations SET status = 'revoked', revoked_at = ?, revoked_by = ?, revoke_reason = ?, updated_at = ?, change_seq = ? WHERE id = ?",
  ).run(at, by, reason, at, changeSeq, id);
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

export function listAttestations(db: Sqlite, f: ListFilters): { rows: RowWithNames[]; total: number } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.kind) (where.push('t.kind = ?'), params.push(f.kind));
  if (f.status === 'replaced') where.push("t.status = 'valid' AND t.replaced_by IS NOT NULL");
  else if (f.status === 'valid') where.push("t.status = 'valid' AND t.replaced_by IS NULL");
  else if (f.status) (where.push('t.status = ?'), params.push(f.status));
  if (f.applicantId) (where.push('t.applicant_id = ?'), params.push(f.applicantId));
  if (f.from) (where.push('t.issue_date >= ?'), params.push(f.from));
  if (f.to) (where.push('t.issue_date <= ?'), params.push(f.to));
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
    where.push(
      "(t.serial LIKE ? ESCAPE '\\' OR a.file_no LIKE ? ESCAPE '\\' OR (a.first_name_lat || ' ' || a.last_name_lat) LIKE ? ESCAPE '\\' OR (a.first_name_ar || ' ' || a.last_name_ar) LIKE ? ESCAPE '\\' OR a.cin = ?)",
    );
    params.push(like, like, like, like, f.q.toUpperCase().replace(/[\s-]+/g, ''));
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM attestations t LEFT JOIN applicants a ON a.id = t.applicant_id ${w}`).get(...params) as { n: number }).n;
  const rows = db.prepare(`${SELECT_WITH_NAMES} ${w} ORDER BY t.issued_at DESC, t.serial DESC LIMIT ? OFFSET ?`).all(...params, f.limit, f.offset) as RowWithNames[];
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

/** Office that signs codes with this prefix, if its key is known here (this office, or trusted by exchange). */
export function officeByCode(db: Sqlite, code: string): { id: string; code: string; name_ar: string; name_fr: string; public_key: string | null; trusted: number; own: number } | undefined {
  return stmt<[string], { id: string; code: string; name_ar: string; name_fr: string; public_key: string | null; trusted: number; own: number }>(
    db,
    `SELECT o.id, o.code, o.name_ar, o.name_fr, o.public_key, o.trusted,
            (SELECT COUNT(*) FROM installation i WHERE i.office_id = o.id) AS own
       FROM offices o WHERE o.code = ?`,
  ).get(code);
}
