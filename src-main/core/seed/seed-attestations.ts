// Seeder of the attestations feature: participation attestations for about half of the cohort members who meet
// the criteria, completion attestations for validated projects, and a few revocations, numbered and signed as
// the app does (same service functions), in the caller's transaction. Capped so that seeding stays quick.
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../changes/changes.repo';
import type { Office } from '../db/schema';
import { insertAttestation, markRevoked, signingKey } from '../attestations/attestations.repo';
import { localDate, makeIssued, prepare } from '../attestations/attestations.service';
import { nextSerial } from '../attestations/serials';
import { seeders, type Seeder } from './seed';
import { readable, writable } from '../db/handles';
import { findApplicant } from '../applicants/applicants.repo';
import { summariesAfter } from '../reports/summaries-bulk';

const MAX_ISSUED = 1500;

export const attestationsSeeder: Seeder = summariesAfter({
  name: 'attestations',
  run(core, _opts, rng): Record<string, number> {
    const db = core.sqlite;
    const office = db.prepare('SELECT o.* FROM installation i JOIN offices o ON o.id = i.office_id').get() as Office | undefined;
    const key = signingKey(db);
    const hasCohorts = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cohort_members'").get();
    if (!office || !key || !hasCohorts) return {};
    const issueDate = localDate(core.clock());
    const now = core.clock().toISOString();
    const candidates = db
      .prepare(
        `SELECT DISTINCT m.applicant_id AS id, a.status AS status FROM cohort_members m JOIN applicants a ON a.id = m.applicant_id
          WHERE m.withdrawn_at IS NULL AND a.anonymised_at IS NULL
            AND a.status IN ('trained', 'in_incubation', 'project_validated', 'financed', 'followed_up')
          ORDER BY m.applicant_id LIMIT ?`,
      )
      .all(MAX_ISSUED * 3) as { id: string; status: string }[];
    let issued = 0;
    let revoked = 0;
    const issue = (applicantId: string, kind: string) => {
      const p = prepare(readable(db), core.dbPath, office, findApplicant(readable(db), applicantId)!, kind, issueDate);
      if (!p.eligibility.eligible) return false;
      const year = Number(issueDate.slice(0, 4));
      const { serial, seq } = nextSerial(writable(db), office, year, kind);
      const c = makeIssued(p, serial, issueDate, key);
      const id = uuidv7();
      insertAttestation(writable(db), {
        id,
        office_id: office.id,
        serial,
        year,
        seq,
        kind,
        kind_version: p.kind.version,
        applicant_id: applicantId,
        issue_date: issueDate,
        issued_at: now,
        issued_by: null,
        issued_by_name: 'seed',
        content_json: c.contentJson,
        content_hash: c.contentHash,
        qr_text: c.qrText,
        hours: p.facts.hours,
        status: 'valid',
        revoked_at: null,
        revoked_by: null,
        revoke_reason: null,
        print_count: 1 + (rng() < 0.1 ? 1 : 0),
        last_printed_at: now,
        batch_id: null,
        replaced_by: null,
        replaced_at: null,
        replaces: null,
        created_at: now,
        updated_at: now,
        change_seq: recordChange(writable(db), 'attestations', id, 'insert', office.id, now),
      });
      issued++;
      if (rng() < 0.01) {
        markRevoked(writable(db), id, now, 'seed', 'Erreur matérielle, attestation remplacée', recordChange(writable(db), 'attestations', id, 'update', office.id, now));
        revoked++;
      }
      return true;
    };
    for (const c of candidates) {
      if (issued >= MAX_ISSUED) break;
      if (rng() < 0.5) issue(c.id, 'participation');
      if (['project_validated', 'financed', 'followed_up'].includes(c.status) && rng() < 0.5) issue(c.id, 'completion');
    }
    return { attestations: issued, attestationsRevoked: revoked };
  },
});

seeders.push(attestationsSeeder);
