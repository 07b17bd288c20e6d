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
});
