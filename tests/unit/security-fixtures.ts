import { uuidv7 } from 'uuidv7';
import type { Core } from '../../src-main/core/core';

/**
 * Raw applicant rows for the security tests (the registry's own methods are another helper's work;
 * these tests need rows with chosen statuses and closing dates, written straight into the 0003 schema).
 */
export interface ApplicantFixture {
  id: string;
  fileNo: string;
}

let serial = 0;

export function communesOf(core: Core, n: number): string[] {
  const office = core.sqlite.prepare('SELECT o.province_code AS p FROM installation i JOIN offices o ON o.id = i.office_id').get() as { p: string };
  return core.sqlite.prepare('SELECT code FROM communes WHERE province_code = ? ORDER BY code LIMIT ?').pluck().all(office.p, n) as string[];
}

export function insertApplicant(core: Core, o: Partial<Record<string, unknown>> = {}): ApplicantFixture {
  const office = core.sqlite.prepare('SELECT o.id, o.code FROM installation i JOIN offices o ON o.id = i.office_id').get() as { id: string; code: string };
  const id = uuidv7();
  serial++;
  const fileNo = (o.file_no as string) ?? `${office.code}-2019-${String(serial).padStart(6, '0')}-${id.slice(-4)}`;
  const now = '2019-03-01T09:00:00.000Z';
  const row: Record<string, unknown> = {
    id,
    office_id: office.id,
    file_no: fileNo,
    cin: `JC${String(100000 + serial)}${id.slice(-3).replace(/[^0-9]/g, '7')}`.slice(0, 9),
    first_name_ar: 'فاطمة',
    last_name_ar: 'العلوي',
    first_name_lat: 'Fatima',
    last_name_lat: 'Alaoui',
    name_key_ar: 'فاطمه العلوي',
    name_key_lat: 'fatima alaoui',
    sex: 'F',
    birth_date: '1990-05-17',
    phone: '+212612345678',
    phone_owner: 'self',
    address: 'Hay Al Amal, rue 12',
    douar: 'Douar Tit',
    commune_code: null,
    education_level: 'PRIMAIRE',
    has_disability: 0,
    consent_status: 'given',
    consent_date: '2019-03-01',
    status: 'registered',
    status_changed_at: now,
    created_at: now,
    updated_at: now,
    change_seq: 0,
    ...o,
  };
  const cols = Object.keys(row);
  core.sqlite.prepare(`INSERT INTO applicants (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`).run(row);
  return { id, fileNo };
}

export function addStatusHistory(core: Core, applicantId: string, to: string, reason: string, at: string) {
  const office = core.sqlite.prepare('SELECT office_id FROM installation').get() as { office_id: string };
  core.sqlite
    .prepare(
      `INSERT INTO status_history (id, applicant_id, office_id, from_status, to_status, reason, at, user_id, user_name, created_at, updated_at)
       VALUES (?, ?, ?, NULL, ?, ?, ?, NULL, 'agent1', ?, ?)`,
    )
    .run(uuidv7(), applicantId, office.office_id, to, reason, at, at, at);
}

/** A mentoring session for one applicant and one group session she attended (0004 schema). */
export function addSessions(core: Core, applicantId: string, o: { notes?: string; attendanceNote?: string } = {}) {
  const office = core.sqlite.prepare('SELECT o.id, o.province_code AS p FROM installation i JOIN offices o ON o.id = i.office_id').get() as { id: string; p: string };
  const t = '2019-04-01T09:00:00.000Z';
  let org = core.sqlite.prepare('SELECT id FROM organisations LIMIT 1').pluck().get() as string | undefined;
  if (!org) {
    org = uuidv7();
    core.sqlite
      .prepare(`INSERT INTO organisations (id, office_id, kind, province_code, name_ar, name_fr, created_at, updated_at) VALUES (?, ?, 'incubator', ?, 'حاضنة', 'Incubateur Tafilalet', ?, ?)`)
      .run(org, office.id, office.p, t, t);
  }
  const mentoring = uuidv7();
  core.sqlite
    .prepare(
      `INSERT INTO training_sessions (id, office_id, kind, date, duration_min, topic_code, organisation_id, applicant_id, notes, next_steps, created_at, updated_at)
       VALUES (?, ?, 'mentoring', '2019-04-01', 60, 'management', ?, ?, ?, 'Revoir le budget', ?, ?)`,
    )
    .run(mentoring, office.id, org, applicantId, o.notes ?? 'Elle garde ses enfants le matin', t, t);
  let cohort = core.sqlite.prepare('SELECT id FROM cohorts LIMIT 1').pluck().get() as string | undefined;
  if (!cohort) {
    cohort = uuidv7();
    core.sqlite.prepare(`INSERT INTO cohorts (id, office_id, organisation_id, name, start_date, created_at, updated_at) VALUES (?, ?, ?, 'Groupe A', '2019-04-01', ?, ?)`).run(cohort, office.id, org, t, t);
  }
  let group = core.sqlite.prepare(`SELECT id FROM training_sessions WHERE kind = 'group_training' LIMIT 1`).pluck().get() as string | undefined;
  if (!group) {
    group = uuidv7();
    core.sqlite
      .prepare(
        `INSERT INTO training_sessions (id, office_id, kind, date, duration_min, topic_code, organisation_id, cohort_id, created_at, updated_at)
         VALUES (?, ?, 'group_training', '2019-04-02', 180, 'entrepreneurship', ?, ?, ?, ?)`,
      )
      .run(group, office.id, org, cohort, t, t);
  }
  core.sqlite
    .prepare(`INSERT INTO attendance (id, office_id, session_id, applicant_id, status, note, created_at, updated_at) VALUES (?, ?, ?, ?, 'present', ?, ?, ?)`)
    .run(uuidv7(), office.id, group, applicantId, o.attendanceNote ?? '', t, t);
  return { mentoring, group };
}

/** An attestation in the register (0005 schema) whose printed content names her. */
export function addAttestation(core: Core, applicantId: string, name: string) {
  const office = core.sqlite.prepare('SELECT o.id, o.code FROM installation i JOIN offices o ON o.id = i.office_id').get() as { id: string; code: string };
  const seq = ((core.sqlite.prepare('SELECT MAX(seq) FROM attestations').pluck().get() as number | null) ?? 0) + 1;
  const t = '2019-06-01T10:00:00.000Z';
  core.sqlite
    .prepare(
      `INSERT INTO attestations (id, office_id, serial, year, seq, kind, kind_version, applicant_id, issue_date, issued_at, issued_by_name,
         content_json, content_hash, qr_text, hours, created_at, updated_at)
       VALUES (?, ?, ?, 2019, ?, 'participation', 1, ?, '2019-06-01', ?, 'head1', ?, 'abc', ?, 24, ?, ?)`,
    )
    .run(uuidv7(), office.id, `${office.code}-2019-${String(seq).padStart(6, '0')}`, seq, applicantId, t, JSON.stringify({ name, hours: 24 }), `JISR1.${Buffer.from(name).toString('base64url')}.sig`, t, t);
}
