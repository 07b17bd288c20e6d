import { uuidv7 } from 'uuidv7';
import type { Core } from '../../src-main/core/core';

let serial = 0;

/**
 * Inserts applicants straight into the registry table (the NOT NULL columns and names), for tests of
 * the sessions feature that must not depend on the registry's API. Returns their ids.
 */
export function makeApplicants(core: Core, n: number, status = 'preselected', extra: { officeId?: string } = {}): string[] {
  const officeId =
    extra.officeId ?? (core.sqlite.prepare('SELECT office_id FROM installation WHERE id = 1').get() as { office_id: string }).office_id;
  const now = core.clock().toISOString();
  const ins = core.sqlite.prepare(
    `INSERT INTO applicants (id, office_id, file_no, first_name_ar, last_name_ar, first_name_lat, last_name_lat, sex, consent_status,
                             status, status_changed_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'F', 'given', ?, ?, ?, ?)`,
  );
  const ids: string[] = [];
  core.sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const id = uuidv7();
      serial++;
      ins.run(id, officeId, `TST-2026-${String(serial).padStart(6, '0')}`, 'فاطمة', `العلوي ${serial}`, 'Fatima', `Alaoui ${serial}`, status, now, now, now);
      ids.push(id);
    }
  })();
  return ids;
}
