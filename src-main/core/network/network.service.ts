import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { AppError } from '../../shared/errors';
import type { NetworkDevice, NetworkStatus } from '../../shared/api/network.contract';
import type { MethodName, MethodParsed } from '../../shared/api/contract';
import { actorName, type ReadContext, type WriteContext } from '../context';
import type { ReadableDB } from '../db/handles';
import { addDevice, findDevice, listDeviceRows, markDeviceSeen, readNetworkSetting, revokeDeviceRow, writeNetworkSetting, type NetworkSetting } from './network.repo';
import { makeOfficeCertificate } from './certificate';

/**
 * The rules of the office network: the listener's settings, pairing a workstation with a one-time code, the
 * paired workstations (network.handlers.ts binds these functions; the SQL is in network.repo.ts).
 */

type In<M extends MethodName> = MethodParsed<M>;

/** What the office listener needs, kept in settings under 'office_network'. */
export interface NetworkConfig {
  enabled: boolean;
  host: string | null;
  port: number;
  certPem: string | null;
  keyPem: string | null;
  fingerprint: string | null;
}

const CONFIG_KEY: NetworkSetting = 'office_network';
const PAIRING_KEY: NetworkSetting = 'office_network_pairing';
/** A pairing code is valid this long, and for this many wrong tries. */
export const PAIRING_TTL_MS = 10 * 60 * 1000;
export const PAIRING_MAX_TRIES = 5;

export function readNetworkConfig(db: ReadableDB): NetworkConfig {
  const value = readNetworkSetting(db, CONFIG_KEY);
  const base: NetworkConfig = { enabled: false, host: null, port: 8443, certPem: null, keyPem: null, fingerprint: null };
  if (value === undefined) return base;
  try {
    return { ...base, ...(JSON.parse(value) as Partial<NetworkConfig>) };
  } catch {
    return base;
  }
}

function listDevices(ctx: ReadContext): NetworkDevice[] {
  return listDeviceRows(ctx.db).map((d) => ({ id: d.id, name: d.name, pairedAt: d.paired_at, pairedBy: d.paired_by, lastSeenAt: d.last_seen_at, lastUser: d.last_user, revokedAt: d.revoked_at }));
}

export function addressOf(cfg: Pick<NetworkConfig, 'host' | 'port'>): string | null {
  return cfg.host ? `https://${cfg.host}:${cfg.port}/` : null;
}

const sha = (s: string) => createHash('sha256').update(s).digest();
const digitsOf = (code: string) => code.replace(/\D/g, '');

/** Only the office listener itself (in the main PC's process, as the administrator door) reads credentials. */
function listenerOnly(ctx: ReadContext) {
  if (ctx.actor.kind !== 'cli') throw new AppError('auth.forbidden', { method: ctx.method, role: ctx.role });
}

export function status(_input: unknown, ctx: ReadContext): NetworkStatus {
  const cfg = readNetworkConfig(ctx.db);
  const interfaces = Object.entries(networkInterfaces()).flatMap(([name, list]) =>
    (list ?? []).filter((i) => i.family === 'IPv4').map((i) => ({ name, address: i.address })),
  );
  return { enabled: cfg.enabled, host: cfg.host, port: cfg.port, address: addressOf(cfg), fingerprint: cfg.fingerprint, interfaces, devices: listDevices(ctx) };
}

export async function configure({ enabled, host, port }: In<'network.configure'>, ctx: WriteContext): Promise<NetworkStatus> {
  const before = readNetworkConfig(ctx.db);
  let cert = { certPem: before.certPem, keyPem: before.keyPem, fingerprint: before.fingerprint };
  // A new address gets a new certificate (it names the address): workstations paired before must pair again.
  if (enabled && (!cert.certPem || before.host !== host)) cert = await makeOfficeCertificate(host, ctx.clock());
  const next: NetworkConfig = { enabled, host, port, ...cert };
  writeNetworkSetting(ctx.db, CONFIG_KEY, next);
  ctx.audit({
    entity: 'office_network',
    changes: { enabled: [before.enabled, enabled], host: [before.host, host], port: [before.port, port], ...(cert.fingerprint !== before.fingerprint ? { fingerprint: [before.fingerprint, cert.fingerprint] } : {}) },
  });
  return status(undefined, ctx);
}

export function pairingCode(_input: In<'network.pairingCode'>, ctx: WriteContext) {
  const cfg = readNetworkConfig(ctx.db);
  if (!cfg.enabled || !cfg.fingerprint || !cfg.host) throw new AppError('network.not_enabled');
  const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
  const expiresAt = new Date(ctx.clock().getTime() + PAIRING_TTL_MS).toISOString();
  const by = actorName(ctx.actor);
  writeNetworkSetting(ctx.db, PAIRING_KEY, { hash: sha(code).toString('hex'), expiresAt, by, tries: 0 });
  ctx.audit({ entity: 'office_network', changes: { pairing_code: [null, 'issued'] } });
  return { code: `${code.slice(0, 4)}-${code.slice(4)}`, expiresAt, fingerprint: cfg.fingerprint, address: addressOf(cfg)! };
}

export function pair({ code, name }: In<'network.pair'>, ctx: WriteContext) {
  const cfg = readNetworkConfig(ctx.db);
  if (!cfg.enabled || !cfg.fingerprint) throw new AppError('network.not_enabled');
  const stored = readNetworkSetting(ctx.db, PAIRING_KEY);
  const p = stored !== undefined ? (JSON.parse(stored) as { hash: string; expiresAt: string; by: string; tries: number } | null) : null;
  if (!p || !p.hash || p.expiresAt < ctx.now()) throw new AppError('network.code_invalid', {}, { commit: true });
  const ok = timingSafeEqual(sha(digitsOf(code)), Buffer.from(p.hash, 'hex'));
  if (!ok) {
    // Wrong code: counted (committed), and the code is void after a few tries.
    const tries = p.tries + 1;
    writeNetworkSetting(ctx.db, PAIRING_KEY, tries >= PAIRING_MAX_TRIES ? null : { ...p, tries });
    ctx.audit({ entity: 'office_network', changes: { pairing: [null, 'wrong_code'], workstation: [null, name] } });
    throw new AppError('network.code_invalid', {}, { commit: true });
  }
  writeNetworkSetting(ctx.db, PAIRING_KEY, null); // one time
  const id = ctx.newId();
  const secret = randomBytes(32).toString('base64url');
  addDevice(ctx.db, { id, name, secret, pairedAt: ctx.now(), pairedBy: p.by });
  ctx.audit({ entity: 'network_devices', entityId: id, changes: { name: [null, name], paired_by: [null, p.by] } });
  return { deviceId: id, secret, fingerprint: cfg.fingerprint };
}

export function revoke({ id }: In<'network.revoke'>, ctx: WriteContext) {
  const d = findDevice(ctx.db, id);
  if (!d) throw new AppError('network.device_not_found');
  if (!d.revoked_at) {
    // The command line is recorded as 'cli' here (not the OS user): what the revocation list has always shown.
    const by = ctx.actor.kind === 'user' ? ctx.actor.username : 'cli';
    revokeDeviceRow(ctx.db, id, ctx.now(), by);
    ctx.audit({ entity: 'network_devices', entityId: id, changes: { revoked: [false, true], name: [d.name, d.name] } });
  }
  return { id };
}

export function device({ id }: In<'network.device'>, ctx: ReadContext) {
  listenerOnly(ctx);
  const d = findDevice(ctx.db, id);
  return d ? { id: d.id, name: d.name, secret: d.secret, revoked: d.revoked_at !== null } : null;
}

export function listenerConfig(_input: In<'network.listenerConfig'>, ctx: ReadContext): NetworkConfig {
  listenerOnly(ctx);
  return readNetworkConfig(ctx.db);
}

export function seen({ seen }: In<'network.seen'>, ctx: WriteContext) {
  listenerOnly(ctx);
  for (const s of seen) markDeviceSeen(ctx.db, s.id, s.at, s.user ?? null);
  return { done: true as const };
}
