import { afterEach, describe, expect, it } from 'vitest';
import { setupOffice, tempCore, userToken } from '../helpers/core';
import { translateError } from '../../src-main/shared/i18n/translate-error';

/** Every user's own account page (issue 15): her password, her language, her last logins — hers only. */
const cores: ReturnType<typeof tempCore>[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose();
});

async function office() {
  let t = Date.parse('2026-11-29T10:00:00Z');
  const core = tempCore({ clock: () => new Date(t) });
  cores.push(core);
  const { token: admin } = await setupOffice(core);
  const agent = await userToken(core, admin, 'agent1', 'agent');
  const other = await userToken(core, admin, 'agent2', 'agent');
  return { core, admin, agent, other, tick: (ms: number) => (t += ms) };
}

describe('auth.myLogins', () => {
  it("lists the caller's own logins, newest first, with failures and the workstation; never another account's", async () => {
    const { core, agent, other, tick } = await office();
    tick(60_000);
    expect((await core.call('auth.login', { username: 'agent1', password: 'wrong-password-1' })).ok).toBe(false);
    tick(60_000);
    // A login from a paired workstation of the office network: the audit names it after the user.
    await core.invoke('auth.login', { username: 'agent1', password: 'agent1-pass-123' }, { workstation: 'Accueil-2' });
    tick(60_000);
    expect((await core.call('auth.login', { username: 'agent2', password: 'wrong-password-2' })).ok).toBe(false);

    const mine = await core.invoke('auth.myLogins', {}, { token: agent });
    expect(mine.items.map((i) => [i.outcome, i.workstation])).toEqual([
      ['ok', 'Accueil-2'],
      ['failed', null],
      ['ok', null],
    ]);
    expect(mine.items[0].at).toBe('2026-11-29T10:02:00.000Z');
    // agent2 sees her own failure and login, none of agent1's.
    const theirs = await core.invoke('auth.myLogins', {}, { token: other });
    expect(theirs.items.map((i) => i.outcome)).toEqual(['failed', 'ok']);
    // There is no way to ask for someone else's: the input has no account.
    const r = await core.call('auth.myLogins', { userId: 'x' }, { token: agent });
    expect(r.ok ? null : r.error.code).toBe('validation.failed');
    expect((await core.call('auth.myLogins', {})).ok).toBe(false);
    expect((await core.invoke('auth.myLogins', { limit: 1 }, { token: agent })).items).toHaveLength(1);
  });
});

describe('my password and my language', () => {
  it('changes her own password with the same rules, audited, errors translated in both languages', async () => {
    const { core, agent } = await office();
    const weak = await core.call('auth.changePassword', { currentPassword: 'agent1-pass-123', newPassword: 'short1' }, { token: agent });
    expect(weak.ok).toBe(false);
    const wrong = await core.call('auth.changePassword', { currentPassword: 'not-my-password-1', newPassword: 'a-new-password-2' }, { token: agent });
    expect(wrong.ok ? null : wrong.error.code).toBe('auth.wrong_password');
    if (!wrong.ok) {
      expect(translateError(wrong.error, 'ar')).toBe('كلمة المرور الحالية غير صحيحة.');
      expect(translateError(wrong.error, 'fr')).toBe('Mot de passe actuel incorrect.');
    }
    await core.invoke('auth.changePassword', { currentPassword: 'agent1-pass-123', newPassword: 'a-new-password-2' }, { token: agent });
    expect((await core.call('auth.login', { username: 'agent1', password: 'a-new-password-2' })).ok).toBe(true);
    await core.invoke('users.setLanguage', { language: 'fr' }, { token: agent });
    expect((await core.invoke('auth.me', {}, { token: agent })).language).toBe('fr');
    const audited = core.sqlite.prepare(`SELECT method, changes FROM audit_log WHERE method IN ('auth.changePassword', 'users.setLanguage') ORDER BY id`).all() as { method: string; changes: string }[];
    expect(audited.map((a) => a.method)).toEqual(['auth.changePassword', 'auth.changePassword', 'users.setLanguage']);
    expect(audited.map((a) => a.changes).join()).not.toMatch(/a-new-password|agent1-pass/);
  });
});
