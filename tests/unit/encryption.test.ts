import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/core';
import { databaseFileState, FileKeyStore, openDatabaseFile, rotateCopies } from '../../src-main/core/db/encryption';
import { checkDatabaseAtStart, inspectBackup } from '../../src-main/core/security/backup';
import { secretToWords, wordsToSecret } from '../../src-main/core/security/recovery';
import { runCli } from '../../src-main/cli/run-cli';
import { setupOffice, tempCore, ADMIN_PASSWORD } from '../helpers/core';
import { insertApplicant } from './security-fixtures';

const PASS = 'correct horse battery 42';
const clock = () => new Date('2026-06-15T09:00:00Z');
const dirs: string[] = [];
const cores: ReturnType<typeof tempCore>[] = [];
afterEach(async () => {
  while (cores.length) await cores.pop()!.dispose().catch(() => undefined);
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'jisr-enc-'));
  dirs.push(d);
  return d;
}
function io(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdin: async () => stdin, out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

async function office(c: () => Date = clock) {
  const core = tempCore({ clock: c });
  cores.push(core);
  const { token } = await setupOffice(core);
  insertApplicant(core, { last_name_lat: 'Zerhouniyya' });
  return { core, token };
}

describe('the database encrypted at rest', () => {
  it('a copied database file (with its -wal) is unreadable without the key; the office keys are not in it in clear', async () => {
    const { core } = await office();
    const pem = core.sqlite.prepare('SELECT signing_key_pem FROM installation').pluck().get() as string;
    const pemBody = pem.split('\n')[1];
    expect(core.encrypted).toBe(true);
    // What leaves the database (the exchange key file, a backup) never carries a private key in clear.
    const keyFile = JSON.stringify(await core.invoke('exchange.keysShow', {}, { actor: { kind: 'cli', osUser: 'test' } }));
    expect(keyFile).not.toContain('PRIVATE KEY');
    // While the app runs, the new rows sit in the -wal: it is encrypted too.
    insertApplicant(core, { last_name_lat: 'Walnamezz' });
    const wal = readFileSync(`${core.dbPath}-wal`);
    expect(wal.length).toBeGreaterThan(0);
    expect(wal.includes(Buffer.from('Walnamezz'))).toBe(false);
    await core.close();
    const thief = tmp();
    for (const f of readdirSync(core.dir)) if (f.startsWith('jisr.db')) copyFileSync(join(core.dir, f), join(thief, f));
    const stolen = join(thief, 'jisr.db');
    for (const f of readdirSync(thief)) {
      const bytes = readFileSync(join(thief, f));
      expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
      expect(bytes.includes(Buffer.from('Zerhouniyya'))).toBe(false);
      expect(bytes.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
      expect(bytes.includes(Buffer.from(pemBody))).toBe(false);
    }
    // Plain SQLite, the cipher library without a key, a wrong key, and the core on another computer all fail.
    // The file does not start with SQLite's header: no SQLite tool takes it for a database.
    expect(readFileSync(stolen).subarray(0, 16).equals(Buffer.from('SQLite format 3\0', 'latin1'))).toBe(false);
    // Without a key the cipher library is plain SQLite (the same engine the app uses, nothing decrypted).
    expect(() => new Database(stolen).prepare('SELECT * FROM applicants').all()).toThrow(/file is not a database/);
    // And Debian's own sqlite3 shell, where it is installed (it is not a dependency of the project).
    const shell = spawnSync('sqlite3', ['-readonly', stolen, 'SELECT count(*) FROM applicants;'], { encoding: 'utf8' });
    if (!shell.error) {
      expect(shell.status).not.toBe(0);
      expect(shell.stderr).toMatch(/file is not a database/);
    }
    expect(() => openDatabaseFile(stolen, { secret: Buffer.alloc(16, 7) })).toThrow(expect.objectContaining({ code: 'db.key_wrong' }));
    expect(() => createCore({ dbPath: stolen, keyStore: new FileKeyStore(tmp()) })).toThrow(expect.objectContaining({ code: 'db.key_missing' }));
    // The start-up check does not call an encrypted file without its key "damaged".
    expect(checkDatabaseAtStart(stolen, { keyStore: new FileKeyStore(tmp()) }).ok).toBe(true);
  });

  it('keeps a random key per database in a key file readable only by the user, apart from the data folder', async () => {
    const a = await office();
    const b = await office();
    const store = new FileKeyStore();
    const ka = store.load(a.core.dbPath)!;
    const kb = store.load(b.core.dbPath)!;
    expect(ka).toHaveLength(16);
    expect(ka.equals(kb)).toBe(false);
    const file = store.fileFor(a.core.dbPath);
    expect(file.startsWith(a.core.dir)).toBe(false);
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(store.dir).mode & 0o777).toBe(0o700);
    }
    expect(readdirSync(a.core.dir).some((f) => f.endsWith('.key'))).toBe(false);
  });

  it('converts a database made by the old (unencrypted) code path at upgrade, after a checked copy that is then removed', async () => {
    const dir = tmp();
    const dbPath = join(dir, 'jisr.db');
    const old = createCore({ dbPath, clock, encrypt: false }); // what the app wrote before encryption
    const { token } = await setupOffice(old);
    insertApplicant(old, { last_name_lat: 'Ait Oumghar' });
    expect(old.encrypted).toBe(false);
    // The full-text index (contentless FTS5, filled by triggers) answers the same after the conversion.
    const key = (old.sqlite.prepare('SELECT name_key_lat FROM applicants LIMIT 1').pluck().get() as string).trim();
    const search = (c: typeof old) => c.sqlite.prepare('SELECT rowid FROM applicants_fts WHERE applicants_fts MATCH ? ORDER BY rowid').pluck().all(`"${key.slice(0, 4)}"`);
    const foundBefore = search(old);
    expect(foundBefore.length).toBeGreaterThan(0);
    await old.close();
    expect(databaseFileState(dbPath)).toBe('plain');
    expect(readFileSync(dbPath).includes(Buffer.from('Ait Oumghar')) || existsSync(`${dbPath}-wal`)).toBe(true);

    const upgraded = createCore({ dbPath, clock });
    try {
      expect(upgraded.encrypted).toBe(true);
      expect(databaseFileState(dbPath)).toBe('encrypted');
      expect(readdirSync(dir).filter((f) => f.includes('before-encryption'))).toEqual([]);
      for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).includes(Buffer.from('Ait Oumghar'))).toBe(false);
      // Everything is still there: the rows, the search index (contentless FTS5), the sessions and the audit chain.
      const login = await upgraded.invoke('auth.login', { username: 'admin', password: ADMIN_PASSWORD });
      expect(login.token).toBeTruthy();
      void token;
      expect(search(upgraded)).toEqual(foundBefore);
      expect(upgraded.sqlite.prepare(`SELECT COUNT(*) FROM applicants WHERE last_name_lat = 'Ait Oumghar'`).pluck().get()).toBe(1);
      expect((await upgraded.invoke('audit.verify', {}, { token: login.token })).ok).toBe(true);
    } finally {
      await upgraded.close();
    }
  });

  it('migration and restore copies are encrypted like the database and only the newest 3 are kept', async () => {
    let t = Date.parse('2026-06-15T09:00:00Z');
    const { core, token } = await office(() => new Date((t += 61_000)));
    const folder = join(core.dir, 'usb');
    mkdirSync(folder);
    await core.invoke('backup.updateSettings', { folder, passphrase: PASS }, { token });
    const b = await core.invoke('backup.create', {}, { token });
    const copies: string[] = [];
    for (let i = 0; i < 5; i++) {
      // Five restores a minute apart: five copies made, three kept.
      const r = await core.invoke('backup.restore', { name: b.fileName, passphrase: PASS }, { token });
      copies.push(r.replacedCopy);
    }
    const left = readdirSync(core.dir).filter((f) => f.includes('.replaced-') && !f.endsWith('-wal') && !f.endsWith('-shm'));
    expect(left).toHaveLength(3);
    for (const f of left) expect(databaseFileState(join(core.dir, f))).toBe('encrypted');
    expect(core.sqlite.prepare(`SELECT COUNT(*) FROM applicants WHERE last_name_lat = 'Zerhouniyya'`).pluck().get()).toBe(1);
    expect(databaseFileState(core.dbPath)).toBe('encrypted');
    // The same rotation applies to the migration copies.
    const dir = tmp();
    const base = join(dir, 'x.db');
    for (let i = 1; i <= 5; i++) writeFileSync(`${base}.before-0010_m-2026-06-1${i}T09-00-00-000Z.bak`, 'x');
    expect(rotateCopies(base, '.before-', 3)).toHaveLength(2);
    expect(readdirSync(dir).sort()).toEqual([11, 12, 13, 14, 15].slice(2).map((d) => `x.db.before-0010_m-2026-06-${d}T09-00-00-000Z.bak`));
  });
});

describe('the recovery sheet', () => {
  it('12 words carry the 128-bit key with a checksum; accents, case and dashes do not matter', () => {
    const s = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const words = secretToWords(s);
    expect(words).toHaveLength(12);
    const typed = words
      .map((w) => w.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase())
      .join(' - ');
    expect(wordsToSecret(typed).equals(s)).toBe(true);
    expect(() => wordsToSecret(words.slice(0, 11).join(' '))).toThrow(expect.objectContaining({ code: 'recovery.words_invalid' }));
    expect(() => wordsToSecret([...words.slice(0, 11), words[0]].join(' '))).toThrow(expect.objectContaining({ code: 'recovery.words_checksum' }));
    expect(() => wordsToSecret([...words.slice(0, 11), 'zzzz'].join(' '))).toThrow(expect.objectContaining({ code: 'recovery.words_invalid' }));
  });

  it('a backup opens with the passphrase or with the recovery words of its database, not with another sheet', async () => {
    const { core, token } = await office();
    const folder = join(core.dir, 'usb');
    mkdirSync(folder);
    await core.invoke('backup.updateSettings', { folder, passphrase: PASS }, { token });
    const b = await core.invoke('backup.create', {}, { token });
    const file = readFileSync(b.path);
    const secret = new FileKeyStore().load(core.dbPath)!;
    expect(inspectBackup(file, PASS, { expectOfficeId: null }).inspection.counts.applicants).toBe(1);
    expect(inspectBackup(file, { recoverySecret: wordsToSecret(secretToWords(secret).join(' ')) }, { expectOfficeId: null }).inspection.counts.applicants).toBe(1);
    expect(() => inspectBackup(file, { recoverySecret: Buffer.alloc(16, 1) }, { expectOfficeId: null })).toThrow(expect.objectContaining({ code: 'backup.recovery_key_wrong' }));
    expect(() => inspectBackup(file, 'not the passphrase', { expectOfficeId: null })).toThrow(expect.objectContaining({ code: 'backup.wrong_passphrase_or_damaged' }));
    // The CLI on another computer: the backup restored with the sheet's words, written encrypted with the sheet's key.
    const other = join(tmp(), 'jisr.db');
    const r = io(`${secretToWords(secret).join(' ')}\n`);
    expect(await runCli(['restore', '--db', other, '--from', b.path, '--recovery-words-stdin'], { io: r.io }), r.err.join('\n')).toBe(0);
    expect(databaseFileState(other)).toBe('encrypted');
    expect(new FileKeyStore().load(other)!.equals(secret)).toBe(true);
    expect(readFileSync(other).includes(Buffer.from('Zerhouniyya'))).toBe(false);
    const restored = createCore({ dbPath: other });
    try {
      expect(restored.sqlite.prepare(`SELECT COUNT(*) FROM applicants WHERE last_name_lat = 'Zerhouniyya'`).pluck().get()).toBe(1);
    } finally {
      await restored.close();
    }
  });

  it('prints the sheet (admin only, audited) and unlocks a locked-out last administrator with it', async () => {
    const { core, token } = await office();
    const sheet = await core.invoke('recovery.sheet', {}, { token });
    const pdf = readFileSync(core.outbox.get(sheet.file.id)!.path);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Five wrong passwords lock the only administrator.
    for (let i = 0; i < 5; i++) await core.call('auth.login', { username: 'admin', password: 'wrong-password-x' });
    expect(await core.call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
    const words = secretToWords(new FileKeyStore().load(core.dbPath)!).join(' ');
    const other = secretToWords(Buffer.alloc(16, 3)).join(' ');
    expect(await core.call('recovery.unlockAdmin', { username: 'admin', words: other, newPassword: 'a-new-password-9' })).toMatchObject({
      ok: false,
      error: { code: 'recovery.words_wrong' },
    });
    expect(await core.call('recovery.unlockAdmin', { username: 'nobody', words, newPassword: 'a-new-password-9' })).toMatchObject({
      ok: false,
      error: { code: 'recovery.not_admin' },
    });
    expect(await core.invoke('recovery.unlockAdmin', { username: 'admin', words, newPassword: 'a-new-password-9' })).toEqual({ username: 'admin' });
    const again = await core.invoke('auth.login', { username: 'admin', password: 'a-new-password-9' });
    expect(again.token).toBeTruthy();
    const audit = await core.invoke('audit.list', { method: 'recovery.unlockAdmin' }, { token: again.token });
    expect(audit.items.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(audit.items)).not.toContain(words.split(' ')[0]);
    expect(await core.call('recovery.sheet', {}, {})).toMatchObject({ ok: false, error: { code: 'auth.login_required' } });
  });

  it('CLI init prints the recovery sheet at setup (--recovery-sheet)', async () => {
    const dir = tmp();
    const db = join(dir, 'jisr.db');
    const r = io('strong-pass-2026\n');
    expect(await runCli(['init', '--db', db, '--office', 'tinghir', '--admin', 'chef', '--recovery-sheet', join(dir, 'sheet.pdf')], { io: r.io }), r.err.join('\n')).toBe(0);
    expect(JSON.parse(r.out[0]).recoverySheet).toBe(join(dir, 'sheet.pdf'));
    expect(readFileSync(join(dir, 'sheet.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('CLI: the words put a lost key back (unlock-db) and unlock an administrator (recover-admin)', async () => {
    const { core } = await office();
    const dbPath = core.dbPath;
    const words = secretToWords(new FileKeyStore().load(dbPath)!).join(' ');
    await core.close();
    new FileKeyStore().remove(dbPath); // another computer, or a lost profile
    const status = io();
    expect(await runCli(['status', '--db', dbPath], { io: status.io })).not.toBe(0);
    expect(status.err.join('\n')).toContain('db.key_missing');
    const bad = io('abaisser '.repeat(12));
    expect(await runCli(['recovery', 'unlock-db', '--db', dbPath], { io: bad.io })).not.toBe(0);
    const ok = io(`${words}\n`);
    expect(await runCli(['recovery', 'unlock-db', '--db', dbPath], { io: ok.io }), ok.err.join('\n')).toBe(0);
    const rec = io(`${words}\nanother-password-7\n`);
    expect(await runCli(['recovery', 'recover-admin', '--db', dbPath, '--user', 'admin'], { io: rec.io }), rec.err.join('\n')).toBe(0);
    const again = createCore({ dbPath });
    try {
      expect((await again.invoke('auth.login', { username: 'admin', password: 'another-password-7' })).token).toBeTruthy();
    } finally {
      await again.close();
    }
  });
});
