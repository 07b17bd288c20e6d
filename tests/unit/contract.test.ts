import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES } from '../../src-main/shared/api/contract';
import { handlers } from '../../src-main/core/handlers';
import { APP_VERSION } from '../../src-main/shared/version';
import { projectRoot } from '../../src-main/core/paths';
import { errorTemplate } from '../../src-main/shared/i18n/translate-error';
import { setupOffice, tempCore } from '../helpers/core';

describe('the API contract', () => {
  it('every method has a handler, and every handler a method', () => {
    expect(Object.keys(handlers).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('every method declares who may call it and a summary', () => {
    for (const m of METHOD_NAMES) {
      const spec = contract[m];
      expect(spec.summary.length, m).toBeGreaterThan(10);
      expect(spec.access === 'public' || spec.access === 'authenticated' || Array.isArray(spec.access), m).toBe(true);
      expect(typeof spec.write, m).toBe('boolean');
    }
  });

  it('only setup, status, the time zone, login, pairing and the recovery sheet (its one-time code or its 12 words are the credential) are public', () => {
    const pub = METHOD_NAMES.filter((m) => contract[m].access === 'public').sort();
    // recovery.restoreBackup also refuses once an office is set up (a fresh installation only).
    // system.timeZone: the office zone's UTC offsets (public data), needed before login to write times right.
    expect(pub).toEqual(['auth.login', 'network.pair', 'recovery.restoreBackup', 'recovery.unlockAdmin', 'system.setup', 'system.status', 'system.timeZone']);
  });

  it('the app version matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8'));
    expect(APP_VERSION).toBe(pkg.version);
  });
});

describe('the dispatcher', () => {
  const core = tempCore();
  let token = '';
  beforeAll(async () => {
    token = (await setupOffice(core)).token;
  });
  afterAll(() => core.dispose());

  it('rejects bad input of every method with a coded validation error, before the handler runs', async () => {
    const before = core.sqlite.prepare('SELECT count(*) n FROM audit_log').get();
    for (const m of METHOD_NAMES) {
      const r = await core.call(m, { __not_a_field__: 1 }, { token });
      expect(r.ok, m).toBe(false);
      if (!r.ok) expect(['validation.failed', 'auth.forbidden'], `${m}: ${r.error.code}`).toContain(r.error.code);
    }
    expect(core.sqlite.prepare('SELECT count(*) n FROM audit_log').get()).toEqual(before);
  });

  it('names the failing field and translates the code in Arabic and French', async () => {
    const r = await core.call('users.create', { username: 'x', displayName: 'X', role: 'agent', password: 'short' }, { token });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation.failed');
    const paths = (r.error.params!.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toContain('username');
    expect(paths).toContain('password');
    expect(errorTemplate('validation.failed', 'ar')).toBeTruthy();
    expect(errorTemplate('validation.failed', 'fr')).toBeTruthy();
  });

  it('refuses an unknown method and calls without login', async () => {
    expect(await core.call('nope.nothing' as never, {})).toMatchObject({ ok: false, error: { code: 'api.unknown_method' } });
    expect(await core.call('users.list', {})).toMatchObject({ ok: false, error: { code: 'auth.login_required' } });
    expect(await core.call('users.list', {}, { token: 'forged' })).toMatchObject({ ok: false, error: { code: 'auth.session_expired' } });
  });

  it('refuses setup a second time', async () => {
    const r = await core.call('system.setup', {
      office: 'zagora',
      settings: { nameAr: 'اسم', nameFr: 'Nom', signatoryTitleAr: 'المندوب', signatoryTitleFr: 'Délégué' },
      admin: { username: 'other', displayName: 'Other', password: 'password-123' },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'setup.already_done' } });
  });

  it('rolls a failing write back entirely (no partial rows, no audit)', async () => {
    const count = () => core.sqlite.prepare('SELECT (SELECT count(*) FROM users) u, (SELECT count(*) FROM audit_log) a, (SELECT count(*) FROM change_log) c').get();
    const before = count();
    const r = await core.call('users.create', { username: 'admin', displayName: 'Dup', role: 'agent', password: 'password-123' }, { token });
    expect(r).toMatchObject({ ok: false, error: { code: 'users.username_taken' } });
    expect(count()).toEqual(before);
  });

  it('records who changed what in the hash-chained audit trail and numbers each change', async () => {
    const r = await core.invoke('users.setLanguage', { language: 'fr' }, { token });
    expect(r.language).toBe('fr');
    const row = core.sqlite.prepare("SELECT * FROM audit_log WHERE method = 'users.setLanguage' ORDER BY id DESC").get() as Record<string, string>;
    expect(row.actor_name).toBe('admin');
    expect(JSON.parse(row.changes)).toEqual({ language: ['ar', 'fr'] });
    const u = core.sqlite.prepare("SELECT change_seq FROM users WHERE username = 'admin'").get() as { change_seq: number };
    const last = core.sqlite.prepare("SELECT max(seq) s FROM change_log WHERE entity = 'users'").get() as { s: number };
    expect(u.change_seq).toBe(last.s);
  });
});
