import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebBridge } from '../../src-main/web/server';
import { uuidv7 } from 'uuidv7';
import { contract, METHOD_NAMES, type MethodName } from '../../src-main/shared/api/contract';
import { roleAllowed, type Role } from '../../src-main/shared/roles';
import { handlers } from '../../src-main/core/handlers';
import type { HandlerContext } from '../../src-main/core/context';
import { hashPassword } from '../../src-main/core/crypto/passwords';
import { setupOffice, tempCore, userToken } from '../helpers/core';
import { insertApplicant } from './security-fixtures';

/**
 * Every method of the contract × every role, through core.call with that role's session token
 * (the same dispatcher the window and the web bridge use). Methods added by any feature are covered
 * as soon as they are in the contract.
 */
type Who = 'anonymous' | Role;
const WHO: Who[] = ['anonymous', 'agent', 'office_head', 'coordinator', 'admin'];
const roleOf = (w: Who): Role | null => (w === 'anonymous' ? null : w);

/** Calls that reached a handler, as `method|role`. */
const reached = new Set<string>();
const originals = new Map<string, unknown>();

let core: ReturnType<typeof tempCore>;
const tokens: Partial<Record<Who, string>> = {};
const passwords: Record<string, string> = {};

async function login(who: Role): Promise<string> {
  const { token } = await core.invoke('auth.login', { username: `m_${who}`, password: passwords[who] });
  tokens[who] = token;
  return token;
}

beforeAll(async () => {
  core = tempCore();
  const { token: adminToken } = await setupOffice(core);
  tokens.admin = adminToken;
  passwords.admin = 'admin-password-1';
  for (const r of ['agent', 'office_head'] as const) {
    tokens[r] = await userToken(core, adminToken, `m_${r}`, r);
    passwords[r] = `m_${r}-pass-123`;
  }
  // A provincial office cannot create coordinators through the API (they belong to the region office);
  // the dispatcher's check does not depend on the office, so the account is written directly.
  const office = core.sqlite.prepare('SELECT office_id FROM installation').pluck().get() as string;
  passwords.coordinator = 'm_coordinator-pass-123';
  const now = new Date().toISOString();
  core.sqlite
    .prepare(
      `INSERT INTO users (id, office_id, username, display_name, role, password_hash, language, active, failed_attempts, created_at, updated_at)
       VALUES (?, ?, 'm_coordinator', 'Coordinatrice', 'coordinator', ?, 'fr', 1, 0, ?, ?)`,
    )
    .run(uuidv7(), office, hashPassword(passwords.coordinator), now, now);
  await login('coordinator');
  for (const m of METHOD_NAMES) {
    const h = (handlers as Record<string, unknown>)[m];
    originals.set(m, h);
    if (typeof h !== 'function') continue;
    (handlers as Record<string, unknown>)[m] = (input: unknown, ctx: HandlerContext) => {
      reached.add(`${m}|${ctx.role ?? 'anonymous'}`);
      return (h as (i: unknown, c: HandlerContext) => unknown)(input, ctx);
    };
  }
});

afterAll(async () => {
  for (const [m, h] of originals) (handlers as Record<string, unknown>)[m] = h;
  await core.dispose();
});

const counts = () => ({
  audit: core.sqlite.prepare('SELECT COUNT(*) FROM audit_log').pluck().get() as number,
  changes: core.sqlite.prepare('SELECT COUNT(*) FROM change_log').pluck().get() as number,
});

async function tokenFor(who: Who): Promise<string | undefined> {
  if (who === 'anonymous') return undefined;
  // An allowed auth.logout (or a deactivation) may have ended the session: log in again.
  const t = tokens[who]!;
  const me = await core.call('auth.me', {}, { token: t });
  if (me.ok) return t;
  if (who === 'admin') {
    const { token } = await core.invoke('auth.login', { username: 'admin', password: passwords.admin });
    return (tokens.admin = token);
  }
  return login(who);
}

describe('roles × methods (the whole contract)', () => {
  const rows: [MethodName, Who][] = METHOD_NAMES.flatMap((m) => WHO.map((w) => [m, w] as [MethodName, Who]));

  it('covers every method of the contract', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(30);
    expect(rows.length).toBe(METHOD_NAMES.length * WHO.length);
  });

  it.each(rows)('%s as %s', async (method, who) => {
    const access = contract[method].access;
    const allowed = roleAllowed(access, roleOf(who));
    const token = await tokenFor(who);
    const before = counts();
    reached.clear();
    const r = await core.call(method, {}, token ? { token } : {});
    if (!allowed) {
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe(who === 'anonymous' ? 'auth.login_required' : 'auth.forbidden');
      expect(r.error.params).toMatchObject({ method });
      // Refused at the door: the handler never ran, nothing was written.
      expect(reached.size).toBe(0);
      expect(counts()).toEqual(before);
    } else {
      if (!r.ok) {
        // Past the access check: any refusal is the method's own (validation, missing setup …).
        const doorRefusal = (r.error.code === 'auth.forbidden' || r.error.code === 'auth.login_required') && r.error.params?.method === method && r.error.params?.role === roleOf(who);
        expect(doorRefusal && !reached.has(`${method}|${roleOf(who) ?? 'anonymous'}`)).toBe(false);
      }
    }
  });
});

describe('the same refusals through the web bridge (HTTP door)', () => {
  it('every method an agent or an anonymous caller may not call is refused over HTTP, before its handler', async () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'jisr-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>x</title>');
    const bridge = await startWebBridge({ core, staticDir, port: 0 });
    try {
      const post = (method: string, session?: string) =>
        new Promise<{ ok: boolean; error?: { code: string } }>((ok, ko) => {
          const body = JSON.stringify({ method, input: {} });
          const headers: Record<string, string> = { 'content-type': 'application/json', 'x-jisr-key': bridge.token };
          if (session) headers.authorization = `Bearer ${session}`;
          const req = request({ host: '127.0.0.1', port: bridge.port, path: '/api/call', method: 'POST', headers }, (res) => {
            let b = '';
            res.on('data', (c) => (b += c));
            res.on('end', () => ok(JSON.parse(b)));
          });
          req.on('error', ko);
          req.end(body);
        });
      let refused = 0;
      for (const who of ['anonymous', 'agent'] as const) {
        const token = await tokenFor(who);
        for (const m of METHOD_NAMES) {
          if (roleAllowed(contract[m].access, roleOf(who))) continue;
          const before = counts();
          reached.clear();
          const r = await post(m, token);
          expect([m, who, r.ok, r.error?.code]).toEqual([m, who, false, who === 'anonymous' ? 'auth.login_required' : 'auth.forbidden']);
          expect(reached.size).toBe(0);
          expect(counts()).toEqual(before);
          refused++;
        }
      }
      expect(refused).toBeGreaterThan(40);
    } finally {
      await bridge.close();
      rmSync(staticDir, { recursive: true, force: true });
    }
  });
});

/**
 * Who must (allow) and must not (deny) be able to call the key methods, written by hand from the issue:
 * agent = registration and sessions; office head = also attestations, exports, users, settings, audit,
 * backups, data protection; coordinator = imports, the region's view, read-only on provincial records.
 * A wrong `access` declaration fails here even though the matrix above follows the declaration.
 */
const EXPECTED: Record<string, { allow: Who[]; deny: Who[] }> = {
  'system.status': { allow: ['anonymous', 'agent'], deny: [] },
  'system.timeZone': { allow: ['anonymous', 'agent'], deny: [] },
  'auth.login': { allow: ['anonymous'], deny: [] },
  'auth.me': { allow: ['agent', 'coordinator'], deny: ['anonymous'] },
  'auth.changePassword': { allow: ['agent', 'office_head', 'coordinator'], deny: ['anonymous'] },
  'auth.reauth': { allow: ['agent', 'office_head', 'coordinator'], deny: ['anonymous'] },
  'users.list': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'users.create': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'users.resetPassword': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'users.setActive': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'users.setRole': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'users.unlock': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'settings.update': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'audit.list': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'audit.verify': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'backup.create': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'backup.restore': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'backup.updateSettings': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'retention.run': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'dataProtection.accessRequest': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'dataProtection.processingDescription': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  // Registry: agents and office heads register; the coordinator only reads provincial records.
  'applicants.create': { allow: ['agent', 'office_head'], deny: ['anonymous', 'coordinator'] },
  'applicants.update': { allow: ['agent', 'office_head'], deny: ['anonymous', 'coordinator'] },
  'applicants.setStatus': { allow: ['agent', 'office_head'], deny: ['anonymous', 'coordinator'] },
  'applicants.get': { allow: ['agent', 'office_head', 'coordinator'], deny: ['anonymous'] },
  // Sessions: agents record them.
  'sessions.create': { allow: ['agent', 'office_head'], deny: ['anonymous', 'coordinator'] },
  'sessions.recordAttendance': { allow: ['agent', 'office_head'], deny: ['anonymous', 'coordinator'] },
  // Attestations: office heads.
  'attestations.issue': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'attestations.revoke': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  // Exports: office heads; imports of exchange files: the coordinator.
  'exchange.export': { allow: ['office_head'], deny: ['anonymous', 'agent', 'coordinator'] },
  'exchange.import': { allow: ['coordinator'], deny: ['anonymous', 'agent', 'office_head'] },
  'reports.workbook': { allow: ['office_head'], deny: ['anonymous', 'agent'] },
};

/** Methods of this feature and of the foundation: they must exist (others are checked when their feature has landed). */
const MUST_EXIST = Object.keys(EXPECTED).filter((m) => /^(system|auth|users|settings|audit|backup|retention|dataProtection)\./.test(m));

describe('expected access of the key methods (hand-written)', () => {
  it('the foundation and security methods are all in the contract', () => {
    expect(MUST_EXIST.filter((m) => !(METHOD_NAMES as string[]).includes(m))).toEqual([]);
  });

  it.each(Object.entries(EXPECTED))('%s', (method, e) => {
    if (!(METHOD_NAMES as string[]).includes(method)) return; // that feature has not landed (yet)
    const access = contract[method as MethodName].access;
    for (const w of e.allow) expect([method, w, roleAllowed(access, roleOf(w))]).toEqual([method, w, true]);
    for (const w of e.deny) expect([method, w, roleAllowed(access, roleOf(w))]).toEqual([method, w, false]);
    expect(roleAllowed(access, 'admin')).toBe(true);
  });
});

describe('sensitive fields by role', () => {
  it('applicants.get hides disability and violence from the coordinator, not from the office head', async ({ skip }) => {
    if (!(METHOD_NAMES as string[]).includes('applicants.get') || typeof originals.get('applicants.get') !== 'function') return skip();
    const a = insertApplicant(core, { has_disability: 1, disability_severity: 'severe', disability_card_number: 'HC-778899', is_difficult_situation: 1, rsu_index: 9.75 });
    core.sqlite.prepare(`INSERT INTO applicant_situations (applicant_id, code) VALUES (?, 'violence_victim')`).run(a.id);
    core.sqlite.prepare(`INSERT INTO applicant_disabilities (applicant_id, code) VALUES (?, 'visual')`).run(a.id);
    const head = await core.call('applicants.get', { id: a.id }, { token: await tokenFor('office_head') });
    // The registry's placeholder before it lands.
    if (!head.ok && head.error.params?.ref === 'applicants-not-landed') return skip();
    expect(head.ok).toBe(true);
    expect(JSON.stringify(head)).toContain('HC-778899');
    expect(JSON.stringify(head)).toContain('violence_victim');
    const coord = await core.call('applicants.get', { id: a.id }, { token: await tokenFor('coordinator') });
    if (coord.ok) {
      const text = JSON.stringify(coord.value);
      expect(text).not.toContain('HC-778899');
      expect(text).not.toContain('violence_victim');
      expect(text).not.toContain('visual');
      expect(text).not.toContain('9.75');
      expect(text).not.toContain('severe');
    } else {
      // Refusing the whole file is also a way of not showing the sensitive fields.
      expect(coord.error.code).not.toBe('internal.unexpected');
    }
  });
});
