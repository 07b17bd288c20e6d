import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { setupOffice, tempCore, userToken } from '../helpers/core';
import { appendAudit } from '../../src-main/core/audit/audit.repo';
import { runCli } from '../../src-main/cli/run-cli';
import { classifyColumn } from '../../src-main/core/security/processing-description';
import { userTables, columnsOf } from '../../src-main/core/security/repo/linked-tables.repo';
import { addSessions, addStatusHistory, communesOf, insertApplicant } from './security-fixtures';

const cores: ReturnType<typeof tempCore>[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose().catch(() => undefined);
});

/** The audit rows a registry edit writes (the registry is another helper's; its rows look like this). */
function auditEdit(core: ReturnType<typeof tempCore>, applicantId: string, changes: Record<string, [unknown, unknown]>) {
  core.sqlite.transaction(() =>
    appendAudit(core.sqlite, [
      { at: new Date().toISOString(), actor_kind: 'user', actor_id: null, actor_name: 'agent1', method: 'applicants.update', entity: 'applicants', entity_id: applicantId, changes: JSON.stringify(changes) },
    ]),
  )();
}

async function twoWomen() {
  const core = tempCore();
  cores.push(core);
  const { token: admin } = await setupOffice(core);
  const head = await userToken(core, admin, 'head1', 'office_head');
  const [c1, c2] = communesOf(core, 2);
  const her = insertApplicant(core, {
    first_name_lat: 'Khadija', last_name_lat: 'Ait Baha', first_name_ar: 'خديجة', last_name_ar: 'آيت باها', cin: 'JK123456', phone: '+212661112233', commune_code: c1,
    has_disability: 1, disability_card_number: 'HC-4455',
  });
  const other = insertApplicant(core, {
    first_name_lat: 'Zineb', last_name_lat: 'Bennani', first_name_ar: 'زينب', last_name_ar: 'بناني', cin: 'ZB987654', phone: '+212677998877', commune_code: c2, address: 'Rue des Roses 9',
  });
  core.sqlite.prepare(`INSERT INTO applicant_situations (applicant_id, code) VALUES (?, 'violence_victim'), (?, 'widow')`).run(her.id, other.id);
  core.sqlite.prepare(`INSERT INTO applicant_disabilities (applicant_id, code) VALUES (?, 'motor')`).run(her.id);
  addStatusHistory(core, her.id, 'oriented', 'Orientée vers l’incubateur', '2019-04-01T10:00:00.000Z');
  addStatusHistory(core, other.id, 'oriented', 'Raison de Zineb', '2019-04-01T10:00:00.000Z');
  addSessions(core, her.id, { notes: 'Suivi de Khadija' });
  addSessions(core, other.id, { notes: 'Suivi de Zineb', attendanceNote: 'Zineb absente excusée' });
  const office = core.sqlite.prepare('SELECT office_id FROM installation').pluck().get() as string;
  const t = '2019-03-02T10:00:00.000Z';
  core.sqlite
    .prepare(`INSERT INTO duplicate_decisions (id, applicant_id, other_id, decision, at, user_name, office_id, created_at, updated_at) VALUES (?, ?, ?, 'distinct', ?, 'agent1', ?, ?, ?)`)
    .run(uuidv7(), other.id, her.id, t, office, t, t);
  auditEdit(core, her.id, { phone: ['+212600000000', '+212661112233'] });
  auditEdit(core, other.id, { last_name_lat: ['Benani', 'Bennani'], phone: ['+212600000001', '+212677998877'] });
  return { core, head, her, other };
}

const ZINEB = ['Zineb', 'Bennani', 'Benani', 'ZB987654', '677998877', 'Rue des Roses', 'زينب', 'بناني', 'Raison de Zineb', 'Suivi de Zineb', 'excusée', '+212600000001'];

describe('access requests (law 09-08, right of access)', () => {
  it('JSON: everything about her — file, situations, disabilities, path, sessions, audit — and nothing about anyone else', async () => {
    const { core, head, her, other } = await twoWomen();
    const r = await core.invoke('dataProtection.accessRequest', { applicantId: her.id, format: 'json' }, { token: head });
    expect(r.file.mime).toBe('application/json');
    const text = readFileSync(core.outbox.get(r.file.id)!.path, 'utf8');
    const d = JSON.parse(text);
    expect(d.applicant).toMatchObject({ id: her.id, cin: 'JK123456', first_name_lat: 'Khadija', disability_card_number: 'HC-4455' });
    expect(d.related.applicant_situations).toEqual([{ applicant_id: her.id, code: 'violence_victim' }]);
    expect(d.related.applicant_disabilities).toEqual([{ applicant_id: her.id, code: 'motor' }]);
    expect(d.related.status_history[0]).toMatchObject({ to_status: 'oriented', reason: 'Orientée vers l’incubateur' });
    expect(d.related.training_sessions[0]).toMatchObject({ kind: 'mentoring', notes: 'Suivi de Khadija' });
    expect(d.related.attendance).toHaveLength(1);
    expect(d.context.training_sessions[0]).toMatchObject({ kind: 'group_training', topic_code: 'entrepreneurship' });
    expect(d.related.duplicate_decisions).toHaveLength(1);
    expect(d.audit.map((a: { changes: unknown }) => a.changes)).toContainEqual({ phone: ['+212600000000', '+212661112233'] });
    for (const s of ZINEB) expect([s, text.includes(s)]).toEqual([s, false]);
    // Her only link to the other file is its id in the duplicate decision.
    expect(text.split(other.id).length - 1).toBe(1);
    expect(r.summary).toMatchObject({ applicant_situations: 1, status_history: 1, attendance: 1 });
    // The access request itself is audited.
    const a = core.sqlite.prepare(`SELECT actor_name, changes FROM audit_log WHERE method = 'dataProtection.accessRequest' AND entity_id = ?`).get(her.id);
    expect(a).toEqual({ actor_name: 'head1', changes: '{"access_request":[null,"json"]}' });
  });

  it('PDF: a readable document with her data (pdftotext), not the other woman’s', async () => {
    const { core, head, her } = await twoWomen();
    const r = await core.invoke('dataProtection.accessRequest', { applicantId: her.id, format: 'pdf' }, { token: head });
    const path = core.outbox.get(r.file.id)!.path;
    const pdf = readFileSync(path);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    for (const s of [her.fileNo, 'Khadija', 'JK123456', 'HC-4455', 'Victime de violence', 'Orientée', 'Suivi de Khadija', 'Demande d’accès', 'Moteur', 'Personne en situation de handicap']) {
      expect([s, text.includes(s)]).toEqual([s, true]);
    }
    for (const s of ZINEB) expect([s, text.includes(s)]).toEqual([s, false]);
  });

  it('PDF: plain words only (issue 15) — labels as the form names them, values in words, dates dd/mm/yyyy, no internal identifier', async () => {
    const { core, head, her } = await twoWomen();
    const r = await core.invoke('dataProtection.accessRequest', { applicantId: her.id, format: 'pdf' }, { token: head });
    const path = core.outbox.get(r.file.id)!.path;
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    // The registration form's labels, in its order, and values in words.
    const order = ['N° de CIN', 'Sexe', 'Date de naissance', 'Téléphone', 'Commune', 'Personne en situation de handicap', 'Type de handicap'];
    const at = order.map((l) => text.indexOf(l));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toMatch(/Personne en situation de handicap\s+Oui/);
    expect(text).toMatch(/Sexe\s+Femme/);
    // No column names, codes, flags, identifiers, ISO timestamps or 0/1.
    const internal = [
      /\b[a-z]+_[a-z_]+\b/, // snake_case (cin_format_ok, name_skel, is_project_holder, violence_victim …)
      /\b[a-z]+[A-Z][a-zA-Z]+\b/, // camelCase
      /\b[a-z]+\.[a-z][a-zA-Z]+\b/, // method names (applicants.update)
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/i, // UUIDs
      /\d{4}-\d{2}-\d{2}/, // ISO dates
      /\b(true|false|null|undefined)\b/,
    ];
    for (const re of internal) expect([String(re), re.exec(text)?.[0] ?? null]).toEqual([String(re), null]);
    for (const id of [her.id]) expect(text.includes(id)).toBe(false);
    expect(text).not.toMatch(/(?<![\p{L}\d/,.])[01](?![\d/,.])\s*$/mu);
    // Arabic first, then French; the programme named exactly.
    expect(text.indexOf('Demande d’accès')).toBeGreaterThan(0);
    expect(text).toContain("Jisr pour l'autonomisation et le leadership");
  });

  it('an unknown file is a coded error; the CLI writes the file to --out', async () => {
    const { core, head, her } = await twoWomen();
    expect(await core.call('dataProtection.accessRequest', { applicantId: 'nope', format: 'json' }, { token: head })).toMatchObject({
      ok: false,
      error: { code: 'dataProtection.applicant_not_found' },
    });
    const dbPath = core.dbPath;
    await core.close();
    const out = join(core.dir, 'acces.json');
    const lines: string[] = [];
    const err: string[] = [];
    const code = await runCli(['access-request', '--db', dbPath, '--applicant', her.id, '--format', 'json', '--out', out], {
      io: { stdin: async () => '', out: (l) => lines.push(l), err: (l) => err.push(l) },
    });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).subject.fileNo).toBe(her.fileNo);
  });
});

describe('CNDP processing description', () => {
  it('classifies every column of the schema and writes Markdown, JSON and PDF', async () => {
    const { core, head } = await twoWomen();
    const md = await core.invoke('dataProtection.processingDescription', { format: 'md' }, { token: head });
    const text = readFileSync(core.outbox.get(md.file.id)!.path, 'utf8');
    expect(text).toContain('applicants.cin');
    expect(text).toContain('Finalités');
    expect(text).toContain('ans après la clôture');
    const d = md.description as { categories: { class: string; columns: string[] }[]; unclassified: string[] };
    const cls = (c: string) => d.categories.find((x) => x.columns.includes(c))?.class;
    expect(cls('applicants.cin')).toBe('identity');
    expect(cls('applicants.phone')).toBe('contact');
    expect(cls('applicants.has_disability')).toBe('sensitive_health');
    expect(cls('applicant_disabilities.code')).toBe('sensitive_health');
    expect(cls('applicant_situations.code')).toBe('sensitive_other');
    expect(cls('users.password_hash')).toBe('security');
    expect(cls('applicants.status')).toBe('programme');
    // Every column of the registry is classified (a new personal field must be added to the mapping).
    for (const t of userTables(core.sqlite).filter((x) => /^applicant/.test(x))) {
      for (const c of columnsOf(core.sqlite, t)) expect([t, c.name, classifyColumn(t, c.name)]).not.toEqual([t, c.name, 'unclassified']);
    }
    const pdf = await core.invoke('dataProtection.processingDescription', { format: 'pdf' }, { token: head });
    const p = core.outbox.get(pdf.file.id)!.path;
    const ptext = execFileSync('pdftotext', [p, '-'], { encoding: 'utf8' });
    expect(ptext).toContain('Description du traitement');
    expect(ptext).toContain('Mesures de sécurité');
    const json = await core.invoke('dataProtection.processingDescription', { format: 'json' }, { token: head });
    expect(JSON.parse(readFileSync(core.outbox.get(json.file.id)!.path, 'utf8')).retention.closedFilesYears).toBe(5);
  });
});
