import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, setupOffice, tempCore, userToken } from '../helpers/core';
import { runOfficeNetwork, startOfficeListener } from '../../src-main/net/office-server';
import { createOfficeClient, PinnedAgent } from '../../src-main/net/office-client';
import { createWorkstation, loadPairing, normalizeAddress, pinnedCertificateVerifyProc, probeMainPc, type Workstation } from '../../src-main/net/workstation';
import { makeOfficeCertificate } from '../../src-main/core/network/certificate';
import { startWebBridge } from '../../src-main/web/server';
import { registerIpc, type IpcMainLike } from '../../src-main/host/ipc';
import { IPC_CHANNELS } from '../../src-main/preload/channels';

/** Loopback only: the main PC's listener on 127.0.0.2; the workstation's loopback bridge on 127.0.0.1. */
const HOST = '127.0.0.2';

function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer();
    s.once('error', ko);
    s.listen(0, HOST, () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
}

const person = (cin: string, firstNameLat = 'Yamna', lastNameLat = 'Azdad', birthDate = '1990-03-02') => ({
  cin,
  firstNameLat,
  lastNameLat,
  birthDate,
  communeCode: '08.201.01.01',
  consent: { given: true, date: '2026-06-15', textVersion: '2026-01', channel: 'paper' },
});

describe('the office network address as typed', () => {
  it('keeps https host:port only, port 8443 by default; refuses plain http, paths, users', () => {
    expect(normalizeAddress(' 192.168.1.10 ')).toBe('https://192.168.1.10:8443/');
    expect(normalizeAddress('192.168.1.10:9443')).toBe('https://192.168.1.10:9443/');
    expect(normalizeAddress('https://192.168.1.10:8443/')).toBe('https://192.168.1.10:8443/');
    for (const bad of ['', 'http://192.168.1.10:8443/', 'https://192.168.1.10:8443/x', 'https://u:p@192.168.1.10/', 'file:///etc/passwd', 'https://1.2.3.4/?a=1']) expect(normalizeAddress(bad)).toBeNull();
  });
});

describe('PinnedAgent: nothing is sent to a server with another certificate; sessions are resumed', () => {
  it('refuses at the handshake, before the request is written', async () => {
    const other = await makeOfficeCertificate(HOST, new Date());
    let requests = 0;
    const server = createHttpsServer({ cert: other.certPem, key: other.keyPem }, (_req, res) => {
      requests++;
      res.end('{}');
    });
    await new Promise<void>((ok) => server.listen(0, HOST, ok));
    const port = (server.address() as { port: number }).port;
    const c = createOfficeClient({ address: `https://${HOST}:${port}/`, fingerprint: '00:' + other.fingerprint.slice(3), deviceId: 'd', secret: 'c2VjcmV0' });
    expect(await c.call('system.status', {}, 'session-token')).toEqual({ ok: false, error: { code: 'network.fingerprint_mismatch' } });
    expect(requests).toBe(0);
    c.close();
    // The right pin: accepted, and the second connection resumes the TLS session (no full handshake).
    const agent = new PinnedAgent(other.fingerprint, { keepAlive: false });
    const reused: boolean[] = [];
    for (let i = 0; i < 2; i++) {
      await new Promise<void>((ok, ko) => {
        const req = httpsRequest({ host: HOST, port, path: '/', agent }, (res) => {
          reused.push((res.socket as TLSSocket).isSessionReused());
          res.resume();
          res.on('end', ok);
        });
        req.on('error', ko);
        req.end();
      });
    }
    expect(requests).toBe(2);
    expect(reused).toEqual([false, true]);
    agent.destroy();
    await new Promise((ok) => server.close(ok));
  });
});

describe('a workstation installed as "connect to the office\'s main PC" (issue 17)', () => {
  const core = tempCore({ clock: () => new Date('2026-06-15T09:00:00.000Z') });
  const local = tempCore();
  let admin = '';
  let net: ReturnType<typeof runOfficeNetwork>;
  let address = '';
  let fingerprint = '';
  let staticDir = '';
  let ws: Workstation;
  const pairingFile = join(mkdtempSync(join(tmpdir(), 'jisr-ws-')), 'jisr.db.main-pc.json');
  beforeAll(async () => {
    admin = (await setupOffice(core)).token;
    await userToken(core, admin, 'amina', 'agent');
    staticDir = mkdtempSync(join(tmpdir(), 'jisr-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Jisr</title>');
    const s = await core.invoke('network.configure', { enabled: true, host: HOST, port: await freePort() }, { token: admin });
    address = s.address!;
    fingerprint = s.fingerprint!;
    net = runOfficeNetwork({ core, staticDir, everyMs: 100 });
    await net.ready;
    ws = createWorkstation({
      pairingFile,
      firstRun: async () => {
        const st = await local.call('system.status', {});
        return st.ok && !st.value.setupDone;
      },
    });
  });
  afterAll(async () => {
    ws?.close();
    await net?.close();
    await core.dispose();
    await local.dispose();
  });

  it('reads the fingerprint to compare, pairs pinned to it, keeps the pairing privately (0600)', async () => {
    expect(ws.status()).toEqual({ mode: 'local', address: null, fingerprint: null, name: null });
    expect(await ws.handle({ action: 'probe', address: 'http://127.0.0.2:1/' })).toMatchObject({ ok: false, error: { code: 'network.address_invalid' } });
    expect(await ws.handle({ action: 'probe', address: `${HOST}:${await freePort()}` })).toMatchObject({ ok: false, error: { code: 'network.main_pc_unreachable' } });
    const probe = await ws.handle({ action: 'probe', address });
    expect(probe).toEqual({ ok: true, value: { address, fingerprint } });
    // A fingerprint that is not the main PC's: the code is never sent.
    const { code } = await core.invoke('network.pairingCode', {}, { token: admin });
    const wrong = fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00');
    expect(await ws.handle({ action: 'pair', address, fingerprint: wrong, code, name: 'Accueil' })).toMatchObject({ ok: false, error: { code: 'network.fingerprint_mismatch' } });
    expect(existsSync(pairingFile)).toBe(false);
    expect(await ws.handle({ action: 'pair', address, fingerprint, code: '0000-0000', name: 'Accueil' })).toMatchObject({ ok: false, error: { code: 'network.code_invalid' } });
    const paired = await ws.handle({ action: 'pair', address, fingerprint, code, name: 'Accueil' });
    expect(paired).toEqual({ ok: true, value: { mode: 'client', address, fingerprint, name: 'Accueil' } });
    if (process.platform !== 'win32') expect(statSync(pairingFile).mode & 0o777).toBe(0o600);
    const kept = loadPairing(pairingFile)!;
    expect(kept).toMatchObject({ address, fingerprint, name: 'Accueil' });
    expect(kept.secret.length).toBeGreaterThan(20);
    // The renderer never sees the credential; a second pairing is refused while paired.
    expect(JSON.stringify(ws.status())).not.toContain(kept.secret);
    expect(await ws.handle({ action: 'probe', address })).toMatchObject({ ok: false, error: { code: 'network.already_set_up' } });
    expect(await ws.handle({ action: 'nope' })).toMatchObject({ ok: false, error: { code: 'desktop.bad_request' } });
  });

  it('the loopback web bridge of the workstation forwards calls, uploads and files to the main PC', async () => {
    const bridge = await startWebBridge({ core: local, staticDir, workstation: ws });
    const post = async (path: string, body: unknown, session?: string) =>
      (
        await fetch(`http://127.0.0.1:${bridge.port}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-jisr-key': bridge.token, ...(session ? { authorization: `Bearer ${session}` } : {}) },
          body: JSON.stringify(body),
        })
      ).json();
    try {
      expect(await post('/api/main-pc', { action: 'status' })).toEqual({ ok: true, value: { mode: 'client', address, fingerprint, name: 'Accueil' } });
      // The main PC's registry, not the local blank one.
      expect(await post('/api/call', { method: 'system.status', input: {} })).toMatchObject({ ok: true, value: { setupDone: true } });
      const login = (await post('/api/call', { method: 'auth.login', input: { username: 'amina', password: 'amina-pass-123' } })) as { ok: true; value: { token: string } };
      expect(login.ok).toBe(true);
      const token = login.value.token;
      const made = (await post('/api/call', { method: 'applicants.create', input: person('WS100001') }, token)) as { ok: boolean; value: { id: string } };
      expect(made.ok).toBe(true);
      // The main PC sees her, and its audit trail names the workstation.
      expect((await core.invoke('applicants.get', { id: made.value.id }, { token: admin })).cin).toBe('WS100001');
      const audit = core.sqlite.prepare(`SELECT actor_name FROM audit_log WHERE method = 'applicants.create' ORDER BY id DESC LIMIT 1`).pluck().get() as string;
      expect(audit).toContain('Accueil');
      // An upload goes to the main PC's outbox; a list made there comes back through the bridge.
      const up = (await (
        await fetch(`http://127.0.0.1:${bridge.port}/api/upload`, { method: 'POST', headers: { 'x-jisr-key': bridge.token, authorization: `Bearer ${token}`, 'x-jisr-filename': 'liste.xlsx' }, body: new Uint8Array([1, 2, 3]) })
      ).json()) as { ok: boolean; value: { uploadId: string } };
      expect(up.ok).toBe(true);
      expect(core.outbox.get(up.value.uploadId)?.size).toBe(3);
      const f = core.outbox.put('liste.pdf', 'application/pdf', Buffer.from('%PDF-1.4 test'));
      // The file's address carries a single-use ticket standing for the session, never the session itself.
      const ticket = (await post('/api/file-ticket', { fileId: f.id }, token)) as { ok: true; value: { ticket: string } };
      expect(ticket.ok).toBe(true);
      const res = await fetch(`http://127.0.0.1:${bridge.port}/api/files/${f.id}?k=${bridge.token}&t=${ticket.value.ticket}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain('liste.pdf');
      expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('%PDF-1.4 test');
      expect((await fetch(`http://127.0.0.1:${bridge.port}/api/files/${f.id}?k=${bridge.token}&t=${ticket.value.ticket}`)).status).not.toBe(200);
      expect((await fetch(`http://127.0.0.1:${bridge.port}/api/files/${f.id}?k=${bridge.token}&s=${token}`)).status).not.toBe(200);

      // The live refresh: the main PC's event stream for this session, relayed by the bridge.
      const ctl = new AbortController();
      const stream = await fetch(`http://127.0.0.1:${bridge.port}/api/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-jisr-key': bridge.token, authorization: `Bearer ${token}` },
        body: JSON.stringify({ after: null }),
        signal: ctl.signal,
      });
      expect(stream.status).toBe(200);
      const reader = stream.body!.getReader();
      let text = '';
      const readUntil = async (needle: string) => {
        while (!text.includes(needle)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
        expect(text).toContain(needle);
      };
      await readUntil('event: hello');
      await post('/api/call', { method: 'applicants.create', input: person('WS100009', 'Naima', 'Ouali', '1993-05-06') }, token);
      await readUntil('event: changes');
      expect(text).toContain('"entity":"applicants"');
      ctl.abort();
      const refused = await fetch(`http://127.0.0.1:${bridge.port}/api/events`, { method: 'POST', headers: { 'x-jisr-key': bridge.token }, body: JSON.stringify({ after: null }) });
      expect(refused.status).toBe(401);
    } finally {
      await bridge.close();
    }
  });

  it('the window\'s IPC forwards to the main PC too (the Electron main process, without Electron)', async () => {
    const handlers = new Map<string, (e: unknown, ...a: unknown[]) => Promise<unknown>>();
    const ipcMain: IpcMainLike = { handle: (c, l) => void handlers.set(c, l as never), removeHandler: (c) => void handlers.delete(c) };
    const noop = { info() {}, warn() {}, error() {}, debug() {} } as never;
    const off = registerIpc(ipcMain, {
      core: local,
      workstation: ws,
      logger: noop,
      documentsDir: tmpdir(),
      getWindow: () => null,
      shell: { openPath: async () => '' },
      dialog: { showSaveDialog: async () => ({ canceled: true }), showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    });
    const app = { senderFrame: { url: 'jisr://app/index.html', parent: null } };
    try {
      expect(await handlers.get(IPC_CHANNELS.mainPc)!(app, { action: 'status' })).toMatchObject({ ok: true, value: { mode: 'client' } });
      const login = (await handlers.get(IPC_CHANNELS.call)!(app, 'auth.login', { username: 'amina', password: 'amina-pass-123' })) as { ok: true; value: { token: string } };
      expect(login.ok).toBe(true);
      const r = (await handlers.get(IPC_CHANNELS.call)!(app, 'applicants.search', { q: 'WS100001', limit: 5 }, login.value.token)) as { ok: boolean; value: { total: number } };
      expect(r).toMatchObject({ ok: true, value: { total: 1 } });
      const up = (await handlers.get(IPC_CHANNELS.uploadFile)!(app, 'a.csv', new Uint8Array([9, 9]), login.value.token)) as { ok: boolean; value: { uploadId: string } };
      expect(up.ok).toBe(true);
      expect(core.outbox.get(up.value.uploadId)?.size).toBe(2);
    } finally {
      off();
    }
  });

  it('main PC stopped: a plain coded refusal, nothing half-written; restarted: the same call works', async () => {
    const login = (await ws.remote!.call('auth.login', { username: 'amina', password: 'amina-pass-123' })) as { ok: true; value: { token: string } };
    const token = login.value.token;
    const cfg = await core.invoke('network.listenerConfig', {}, { actor: cli });
    await net.close();
    expect(await ws.remote!.call('applicants.create', person('WS100002', 'Hafsa', 'Tazi', '1984-11-20'), token)).toEqual({ ok: false, error: { code: 'network.main_pc_unreachable' } });
    expect(core.sqlite.prepare(`SELECT COUNT(*) FROM applicants WHERE cin = 'WS100002'`).pluck().get()).toBe(0);
    const again = await startOfficeListener({ core, staticDir, host: HOST, port: cfg.port, certPem: cfg.certPem!, keyPem: cfg.keyPem! });
    try {
      expect(await ws.remote!.call('applicants.create', person('WS100002', 'Hafsa', 'Tazi', '1984-11-20'), token)).toMatchObject({ ok: true });
      expect(core.sqlite.prepare(`SELECT COUNT(*) FROM applicants WHERE cin = 'WS100002'`).pluck().get()).toBe(1);
      // Revoked on the main PC: refused, and the pairing is forgotten (the first-run choice comes back).
      const devices = (await core.invoke('network.status', {}, { token: admin })).devices;
      await core.invoke('network.revoke', { id: devices.find((d) => d.name === 'Accueil')!.id }, { token: admin });
      let r = await ws.remote!.call('system.status', {});
      for (let i = 0; i < 30 && r.ok; i++) {
        await new Promise((ok) => setTimeout(ok, 100));
        r = (await ws.remote?.call('system.status', {})) ?? { ok: false, error: { code: 'network.device_revoked' } };
      }
      expect(r).toMatchObject({ ok: false, error: { code: 'network.device_revoked' } });
      expect(ws.remote).toBeNull();
      expect(ws.status().mode).toBe('local');
      expect(existsSync(pairingFile)).toBe(false);
    } finally {
      await again.close();
    }
  });

  it('Electron: the session accepts only the pinned certificate', async () => {
    const cfg = await core.invoke('network.listenerConfig', {}, { actor: cli });
    const other = await makeOfficeCertificate(HOST, new Date());
    const proc = pinnedCertificateVerifyProc(() => fingerprint);
    const verdict = (pem: string) => new Promise<number>((ok) => proc({ certificate: { data: pem } }, ok));
    expect(await verdict(cfg.certPem!)).toBe(0);
    expect(await verdict(other.certPem)).toBe(-2);
    expect(await verdict('garbage')).toBe(-2);
    expect(await new Promise<number>((ok) => pinnedCertificateVerifyProc(() => null)({ certificate: { data: cfg.certPem! } }, ok))).toBe(-2);
  });

  it('probeMainPc reads the certificate without trusting it', async () => {
    expect(await probeMainPc('not an address')).toMatchObject({ ok: false, error: { code: 'network.address_invalid' } });
  });
});
