import { createPrivateKey, createPublicKey } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { Sqlite } from '../db/connection';
import { fillContent } from './attestations.service';
import type { AttestationContent } from './pdf-render';
import { cinHash, signQr } from './qr-payload';
import { loadKinds, loadLayout, longDateAr, longDateFr, shortDate } from './templates';

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

/** A fixed Ed25519 key (from a constant seed): deterministic signatures for reference images and the bench. */
export function fixedKeyPair(seedByte = 7): { privateKey: string; publicKey: string } {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.alloc(32, seedByte)]);
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return {
    privateKey: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A filled attestation for an imaginary beneficiary of Errachidia, without a database. */
export function sampleContent(kindCode = 'participation', i = 0, serial = 'ERR-2026-000123'): { content: AttestationContent; qrText: string } {
  const layout = loadLayout();
  const kind = loadKinds().kinds.find((k) => k.code === kindCode)!;
  const applicant = {
    id: 'sample',
    office_id: 'office',
    file_no: `ERR-2026-${String(4500 + i).padStart(6, '0')}`,
    cin: `UA${String(123456 + i)}`,
    first_name_ar: i % 2 ? 'خديجة' : 'فاطمة الزهراء',
    last_name_ar: i % 3 ? 'أيت علي' : 'العلوي',
    first_name_lat: i % 2 ? 'Khadija' : 'Fatima Zahra',
    last_name_lat: i % 3 ? 'AIT ALI' : 'EL ALAOUI',
    sex: 'F' as const,
    birth_date: '1990-05-12',
    status: 'trained',
    project_sector: 'crafts',
    created_at: '2026-01-10T09:00:00Z',
    anonymised_at: null,
  };
  const vars = {
    fullNameAr: `${applicant.first_name_ar} ${applicant.last_name_ar}`,
    fullNameFr: `${applicant.first_name_lat} ${applicant.last_name_lat}`,
    cin: applicant.cin,
    birthDateAr: shortDate('1990-05-12'),
    birthDateFr: shortDate('1990-05-12'),
    fileNo: applicant.file_no,
    registeredOnAr: longDateAr('2026-01-10'),
    registeredOnFr: longDateFr('2026-01-10'),
    officeNameAr: 'المندوبية الإقليمية للتعاون الوطني بالرشيدية',
    officeNameFr: "Délégation provinciale de l'Entraide Nationale – Errachidia",
    officeAddressAr: 'شارع الحسن الثاني، الرشيدية',
    officeAddressFr: 'Avenue Hassan II, Errachidia',
    signatoryTitleAr: 'المندوب الإقليمي',
    signatoryTitleFr: 'Le Délégué provincial',
    placeAr: 'الرشيدية',
    placeFr: 'Errachidia',
    issueDateAr: longDateAr('2026-05-20'),
    issueDateFr: longDateFr('2026-05-20'),
    hours: 120 + (i % 7),
    attendanceRate: 92,
    periodFromAr: longDateAr('2026-01-05'),
    periodToAr: longDateAr('2026-05-12'),
    periodFromFr: longDateFr('2026-01-05'),
    periodToFr: longDateFr('2026-05-12'),
    sectorAr: 'الصناعة التقليدية',
    sectorFr: 'Artisanat',
    validatedOnAr: longDateAr('2026-05-02'),
    validatedOnFr: longDateFr('2026-05-02'),
  };
  const content = fillContent(layout, kind, applicant, vars, serial, '2026-05-20');
  const qrText = signQr(
    { serial, kind: kindCode, name: vars.fullNameFr, cinHash: cinHash(applicant.cin!, serial), issueDate: '2026-05-20', hours: vars.hours },
    fixedKeyPair().privateKey,
  );
  return { content, qrText };
}
