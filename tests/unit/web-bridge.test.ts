import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebBridge, type WebBridge } from '../../src-main/web/server';
import { tempCore, setupOffice, ADMIN_PASSWORD } from '../helpers/core';

const staticDir = mkdtempSync(join(tmpdir(), 'jisr-static-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><html><body>app</body></html>');
const core = tempCore();
let bridge: WebBridge;

beforeAll(async () => {
  await setupOffice(core);
  bridge = await startWebBridge({ core, staticDir, port: 0 });
});
afterAll(async () => {
  await bridge.close();
  await core.dispose();
  rmSync(staticDir, { recursive: true, force: true });
});

function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((ok, ko) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let b = '';
      res.on('data', (c) => (b += c));
      res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body: b }));
    });
    req.on('error', ko);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const call = (method: string, input: unknown, headers: Record<string, string> = {}) =>
  raw('/api/call', { method: 'POST', headers: { 'content-type': 'application/json', 'x-jisr-key': bridge.token, ...headers }, body: JSON.stringify({ method, input }) });

describe('web bridge', () => {
  it('listens on 127.0.0.1 and prints a URL carrying the per-start token', () => {
    expect(bridge.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${bridge.port}/\\?k=[A-Za-z0-9_-]{20,}$`));
    expect((bridge.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('serves the renderer with a strict CSP', async () => {
    const r = await raw('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('app');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('refuses API calls without the token or with a wrong one', async () => {
    const none = await raw('/api/call', { method: 'POST', body: JSON.stringify({ method: 'system.status', input: {} }) });
    expect(none.status).toBe(401);
    const wrong = await call('system.status', {}, { 'x-jisr-key': 'wrong' });
    expect(wrong.status).toBe(401);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    const host = await raw('/api/call', { method: 'POST', headers: { host: 'evil.example:80', 'x-jisr-key': bridge.token }, body: '{}' });
    expect(host.status).toBe(421);
    const origin = await call('system.status', {}, { origin: 'http://evil.example' });
    expect(origin.status).toBe(403);
  });

  it('runs the same handlers: login, then an authenticated call with the session token', async () => {
    const status = JSON.parse((await call('system.status', {})).body);
    expect(status).toMatchObject({ ok: true, value: { setupDone: true } });
    const denied = JSON.parse((await call('users.list', {})).body);
    expect(denied).toMatchObject({ ok: false, error: { code: 'auth.login_required' } });
    const login = JSON.parse((await call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).body);
    expect(login.ok).toBe(true);
    const users = JSON.parse((await call('users.list', {}, { authorization: `Bearer ${login.value.token}` })).body);
    expect(users).toMatchObject({ ok: true });
    expect(users.value[0].username).toBe('admin');
  });

  it('serves produced files only with the token, and uploads only for a logged-in user', async () => {
    const f = core.outbox.put('report.txt', 'text/plain', Buffer.from('hello'));
    expect((await raw(`/api/files/${f.id}`)).status).toBe(401);
    const got = await raw(`/api/files/${f.id}?k=${bridge.token}`);
    expect(got.status).toBe(200);
    expect(got.body).toBe('hello');
    const anon = await raw('/api/upload', { method: 'POST', headers: { 'x-jisr-key': bridge.token, 'x-jisr-filename': 'a.csv' }, body: 'x' });
    expect(anon.status).toBe(401);
  });

  it('does not serve files outside the renderer folder', async () => {
    const r = await raw('/../../etc/passwd');
    expect(r.body).not.toContain('root:');
  });

  it('live refresh: the event stream needs the key and a session, says which tables changed, and ends with the session', async () => {
    const admin = JSON.parse((await call('auth.login', { username: 'admin', password: ADMIN_PASSWORD })).body).value.token as string;
    const open = (headers: Record<string, string>, after: number | null = null) =>
      fetch(`http://127.0.0.1:${bridge.port}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ after }) });
    expect((await open({ authorization: `Bearer ${admin}` })).status).toBe(401);
    const anon = await open({ 'x-jisr-key': bridge.token });
    expect(anon.status).toBe(401);
    expect(await anon.json()).toMatchObject({ ok: false, error: { code: 'auth.login_required' } });
    expect((await fetch(`http://127.0.0.1:${bridge.port}/api/events`, { method: 'POST', headers: { 'x-jisr-key': bridge.token }, body: '{"after":-1}' })).status).toBe(400);

    const res = await open({ 'x-jisr-key': bridge.token, authorization: `Bearer ${admin}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil('event: hello');
    const t0 = Date.now();
    await call('organisations.create', { kind: 'other', nameAr: 'جمعية تافيلالت', nameFr: 'Association Tafilalet' }, { authorization: `Bearer ${admin}` });
    await readUntil('event: changes');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(text).toContain('"entity":"organisations"');
    // Logged out: the stream tells nothing more and ends with the reason at the next change.
    await call('auth.logout', {}, { authorization: `Bearer ${admin}` });
    await core.invoke('organisations.create', { kind: 'other', nameAr: 'جمعية زيز', nameFr: 'Association Ziz' }, { actor: { kind: 'cli', osUser: 'test' } });
    await readUntil('event: end');
    expect(text).toContain('event: end\ndata: {"code":"auth.session_expired"}');
    expect(text.match(/event: changes/g)?.length).toBe(1);
  });
});
