import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, cli, setupOffice, tempCore, userToken } from '../helpers/core';

/* Issue 16, "Accounts": one refusal for a wrong user name or password; unlock in the app; own password at first login. */

const cores: ReturnType<typeof tempCore>[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose().catch(() => undefined);
});

async function office(clock?: () => Date) {
  const core = tempCore({ clock });
  cores.push(core);
  const { token: admin } = await setupOffice(core);
  const head = await userToken(core, admin, 'head1', 'office_head');
  return { core, admin, head };
}

describe('login does not tell which user names exist', () => {
  it('a real user and an unknown name get the very same answers, wrong password after wrong password, up to the lockout', async () => {
    const t = Date.parse('2026-11-29T10:00:00Z');
    const { core } = await office(() => new Date(t));
    const answers = async (username: string) => {
      const out: unknown[] = [];
      for (let i = 0; i < 7; i++) out.push(await core.call('auth.login', { username, password: `wrong-password-${i}` }));
      return out;
    };
    const real = await answers('head1');
    const ghost = await answers('nobody.here');
    expect(ghost).toEqual(real);
    expect(JSON.stringify(real)).not.toContain('remaining');
    expect(real.map((r) => (r as { error: { code: string } }).error.code)).toEqual([
      ...Array(4).fill('auth.invalid_credentials'),
      'auth.locked',
      'auth.locked',
      'auth.locked',
    ]);
    // The count is kept: the audit trail has every failure of the real account.
    const failures = core.sqlite.prepare(`SELECT COUNT(*) FROM audit_log WHERE method = 'auth.login' AND entity_id = (SELECT id FROM users WHERE username = 'head1')`).pluck().get();
    expect(failures).toBe(1 + 7); // her first login (userToken), then the seven refusals
  });
});

describe('unlocking another account in the app', () => {
  it('five wrong passwords lock the only administrator; an office head lifts it and she logs in at once', async () => {
    const t = Date.parse('2026-11-29T10:00:00Z');
    const { core, head } = await office(() => new Date(t));
    for (let i = 0; i < 5; i++) await core.call('auth.login', { username: 'admin', password: `wrong-password-${i}` });
    expect(await core.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
    const listed = (await core.invoke('users.list', {}, { token: head })).find((u) => u.username === 'admin')!;
    expect(listed.locked).toBe(true);
    await core.invoke('users.unlock', { userId: listed.id }, { token: head });
    expect((await core.invoke('users.list', {}, { token: head })).find((u) => u.username === 'admin')!.locked).toBe(false);
    expect(await core.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ ok: true });
    const row = core.sqlite.prepare(`SELECT actor_name, changes FROM audit_log WHERE method = 'users.unlock'`).get() as { actor_name: string; changes: string };
    expect(row.actor_name).toBe('head1');
    // An office head still cannot reset an administrator's password or deactivate her.
    expect(await core.call('users.resetPassword', { userId: listed.id, newPassword: 'takeover-pass-1' }, { token: head })).toMatchObject({ ok: false, error: { code: 'users.admin_only' } });
  });

  it('an agent cannot unlock anyone', async () => {
    const { core, admin } = await office();
    const agent = await userToken(core, admin, 'agent1', 'agent');
    const id = core.sqlite.prepare(`SELECT id FROM users WHERE username = 'head1'`).pluck().get() as string;
    expect(await core.call('users.unlock', { userId: id }, { token: agent })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
  });
});

describe('her own password at first login', () => {
  it('a user created by an administrator or an office head, or reset by one, must change the password first', async () => {
    const { core, admin, head } = await office();
    await core.invoke('users.create', { username: 'agent2', displayName: 'Agent 2', role: 'agent', password: 'chosen-by-head-1' }, { token: head });
    await core.invoke('users.create', { username: 'head2', displayName: 'Head 2', role: 'office_head', password: 'chosen-by-admin-1' }, { token: admin });
    for (const [username, password] of [['agent2', 'chosen-by-head-1'], ['head2', 'chosen-by-admin-1']]) {
      const l = await core.invoke('auth.login', { username, password });
      expect(l.mustChangePassword, username).toBe(true);
      expect(await core.call('applicants.search', { query: '' }, { token: l.token })).toMatchObject({ ok: false, error: { code: 'auth.must_change_password' } });
      await core.invoke('auth.changePassword', { currentPassword: password, newPassword: `${username}-own-pass-9` }, { token: l.token });
      expect((await core.invoke('auth.login', { username, password: `${username}-own-pass-9` })).mustChangePassword).toBe(false);
    }
    const id = core.sqlite.prepare(`SELECT id FROM users WHERE username = 'agent2'`).pluck().get() as string;
    await core.invoke('users.resetPassword', { userId: id, newPassword: 'reset-by-head-1' }, { token: head });
    expect((await core.invoke('auth.login', { username: 'agent2', password: 'reset-by-head-1' })).mustChangePassword).toBe(true);
    // Neither door but the CLI may waive it.
    expect(await core.call('users.resetPassword', { userId: id, newPassword: 'reset-by-head-2', mustChange: false }, { token: head })).toMatchObject({ ok: false, error: { code: 'api.cli_only' } });
    await core.invoke('users.create', { username: 'scripted', displayName: 'Scripted', role: 'agent', password: 'scripted-pass-1', mustChange: false }, { actor: cli });
    expect((await core.invoke('auth.login', { username: 'scripted', password: 'scripted-pass-1' })).mustChangePassword).toBe(false);
  });
});
