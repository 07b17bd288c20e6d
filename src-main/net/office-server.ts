import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Core } from '../core/core';
import type { Actor, Logger } from '../core/context';
import { AppError } from '../shared/errors';
import { uploadName } from '../web/server';
import { readBody, sendJson, sendOutboxFile, serveStatic } from '../web/http';
import { ChangeWatch, parseEventsBody, serveChangeStream } from '../web/events';

/**
 * The office network listener (issue 17): the main PC serves its colleagues' workstations over HTTPS only (never
 * plain HTTP off loopback), with its own certificate (made at setup, pinned by each workstation at pairing).
 *
 *   GET  /…                  the renderer (the same app; it shows the pairing screen until the browser is paired)
 *   POST /pair               {code, name} → {deviceId, secret, fingerprint}: the one-time code the administrator shows
 *   POST /api/call           {method, input}; signed by the device (below) and, after login, Bearer <session>
 *   POST /api/upload         raw bytes (imports), signed the same way
 *   POST /api/events         {after} → the live refresh's event stream (web/events.ts), signed the same way
 *   POST /api/file-ticket    {fileId} → {ticket}: a single-use download ticket (a minute), signed, with the session
 *   GET  /api/files/:id?t=TICKET   a produced file (report, list, attestation, exchange file)
 *
 * Every API request carries the device's credential as a signature: x-jisr-device (its id), x-jisr-ts (ms),
 * x-jisr-nonce (random, used once) and x-jisr-sig = base64url HMAC-SHA256(secret, METHOD \n PATH \n ts \n nonce \n
 * sha256-hex(body)). Refused: an unpaired or revoked device, a bad signature, a stale time or a nonce seen before
 * (replay), a Host or Origin that is not the configured address (DNS rebinding, other sites). Per device, repeated
 * failed logins lock the device for a while (beside the per-user lockout of the core). Calls are made with the
 * workstation's name, so the audit trail names it.
 */
export const SIGNATURE_WINDOW_MS = 2 * 60 * 1000;
export const DEVICE_LOCK_FAILURES = 10;
export const DEVICE_LOCK_MS = 15 * 60 * 1000;
const DEVICE_CACHE_MS = 1000;
const SEEN_FLUSH_MS = 60 * 1000;
/** How long a download ticket is good for (once). */
export const FILE_TICKET_MS = 60 * 1000;
const LISTENER: Actor = { kind: 'cli', osUser: 'office-network' };


export function signRequest(secret: string, method: string, path: string, ts: string, nonce: string, body: Buffer | string): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', Buffer.from(secret, 'base64url')).update(`${method}\n${path}\n${ts}\n${nonce}\n${bodyHash}`).digest('base64url');
}

export interface OfficeListenerOptions {
  core: Core;
  staticDir: string;
  host: string;
  port: number;
  certPem: string;
  keyPem: string;
  maxBodyBytes?: number;
  logger?: Pick<Logger, 'error' | 'info'>;
  /** Wall clock for signature freshness (tests). */
  now?: () => number;
}

export interface OfficeListener {
  server: Server;
  host: string;
  port: number;
  address: string;
  close(): Promise<void>;
}

const HSTS = { 'strict-transport-security': 'max-age=31536000' };
const send = (res: ServerResponse, status: number, body: unknown) => sendJson(res, status, body, HSTS);
const refuse = (res: ServerResponse, status: number, code: string, params?: Record<string, unknown>) => send(res, status, { ok: false, error: { code, ...(params ? { params } : {}) } });

export async function startOfficeListener(opts: OfficeListenerOptions): Promise<OfficeListener> {
  const { core } = opts;
  const staticRoot = resolve(opts.staticDir);
  const maxBody = opts.maxBodyBytes ?? 64 * 1024 * 1024;
  const now = opts.now ?? Date.now;
  const devices = new Map<string, { at: number; d: { id: string; name: string; secret: string; revoked: boolean } | null }>();
  const nonces = new Map<string, number>();
  const failures = new Map<string, number[]>();
  const seen = new Map<string, { at: string; user: string | null }>();
  const tickets = new Map<string, { fileId: string; deviceId: string; session: string; exp: number }>();
  const watch = new ChangeWatch(core);
  let port = opts.port;
  const origin = () => `https://${opts.host}:${port}`;

  const lookup = async (id: string) => {
    const r = await core.call('network.device', { id }, { actor: LISTENER });
    const d = r.ok ? r.value : null;
    devices.set(id, { at: now(), d });
    return d;
  };
  const refreshing = new Set<string>();
  /**
   * A known device is answered from memory and read again in the background once its entry is a second old (not
   * on the request's path: the lookup waits its turn behind the running calls); a revocation therefore applies
   * within about a second. An unknown or revoked device is always read again.
   */
  async function device(id: string) {
    const c = devices.get(id);
    if (c?.d && !c.d.revoked) {
      if (now() - c.at >= DEVICE_CACHE_MS && !refreshing.has(id)) {
        refreshing.add(id);
        void lookup(id).finally(() => refreshing.delete(id));
      }
      return c.d;
    }
    return lookup(id);
  }

  /** The device of a signed request, or a refusal code. */
  async function verify(req: IncomingMessage, path: string, body: Buffer): Promise<{ id: string; name: string } | string> {
    const h = (n: string) => (typeof req.headers[n] === 'string' ? (req.headers[n] as string) : '');
    const id = h('x-jisr-device');
    const ts = h('x-jisr-ts');
    const nonce = h('x-jisr-nonce');
    const sig = h('x-jisr-sig');
    if (!id || id.length > 64 || !sig) return 'network.unpaired';
    const d = await device(id);
    if (!d) return 'network.unpaired';
    if (d.revoked) return 'network.device_revoked';
    const expected = signRequest(d.secret, req.method ?? '', path, ts, nonce, body);
    const a = Buffer.from(sig);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return 'network.bad_signature';
    const t = Number(ts);
    if (!Number.isFinite(t) || Math.abs(now() - t) > SIGNATURE_WINDOW_MS) return 'network.replayed';
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) return 'network.bad_signature';
    const key = `${id}:${nonce}`;
    if (nonces.has(key)) return 'network.replayed';
    nonces.set(key, t + SIGNATURE_WINDOW_MS);
    if (nonces.size > 50_000) for (const [k, exp] of nonces) if (exp < now()) nonces.delete(k);
    seen.set(id, { at: new Date(now()).toISOString(), user: seen.get(id)?.user ?? null });
    return { id, name: d.name };
  }

  function deviceLocked(id: string): number {
    const list = (failures.get(id) ?? []).filter((t) => now() - t < DEVICE_LOCK_MS);
    failures.set(id, list);
    if (list.length < DEVICE_LOCK_FAILURES) return 0;
    return Math.max(1, Math.ceil((list[list.length - DEVICE_LOCK_FAILURES] + DEVICE_LOCK_MS - now()) / 60000));
  }

  const flushSeen = async () => {
    if (!seen.size) return;
    const list = [...seen.entries()].map(([id, s]) => ({ id, at: s.at, user: s.user }));
    seen.clear();
    await core.call('network.seen', { seen: list }, { actor: LISTENER });
  };
  const flushTimer = setInterval(() => void flushSeen(), SEEN_FLUSH_MS);
  flushTimer.unref?.();

  const server = createServer({ cert: opts.certPem, key: opts.keyPem, minVersion: 'TLSv1.2' }, async (req, res) => {
    try {
      // The configured address only: no DNS rebinding, no other site's page calling in.
      if (req.headers.host !== `${opts.host}:${port}`) return refuse(res, 421, 'network.bad_host');
      const o = req.headers.origin;
      if (o && o !== origin()) return refuse(res, 403, 'api.bad_origin');
      let url: URL;
      try {
        url = new URL(req.url ?? '/', origin());
        decodeURIComponent(url.pathname);
      } catch {
        return refuse(res, 400, 'api.bad_url');
      }
      const path = url.pathname;
      if (path === '/pair' && req.method === 'POST') {
        let body: { code?: unknown; name?: unknown };
        try {
          body = JSON.parse((await readBody(req, 4096)).toString('utf8'));
        } catch {
          return refuse(res, 400, 'api.bad_json');
        }
        const r = await core.call('network.pair', { code: body?.code, name: body?.name }, {});
        if (r.ok) opts.logger?.info('workstation paired', { name: String(body?.name ?? '') });
        return send(res, r.ok ? 200 : 400, r);
      }
      if (path.startsWith('/api/')) {
        const auth = req.headers.authorization;
        const session = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
        const filesMatch = /^\/api\/files\/([A-Za-z0-9_-]+)$/.exec(path);
        if (filesMatch && req.method === 'GET') {
          // A download started by the page (a link cannot carry headers): a single-use ticket of a minute, asked
          // for by a signed request with the session (POST /api/file-ticket) — never the session in the address.
          const t = url.searchParams.get('t') ?? '';
          const ticket = tickets.get(t);
          if (ticket) tickets.delete(t);
          if (!ticket || ticket.exp < now() || ticket.fileId !== filesMatch[1]) return refuse(res, 401, 'network.file_link_expired');
          const d = await device(ticket.deviceId);
          if (!d) return refuse(res, 401, 'network.unpaired');
          if (d.revoked) return refuse(res, 401, 'network.device_revoked');
          const me = await core.call('auth.me', {}, { token: ticket.session });
          if (!me.ok) return send(res, 401, me);
          const f = core.outbox.get(filesMatch[1]);
          if (!f) return refuse(res, 404, 'file.not_found');
          sendOutboxFile(res, f, !!url.searchParams.get('inline'));
          return;
        }
        if (req.method !== 'POST') return refuse(res, 405, 'api.method_not_allowed');
        let raw: Buffer;
        try {
          raw = await readBody(req, maxBody);
        } catch (e) {
          return send(res, 413, { ok: false, error: (e as AppError).toPayload?.() ?? { code: 'api.body_too_large' } });
        }
        const who = await verify(req, path, raw);
        if (typeof who === 'string') return refuse(res, 401, who);
        if (path === '/api/call') {
          let body: unknown;
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch {
            return refuse(res, 400, 'api.bad_json');
          }
          if (!body || typeof body !== 'object' || Array.isArray(body)) return refuse(res, 400, 'api.bad_body');
          const { method, input } = body as { method?: unknown; input?: unknown };
          if (typeof method !== 'string' || method.length > 100) return refuse(res, 400, 'api.bad_body');
          if (method.startsWith('network.') && ['network.device', 'network.listenerConfig', 'network.seen'].includes(method)) return refuse(res, 403, 'auth.forbidden');
          if (method === 'auth.login') {
            const minutes = deviceLocked(who.id);
            if (minutes) return refuse(res, 200, 'network.device_locked', { minutes });
          }
          const result = await core.call(method as never, input, { token: session, workstation: who.name });
          // A save is told to the open event streams at once (not at the watch's next tick).
          watch.poke();
          if (method === 'auth.login') {
            if (result.ok) seen.set(who.id, { at: new Date(now()).toISOString(), user: (result.value as { user: { username: string } }).user.username });
            else if (result.error.code === 'auth.invalid_credentials' || result.error.code === 'auth.locked') failures.get(who.id)?.push(now()) ?? failures.set(who.id, [now()]);
          }
          return send(res, 200, result);
        }
        if (path === '/api/events') {
          const b = parseEventsBody(raw);
          if (!b) return refuse(res, 400, 'api.bad_body');
          return serveChangeStream(req, res, {
            after: b.after,
            since: (after) => core.call('changes.since', { after }, { token: session, workstation: who.name }),
            alive: () => core.call('changes.latest', {}, { token: session, workstation: who.name }),
            check: async () => {
              const d = await device(who.id);
              return !d ? 'network.unpaired' : d.revoked ? 'network.device_revoked' : null;
            },
            // A revoked workstation's stream ends within about a second, changes or not.
            checkEveryMs: DEVICE_CACHE_MS,
            watch,
            headers: HSTS,
          });
        }
        if (path === '/api/file-ticket') {
          let fileId: unknown;
          try {
            fileId = (JSON.parse(raw.toString('utf8')) as { fileId?: unknown })?.fileId;
          } catch {
            return refuse(res, 400, 'api.bad_json');
          }
          if (typeof fileId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(fileId)) return refuse(res, 400, 'api.bad_body');
          const me = await core.call('auth.me', {}, { token: session });
          if (!me.ok) return send(res, 401, me);
          if (!core.outbox.get(fileId)) return refuse(res, 404, 'file.not_found');
          if (tickets.size > 1000) for (const [k, v] of tickets) if (v.exp < now()) tickets.delete(k);
          const ticket = randomBytes(24).toString('base64url');
          tickets.set(ticket, { fileId, deviceId: who.id, session: session ?? '', exp: now() + FILE_TICKET_MS });
          return send(res, 200, { ok: true, value: { ticket } });
        }
        if (path === '/api/upload') {
          const name = uploadName(req.headers['x-jisr-filename']);
          if (name === null) return refuse(res, 400, 'api.upload_name_invalid');
          const me = await core.call('auth.me', {}, { token: session });
          if (!me.ok) return send(res, 401, me);
          const f = core.outbox.put(name, 'application/octet-stream', raw);
          return send(res, 200, { ok: true, value: { uploadId: f.id, name, size: f.size } });
        }
        return refuse(res, 404, 'api.not_found');
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'api.method_not_allowed');
      serveStatic(res, staticRoot, decodeURIComponent(path), HSTS);
    } catch (e) {
      opts.logger?.error('office network: unexpected error', { ref: (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.name ?? 'error' });
      if (!res.headersSent) refuse(res, 500, 'internal.unexpected');
      else res.end();
    }
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(opts.port, opts.host, () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    host: opts.host,
    port,
    address: `${origin()}/`,
    async close() {
      clearInterval(flushTimer);
      watch.close();
      await flushSeen().catch(() => undefined);
      await new Promise<void>((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      });
    },
  };
}

/**
 * Keeps the listener as the administrator set it (network.configure): started when turned on, restarted when the
 * address, port or certificate change, stopped when turned off. Checked at start and every `everyMs`.
 */
export function runOfficeNetwork(opts: { core: Core; staticDir: string; logger?: Pick<Logger, 'error' | 'info'>; everyMs?: number }) {
  let current: OfficeListener | null = null;
  let applied = '';
  let stopped = false;
  let busy: Promise<void> = Promise.resolve();
  const apply = async () => {
    const r = await opts.core.call('network.listenerConfig', {}, { actor: LISTENER });
    if (!r.ok) return;
    const c = r.value;
    const key = c.enabled && c.host && c.certPem && c.keyPem ? `${c.host}|${c.port}|${c.fingerprint}` : '';
    if (key === applied || stopped) return;
    if (current) await current.close();
    current = null;
    applied = key;
    if (!key) return;
    try {
      current = await startOfficeListener({ core: opts.core, staticDir: opts.staticDir, host: c.host!, port: c.port, certPem: c.certPem!, keyPem: c.keyPem!, logger: opts.logger });
      opts.logger?.info('office network listening', { address: current.address });
    } catch (e) {
      applied = '';
      opts.logger?.error('office network: cannot listen', { code: (e as NodeJS.ErrnoException)?.code ?? 'error' });
    }
  };
  const tick = () => (busy = busy.then(apply, apply));
  const timer = setInterval(() => void tick(), opts.everyMs ?? 2000);
  timer.unref?.();
  const first = tick();
  return {
    ready: first,
    get listener() {
      return current;
    },
    async close() {
      stopped = true;
      clearInterval(timer);
      await busy.catch(() => undefined);
      if (current) await current.close();
      current = null;
    },
  };
}
