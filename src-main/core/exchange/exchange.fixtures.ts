import { createHash } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { Sqlite } from '../db/connection';
import { recordChange } from '../changes/changes.repo';
import { writable } from '../db/handles';

/**
 * Test and bench fixtures of the exchange: applicants with situations and status history written the way the
 * registry writes them (a change number per write), edits, anonymisations and deletions, and a content hash of
 * a whole database. Independent of the registry's own seeder so the exchange can be tested on its own.
 */

/** A spread of statuses, so that the training seeder finds women to put in cohorts and mentoring. */
const STATUSES = ['registered', 'in_training', 'trained', 'in_incubation', 'financed', 'in_training'];
const FIRST = ['Fatima', 'Khadija', 'Aicha', 'Zahra', 'Meryem', 'Hafsa', 'Naima', 'Samira', 'Ilham', 'Touria'];
const FIRST_AR = ['فاطمة', 'خديجة', 'عائشة', 'الزهراء', 'مريم', 'حفصة', 'نعيمة', 'سميرة', 'إلهام', 'ثريا'];
const LAST = ['Amrani', 'Idrissi', 'Ouali', 'Bennani', 'Tazi', 'Alaoui', 'Lahlou', 'Ait Ali', 'Oubella', 'Hamdi'];
const LAST_AR = ['العمراني', 'الإدريسي', 'الوالي', 'بناني', 'التازي', 'العلوي', 'لحلو', 'آيت علي', 'أوبلة', 'حمدي'];

export interface FixturePerson {
  cin: string;
  first: number;
  last: number;
  birthDate: string;
  /** Names written otherwise than the tables above (matching tests: another spelling, one script only). */
  names?: { firstAr: string; lastAr: string; firstLat: string; lastLat: string };
}

function officeOf(db: Sqlite): { id: string; code: string; province: string | null } {
  return db.prepare('SELECT o.id, o.code, o.province_code AS province FROM installation i JOIN offices o ON o.id = i.office_id').get() as {
    id: string;
    code: string;
    province: string | null;
  };
}

/** Inserts applicants (with situations and a status history row each), numbered through change_log. */
export function addApplicants(db: Sqlite, n: number, opts: { seed?: number; people?: FixturePerson[]; at?: string } = {}): string[] {
  const o = officeOf(db);
  const at = opts.at ?? '2026-03-01T10:00:00.000Z';
  const commune = db.prepare('SELECT code FROM communes WHERE province_code = ? LIMIT 1').pluck().get(o.province) as string | undefined;
  // Numbered after every applicant ever made here (deleted ones included), so file numbers are never reused.
  const start = (db.prepare(`SELECT COUNT(*) FROM change_log WHERE entity = 'applicants' AND op = 'insert'`).pluck().get() as number) + 1;
  const ins = db.prepare(
    `INSERT INTO applicants (id, office_id, file_no, cin, first_name_ar, last_name_ar, first_name_lat, last_name_lat, name_key_ar, name_key_lat,
       sex, birth_date, commune_code, consent_status, status, status_changed_at, created_at, updated_at, change_seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'F', ?, ?, 'given', ?, ?, ?, ?, ?)`,
  );
  const sit = db.prepare('INSERT INTO applicant_situations (applicant_id, code) VALUES (?, ?)');
  const hist = db.prepare(
    `INSERT INTO status_history (id, applicant_id, office_id, from_status, to_status, reason, at, user_name, created_at, updated_at, change_seq)
     VALUES (?, ?, ?, NULL, 'registered', '', ?, 'admin', ?, ?, ?)`,
  );
  const ids: string[] = [];
  const seed = opts.seed ?? 1;
  db.transaction(() => {
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const p = opts.people?.[k] ?? {
        cin: `${o.code.slice(0, 2)}${String(seed * 1_000_000 + i).padStart(7, '0')}`,
        first: (i * 7 + seed) % 10,
        last: (i * 3 + seed * 5) % 10,
        birthDate: `19${70 + ((i + seed) % 30)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 5 + seed) % 28)).padStart(2, '0')}`,
      };
      const id = uuidv7();
      const seq = recordChange(writable(db), 'applicants', id, 'insert', o.id, at);
      const fa = p.names?.firstAr ?? FIRST_AR[p.first];
      const la = p.names?.lastAr ?? LAST_AR[p.last];
      const fl = p.names?.firstLat ?? FIRST[p.first];
      const ll = p.names?.lastLat ?? LAST[p.last];
      ins.run(id, o.id, `${o.code}-FX-${String(i).padStart(6, '0')}`, p.cin, fa, la, fl, ll, `${fa} ${la}`.trim(), `${fl} ${ll}`.toLowerCase().trim(), p.birthDate, commune ?? null, STATUSES[i % STATUSES.length], at, at, at, seq);
      if (i % 3 === 0) sit.run(id, 'widow');
      if (i % 4 === 0) sit.run(id, 'precarity');
      const hid = uuidv7();
      hist.run(hid, id, o.id, at, at, at, recordChange(writable(db), 'status_history', hid, 'insert', o.id, at));
      ids.push(id);
    }
  })();
  return ids;
}

/** An edit as the registry makes it: a new change number, the row's change_seq, its situations replaced. */
export function editApplicant(db: Sqlite, id: string, phone: string, at = '2026-04-01T10:00:00.000Z'): void {
  const o = officeOf(db);
  const seq = recordChange(writable(db), 'applicants', id, 'update', o.id, at);
  db.prepare('UPDATE applicants SET phone = ?, updated_at = ?, change_seq = ? WHERE id = ?').run(phone, at, seq, id);
  db.prepare('DELETE FROM applicant_situations WHERE applicant_id = ?').run(id);
  db.prepare(`INSERT INTO applicant_situations (applicant_id, code) VALUES (?, 'neet')`).run(id);
}

export function anonymiseApplicant(db: Sqlite, id: string, at = '2026-04-02T10:00:00.000Z'): void {
  const o = officeOf(db);
  const seq = recordChange(writable(db), 'applicants', id, 'anonymise', o.id, at);
  db.prepare(
    `UPDATE applicants SET cin = NULL, first_name_ar = '', last_name_ar = '', first_name_lat = '', last_name_lat = '', name_key_ar = '', name_key_lat = '',
       phone = NULL, birth_date = NULL, anonymised_at = ?, updated_at = ?, change_seq = ? WHERE id = ?`,
  ).run(at, at, seq, id);
  db.prepare('DELETE FROM applicant_situations WHERE applicant_id = ?').run(id);
}

export function deleteApplicant(db: Sqlite, id: string, at = '2026-04-03T10:00:00.000Z'): void {
  const o = officeOf(db);
  for (const h of db.prepare('SELECT id FROM status_history WHERE applicant_id = ?').pluck().all(id) as string[]) {
    recordChange(writable(db), 'status_history', h, 'delete', o.id, at);
    db.prepare('DELETE FROM status_history WHERE id = ?').run(h);
  }
  recordChange(writable(db), 'applicants', id, 'delete', o.id, at);
  db.prepare('DELETE FROM applicant_situations WHERE applicant_id = ?').run(id);
  db.prepare('DELETE FROM applicants WHERE id = ?').run(id);
}

/** A hash of every row of every table (what "the database exactly as it was" means in the tests). */
export function contentHash(db: Sqlite, exclude: string[] = []): string {
  const h = createHash('sha256');
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[]).filter(
    (t) => !exclude.includes(t),
  );
  for (const t of tables) {
    h.update(`\u0000${t}\u0000`);
    // Without the audit trail, its head pointer (kept in settings) goes too.
    const where = t === 'settings' && exclude.includes('audit_log') ? ` WHERE key <> 'audit_head'` : '';
    const lines = (db.prepare(`SELECT * FROM "${t}"${where}`).raw(true).all() as unknown[][]).map((r) =>
      JSON.stringify(r, (_k, v) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('base64') : v)),
    );
    lines.sort();
    for (const l of lines) h.update(l + '\n');
  }
  return h.digest('hex');
}

/** Rows of one office in one table, as sorted JSON lines (to compare a province with the region). */
export function officeRows(db: Sqlite, table: string, officeId: string, omit: string[] = []): string[] {
  const cols = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).filter((c) => !omit.includes(c));
  return (db.prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${table}" WHERE office_id = ?`).raw(true).all(officeId) as unknown[][])
    .map((r) => JSON.stringify(r))
    .sort();
}
