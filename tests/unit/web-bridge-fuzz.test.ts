import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebBridge, uploadName, type WebBridge } from '../../src-main/web/server';
import { createCore, type Core } from '../../src-main/core/core';
import { METHOD_NAMES } from '../../src-main/shared/api/contract';
import { errorTemplate } from '../../src-main/shared/i18n/translate-error';
import { setupOffice } from '../helpers/core';

/*
 * Issue 16, "Malformed requests": every bad URL, body, header, upload name or path gets a coded 4xx answer,
 * never a 500 or a stack trace in the log; then a few thousand random requests (seeded, bounded, loopback only).
 */

const staticDir = mkdtempSync(join(tmpdir(), 'jisr-static-'));
const dataDir = mkdtempSync(join(tmpdir(), 'jisr-fuzz-'));
writeFileSync(join(staticDir, 'index.html'), '<!doctype html><html><body>app</body></html>');
const logged: { level: string; msg: string; data: string }[] = [];
const note = (level: string) => (msg: string, data?: Record<string, unknown>) => logged.push({ level, msg, data: JSON.stringify(data ?? {}) });
const logger = { info: note('info'), warn: note('warn'), error: note('error'), debug: note('debug') } as never;
let core: Core;
let bridge: WebBridge;
let session = '';

beforeAll(async () => {
  core = createCore({ dbPath: join(dataDir, 'jisr.db'), logger });
  session = (await setupOffice(core)).token;
  bridge = await startWebBridge({ core, staticDir, port: 0, logger });
});
afterAll(async () => {
  await bridge.close();
  await core.close();
  rmSync(staticDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

type Answer = { status: number; body: string };
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
  return new Promise((ok, ko) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, path, method: opts.method ?? 'GET', headers: opts.headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', ko);
    });
    req.on('error', ko);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Bytes straight on the socket (what an HTTP client library would refuse to send). */
function socket(bytes: string): Promise<string> {
  return new Promise((ok) => {
    const s = connect(bridge.port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('end', () => ok(got));
    s.on('close', () => ok(got));
    s.on('error', () => ok(got));
    s.setTimeout(5000, () => s.destroy());
    s.write(bytes, 'latin1');
  });
}

const key = () => ({ 'x-jisr-key': bridge.token });
const authed = () => ({ ...key(), authorization: `Bearer ${session}` });

function coded4xx(a: Answer, code?: string) {
  expect(a.status, a.body).toBeGreaterThanOrEqual(400);
  expect(a.status, a.body).toBeLessThan(500);
  const j = JSON.parse(a.body) as { ok: boolean; error: { code: string } };
  expect(j.ok).toBe(false);
  if (code) expect(j.error.code).toBe(code);
  expect(errorTemplate(j.error.code, 'ar'), j.error.code).toBeTruthy();
  expect(errorTemplate(j.error.code, 'fr'), j.error.code).toBeTruthy();
}

function noStackLogged() {
  const bad = logged.filter((l) => l.level === 'error' || /\n\s+at /.test(l.data));
  expect(bad).toEqual([]);
}

describe('malformed requests get a coded 4xx', () => {
  it('bad URLs: GET /%, broken escapes, a NUL', async () => {
    for (const p of ['/%', '/%E0%A4%A', '/api/%', '/api/files/%zz', '/%00', '/a%00b']) coded4xx(await raw(p, { headers: key() }), 'api.bad_url');
    noStackLogged();
  });

  it('bad bodies: null, an array, a number, a string, a method that is not a string, broken JSON', async () => {
    for (const body of ['null', '[]', '42', '"x"', '{"method":42}', '{"method":null}', `{"method":"${'x'.repeat(500)}"}`, 'true']) {
      coded4xx(await raw('/api/call', { method: 'POST', headers: { ...authed(), 'content-type': 'application/json' }, body }), 'api.bad_body');
    }
    coded4xx(await raw('/api/call', { method: 'POST', headers: authed(), body: '{"method":' }), 'api.bad_json');
    // A body of null as the method's input is an ordinary validation refusal (200 + ok:false, as for any input).
    const r = await raw('/api/call', { method: 'POST', headers: authed(), body: '{"method":"users.list","input":null}' });
    expect(r.status).toBe(200);
    noStackLogged();
  });

  it('bad headers: a doubled key, an unparsable header line, a broken request line', async () => {
    coded4xx(await raw('/api/call', { method: 'POST', headers: { 'x-jisr-key': 'nope' }, body: '{}' }), 'api.bad_token');
    const doubled = await socket(`POST /api/call HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nx-jisr-key: ${bridge.token}\r\nx-jisr-key: ${bridge.token}\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`);
    expect(doubled).toMatch(/^HTTP\/1\.1 4\d\d/);
    for (const junk of [`GET / HTTP/1.1\r\nHost: 127.0.0.1:${bridge.port}\r\nBad Header\r\n\r\n`, 'NONSENSE\r\n\r\n', `GET /\x01 HTTP/1.1\r\n\r\n`]) {
      const got = await socket(junk);
      expect(got).toMatch(/^HTTP\/1\.1 4\d\d/);
    }
    noStackLogged();
  });

  it('bad upload names: 5,000 characters, a broken escape, control characters; a path becomes its last part', async () => {
    const up = (name: string) => raw('/api/upload', { method: 'POST', headers: { ...authed(), 'x-jisr-filename': name }, body: 'data' });
    coded4xx(await up(encodeURIComponent('a'.repeat(5000))), 'api.upload_name_invalid');
    coded4xx(await up(encodeURIComponent('ب'.repeat(300))), 'api.upload_name_invalid');
    coded4xx(await up('%E0%A4%A'), 'api.upload_name_invalid');
    coded4xx(await up(encodeURIComponent('a\u0001b.xlsx')), 'api.upload_name_invalid');
    coded4xx(await up(encodeURIComponent('../')), 'api.upload_name_invalid');
    const ok = await up(encodeURIComponent('../../etc/لائحة.xlsx'));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).value.name).toBe('لائحة.xlsx');
    const long = await up(encodeURIComponent('ب'.repeat(250) + '.xlsx'));
    expect(long.status).toBe(200);
    expect(uploadName(undefined)).toBe('upload.bin');
    noStackLogged();
  });

  it('bad methods and paths: PUT on a page, GET on /api/call, an unknown /api path, a directory given to import', async () => {
    coded4xx(await raw('/', { method: 'PUT', headers: key(), body: 'x' }), 'api.method_not_allowed');
    coded4xx(await raw('/api/call', { headers: key() }), 'api.method_not_allowed');
    coded4xx(await raw('/api/nothing', { headers: key() }), 'api.not_found');
    coded4xx(await raw('/api/files/doesnotexist', { headers: key() }), 'file.not_found');
    const r = await raw('/api/call', { method: 'POST', headers: authed(), body: JSON.stringify({ method: 'imports.preview', input: { path: dataDir } }) });
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'api.cli_only' } });
    noStackLogged();
  });
});

describe('fuzz: a few thousand random requests to the bridge', () => {
  it('never answers 5xx, never crashes, never logs a stack', { timeout: 240_000 }, async () => {
    // A small seeded generator: the same requests on every run.
    let seed = 0x5eed16;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const junk = (n: number) => Array.from({ length: Math.floor(rnd() * n) }, () => String.fromCharCode(Math.floor(rnd() * 0x800))).join('');
    const ascii = (n: number) => Array.from({ length: Math.floor(rnd() * n) }, () => String.fromCharCode(32 + Math.floor(rnd() * 95))).join('');
    const values = (): unknown => {
      const k = Math.floor(rnd() * 10);
      if (k === 0) return null;
      if (k === 1) return rnd() * 1e9 - 5e8;
      if (k === 2) return junk(30);
      if (k === 3) return [values(), values()];
      if (k === 4) return { [pick(['path', 'id', 'uploadId', 'name', 'folder', 'outFile', 'userId', 'page', '__proto__', 'constructor'])]: values() };
      if (k === 5) return true;
      if (k === 6) return '../../../../etc/passwd';
      if (k === 7) return 'x'.repeat(Math.floor(rnd() * 5000));
      if (k === 8) return {};
      return -1;
    };
    const paths = ['/', '/api/call', '/api/upload', '/api/files/', '/api/', '/index.html', '/assets/', '/%', '/..%2f..%2fetc%2fpasswd', '/api/files/%2e%2e'];
    const N = 2500;
    const statuses = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const kind = rnd();
      const headers: Record<string, string> = {};
      if (rnd() < 0.8) headers['x-jisr-key'] = rnd() < 0.9 ? bridge.token : ascii(40);
      if (rnd() < 0.5) headers.authorization = rnd() < 0.7 ? `Bearer ${session}` : `Bearer ${ascii(30)}`;
      let path: string;
      let method = 'GET';
      let body: string | undefined;
      if (kind < 0.5) {
        path = '/api/call';
        method = rnd() < 0.95 ? 'POST' : pick(['GET', 'PUT', 'DELETE', 'PATCH']);
        const m = rnd() < 0.8 ? pick(METHOD_NAMES) : junk(20);
        body = rnd() < 0.85 ? JSON.stringify({ method: m, input: values() }) : pick(['null', '[]', '{', '{"method":{}}', junk(50), '']);
      } else if (kind < 0.65) {
        path = '/api/upload';
        method = 'POST';
        headers['x-jisr-filename'] = rnd() < 0.5 ? encodeURIComponent(junk(rnd() < 0.1 ? 6000 : 80)) : ascii(100);
        body = junk(200);
      } else {
        path = pick(paths) + (rnd() < 0.5 ? encodeURIComponent(junk(20)) : ascii(30).replace(/[\s#?]/g, '%'));
        method = pick(['GET', 'GET', 'HEAD', 'POST', 'OPTIONS']);
        if (method === 'POST') body = junk(50);
      }
      let a: Answer;
      try {
        a = await raw(path, { method, headers, body });
      } catch (e) {
        // The client library refused to send it (an invalid header value): not a request the bridge saw.
        if (/Invalid character|ERR_INVALID|ERR_UNESCAPED|Request path contains/i.test(String((e as Error).message ?? e) + String((e as { code?: string }).code))) continue;
        throw e;
      }
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      expect(a.status, `${method} ${path} ${body?.slice(0, 200)} → ${a.body.slice(0, 200)}`).toBeLessThan(500);
      if (a.status >= 400 && a.body.startsWith('{')) expect(JSON.parse(a.body).error?.code).toBeTruthy();
      if (a.body.startsWith('{"ok":false')) expect(JSON.parse(a.body).error.code, `${method} ${path} ${body?.slice(0, 300)}`).not.toBe('internal.unexpected');
    }
    const total = [...statuses.values()].reduce((x, y) => x + y, 0);
    expect(total).toBeGreaterThan(N * 0.9);
    noStackLogged();
    // The bridge still answers, and the database is whole.
    expect((await raw('/api/call', { method: 'POST', headers: authed(), body: '{"method":"auth.me","input":{}}' })).status).toBe(200);
    expect(core.sqlite.prepare('PRAGMA quick_check').pluck().get()).toBe('ok');
  });
});
