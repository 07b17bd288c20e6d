import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../src-main/core/core';
import type { Actor } from '../../src-main/core/context';
import { defaultOfficeSettings, PROVINCE_NAMES, type OfficeSlug } from '../../src-main/shared/offices';

export const ADMIN_PASSWORD = 'admin-password-1';

/** A fresh, migrated core on a temporary file (WAL and copies behave as in production). */
export function tempCore(opts: { clock?: () => Date; file?: boolean } = {}): Core & { dir: string; dispose(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'jisr-test-'));
  const core = createCore({ dbPath: opts.file === false ? ':memory:' : join(dir, 'jisr.db'), clock: opts.clock });
  return Object.assign(core, {
    dir,
    async dispose() {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export const cli: Actor = { kind: 'cli', osUser: 'test' };

/** Sets the office up and returns a logged-in admin token. */
export async function setupOffice(core: Core, office: OfficeSlug = 'errachidia') {
  const n = PROVINCE_NAMES[office];
  const setup = await core.invoke('system.setup', {
    office,
    settings: defaultOfficeSettings(office, n.ar, n.fr),
    admin: { username: 'admin', displayName: 'Administrateur', password: ADMIN_PASSWORD },
  });
  const login = await core.invoke('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
  return { ...setup, token: login.token };
}

/** Creates a user with a role and returns its session token. */
export async function userToken(core: Core, adminToken: string, username: string, role: 'agent' | 'office_head' | 'coordinator' | 'admin') {
  const password = `${username}-pass-123`;
  const u = await core.invoke('users.create', { username, displayName: username, role, password }, { token: adminToken });
  // Test fixture: she has already chosen her own password (a user created by someone else must change it at first login).
  core.sqlite.prepare('UPDATE users SET must_change_password = 0 WHERE id = ?').run(u.id);
  const { token } = await core.invoke('auth.login', { username, password });
  return token;
}
