import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { AppError } from '../../shared/errors';
import type { NetworkDevice, NetworkStatus } from '../../shared/api/network.contract';
import type { HandlerContext, ReadContext } from '../context';
import type { Handlers, HandlersOf } from '../handler-types';
import type { networkContract } from '../../shared/api/network.contract';
import { stmt } from '../db/statements';
import { makeOfficeCertificate } from './certificate';

/** What the office listener needs, kept in settings under 'office_network'. */
export interface NetworkConfig {
  enabled: boolean;
  host: string | null;
  port: number;
  certPem: string | null;
  keyPem: string | null;
  fingerprint: string | null;
}

const CONFIG_KEY = 'office_network';
const PAIRING_KEY = 'office_network_pairing';
/** A pairing code is valid this long, and for this many wrong tries. */
export const PAIRING_TTL_MS = 10 * 60 * 1000;
export const PAIRING_MAX_TRIES = 5;

export function readNetworkConfig(sqlite: HandlerContext['sqlite']): NetworkConfig {
  const row = stmt<[string], { value: string }>(sqlite, 'SELECT value FROM settings WHERE key = ?').get(CONFIG_KEY);
  const base: NetworkConfig = { enabled: false, host: null, port: 8443, certPem: null, keyPem: null, fingerprint: null };
  if (!row) return base;
  try {
    return { ...base, ...(JSON.parse(row.value) as Partial<NetworkConfig>) };
  } catch {
    return base;
  }
}

function writeSetting(ctx: HandlerContext, key: string, value: unknown) {
  stmt(ctx.sqlite, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(key, JSON.stringify(value));
}

interface DeviceRow {
  id: string;
  name: string;
  secret: string;
  paired_at: string;
  paired_by: string;
  last_seen_at: string | null;
  last_user: string | null;
  revoked_at: string | null;
}

function listDevices(ctx: ReadContext): NetworkDevice[] {
  return stmt<[], DeviceRow>(ctx.sqlite, 'SELECT * FROM network_devices ORDER BY paired_at, id')
    .all()
    .map((d) => ({ id: d.id, name: d.name, pairedAt: d.paired_at, pairedBy: d.paired_by, lastSeenAt: d.last_seen_at, lastUser: d.last_user, revokedAt: d.revoked_at }));
}

export function addressOf(cfg: Pick<NetworkConfig, 'host' | 'port'>): string | null {
  return cfg.host ? `https://${cfg.host}:${cfg.port}/` : null;
}

function status(ctx: ReadContext): NetworkStatus {
  const cfg = readNetworkConfig(ctx.sqlite);
  const interfaces = Object.entries(networkInterfaces()).flatMap(([name, list]) =>
    (list ?? []).filter((i) => i.family === 'IPv4').map((i) => ({ name, address: i.address })),
  );
  return { enabled: cfg.enabled, host: cfg.host, port: cfg.port, address: addressOf(cfg), fingerprint: cfg.fingerprint, interfaces, devices: listDevices(ctx) };
}

const sha = (s: string) => createHash('sha256').update(s).digest();
const digitsOf = (code: string) => code.replace(/\D/g, '');

/** Only the office listener itself (in the main PC's process, as the administrator door) reads credentials. */
function listenerOnly(ctx: ReadContext) {
  if (ctx.actor.kind !== 'cli') throw new AppError('auth.forbidden', { method: ctx.method, role: ctx.role });
}

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type NetworkHandlers = HandlersOf<typeof networkContract>;

export const networkHandlers = {
  'network.status': async (_input, ctx) => status(ctx),

  'network.configure': async ({ enabled, host, port }, ctx) => {
    const before = readNetworkConfig(ctx.sqlite);
    let cert = { certPem: before.certPem, keyPem: before.keyPem, fingerprint: before.fingerprint };
    // A new address gets a new certificate (it names the address): workstations paired before must pair again.
    if (enabled && (!cert.certPem || before.host !== host)) cert = await makeOfficeCertificate(host, ctx.clock());
    const next: NetworkConfig = { enabled, host, port, ...cert };
    writeSetting(ctx, CONFIG_KEY, next);
    ctx.audit({
      entity: 'office_network',
      changes: { enabled: [before.enabled, enabled], host: [before.host, host], port: [before.port, port], ...(cert.fingerprint !== before.fingerprint ? { fingerprint: [before.fingerprint, cert.fingerprint] } : {}) },
    });
    return status(ctx);
  },

  'network.pairingCode': async (_input, ctx) => {
    const cfg = readNetworkConfig(ctx.sqlite);
    if (!cfg.enabled || !cfg.fingerprint || !cfg.host) throw new AppError('network.not_enabled');
    const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
    const expiresAt = new Date(ctx.clock().getTime() + PAIRING_TTL_MS).toISOString();
    const by = ctx.actor.kind === 'user' ? ctx.actor.username : ctx.actor.kind === 'cli' ? `cli:${ctx.actor.osUser}` : 'anonymous';
    writeSetting(ctx, PAIRING_KEY, { hash: sha(code).toString('hex'), expiresAt, by, tries: 0 });
    ctx.audit({ entity: 'office_network', changes: { pairing_code: [null, 'issued'] } });
    return { code: `${code.slice(0, 4)}-${code.slice(4)}`, expiresAt, fingerprint: cfg.fingerprint, address: addressOf(cfg)! };
  },

  'network.pair': async ({ code, name }, ctx) => {
    const cfg = readNetworkConfig(ctx.sqlite);
    if (!cfg.enabled || !cfg.fingerprint) throw new AppError('network.not_enabled');
    const row = stmt<[string], { value: string }>(ctx.sqlite, 'SELECT value FROM settings WHERE key = ?').get(PAIRING_KEY);
    const p = row ? (JSON.parse(row.value) as { hash: string; expiresAt: string; by: string; tries: number } | null) : null;
    if (!p || !p.hash || p.expiresAt < ctx.now()) throw new AppError('network.code_invalid', {}, { commit: true });
    const ok = timingSafeEqual(sha(digitsOf(code)), Buffer.from(p.hash, 'hex'));
    if (!ok) {
      // Wrong code: counted (committed), and the code is void after a few tries.
      const tries = p.tries + 1;
      writeSetting(ctx, PAIRING_KEY, tries >= PAIRING_MAX_TRIES ? null : { ...p, tries });
      ctx.audit({ entity: 'office_network', changes: { pairing: [null, 'wrong_code'], workstation: [null, name] } });
      throw new AppError('network.code_invalid', {}, { commit: true });
    }
    writeSetting(ctx, PAIRING_KEY, null); // one time
    const id = ctx.newId();
    const secret = randomBytes(32).toString('base64url');
    stmt(ctx.sqlite, 'INSERT INTO network_devices (id, name, secret, paired_at, paired_by) VALUES (?, ?, ?, ?, ?)').run(id, name, secret, ctx.now(), p.by);
    ctx.audit({ entity: 'network_devices', entityId: id, changes: { name: [null, name], paired_by: [null, p.by] } });
    return { deviceId: id, secret, fingerprint: cfg.fingerprint };
  },

  'network.revoke': async ({ id }, ctx) => {
    const d = stmt<[string], DeviceRow>(ctx.sqlite, 'SELECT * FROM network_devices WHERE id = ?').get(id);
    if (!d) throw new AppError('network.device_not_found');
    if (!d.revoked_at) {
      const by = ctx.actor.kind === 'user' ? ctx.actor.username : 'cli';
      stmt(ctx.sqlite, 'UPDATE network_devices SET revoked_at = ?, revoked_by = ? WHERE id = ?').run(ctx.now(), by, id);
      ctx.audit({ entity: 'network_devices', entityId: id, changes: { revoked: [false, true], name: [d.name, d.name] } });
    }
    return { id };
  },

  'network.device': async ({ id }, ctx) => {
    listenerOnly(ctx);
    const d = stmt<[string], DeviceRow>(ctx.sqlite, 'SELECT * FROM network_devices WHERE id = ?').get(id);
    return d ? { id: d.id, name: d.name, secret: d.secret, revoked: d.revoked_at !== null } : null;
  },

  'network.listenerConfig': async (_input, ctx) => {
    listenerOnly(ctx);
    return readNetworkConfig(ctx.sqlite);
  },

  'network.seen': async ({ seen }, ctx) => {
    listenerOnly(ctx);
    const upd = stmt(ctx.sqlite, 'UPDATE network_devices SET last_seen_at = ?, last_user = COALESCE(?, last_user) WHERE id = ?');
    for (const s of seen) upd.run(s.at, s.user, s.id);
    return { done: true as const };
  },
} satisfies Partial<Handlers>;
