import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Core } from '../core/core';
import { AppError } from '../shared/errors';
import { readBody, sendJson, sendOutboxFile, serveStatic } from './http';
import { ChangeWatch, parseEventsBody, serveChangeStream } from './events';
import { CSP } from '../shared/csp';
import type { Logger } from '../core/context';
import type { Workstation } from '../net/workstation';

/** The Content-Security-Policy of the app, the same for the window and the web bridge. */
export { CSP };


export interface WebBridgeOptions {
  core: Core;
  /** The built renderer (vite build output). */
  staticDir: string;
  port?: number;
  /** Fixed token for tests; random per start otherwise. */
  token?: string;
  /** Largest request body accepted (uploads of Excel and exchange files). */
  maxBodyBytes?: number;
  /** Where an unexpected failure is noted (one line, no stack). */
  logger?: Pick<Logger, 'error'>;
  /**
   * The office's main PC (issue 17): on a paired workstation, calls, uploads and produced files are forwarded to it
   * over the pinned connection (net/workstation.ts); POST /api/main-pc is the first-run pairing.
   */
  workstation?: Workstation;
}

export interface WebBridge {
  server: Server;
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The name of an uploaded file from its header (percent-encoded by the page): decoded, only its last part (it
 * names a file in the outbox, never a path), at most 255 characters, no control characters; null when unusable.
 */
export function uploadName(header: string | string[] | undefined): string | null {
  if (header === undefined) return 'upload.bin';
  if (typeof header !== 'string' || header.length > 255 * 12) return null;
  let name: string;
  try {
    name = decodeURIComponent(header);
  } catch {
    return null;
  }
  name = name.replace(/\\/g, '/').split('/').pop() ?? '';
  if (!name || name === '.' || name === '..' || name.length > 255 || /[\u0000-\u001f\u007f]/.test(name)) return null;
  return name;
}

const send = sendJson;

/**
 * The loopback web bridge: serves the renderer and the same handler table over HTTP on 127.0.0.1.
 *   POST /api/call       {method, input} → {ok, value | error}; headers x-jisr-key (the per-start token)
 *                        and, after login, authorization: Bearer <session token>
 *   POST /api/upload     raw bytes, header x-jisr-filename → {ok, value: {uploadId}} (imports)
 *   GET  /api/files/:id?k=TOKEN[&t=TICKET]  a file produced by a method (PDF, xlsx, exchange file)
 *   POST /api/file-ticket {fileId} → {ticket}: on a workstation, a single-use ticket (a minute) standing for the
 *                        session in the file's address (the bridge fetches the file from the main PC with it)
 *   POST /api/events     {after} → the live refresh's event stream (web/events.ts; relayed from the main PC on a
 *                        workstation)
 *   POST /api/main-pc    {action, …} → the office's main PC: status, and at first run probe / pair (net/workstation.ts)
 * On a workstation paired with the office's main PC, /api/call, /api/upload and /api/files go to the main PC.
 * Requests must carry the token printed in the URL; the Host header must be the loopback
 * address (no DNS rebinding), and a cross-origin Origin is refused.
 */
export async function startWebBridge(opts: WebBridgeOptions): Promise<WebBridge> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const staticRoot = resolve(opts.staticDir);
  const maxBody = opts.maxBodyBytes ?? 64 * 1024 * 1024;
  if (!existsSync(join(staticRoot, 'index.html'))) {
    throw new AppError('web.renderer_not_built', { dir: staticRoot });
  }
  let port = 0;
  const watch = new ChangeWatch(opts.core);
  const tickets = new Map<string, { fileId: string; session: string | undefined; exp: number }>();

  const server = createServer(async (req, res) => {
    try {
      const host = req.headers.host ?? '';
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
        res.writeHead(421).end('misdirected');
        return;
      }
      const origin = req.headers.origin;
      if (origin && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
        send(res, 403, { ok: false, error: { code: 'api.bad_origin' } });
        return;
      }
      let url: URL;
      let pathname: string;
      try {
        url = new URL(req.url ?? '/', `http://${host}`);
        pathname = decodeURIComponent(url.pathname);
      } catch {
        // `GET /%`, a broken escape, an unparsable target: a coded refusal, not a crash.
        return send(res, 400, { ok: false, error: { code: 'api.bad_url' } });
      }
      if (pathname.includes('\0')) return send(res, 400, { ok: false, error: { code: 'api.bad_url' } });
      if (url.pathname.startsWith('/api/')) {
        const rawKey = req.headers['x-jisr-key'];
        const key = (typeof rawKey === 'string' ? rawKey : undefined) ?? url.searchParams.get('k') ?? undefined;
        if (!sameToken(key, token)) {
          send(res, 401, { ok: false, error: { code: 'api.bad_token' } });
          return;
        }
        const auth = req.headers.authorization;
        const session = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
        const main = opts.workstation?.remote ?? null;
        if (url.pathname === '/api/main-pc' && req.method === 'POST' && opts.workstation) {
          let body: unknown;
          try {
            body = JSON.parse((await readBody(req, 4096)).toString('utf8'));
          } catch {
            return send(res, 400, { ok: false, error: { code: 'api.bad_json' } });
          }
          return send(res, 200, await opts.workstation.handle(body));
        }
        if (url.pathname === '/api/call' && req.method === 'POST') {
          let body: unknown;
          try {
            body = JSON.parse((await readBody(req, maxBody)).toString('utf8'));
          } catch (e) {
            if (e instanceof AppError) return send(res, 413, { ok: false, error: e.toPayload() });
            return send(res, 400, { ok: false, error: { code: 'api.bad_json' } });
          }
          // `null`, an array, a number, a method that is not a short string: refused before the dispatcher.
          if (!body || typeof body !== 'object' || Array.isArray(body)) return send(res, 400, { ok: false, error: { code: 'api.bad_body' } });
          const { method, input } = body as { method?: unknown; input?: unknown };
          if (typeof method !== 'string' || method.length > 100) return send(res, 400, { ok: false, error: { code: 'api.bad_body' } });
          const result = main ? await main.call(method, input, session) : await opts.core.call(method as never, input, { token: session });
          send(res, 200, result);
          // A save is told to the open event streams at once.
          if (!main) watch.poke();
          return;
        }
        if (url.pathname === '/api/events' && req.method === 'POST') {
          let b: { after: number | null } | undefined;
          try {
            b = parseEventsBody(await readBody(req, 1024));
          } catch {
            b = undefined;
          }
          if (!b) return send(res, 400, { ok: false, error: { code: 'api.bad_body' } });
          if (main) {
            // A workstation: the main PC's stream for this session, relayed as it comes.
            const r = await main.events(b.after, session);
            if (!r.ok) return send(res, r.error.code === 'network.main_pc_unreachable' ? 502 : 401, r);
            const upstream = r.value;
            res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
            res.on('close', () => upstream.destroy());
            upstream.on('error', () => res.destroy());
            upstream.pipe(res);
            return;
          }
          return serveChangeStream(req, res, {
            after: b.after,
            since: (after) => opts.core.call('changes.since', { after }, { token: session }),
            alive: () => opts.core.call('changes.latest', {}, { token: session }),
            watch,
          });
        }
        if (url.pathname === '/api/file-ticket' && req.method === 'POST') {
          let fileId: unknown;
          try {
            fileId = (JSON.parse((await readBody(req, 1024)).toString('utf8')) as { fileId?: unknown })?.fileId;
          } catch {
            return send(res, 400, { ok: false, error: { code: 'api.bad_json' } });
          }
          if (typeof fileId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(fileId)) return send(res, 400, { ok: false, error: { code: 'api.bad_body' } });
          const now = Date.now();
          if (tickets.size > 1000) for (const [k, v] of tickets) if (v.exp < now) tickets.delete(k);
          const ticket = randomBytes(24).toString('base64url');
          tickets.set(ticket, { fileId, session, exp: now + 60_000 });
          return send(res, 200, { ok: true, value: { ticket } });
        }
        if (url.pathname === '/api/upload' && req.method === 'POST') {
          const name = uploadName(req.headers['x-jisr-filename']);
          if (name === null) {
            req.resume();
            return send(res, 400, { ok: false, error: { code: 'api.upload_name_invalid' } });
          }
          let data: Buffer;
          try {
            data = await readBody(req, maxBody);
          } catch (e) {
            return send(res, 413, { ok: false, error: (e as AppError).toPayload?.() ?? { code: 'api.body_too_large' } });
          }
          if (main) return send(res, 200, await main.upload(name, data, session));
          // Uploads are only useful to a logged-in user, or on a fresh installation (no office, no data yet): the
          // setup screen's restore of a backup with the recovery sheet.
          const me = await opts.core.call('auth.me', {}, { token: session });
          if (!me.ok) {
            const st = await opts.core.call('system.status', {});
            if (!(st.ok && st.value.office === null)) return send(res, 401, me);
          }
          const f = opts.core.outbox.put(name, 'application/octet-stream', data);
          send(res, 200, { ok: true, value: { uploadId: f.id, name, size: f.size } });
          return;
        }
        const m = /^\/api\/files\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
        if (m && req.method === 'GET' && main) {
          // The session stands behind a single-use ticket (POST /api/file-ticket), never in the address.
          const t = url.searchParams.get('t') ?? '';
          const ticket = tickets.get(t);
          if (ticket) tickets.delete(t);
          if (!ticket || ticket.exp < Date.now() || ticket.fileId !== m[1]) return send(res, 401, { ok: false, error: { code: 'network.file_link_expired' } });
          const r = await main.download(m[1], ticket.session);
          if (!r.ok) return send(res, r.error.code === 'file.not_found' ? 404 : 502, r);
          const f = opts.core.outbox.put(r.value.name, r.value.mime, r.value.data);
          sendOutboxFile(res, f, !!url.searchParams.get('inline'));
          return;
        }
        if (m && req.method === 'GET') {
          const f = opts.core.outbox.get(m[1]);
          if (!f) return send(res, 404, { ok: false, error: { code: 'file.not_found' } });
          sendOutboxFile(res, f, !!url.searchParams.get('inline'));
          return;
        }
        if (['/api/call', '/api/upload'].includes(url.pathname) || m) return send(res, 405, { ok: false, error: { code: 'api.method_not_allowed' } });
        send(res, 404, { ok: false, error: { code: 'api.not_found' } });
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        req.resume();
        return send(res, 405, { ok: false, error: { code: 'api.method_not_allowed' } });
      }
      // Static renderer files; anything unknown falls back to index.html (client-side routes).
      serveStatic(res, staticRoot, pathname);
    } catch (e) {
      // Not expected (every bad request above has its coded 4xx): one line, no stack, no request content.
      opts.logger?.error('web bridge: unexpected error', { ref: (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.name ?? 'error' });
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal.unexpected' } });
      else res.end();
    }
  });
  // A request Node cannot parse (bad header bytes, a broken request line): a 400, never a thrown error.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"ok":false,"error":{"code":"api.bad_request"}}');
    else socket.destroy();
  });

  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/?k=${token}`;
  return {
    server,
    port,
    token,
    url,
    close: () =>
      new Promise<void>((ok) => {
        watch.close();
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
