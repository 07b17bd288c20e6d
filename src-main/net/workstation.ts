import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:tls';
import { z } from 'zod';
import type { Result } from '../shared/errors';
import { createOfficeClient, type OfficeClient } from './office-client';

/**
 * A workstation installed as "connect to the office's main PC" (issue 17). At first run the person types the main
 * PC's address and the one-time code the administrator shows; the workstation reads the main PC's certificate,
 * shows its fingerprint to compare with the administrator's screen, then pairs over a connection pinned to that
 * fingerprint and keeps the pairing (address, fingerprint, device credential) in a private file (0600, as the key
 * file). From then on the app runs as a client of the main PC: every call of the renderer is forwarded over pinned
 * HTTPS, signed with the device credential, with the user's session — by the window's main process (host/ipc.ts)
 * or by the loopback web bridge (web/server.ts). The local database stays empty and unused.
 *
 * Plain Node: the Electron shell only wires it (tests/unit/workstation.test.ts tests it without Electron).
 */

export interface Pairing {
  v: 1;
  /** https://HOST:PORT/ */
  address: string;
  /** SHA-256 of the main PC's certificate, "AB:CD:…", pinned. */
  fingerprint: string;
  deviceId: string;
  secret: string;
  /** This workstation's name on the main PC's list. */
  name: string;
  pairedAt: string;
}

/** What the renderer may know of the pairing (never the credential). */
export interface MainPcStatus {
  mode: 'local' | 'client';
  address: string | null;
  fingerprint: string | null;
  name: string | null;
}

/** The pairing file beside the database: `<db>.main-pc.json`. */
export function pairingPath(dbPath: string): string {
  return `${dbPath}.main-pc.json`;
}

export function loadPairing(file: string): Pairing | null {
  if (!existsSync(file)) return null;
  try {
    const p = JSON.parse(readFileSync(file, 'utf8')) as Pairing;
    return p && p.v === 1 && typeof p.address === 'string' && typeof p.fingerprint === 'string' && typeof p.deviceId === 'string' && typeof p.secret === 'string' ? p : null;
  } catch {
    return null;
  }
}

/** Written whole (temporary file, then renamed), readable by this OS user only. */
export function savePairing(file: string, p: Pairing): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(p), { mode: 0o600 });
  if (process.platform !== 'win32') chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * The address as typed ("192.168.1.10", "192.168.1.10:8443", "https://192.168.1.10:8443/") → "https://HOST:PORT/",
 * or null. Plain http is refused: the office network is HTTPS only. No path, no user, no query.
 */
export function normalizeAddress(typed: string): string | null {
  const t = typed.trim();
  if (!t || t.length > 200) return null;
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(t) ? t : `https://${t}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return null;
  if (!/^[A-Za-z0-9.-]+$/.test(url.hostname)) return null;
  return `https://${url.hostname}:${url.port || '8443'}/`;
}

/** The main PC's certificate fingerprint at `address` (read, not trusted: the person compares it), or why not. */
export function probeMainPc(address: string, timeoutMs = 5000): Promise<Result<{ address: string; fingerprint: string }>> {
  const a = normalizeAddress(address);
  if (!a) return Promise.resolve({ ok: false, error: { code: 'network.address_invalid' } });
  const url = new URL(a);
  return new Promise((done) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] });
    const fail = () => {
      socket.destroy();
      done({ ok: false, error: { code: 'network.main_pc_unreachable' } });
    };
    socket.setTimeout(timeoutMs, fail);
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      const fingerprint = socket.getPeerCertificate()?.fingerprint256;
      socket.end();
      socket.destroy();
      done(fingerprint ? { ok: true, value: { address: a, fingerprint } } : { ok: false, error: { code: 'network.main_pc_unreachable' } });
    });
  });
}

/** What the renderer asks of the host about the main PC (window: the `mainPc` bridge method; web bridge: POST /api/main-pc). */
export const MainPcRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('status') }).strict(),
  z.object({ action: z.literal('probe'), address: z.string().max(200) }).strict(),
  z
    .object({
      action: z.literal('pair'),
      address: z.string().max(200),
      fingerprint: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/),
      code: z.string().trim().min(4).max(20),
      name: z.string().trim().min(1).max(60),
    })
    .strict(),
  z.object({ action: z.literal('forget') }).strict(),
]);
export type MainPcRequest = z.infer<typeof MainPcRequestSchema>;

export interface Upload {
  uploadId: string;
  name: string;
  size: number;
}

/** A file made on the main PC, fetched for the workstation (report, list, attestation, exchange file). */
export interface Fetched {
  name: string;
  mime: string;
  data: Buffer;
}

/**
 * The host's side of a workstation: local (no pairing: the local core answers, as on a main PC) or a client of the
 * main PC (calls, uploads and downloads forwarded over the pinned connection).
 */
export interface Workstation {
  /** The connection to the main PC, or null when this PC holds its own data. */
  readonly remote: MainPcConnection | null;
  status(): MainPcStatus;
  /** The renderer's requests about the main PC (already validated or not: validated here). */
  handle(request: unknown): Promise<Result<unknown>>;
  close(): void;
}

export interface MainPcConnection {
  call(method: string, input: unknown, session?: string): Promise<Result<unknown>>;
  upload(name: string, data: Buffer, session?: string): Promise<Result<Upload>>;
  download(fileId: string, session?: string): Promise<Result<Fetched>>;
  /** The main PC's live-refresh event stream for this session (web/events.ts), to be relayed to the page. */
  events(after: number | null, session?: string): Promise<Result<IncomingMessage>>;
  close(): void;
}

/** Refusals that mean the main PC no longer accepts this workstation (answered over the pinned connection). */
const DEVICE_GONE = new Set(['network.device_revoked', 'network.unpaired']);

export function connectMainPc(p: Pairing, onDeviceGone?: (code: string) => void): MainPcConnection {
  const client: OfficeClient = createOfficeClient({ address: p.address, fingerprint: p.fingerprint, deviceId: p.deviceId, secret: p.secret });
  const watch = <T>(r: Result<T>): Result<T> => {
    if (!r.ok && DEVICE_GONE.has(r.error.code)) onDeviceGone?.(r.error.code);
    return r;
  };
  return {
    async call(method, input, session) {
      return watch(await client.call(method, input, session));
    },
    async upload(name, data, session) {
      const headers = { ...client.signedHeaders('/api/upload', data, session), 'content-type': 'application/octet-stream', 'x-jisr-filename': encodeURIComponent(name) };
      try {
        return watch((await client.raw('/api/upload', data, headers)).json as Result<Upload>);
      } catch (e) {
        return { ok: false, error: { code: unreachableCode(e) } };
      }
    },
    async download(fileId, session) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(fileId)) return { ok: false, error: { code: 'file.not_found' } };
      try {
        // A single-use ticket asked for by a signed request with the session: the session never goes in an address.
        const body = Buffer.from(JSON.stringify({ fileId }));
        const t = (await client.raw('/api/file-ticket', body, client.signedHeaders('/api/file-ticket', body, session))).json as Result<{ ticket: string }>;
        if (!t.ok) return watch(t);
        const r = await client.get(`/api/files/${fileId}?t=${encodeURIComponent(t.value.ticket)}`);
        if (r.status !== 200) {
          let json: Result<Fetched> = { ok: false, error: { code: 'file.not_found' } };
          try {
            json = JSON.parse(r.data.toString('utf8')) as Result<Fetched>;
          } catch {
            /* not a coded answer */
          }
          return watch(json);
        }
        const disposition = /filename\*=UTF-8''([^;]+)/.exec(r.headers['content-disposition'] ?? '');
        let name = 'file';
        try {
          name = disposition ? decodeURIComponent(disposition[1]) : name;
        } catch {
          /* keep 'file' */
        }
        return { ok: true, value: { name: name.replace(/\\/g, '/').split('/').pop() || 'file', mime: r.headers['content-type'] ?? 'application/octet-stream', data: r.data } };
      } catch (e) {
        return { ok: false, error: { code: unreachableCode(e) } };
      }
    },
    async events(after, session) {
      try {
        const res = await client.stream('/api/events', Buffer.from(JSON.stringify({ after })), session);
        if (res.statusCode === 200) return { ok: true, value: res };
        const chunks: Buffer[] = [];
        for await (const c of res) chunks.push(c as Buffer);
        let json: Result<IncomingMessage> = { ok: false, error: { code: 'network.main_pc_unreachable' } };
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Result<IncomingMessage>;
        } catch {
          /* not a coded answer */
        }
        return watch(json);
      } catch (e) {
        return { ok: false, error: { code: unreachableCode(e) } };
      }
    },
    close: () => client.close(),
  };
}

function unreachableCode(e: unknown): string {
  return (e as { code?: string }).code === 'network.fingerprint_mismatch' ? 'network.fingerprint_mismatch' : 'network.main_pc_unreachable';
}

/**
 * The workstation of one installation. `firstRun` says whether the local installation is still blank (no office
 * set up): pairing is offered only then, or when the pairing was forgotten.
 */
export function createWorkstation(opts: { pairingFile: string; firstRun: () => Promise<boolean>; now?: () => Date; logger?: { info(m: string, d?: object): void } }): Workstation {
  let pairing = loadPairing(opts.pairingFile);
  let remote: MainPcConnection | null = null;
  const forget = () => {
    remote?.close();
    remote = null;
    pairing = null;
    rmSync(opts.pairingFile, { force: true });
  };
  const open = () => {
    remote = pairing
      ? connectMainPc(pairing, (code) => {
          // Revoked (or unknown) on the main PC: the credential is useless; the first-run choice comes back.
          opts.logger?.info('main PC refused this workstation; pairing forgotten', { code });
          forget();
        })
      : null;
  };
  open();
  const status = (): MainPcStatus => ({ mode: pairing ? 'client' : 'local', address: pairing?.address ?? null, fingerprint: pairing?.fingerprint ?? null, name: pairing?.name ?? null });
  return {
    get remote() {
      return remote;
    },
    status,
    async handle(raw) {
      const parsed = MainPcRequestSchema.safeParse(raw);
      if (!parsed.success) return { ok: false, error: { code: 'desktop.bad_request' } };
      const r = parsed.data;
      if (r.action === 'status') return { ok: true, value: status() };
      if (r.action === 'forget') {
        forget();
        return { ok: true, value: status() };
      }
      // Probe and pair: only on a blank installation that is not paired yet.
      if (pairing || !(await opts.firstRun())) return { ok: false, error: { code: 'network.already_set_up' } };
      if (r.action === 'probe') return probeMainPc(r.address);
      const address = normalizeAddress(r.address);
      if (!address) return { ok: false, error: { code: 'network.address_invalid' } };
      // Pinned to the fingerprint the person compared: the code is sent to that certificate only.
      const client = createOfficeClient({ address, fingerprint: r.fingerprint });
      try {
        const p = await client.pair(r.code, r.name);
        if (!p.ok) return p;
        pairing = { v: 1, address, fingerprint: r.fingerprint, deviceId: p.value.deviceId, secret: p.value.secret, name: r.name, pairedAt: (opts.now?.() ?? new Date()).toISOString() };
        savePairing(opts.pairingFile, pairing);
        open();
        opts.logger?.info('paired with the main PC', { address });
        return { ok: true, value: status() };
      } finally {
        client.close();
      }
    },
    close() {
      remote?.close();
    },
  };
}

/**
 * For Electron's `session.setCertificateVerifyProc`: a certificate is accepted only when it is the pinned one (the
 * main PC's, by its SHA-256 fingerprint); anything else is refused (-2). The window itself loads only jisr:// and
 * its requests to the network are cancelled; the main PC is reached by the main process through `PinnedAgent`.
 */
export function pinnedCertificateVerifyProc(pinned: () => string | null) {
  return (request: { certificate: { data: string } }, callback: (verificationResult: number) => void): void => {
    const fp = pinned();
    let seen: string | null = null;
    try {
      seen = new X509Certificate(request.certificate.data).fingerprint256;
    } catch {
      seen = null;
    }
    callback(fp && seen === fp ? 0 : -2);
  };
}
