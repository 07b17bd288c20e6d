import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupOffice, tempCore, userToken } from '../helpers/core';
import { runOfficeNetwork } from '../../src-main/net/office-server';
import { createOfficeClient, type OfficeClient } from '../../src-main/net/office-client';
import { translateError } from '../../src-main/shared/i18n/translate-error';

/** Tests use loopback addresses only: the office listener on 127.0.0.2. */
const HOST = '127.0.0.2';

export function freePort(host = HOST): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.once('error', ko);
    s.listen(0, host, () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
}

const person = (cin: string) => ({
  cin,
  firstNameLat: 'Itto',
  lastNameLat: 'Ouhammou',
  birthDate: '1987-04-12',
  communeCode: '08.201.01.01',
  consent: { given: true, date: '2026-06-15', textVersion: '2026-01', channel: 'paper' },
});

describe('office network: HTTPS on 127.0.0.2, pairing, signed requests, revocation (issue 17)', () => {
  const core = tempCore({ clock: () => new Date('2026-06-15T09:00:00.000Z') });
  let admin = '';
  let net: ReturnType<typeof runOfficeNetwork>;
  let address = '';
  let fingerprint = '';
  let ws: OfficeClient;
  let deviceId = '';
  beforeAll(async () => {
    admin = (await setupOffice(core)).token;
    await userToken(core, admin, 'amina', 'agent');
    const staticDir = mkdtempSync(join(tmpdir(), 'jisr-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Jisr</title>');
    net = runOfficeNetwork({ core, staticDir, everyMs: 100 });
    await net.ready;
  });
  afterAll(async () => {
    ws?.close();
    await net?.close();
    await core.dispose();
  });

  it('is off by default; the administrator turns it on, sees the address and the certificate fingerprint; only the administrator', async () => {
    expect(net.listener).toBeNull();
    expect((await core.invoke('network.status', {}, { token: admin })).enabled).toBe(false);
    const agent = await core.invoke('auth.login', { username: 'amina', password: 'amina-pass-123' });
    expect(await core.call('network.configure', { enabled: true, host: HOST, port: 9443 }, { token: agent.token })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    expect(await core.call('network.configure', { enabled: true, host: 'example.org', port: 9443 }, { token: admin })).toMatchObject({ ok: false, error: { code: 'validation.failed' } });
    const port = await freePort();
    const s = await core.invoke('network.configure', { enabled: true, host: HOST, port }, { token: admin });
    expect(s.address).toBe(`https://${HOST}:${port}/`);
    expect(s.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    address = s.address!;
    fingerprint = s.fingerprint!;
    for (let i = 0; i < 50 && !net.listener; i++) await new Promise((r) => setTimeout(r, 50));
    expect(net.listener?.address).toBe(address);
    // The certificate served is the one whose fingerprint the screen shows, for this address.
    const cfg = await core.invoke('network.listenerConfig', {}, { actor: { kind: 'cli', osUser: 't' } });
    const x = new X509Certificate(cfg.certPem!);
    expect(x.fingerprint256).toBe(fingerprint);
    expect(x.subjectAltName).toBe(`IP Address:${HOST}`);
    // The listener's credentials are for the listener, not for an administrator's session.
    expect(await core.call('network.listenerConfig', {}, { token: admin })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
  });

  it('refuses an unpaired device and a wrong code; pairs with the one-time code and the pinned fingerprint', async () => {
    const stranger = createOfficeClient({ address, fingerprint });
    expect(await stranger.call('system.status', {})).toMatchObject({ ok: false, error: { code: 'network.unpaired' } });
    expect(await stranger.pair('0000-0000', 'Intrus')).toMatchObject({ ok: false, error: { code: 'network.code_invalid' } });
    // A client pinning another fingerprint sends nothing and says why.
    const wrongPin = createOfficeClient({ address, fingerprint: fingerprint.replace(/^../, '00') });
    expect(await wrongPin.call('system.status', {})).toMatchObject({ ok: false, error: { code: 'network.fingerprint_mismatch' } });
    wrongPin.close();
    stranger.close();

    const { code, fingerprint: shown } = await core.invoke('network.pairingCode', {}, { token: admin });
    expect(code).toMatch(/^\d{4}-\d{4}$/);
    expect(shown).toBe(fingerprint);
    ws = createOfficeClient({ address, fingerprint });
    const p = await ws.pair(code, 'Poste accueil');
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    deviceId = p.value.deviceId;
    // One time: the same code does not pair a second workstation.
    const again = createOfficeClient({ address, fingerprint });
    expect(await again.pair(code, 'Poste 2')).toMatchObject({ ok: false, error: { code: 'network.code_invalid' } });
    again.close();
  });

  it('a paired workstation logs in and registers; the audit trail names the workstation; the main PC lists it with its user', async () => {
    const login = (await ws.call('auth.login', { username: 'amina', password: 'amina-pass-123' })) as { ok: true; value: { token: string } };
    expect(login.ok).toBe(true);
    const session = login.value.token;
    const r = await ws.call('applicants.create', person('NW100001'), session);
    expect(r.ok).toBe(true);
    const id = (r as { ok: true; value: { id: string } }).value.id;
    const rows = core.sqlite.prepare(`SELECT actor_name FROM audit_log WHERE entity_id = ?`).pluck().all(id);
    expect(rows).toEqual(['amina @ Poste accueil']);
    // Without a session the device alone is not enough.
    expect(await ws.call('applicants.get', { id })).toMatchObject({ ok: false, error: { code: 'auth.login_required' } });
  });

  it('refuses a replayed request, a wrong Host, a foreign Origin, a forged signature', async () => {
    const body = Buffer.from(JSON.stringify({ method: 'system.status', input: {} }));
    const headers = ws.signedHeaders('/api/call', body);
    expect((await ws.raw('/api/call', body, headers)).json.ok).toBe(true);
    expect((await ws.raw('/api/call', body, headers)).json).toMatchObject({ ok: false, error: { code: 'network.replayed' } });
    expect((await ws.raw('/api/call', body, { ...ws.signedHeaders('/api/call', body), host: `evil.example:${new URL(address).port}` })).json).toMatchObject({
      ok: false,
      error: { code: 'network.bad_host' },
    });
    expect((await ws.raw('/api/call', body, { ...ws.signedHeaders('/api/call', body), origin: 'https://evil.example' })).json).toMatchObject({ ok: false, error: { code: 'api.bad_origin' } });
    const forged = { ...ws.signedHeaders('/api/call', body), 'x-jisr-sig': 'A'.repeat(43) };
    expect((await ws.raw('/api/call', body, forged)).json).toMatchObject({ ok: false, error: { code: 'network.bad_signature' } });
    // Every refusal is said in both languages.
    for (const code of ['network.replayed', 'network.bad_host', 'network.unpaired', 'network.device_revoked', 'network.main_pc_unreachable']) {
      expect(translateError({ code }, 'ar')).not.toBe(code);
      expect(translateError({ code }, 'fr')).not.toBe(code);
    }
  });

  it('files: an import is uploaded (signed), a list made on the main PC is downloaded through the session of a paired device', async () => {
    const session = ((await ws.call('auth.login', { username: 'amina', password: 'amina-pass-123' })) as { ok: true; value: { token: string } }).value.token;
    const bytes = Buffer.from('PK fake workbook bytes');
    const up = await ws.raw('/api/upload', bytes, { ...ws.signedHeaders('/api/upload', bytes, session), 'content-type': 'application/octet-stream', 'x-jisr-filename': encodeURIComponent('liste.xlsx') });
    expect(up.json).toMatchObject({ ok: true, value: { name: 'liste.xlsx', size: bytes.length } });
    // Unsigned: refused.
    expect((await ws.raw('/api/upload', bytes, { 'x-jisr-filename': 'x.xlsx' })).json).toMatchObject({ ok: false, error: { code: 'network.unpaired' } });

    const list = (await ws.call('reports.list', { q: '', lang: 'fr' }, session)) as { ok: true; value: { fileId: string; rows: number } };
    expect(list.ok).toBe(true);
    const download = (query: string) =>
      new Promise<{ status: number; size: number; type: string }>((ok, ko) => {
        const u = new URL(`/api/files/${list.value.fileId}?${query}`, address);
        get({ host: u.hostname, port: u.port, path: u.pathname + u.search, rejectUnauthorized: false }, (res) => {
          let size = 0;
          res.on('data', (c: Buffer) => (size += c.length));
          res.on('end', () => ok({ status: res.statusCode ?? 0, size, type: String(res.headers['content-type']) }));
        }).on('error', ko);
      });
    // The session never goes in the address: a single-use ticket, asked for by a signed request with the session.
    const ticket = async (fileId: string, s?: string) => {
      const b = Buffer.from(JSON.stringify({ fileId }));
      return (await ws.raw('/api/file-ticket', b, ws.signedHeaders('/api/file-ticket', b, s))).json;
    };
    const t = await ticket(list.value.fileId, session);
    expect(t).toMatchObject({ ok: true, value: { ticket: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) } });
    const good = await download(`t=${t.value.ticket}`);
    expect(good.status).toBe(200);
    expect(good.size).toBeGreaterThan(100);
    // Once only; no ticket, another file's ticket, the old session-in-the-address form: refused.
    expect((await download(`t=${t.value.ticket}`)).status).toBe(401);
    expect((await download('')).status).toBe(401);
    expect((await download(`d=${deviceId}&s=${session}`)).status).toBe(401);
    const other = await ticket(up.json.value.uploadId, session);
    expect(other.ok).toBe(true);
    expect((await download(`t=${other.value.ticket}`)).status).toBe(401);
    // Without a session, or unsigned: no ticket.
    expect(await ticket(list.value.fileId)).toMatchObject({ ok: false, error: { code: 'auth.login_required' } });
    const b = Buffer.from(JSON.stringify({ fileId: list.value.fileId }));
    expect((await ws.raw('/api/file-ticket', b, { authorization: `Bearer ${session}` })).json).toMatchObject({ ok: false, error: { code: 'network.unpaired' } });
  });

  it('live refresh: a signed event stream with the session says which tables changed; refused unsigned or without a session', async () => {
    const session = ((await ws.call('auth.login', { username: 'amina', password: 'amina-pass-123' })) as { ok: true; value: { token: string } }).value.token;
    const body = Buffer.from(JSON.stringify({ after: null }));
    // Unsigned, or without a session: refused with a coded answer, no stream.
    expect((await ws.raw('/api/events', body, { authorization: `Bearer ${session}` })).json).toMatchObject({ ok: false, error: { code: 'network.unpaired' } });
    const anon = await ws.stream('/api/events', body);
    expect(anon.statusCode).toBe(401);
    anon.resume();

    const res = await ws.stream('/api/events', body, session);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    res.setEncoding('utf8');
    let text = '';
    res.on('data', (c: string) => (text += c));
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 100 && !re.test(text); i++) await new Promise((r) => setTimeout(r, 20));
      expect(text).toMatch(re);
    };
    await waitFor(/event: hello\ndata: \{"seq":\d+\}/);
    const created = (await ws.call('applicants.create', { ...person('EV100001'), firstNameLat: 'Yamna', birthDate: '1991-02-03' }, session)) as { ok: true; value: { id: string } };
    expect(created.ok).toBe(true);
    const t0 = Date.now();
    await waitFor(/event: changes/);
    expect(Date.now() - t0).toBeLessThan(1000);
    const msg = JSON.parse(/event: changes\ndata: (.*)\n/.exec(text)![1]) as { seq: number; changes: { entity: string; ids: string[] | null }[] };
    expect(msg.changes.find((c) => c.entity === 'applicants')?.ids).toContain(created.value.id);

    // A stream that starts after a number is told what changed since (nothing missed while it was away).
    const again = await ws.stream('/api/events', Buffer.from(JSON.stringify({ after: msg.seq - 1 })), session);
    expect(again.statusCode).toBe(200);
    again.setEncoding('utf8');
    const first = await new Promise<string>((ok) => again.once('data', ok));
    expect(first).toContain('event: changes');
    again.destroy();
    res.destroy();
  });

  it('locks a device after repeated failed logins from it (beside the per-user lockout)', async () => {
    const { code } = await core.invoke('network.pairingCode', {}, { token: admin });
    const bad = createOfficeClient({ address, fingerprint });
    expect((await bad.pair(code, 'Poste couloir')).ok).toBe(true);
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) {
      const r = await bad.call('auth.login', { username: `nobody${i}`, password: 'wrong-password' });
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes.slice(0, 10).every((c) => c === 'auth.invalid_credentials')).toBe(true);
    expect(codes[10]).toBe('network.device_locked');
    // Another workstation is not affected.
    expect((await ws.call('auth.login', { username: 'amina', password: 'amina-pass-123' })).ok).toBe(true);
    bad.close();
  });

  it('revoked: the workstation is refused within about a second, its event stream ended; the list shows name, last seen and user', async () => {
    const session = ((await ws.call('auth.login', { username: 'amina', password: 'amina-pass-123' })) as { ok: true; value: { token: string } }).value.token;
    const stream = await ws.stream('/api/events', Buffer.from(JSON.stringify({ after: null })), session);
    expect(stream.statusCode).toBe(200);
    stream.setEncoding('utf8');
    let text = '';
    stream.on('data', (c: string) => (text += c));
    const ended = new Promise<void>((ok) => stream.on('end', ok));
    await core.invoke('network.revoke', { id: deviceId }, { token: admin });
    // The listener reads a known device again in the background once its entry is a second old.
    await new Promise((r) => setTimeout(r, 1100));
    await ws.call('system.status', {}); // answered from memory; the device is read again meanwhile
    await new Promise((r) => setTimeout(r, 300));
    expect(await ws.call('system.status', {})).toMatchObject({ ok: false, error: { code: 'network.device_revoked' } });
    // The next change is not told to the revoked workstation: its stream ends with the reason.
    await core.invoke('applicants.create', { ...person('EV100002'), firstNameLat: 'Hafsa', birthDate: '1992-03-04' }, { token: admin });
    await ended;
    expect(text).toContain('event: end\ndata: {"code":"network.device_revoked"}');
    await net.close(); // flushes last-seen
    const s = await core.invoke('network.status', {}, { token: admin });
    const d = s.devices.find((x) => x.id === deviceId)!;
    expect(d).toMatchObject({ name: 'Poste accueil', lastUser: 'amina' });
    expect(d.lastSeenAt).not.toBeNull();
    expect(d.revokedAt).not.toBeNull();
  });
});
