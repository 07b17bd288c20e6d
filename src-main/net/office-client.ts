import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Result } from '../shared/errors';
import { signRequest } from './office-server';

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
  close(): void;
}

export function createOfficeClient(o: OfficeClientOptions): OfficeClient {
  const base = new URL(o.address);
  const agent = new Agent({ keepAlive: true, maxSockets: 4, rejectUnauthorized: false });
  let deviceId = o.deviceId;
  let secret = o.secret;

  const raw = (path: string, body: Buffer, headers: Record<string, string>, method = 'POST') =>
    new Promise<{ status: number; json: any }>((ok, ko) => {
      const req = request(
        { host: base.hostname, port: base.port, path, method, agent, headers: { 'content-length': String(body.length), ...(o.hostHeader ? { host: o.hostHeader } : {}), ...headers } },
        (res) => {
          const peer = (res.socket as TLSSocket).getPeerCertificate?.();
          if (!peer || peer.fingerprint256 !== o.fingerprint) {
            res.destroy();
            return ko(Object.assign(new Error('fingerprint'), { code: 'network.fingerprint_mismatch' }));
          }
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
    const nonce = randomBytes(18).toString('base64url');
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
    close: () => agent.destroy(),
  };
}
