import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { Agent, request, type AgentOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import type { Result } from '../shared/errors';
import { signRequest } from './office-server';

/** A refusal of the pinned connection: the main PC's certificate is not the one pinned at pairing. */
export class FingerprintMismatch extends Error {
  readonly code = 'network.fingerprint_mismatch';
  constructor(readonly seen: string | undefined) {
    super('fingerprint');
  }
}

/**
 * An HTTPS agent that trusts one certificate: the one whose SHA-256 fingerprint was pinned at pairing (the main PC's
 * own, no CA involved). The TLS handshake is checked before the socket is handed to a request, so nothing — not the
 * device's signature, not the session, not the body — is sent to a server that shows another certificate. Sockets
 * are kept alive and TLS sessions resumed (https.Agent's own session cache): one handshake per workstation, not per
 * call.
 */
export class PinnedAgent extends Agent {
  constructor(
    readonly fingerprint: string,
    opts: AgentOptions = {},
  ) {
    super({ keepAlive: true, maxSockets: 4, ...opts, rejectUnauthorized: false });
  }

  override createConnection(options: RequestOptions, cb?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    // https.Agent's own createConnection: the cached TLS session is offered, a new one is remembered.
    const socket = (Agent.prototype as unknown as { createConnection(o: object): TLSSocket }).createConnection.call(this, options);
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      socket.off('error', onError);
      if (err) {
        socket.destroy();
        cb?.(err, socket);
      } else cb?.(null, socket);
    };
    const onError = (e: Error) => finish(e);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      // A resumed session was made with this agent's own cache, after a handshake that showed the pinned
      // certificate: only that server holds its secret (a resumed session does not carry the certificate again).
      if (socket.isSessionReused()) return finish(null);
      const seen = socket.getPeerCertificate()?.fingerprint256;
      finish(seen === this.fingerprint ? null : new FingerprintMismatch(seen));
    });
    return undefined;
  }
}

/**
 * A workstation's side of the office network in Node (the bench, the tests, a future Electron client's main process):
 * HTTPS to the main PC with the certificate pinned by its fingerprint (no CA involved: the main PC's certificate is its
 * own), every API request signed with the device credential received at pairing. An unreachable main PC is the coded
 * `network.main_pc_unreachable`, a certificate that is not the pinned one `network.fingerprint_mismatch`.
 */
export interface OfficeClientOptions {
  /** https://HOST:PORT/ as the administrator's screen shows it. */
  address: string;
  /** SHA-256 fingerprint "AB:CD:…" shown at pairing. */
  fingerprint: string;
  deviceId?: string;
  secret?: string;
  /** Overrides the Host header (tests of the listener's refusals). */
  hostHeader?: string;
}

export interface OfficeClient {
  pair(code: string, name: string): Promise<Result<{ deviceId: string; secret: string; fingerprint: string }>>;
  call(method: string, input: unknown, session?: string): Promise<Result<unknown>>;
  /** The raw signed request (tests replay it). */
  raw(path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; json: any }>;
  signedHeaders(path: string, body: Buffer, session?: string): Record<string, string>;
  /** A GET on the pinned connection (a produced file): status, headers, bytes. */
  get(path: string): Promise<{ status: number; headers: Record<string, string | undefined>; data: Buffer }>;
  /**
   * A signed POST whose answer is read as it comes (the live refresh's event stream, web/events.ts), on its own
   * pinned sockets so that open streams never hold up the calls. Resolves with the response once its head arrived.
   */
  stream(path: string, body: Buffer, session?: string): Promise<IncomingMessage>;
  close(): void;
}

export function createOfficeClient(o: OfficeClientOptions): OfficeClient {
  const base = new URL(o.address);
  const agent = new PinnedAgent(o.fingerprint);
  let streams: PinnedAgent | null = null;
  let deviceId = o.deviceId;
  let secret = o.secret;

  const raw = (path: string, body: Buffer, headers: Record<string, string>, method = 'POST') =>
    new Promise<{ status: number; json: any }>((ok, ko) => {
      const req = request(
        { host: base.hostname, port: base.port, path, method, agent, headers: { 'content-length': String(body.length), ...(o.hostHeader ? { host: o.hostHeader } : {}), ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: any = null;
            try {
              json = JSON.parse(text);
            } catch {
              json = { ok: false, error: { code: 'api.bad_json' } };
            }
            ok({ status: res.statusCode ?? 0, json });
          });
        },
      );
      req.on('error', (e) => ko(e));
      req.end(body);
    });

  const signedHeaders = (path: string, body: Buffer, session?: string): Record<string, string> => {
    const ts = String(Date.now());
    // randomUUID draws from a pooled buffer: randomBytes per call showed in the profile (~0.05 ms, a syscall each).
    const nonce = randomUUID();
    return {
      'content-type': 'application/json',
      'x-jisr-device': deviceId ?? '',
      'x-jisr-ts': ts,
      'x-jisr-nonce': nonce,
      'x-jisr-sig': secret ? signRequest(secret, 'POST', path, ts, nonce, body) : '',
      ...(session ? { authorization: `Bearer ${session}` } : {}),
    };
  };

  const guard = async (f: () => Promise<{ status: number; json: any }>): Promise<Result<unknown>> => {
    try {
      return (await f()).json as Result<unknown>;
    } catch (e) {
      const code = (e as { code?: string }).code === 'network.fingerprint_mismatch' ? 'network.fingerprint_mismatch' : 'network.main_pc_unreachable';
      return { ok: false, error: { code } };
    }
  };

  return {
    async pair(code, name) {
      const body = Buffer.from(JSON.stringify({ code, name }));
      const r = (await guard(() => raw('/pair', body, { 'content-type': 'application/json' }))) as Result<{ deviceId: string; secret: string; fingerprint: string }>;
      if (r.ok) {
        deviceId = r.value.deviceId;
        secret = r.value.secret;
      }
      return r;
    },
    call(method, input, session) {
      const body = Buffer.from(JSON.stringify({ method, input }));
      return guard(() => raw('/api/call', body, signedHeaders('/api/call', body, session)));
    },
    raw,
    signedHeaders,
    get: (path) =>
      new Promise((ok, ko) => {
        const req = request({ host: base.hostname, port: base.port, path, method: 'GET', agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string | undefined>, data: Buffer.concat(chunks) }));
          res.on('error', ko);
        });
        req.on('error', ko);
        req.end();
      }),
    stream: (path, body, session) =>
      new Promise((ok, ko) => {
        streams ??= new PinnedAgent(o.fingerprint, { maxSockets: 32 });
        const req = request(
          { host: base.hostname, port: base.port, path, method: 'POST', agent: streams, headers: { 'content-length': String(body.length), ...signedHeaders(path, body, session) } },
          ok,
        );
        req.on('error', ko);
        req.end(body);
      }),
    close: () => {
      agent.destroy();
      streams?.destroy();
    },
  };
}
