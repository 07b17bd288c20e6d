import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, setupOffice, tempCore, userToken } from '../helpers/core';
import { verifyPassword } from '../../src-main/core/crypto/passwords';
import { keyFingerprint, signBytes, verifyBytes } from '../../src-main/core/crypto/keys';

const cores: ReturnType<typeof tempCore>[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose();
});

describe('setup and login', () => {
  it('stores the administrator password as a scrypt hash, never in clear', async () => {
    const core = tempCore();
    cores.push(core);
    await setupOffice(core);
    const row = core.sqlite.prepare("SELECT password_hash FROM users WHERE username = 'admin'").get() as { password_hash: string };
    expect(row.password_hash.startsWith('scrypt$')).toBe(true);
    expect(row.password_hash).not.toContain(ADMIN_PASSWORD);
    expect(verifyPassword(ADMIN_PASSWORD, row.password_hash)).toBe(true);
    expect(verifyPassword('wrong-password-1', row.password_hash)).toBe(false);
    const dump = core.sqlite.prepare('SELECT group_concat(changes) c FROM audit_log').get() as { c: string };
    expect(dump.c).not.toContain(ADMIN_PASSWORD);
  });

  it("creates the office's Ed25519 signing key pair that signs and verifies", async () => {
    const core = tempCore();
    cores.push(core);
    const s = await setupOffice(core, 'tinghir');
    const inst = core.sqlite.prepare('SELECT signing_key_pem FROM installation').get() as { signing_key_pem: string };
    const data = Buffer.from('ERR-2026-000001');
    const sig = signBytes(inst.signing_key_pem, data);
    expect(verifyBytes(s.publicKey, data, sig)).toBe(true);
    expect(verifyBytes(s.publicKey, Buffer.from('ERR-2026-000002'), sig)).toBe(false);
    expect(s.fingerprint).toMatch(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);
    expect(keyFingerprint(s.publicKey)).toBe(s.fingerprint);
    const status = await core.invoke('system.status', {});
    expect(status.office).toMatchObject({ slug: 'tinghir', code: 'TIN', provinceCode: '08.577', kind: 'province' });
  });

  it('locks an account after 5 failures, even for the right password, until 15 minutes pass', async () => {
    let t = new Date('2026-11-29T10:00:00Z').getTime();
    const core = tempCore({ clock: () => new Date(t) });
    cores.push(core);
    await setupOffice(core);
    for (let i = 0; i < 4; i++) {
      expect(await core.call('auth.login', { username: 'admin', password: 'bad-password-1' })).toMatchObject({ ok: false, error: { code: 'auth.invalid_credentials' } });
    }
    expect(await core.call('auth.login', { username: 'admin', password: 'bad-password-1' })).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
    expect(await core.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
    t += 16 * 60_000;
    expect(await core.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ ok: true });
    const audits = core.sqlite.prepare("SELECT count(*) n FROM audit_log WHERE method = 'auth.login'").get() as { n: number };
    expect(audits.n).toBeGreaterThanOrEqual(7);
  });

  it('does not reveal whether an account exists', async () => {
    const core = tempCore();
    cores.push(core);
    await setupOffice(core);
    const a = await core.call('auth.login', { username: 'nobody', password: 'bad-password-1' });
    expect(a).toMatchObject({ ok: false, error: { code: 'auth.invalid_credentials' } });
  });

  it('checks roles in the core: an agent cannot list or create users, an office head cannot create an administrator', async () => {
    const core = tempCore();
    cores.push(core);
    const { token } = await setupOffice(core);
    const agent = await userToken(core, token, 'agent1', 'agent');
    const head = await userToken(core, token, 'head1', 'office_head');
    expect(await core.call('users.list', {}, { token: agent })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    expect(await core.call('users.create', { username: 'xone', displayName: 'Someone', role: 'agent', password: 'password-123' }, { token: agent })).toMatchObject({
      ok: false,
      error: { code: 'auth.forbidden' },
    });
    expect(await core.call('users.create', { username: 'xtwo', displayName: 'Someone', role: 'admin', password: 'password-123' }, { token: head })).toMatchObject({
      ok: false,
      error: { code: 'auth.forbidden' },
    });
    expect(await core.call('users.create', { username: 'xthree', displayName: 'Someone', role: 'agent', password: 'password-123' }, { token: head })).toMatchObject({ ok: true });
  });

  it('scopes communes to the office province', async () => {
    const core = tempCore();
    cores.push(core);
    const { token } = await setupOffice(core, 'ouarzazate');
    const communes = await core.invoke('territories.communes', {}, { token });
    expect(communes).toHaveLength(17);
    expect(new Set(communes.map((c) => c.provinceCode))).toEqual(new Set(['08.401']));
    expect(await core.call('territories.communes', { provinceCode: '08.201' }, { token })).toMatchObject({ ok: false, error: { code: 'territory.out_of_scope' } });
  });
});

describe('a password reset by an administrator', () => {
  it('lets her do nothing but change it, in the backend, whichever door she uses', async () => {
    const core = tempCore();
    cores.push(core);
    const { token } = await setupOffice(core);
    await userToken(core, token, 'agentx', 'agent');
    const id = (core.sqlite.prepare("SELECT id FROM users WHERE username = 'agentx'").get() as { id: string }).id;
    await core.invoke('users.resetPassword', { userId: id, newPassword: 'temporary-pass-1' }, { token });
    const login = await core.invoke('auth.login', { username: 'agentx', password: 'temporary-pass-1' });
    expect(login.mustChangePassword).toBe(true);
    expect(await core.call('territories.communes', {}, { token: login.token })).toMatchObject({ ok: false, error: { code: 'auth.must_change_password' } });
    expect(await core.call('auth.me', {}, { token: login.token })).toMatchObject({ ok: true });
    await core.invoke('auth.changePassword', { currentPassword: 'temporary-pass-1', newPassword: 'her-own-pass-22' }, { token: login.token });
    expect(await core.call('territories.communes', {}, { token: login.token })).toMatchObject({ ok: true });
  });
});

describe('a write refused by a trigger', () => {
  it('comes back as the coded error the trigger names, not as an unexpected crash', async () => {
    const core = tempCore();
    cores.push(core);
    const { token } = await setupOffice(core);
    core.sqlite.exec("CREATE TRIGGER refuse_lang BEFORE UPDATE OF language ON users BEGIN SELECT RAISE(ABORT, 'exchange.read_only: test'); END;");
    expect(await core.call('users.setLanguage', { language: 'fr' }, { token })).toMatchObject({ ok: false, error: { code: 'exchange.read_only' } });
  });
});
