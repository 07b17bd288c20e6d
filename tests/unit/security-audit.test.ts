import { afterEach, describe, expect, it } from 'vitest';
import { setupOffice, tempCore, userToken } from '../helpers/core';
import { createCore } from '../../src-main/core/core';
import { runCli } from '../../src-main/cli/run-cli';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { auditHash, verifyAudit } from '../../src-main/core/audit/audit.repo';
import { METHOD_NAMES } from '../../src-main/shared/api/contract';
import { handlers } from '../../src-main/core/handlers';
import { commands } from '../../src-main/cli/commands';
import { communesOf } from './security-fixtures';

const cores: ReturnType<typeof tempCore>[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose().catch(() => undefined);
});

/** An office with a few dozen audit rows from different users and methods. */
async function busyOffice(clock?: () => Date) {
  const core = tempCore({ clock });
  cores.push(core);
  const { token: admin } = await setupOffice(core);
  const head = await userToken(core, admin, 'head1', 'office_head');
  await userToken(core, admin, 'agent1', 'agent');
  await core.invoke('users.setLanguage', { language: 'fr' }, { token: head });
  await core.invoke('settings.update', {
    nameAr: 'مكتب الرشيدية', nameFr: 'Bureau provincial d’Errachidia', addressAr: '', addressFr: 'Avenue Moulay Ali Cherif', signatoryTitleAr: 'رئيس المكتب', signatoryTitleFr: 'Le chef du bureau',
  }, { token: head });
  await core.call('auth.login', { username: 'agent1', password: 'wrong-password-1' });
  return { core, admin, head };
}

/** What an attacker with the database file does first: remove the append-only triggers. */
function dropTriggers(core: ReturnType<typeof tempCore>) {
  core.sqlite.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

async function cliVerify(dbPath: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['audit', 'verify', '--db', dbPath], { io: { stdin: async () => '', out: (l) => out.push(l), err: (l) => err.push(l) } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('tamper-evident audit trail', () => {
  it('the triggers refuse UPDATE and DELETE', async () => {
    const { core } = await busyOffice();
    expect(() => core.sqlite.prepare(`UPDATE audit_log SET actor_name = 'x' WHERE id = 1`).run()).toThrow(/append-only/);
    expect(() => core.sqlite.prepare(`DELETE FROM audit_log WHERE id = 1`).run()).toThrow(/append-only/);
  });

  it('detects an edited row (API, CLI)', async () => {
    const { core, head } = await busyOffice();
    expect(await core.invoke('audit.verify', {}, { token: head })).toMatchObject({ ok: true, firstBad: null });
    const n = core.sqlite.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number;
    expect(n).toBeGreaterThan(6);
    dropTriggers(core);
    // Hide who changed the office settings.
    const id = core.sqlite.prepare(`SELECT id FROM audit_log WHERE method = 'settings.update'`).pluck().get() as number;
    core.sqlite.prepare(`UPDATE audit_log SET actor_name = 'agent1' WHERE id = ?`).run(id);
    expect(await core.invoke('audit.verify', {}, { token: head })).toMatchObject({ ok: false, firstBad: { id, reason: 'edited' } });
    const dbPath = core.dbPath;
    await core.close();
    const r = await cliVerify(dbPath);
    expect(r.code).toBe(1);
    expect(r.err).toContain('audit.chain_broken');
    expect(r.err).toContain(`"id":${id}`);
  });

  it('detects an edit that re-computes the row hash (the next link breaks)', async () => {
    const { core } = await busyOffice();
    dropTriggers(core);
    const row = core.sqlite.prepare('SELECT * FROM audit_log WHERE id = 3').get() as Parameters<typeof auditHash>[1] & { prev_hash: string };
    const forged = { ...row, changes: '{"role":[null,"agent"]}' };
    core.sqlite.prepare('UPDATE audit_log SET changes = ?, hash = ? WHERE id = 3').run(forged.changes, auditHash(row.prev_hash, forged));
    expect(verifyAudit(core.sqlite)).toMatchObject({ ok: false, firstBad: { id: 4, reason: 'relinked' } });
  });

  it('detects a deleted row', async () => {
    const { core } = await busyOffice();
    dropTriggers(core);
    core.sqlite.prepare('DELETE FROM audit_log WHERE id = 4').run();
    expect(verifyAudit(core.sqlite)).toMatchObject({ ok: false, firstBad: { id: 4, reason: 'missing' } });
    const dbPath = core.dbPath;
    await core.close();
    expect((await cliVerify(dbPath)).code).toBe(1);
  });

  it('detects a truncated tail (the audit_head anchor)', async () => {
    const { core } = await busyOffice();
    const n = core.sqlite.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number;
    dropTriggers(core);
    core.sqlite.prepare('DELETE FROM audit_log WHERE id > ?').run(n - 2);
    const v = verifyAudit(core.sqlite);
    expect(v).toMatchObject({ ok: false, firstBad: { reason: 'head_mismatch' } });
    expect(v.rows).toBe(n - 2);
    // Deleting every row is caught too.
    core.sqlite.prepare('DELETE FROM audit_log').run();
    expect(verifyAudit(core.sqlite)).toMatchObject({ ok: false, firstBad: { reason: 'head_mismatch' } });
  });

  it('a chain rewritten with its head passes the chain check but not the backup anchors', async () => {
    const { core, head, admin } = await busyOffice();
    mkdirSync(join(core.dir, 'usb'));
    await core.invoke('backup.updateSettings', { folder: join(core.dir, 'usb'), passphrase: 'anchor passphrase 1' }, { token: admin });
    await core.invoke('backup.create', {}, { token: head });
    expect(await core.invoke('audit.verify', {}, { token: head })).toMatchObject({ ok: true, anchors: { checked: 1, mismatches: [] } });
    // The attacker rewrites row 3 and every later hash, and moves the head in settings.
    dropTriggers(core);
    const rows = core.sqlite.prepare('SELECT * FROM audit_log ORDER BY id').all() as (Parameters<typeof auditHash>[1] & { prev_hash: string; hash: string })[];
    let prev = rows[1].hash;
    for (const r of rows.slice(2)) {
      const changes = r.id === 3 ? '{"role":[null,"agent"]}' : r.changes;
      const hash = auditHash(prev, { ...r, changes });
      core.sqlite.prepare('UPDATE audit_log SET changes = ?, prev_hash = ?, hash = ? WHERE id = ?').run(changes, prev, hash, r.id);
      prev = hash;
    }
    core.sqlite.prepare(`UPDATE settings SET value = ? WHERE key = 'audit_head'`).run(JSON.stringify({ id: rows.at(-1)!.id, hash: prev }));
    expect(verifyAudit(core.sqlite).ok).toBe(true); // the chain alone cannot see it
    const v = await core.invoke('audit.verify', {}, { token: head });
    expect(v.ok).toBe(false);
    expect(v.anchors.mismatches).toHaveLength(1);
    const dbPath = core.dbPath;
    await core.close();
    const err: string[] = [];
    const code = await runCli(['audit', 'anchors', '--db', dbPath], { io: { stdin: async () => '', out: () => undefined, err: (l) => err.push(l) } });
    expect(code).toBe(1);
    expect(err.join('')).toContain('audit.anchor_mismatch');
  });

  it('a clean database verifies through the CLI', async () => {
    const { core } = await busyOffice();
    const dbPath = core.dbPath;
    await core.close();
    const r = await cliVerify(dbPath);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ ok: true });
  });
});

describe('audit.list for office heads', () => {
  it('filters by user, method, record type, record id and dates, newest first, paged', async () => {
    let t = Date.parse('2026-11-20T08:00:00Z');
    const clock = () => new Date((t += 60_000));
    const { core, head } = await busyOffice(clock);
    const all = await core.invoke('audit.list', { pageSize: 500 }, { token: head });
    const total = core.sqlite.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number;
    expect(all.total).toBe(total);
    expect(all.items.map((i) => i.id)).toEqual([...all.items.map((i) => i.id)].sort((a, b) => b - a));

    const byHead = await core.invoke('audit.list', { actor: 'head1' }, { token: head });
    expect(byHead.items.length).toBeGreaterThan(0);
    expect(byHead.items.every((i) => i.actorName === 'head1')).toBe(true);
    expect(byHead.items.map((i) => i.method)).toContain('settings.update');

    const settings = await core.invoke('audit.list', { method: 'settings.update' }, { token: head });
    expect(settings.total).toBe(1);
    expect(settings.items[0].changes).toMatchObject({ address_fr: ['', 'Avenue Moulay Ali Cherif'] });

    const users = await core.invoke('audit.list', { method: 'users.' }, { token: head });
    expect(users.items.every((i) => i.method.startsWith('users.'))).toBe(true);

    const agentId = core.sqlite.prepare(`SELECT id FROM users WHERE username = 'agent1'`).pluck().get() as string;
    const aboutAgent = await core.invoke('audit.list', { entity: 'users', entityId: agentId }, { token: head });
    expect(aboutAgent.items.map((i) => i.changes?.login?.[1] ?? i.method)).toEqual(['failed', 'ok', 'users.create']);

    const firstAt = all.items.at(-1)!.at;
    const lastAt = all.items[0].at;
    const window = await core.invoke('audit.list', { from: firstAt, to: firstAt }, { token: head });
    expect(window.items.every((i) => i.at === firstAt)).toBe(true);
    expect((await core.invoke('audit.list', { from: '2030-01-01' }, { token: head })).total).toBe(0);
    expect((await core.invoke('audit.list', { to: lastAt.slice(0, 10) }, { token: head })).total).toBe(total);

    const p1 = await core.invoke('audit.list', { pageSize: 3, page: 1 }, { token: head });
    const p2 = await core.invoke('audit.list', { pageSize: 3, page: 2 }, { token: head });
    expect(p1.items.length).toBe(3);
    expect(p2.items[0].id).toBe(p1.items[2].id - 1);
  });
});

/** Whether the registry has landed: the method exists and its handler registers (not a placeholder). */
async function registryLanded(core: ReturnType<typeof tempCore>, token: string): Promise<boolean> {
  if (!(METHOD_NAMES as string[]).includes('applicants.create') || typeof (handlers as Record<string, unknown>)['applicants.create'] !== 'function') return false;
  const probe = { ...registration(core), cin: 'ZZ999999', phone: '0699999999', firstNameLat: 'Sonde', lastNameLat: 'Essai', firstNameAr: 'سعاد', lastNameAr: 'التجربة', birthDate: '1985-01-01' };
  const r = await core.call('applicants.create', probe, { token });
  return r.ok;
}

function registration(core: ReturnType<typeof tempCore>) {
  return {
    cin: 'JC445566',
    firstNameLat: 'Hanane',
    lastNameLat: 'Amrani',
    firstNameAr: 'حنان',
    lastNameAr: 'العمراني',
    birthDate: '1992-04-03',
    phone: '0612003344',
    communeCode: communesOf(core, 1)[0],
    consent: { given: true, date: '2026-11-01', textVersion: '2026-01', channel: 'paper' },
  };
}

describe('rectification and the CLI door (with the registry)', () => {
  it("the registry's update is audited from → to (rectification)", async ({ skip }) => {
    const { core, head } = await busyOffice();
    if (!(await registryLanded(core, head))) return skip();
    const created = (await core.invoke('applicants.create', registration(core), { token: head })) as { id: string };
    await core.invoke('applicants.update', { id: created.id, changes: { lastNameLat: 'Amrani-Idrissi', phone: '0677889900' } }, { token: head });
    const rows = await core.invoke('audit.list', { method: 'applicants.update', entityId: created.id }, { token: head });
    const changes = Object.assign({}, ...rows.items.map((i) => i.changes));
    expect(JSON.stringify(changes)).toContain('Amrani-Idrissi');
    const lastName = Object.entries(changes).find(([k]) => /last_?name_?lat/i.test(k))?.[1] as [unknown, unknown];
    expect(lastName).toEqual(['Amrani', 'Amrani-Idrissi']);
    expect(verifyAudit(core.sqlite).ok).toBe(true);
  });

  it('an applicant added through the CLI is audited as cli:<os user>', async ({ skip }) => {
    const { core, head } = await busyOffice();
    if (!commands.some((c) => c.name === 'applicant add') || !(await registryLanded(core, head))) return skip();
    const input = registration(core);
    const dbPath = core.dbPath;
    await core.close();
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['applicant', 'add', '--db', dbPath], { io: { stdin: async () => JSON.stringify(input), out: (l) => out.push(l), err: (l) => err.push(l) } });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const id = JSON.parse(out[0]).id as string;
    const again = createCore({ dbPath });
    try {
      const row = again.sqlite.prepare(`SELECT actor_kind, actor_name, actor_id FROM audit_log WHERE method = 'applicants.create' AND entity_id = ?`).get(id) as { actor_kind: string; actor_name: string; actor_id: string | null };
      expect(row.actor_kind).toBe('cli');
      expect(row.actor_name).toMatch(/^cli:.+/);
      expect(row.actor_id).toBeNull();
    } finally {
      await again.close();
    }
  });
});
