import { z } from 'zod';
import { method } from './define';

/**
 * The office network (issue 17: several workstations, one registry). Off by default. The main PC's administrator
 * turns it on, chooses the interface and port, and sees the address to give colleagues; the listener is HTTPS only,
 * with a certificate the main PC makes for itself. A workstation joins by pairing: a short one-time code shown
 * here (with the certificate's fingerprint), typed on the workstation with the address; it receives its own device
 * credential. Paired workstations are listed (name, last seen, user) and can be revoked at once.
 */
export interface NetworkDevice {
  id: string;
  name: string;
  pairedAt: string;
  pairedBy: string;
  lastSeenAt: string | null;
  lastUser: string | null;
  revokedAt: string | null;
}

export interface NetworkStatus {
  enabled: boolean;
  host: string | null;
  port: number;
  /** https://HOST:PORT/ — what colleagues type. */
  address: string | null;
  /** SHA-256 of the certificate, as AB:CD:… — compared on the workstation at pairing. */
  fingerprint: string | null;
  /** The machine's IPv4 addresses, to choose from. */
  interfaces: { name: string; address: string }[];
  devices: NetworkDevice[];
}

export const NETWORK_DEFAULT_PORT = 8443;
const ipv4 = z.string().trim().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, { message: 'network.host_invalid' });

export const networkContract = {
  'network.status': method<NetworkStatus>()({
    input: z.object({}).strict(),
    access: ['office_head'],
    write: false,
    summary: 'The office network: on or off, the address to give colleagues, the certificate fingerprint, the paired workstations.',
  }),
  'network.configure': method<NetworkStatus>()({
    input: z.object({ enabled: z.boolean(), host: ipv4, port: z.number().int().min(1024).max(65535).default(NETWORK_DEFAULT_PORT) }).strict(),
    access: [],
    write: true,
    summary: 'Turn the office network on or off on an interface and port (admin). A certificate is made for the address.',
  }),
  'network.pairingCode': method<{ code: string; expiresAt: string; fingerprint: string; address: string }>()({
    input: z.object({}).strict(),
    access: [],
    write: true,
    summary: 'Add a workstation (admin): a one-time code, valid 10 minutes, and the certificate fingerprint to compare.',
  }),
  'network.pair': method<{ deviceId: string; secret: string; fingerprint: string }>()({
    input: z.object({ code: z.string().trim().min(4).max(20), name: z.string().trim().min(1).max(60) }).strict(),
    access: 'public',
    write: true,
    summary: 'A workstation joins with the one-time code: it receives its own device credential.',
  }),
  'network.revoke': method<{ id: string }>()({
    input: z.object({ id: z.string().trim().min(1).max(64) }).strict(),
    access: [],
    write: true,
    summary: 'Revoke a paired workstation at once (admin): its next request is refused.',
  }),
  'network.device': method<{ id: string; name: string; secret: string; revoked: boolean } | null>()({
    input: z.object({ id: z.string().trim().min(1).max(64) }).strict(),
    access: [],
    write: false,
    summary: 'Internal to the office listener (administrator door only): the device credential of a workstation.',
  }),
  'network.listenerConfig': method<{ enabled: boolean; host: string | null; port: number; certPem: string | null; keyPem: string | null; fingerprint: string | null }>()({
    input: z.object({}).strict(),
    access: [],
    write: false,
    summary: 'Internal to the office listener (administrator door only): on/off, address, certificate and its key.',
  }),
  'network.seen': method<{ done: true }>()({
    input: z.object({ seen: z.array(z.object({ id: z.string().max(64), at: z.string().max(40), user: z.string().max(60).nullable() })).max(1000) }).strict(),
    access: [],
    write: true,
    summary: 'Internal to the office listener: when each workstation was last seen, and by whom.',
  }),
} as const;
