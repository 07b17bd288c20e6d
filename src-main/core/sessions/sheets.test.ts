import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { setupOffice, tempCore } from '../../../tests/helpers/core';
import { insertApplicant, insertCohort, officeId } from '../attestations/test-fixtures';
import { SYNC_TABLES, unregisteredSyncTables } from '../exchange/registry';
import { translateError } from '../../shared/i18n/translate-error';
import { runCli } from '../../cli/run-cli';
import type { Core } from '../core';

/** Attendance sheets (one session, a week) and signed sheets attached through the upload flow (issue 14). */
const clock = () => new Date('2026-03-02T10:00:00Z');

describe('attendance sheets and signed sheets', () => {
  const core = tempCore({ clock });
  let token: string;
  let c: { cohortId: string; organisationId: string };
  const sessions: string[] = [];
  const people: Record<string, string> = {};

  function session(date: string, start: string, end: string, minutes: number) {
    const id = uuidv7();
    core.sqlite
      .prepare(
        `INSERT INTO training_sessions (id, office_id, kind, date, start_time, end_time, duration_min, topic_code, place, organisation_id, cohort_id, created_at, updated_at)
         VALUES (?, ?, 'group_training', ?, ?, ?, ?, 'business_plan', 'Centre culturel Moulay Ali Cherif', ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
      )
      .run(id, officeId(core.sqlite), date, start, end, minutes, c.organisationId, c.cohortId);
    sessions.push(id);
    return id;
  }
  function member(id: string, enrolledAt: string, withdrawnAt: string | null = null) {
    core.sqlite
      .prepare(
        `INSERT INTO cohort_members (id, office_id, cohort_id, applicant_id, enrolled_at, withdrawn_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
      )
      .run(uuidv7(), officeId(core.sqlite), c.cohortId, id, enrolledAt, withdrawnAt);
  }
  const pdfText = (fileId: string) => execFileSync('pdftotext', ['-layout', core.outbox.get(fileId)!.path, '-'], { encoding: 'utf8' });
  const pages = (fileId: string) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [core.outbox.get(fileId)!.path], { encoding: 'utf8' }))![1]);

  beforeAll(async () => {
    ({ token } = await setupOffice(core));
    c = insertCohort(core.sqlite, 'Cohorte Errachidia Printemps');
    people.khadija = insertApplicant(core.sqlite, { firstNameLat: 'Khadija', lastNameLat: 'Ouali', firstNameAr: 'خديجة', lastNameAr: 'الوالي' });
    people.late = insertApplicant(core.sqlite, { firstNameLat: 'Hafsa', lastNameLat: 'Latecomer', firstNameAr: 'حفصة', lastNameAr: 'المتأخرة' });
    people.left = insertApplicant(core.sqlite, { firstNameLat: 'Salma', lastNameLat: 'Withdrawn', firstNameAr: 'سلمى', lastNameAr: 'المنسحبة' });
    member(people.khadija, '2026-01-05');
    member(people.late, '2026-03-04');
    member(people.left, '2026-01-05', '2026-03-03');
    session('2026-03-02', '09:00', '12:00', 180);
    session('2026-03-04', '14:00', '16:30', 150);
    session('2026-03-06', '09:00', '12:00', 180);
    session('2026-03-12', '09:00', '12:00', 180); // next week
  });
  afterAll(() => core.dispose());

  it('prints one session: header, cohort, times, topic, and the women expected that day in both scripts', async () => {
    const r = await core.invoke('sessions.sheet', { sessionId: sessions[0] }, { token });
    expect(r.sessions).toBe(1);
    expect(readFileSync(core.outbox.get(r.fileId)!.path).subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(r.fileId);
    expect(text).toContain('FEUILLE DE PRÉSENCE');
    expect(text).toContain('Cohorte Errachidia Printemps');
    expect(text).toContain('de 09:00 à 12:00');
    expect(text).toContain("Plan d'affaires");
    expect(text).toContain('Khadija OUALI');
    expect(text).toContain('Salma WITHDRAWN'); // withdrawn on 03-03: still expected on 03-02
    expect(text).not.toContain('Hafsa'); // enrolled on 03-04
    writeFileSync('/tmp/h14/one-sheet.pdf', readFileSync(core.outbox.get(r.fileId)!.path));
    expect(pages(r.fileId)).toBe(1);
  });

  it('prints a whole week, one sheet per session, enrolment applied per day', async () => {
    const r = await core.invoke('sessions.sheet', { from: '2026-03-02', to: '2026-03-08' }, { token });
    expect(r.sessions).toBe(3);
    expect(pages(r.fileId)).toBe(3);
    const text = pdfText(r.fileId);
    const perPage = text.split('\f');
    expect(perPage[1]).toContain('Hafsa LATECOMER');
    expect(perPage[1]).not.toContain('Salma');
    expect(text).toContain('de 14:00 à 16:30');
    writeFileSync('/tmp/h14/week-sheets.pdf', readFileSync(core.outbox.get(r.fileId)!.path));
    const bad = await core.call('sessions.sheet', { from: '2026-03-08', to: '2026-03-02' }, { token });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('session.sheet_range');
      expect(translateError(bad.error, 'ar')).toContain('31');
    }
    const none = await core.call('sessions.sheet', { from: '2026-04-01', to: '2026-04-07' }, { token });
    expect(!none.ok && none.error.code).toBe('session.sheet_none');
  });

  it('attaches the signed sheet through the upload flow only, keeps it in the database, and opens it', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
    const up = core.outbox.put('../../scan séance 2 mars.png', 'application/octet-stream', png);
    const a = await core.invoke('sessions.attachSheet', { sessionId: sessions[0], uploadId: up.id }, { token });
    expect(a).toMatchObject({ sessionId: sessions[0], mime: 'image/png', size: png.length, fileName: 'scan séance 2 mars.png' });
    expect(await core.invoke('sessions.attachments', { sessionId: sessions[0] }, { token })).toEqual([a]);
    const opened = await core.invoke('sessions.openAttachment', { id: a.id }, { token });
    expect(readFileSync(core.outbox.get(opened.fileId)!.path).equals(png)).toBe(true);
    // Stored in the database itself: in every backup with the data.
    expect((core.sqlite.prepare('SELECT data FROM session_attachments WHERE id = ?').get(a.id) as { data: Buffer }).data.equals(png)).toBe(true);
    const audit = core.sqlite.prepare("SELECT changes FROM audit_log WHERE entity = 'session_attachments'").pluck().get() as string;
    expect(JSON.parse(audit).file_name).toEqual([null, 'scan séance 2 mars.png']);

    // Refusals: the same file twice, a file that is neither PDF nor image, an unknown upload, a path.
    expect((await core.call('sessions.attachSheet', { sessionId: sessions[0], uploadId: up.id }, { token })).ok).toBe(false);
    const txt = core.outbox.put('notes.pdf', 'application/pdf', Buffer.from('not really a pdf'));
    const r = await core.call('sessions.attachSheet', { sessionId: sessions[0], uploadId: txt.id }, { token });
    expect(!r.ok && r.error.code).toBe('session.attachment_type');
    const gone = await core.call('sessions.attachSheet', { sessionId: sessions[0], uploadId: 'nonexistent-upload' }, { token });
    expect(!gone.ok && gone.error.code).toBe('session.upload_not_found');
    const path = await core.call('sessions.attachSheet', { sessionId: sessions[0], path: join(core.dir, 'jisr.db') } as never, { token });
    expect(!path.ok && path.error.code).toBe('validation.failed');
  });

  it('the command line prints a week and attaches a scan (read by the CLI, handed over as an upload)', async () => {
    const run = async (args: string[]) => {
      const out: string[] = [];
      const code = await runCli(args, { io: { out: (l) => out.push(l), err: (l) => out.push(l), stdin: async () => '' }, open: () => ({ ...core, close: async () => undefined }) as Core });
      return { code, json: JSON.parse(out[0] ?? '{}') };
    };
    const pdf = join(core.dir, 'week.pdf');
    const week = await run(['session', 'sheet', '--db', 'x', '--from', '2026-03-02', '--to', '2026-03-08', '--out', pdf]);
    expect(week).toMatchObject({ code: 0, json: { sessions: 3 } });
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const attached = await run(['session', 'attach', '--db', 'x', '--id', sessions[1], '--file', pdf]);
    expect(attached).toMatchObject({ code: 0, json: { mime: 'application/pdf', fileName: 'week.pdf' } });
  });

  it('never goes to the region: not an exchanged table, and not mistaken for one', () => {
    expect(SYNC_TABLES.some((t) => t.table === 'session_attachments')).toBe(false);
    expect(unregisteredSyncTables(core.sqlite)).toEqual([]);
  });
});
