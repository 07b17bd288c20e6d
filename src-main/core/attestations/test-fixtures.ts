import { uuidv7 } from 'uuidv7';
import type { Sqlite } from '../db/connection';

/** Raw rows for tests and the bench: an applicant with a cohort, sessions and attendance. */

export interface FixtureApplicant {
  cin?: string | null;
  firstNameAr?: string;
  lastNameAr?: string;
  firstNameLat?: string;
  lastNameLat?: string;
  sex?: 'F' | 'M';
  birthDate?: string | null;
  status?: string;
  sector?: string | null;
  createdAt?: string;
}

let fileCounter = 0;

export function officeId(sqlite: Sqlite): string {
  return (sqlite.prepare('SELECT office_id FROM installation WHERE id = 1').get() as { office_id: string }).office_id;
}

export function insertApplicant(sqlite: Sqlite, a: FixtureApplicant = {}): string {
  const id = uuidv7();
  const office = officeId(sqlite);
  const at = a.createdAt ?? '2026-01-10T09:00:00.000Z';
  sqlite
    .prepare(
      `INSERT INTO applicants (id, office_id, file_no, cin, first_name_ar, last_name_ar, first_name_lat, last_name_lat, sex, birth_date,
         consent_status, status, status_changed_at, project_sector, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'given', ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      office,
      `T-${process.pid}-${++fileCounter}-${id.slice(-6)}`,
      a.cin === undefined ? `U${100000 + fileCounter}` : a.cin,
      a.firstNameAr ?? 'فاطمة الزهراء',
      a.lastNameAr ?? 'العلوي',
      a.firstNameLat ?? 'Fatima Zahra',
      a.lastNameLat ?? 'El Alaoui',
      a.sex ?? 'F',
      a.birthDate === undefined ? '1990-05-12' : a.birthDate,
      a.status ?? 'in_training',
      at,
      a.sector === undefined ? 'crafts' : a.sector,
      at,
      at,
    );
  return id;
}

export function insertCohort(sqlite: Sqlite, name = 'Cohorte Errachidia 1'): { cohortId: string; organisationId: string } {
  const office = officeId(sqlite);
  const province = (sqlite.prepare('SELECT province_code FROM offices WHERE id = ?').get(office) as { province_code: string | null }).province_code ?? '08.201';
  const organisationId = uuidv7();
  const cohortId = uuidv7();
  const at = '2026-01-01T00:00:00.000Z';
  sqlite
    .prepare(`INSERT INTO organisations (id, office_id, kind, province_code, name_ar, name_fr, created_at, updated_at) VALUES (?, ?, 'incubator', ?, 'جمعية', 'Association', ?, ?)`)
    .run(organisationId, office, province, at, at);
  sqlite
    .prepare(`INSERT INTO cohorts (id, office_id, organisation_id, name, start_date, created_at, updated_at) VALUES (?, ?, ?, ?, '2026-01-05', ?, ?)`)
    .run(cohortId, office, organisationId, name, at, at);
  return { cohortId, organisationId };
}

export function enrol(sqlite: Sqlite, cohortId: string, applicantId: string): void {
  const at = '2026-01-05T00:00:00.000Z';
  sqlite
    .prepare(`INSERT INTO cohort_members (id, office_id, cohort_id, applicant_id, enrolled_at, created_at, updated_at) VALUES (?, ?, ?, ?, '2026-01-05', ?, ?)`)
    .run(uuidv7(), officeId(sqlite), cohortId, applicantId, at, at);
}

/** Group sessions of `minutes` each on consecutive days from 2026-01-05; returns their ids. */
export function insertSessions(sqlite: Sqlite, c: { cohortId: string; organisationId: string }, count: number, minutes = 180): string[] {
  const ids: string[] = [];
  const at = '2026-01-05T00:00:00.000Z';
  const ins = sqlite.prepare(
    `INSERT INTO training_sessions (id, office_id, kind, date, duration_min, topic_code, organisation_id, cohort_id, created_at, updated_at)
     VALUES (?, ?, 'group_training', ?, ?, 'entrepreneurship', ?, ?, ?, ?)`,
  );
  for (let i = 0; i < count; i++) {
    const id = uuidv7();
    const d = new Date(Date.UTC(2026, 0, 5 + i)).toISOString().slice(0, 10);
    ins.run(id, officeId(sqlite), d, minutes, c.organisationId, c.cohortId, at, at);
    ids.push(id);
  }
  return ids;
}

export function attend(sqlite: Sqlite, sessionIds: string[], applicantId: string, present: number): void {
  const at = '2026-01-05T00:00:00.000Z';
  const ins = sqlite.prepare(`INSERT INTO attendance (id, office_id, session_id, applicant_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  sessionIds.forEach((s, i) => ins.run(uuidv7(), officeId(sqlite), s, applicantId, i < present ? 'present' : 'absent', at, at));
}

/** An applicant enrolled in a cohort with `present` of `sessions` 3-hour sessions attended. */
export function participant(sqlite: Sqlite, c: { cohortId: string; organisationId: string }, sessionIds: string[], present: number, a: FixtureApplicant = {}): string {
  const id = insertApplicant(sqlite, a);
  enrol(sqlite, c.cohortId, id);
  attend(sqlite, sessionIds, id, present);
  return id;
}
