import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { Sqlite } from '../db/connection';
import type { ReadableDB } from '../db/handles';
import { connectionOf } from '../db/handles';
import type { Office } from '../db/schema';
import { keyFingerprint, signBytes, verifyBytes } from '../crypto/keys';
import { SYNC_TABLES, tableExists } from './registry';
import { countChildrenOwned, countOwned } from './repo/sync-tables.repo';
import { officePosition } from './import/verify';
import { regionKeys } from './keys';
import { lastAnchor } from '../security/audit-chain-anchors';

/**
 * A receipt: what the region holds of one office's data after an import, signed by the region's Ed25519 key.
 * The office loads it to compare with its own counts. It carries counts only (no personal data): plain JSON.
 *
 * Version 2 (issue 14) adds `verifyUrl`, the verification page's address the region set, which the province then
 * prints in its QR codes. A receipt without an address is still written as version 1, so that an office running an
 * older release reads it as before; an older release refuses a version 2 receipt (bad_receipt) rather than
 * silently dropping a field it cannot check.
 */
const ReceiptBodySchema = z.object({
  kind: z.literal('jisr-receipt'),
  version: z.union([z.literal(1), z.literal(2)]),
  verifyUrl: z.string().max(200).optional(),
  region: z.object({ slug: z.string(), fingerprint: z.string() }),
  office: z.object({ id: z.string(), slug: z.string() }),
  lastFileSeq: z.number().int(),
  lastChangeSeq: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  issuedAt: z.string(),
  /** The head of the office's audit chain the region holds (issue 16): the office sees how far its trail is anchored. */
  audit: z.object({ rows: z.number().int(), hash: z.string() }).optional(),
});
export type ReceiptBody = z.infer<typeof ReceiptBodySchema>;
const ReceiptSchema = z.object({ body: ReceiptBodySchema, signature: z.string() });

/** JSON with keys sorted at every level: what the signature covers, whatever order a parser gives back. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Rows of one office per synchronised table (children counted through their parent). */
export function officeCounts(dbIn: ReadableDB | Sqlite, officeId: string): Record<string, number> {
  const db = dbIn as ReadableDB; // a handle, or the connection as a test holds it
  const out: Record<string, number> = {};
  for (const t of SYNC_TABLES) {
    if (t.updateOnly || !tableExists(db, t.table)) continue;
    out[t.table] = countOwned(db, t.table, t.owner, officeId);
    for (const c of t.children ?? []) {
      if (!tableExists(db, c.table)) continue;
      out[c.table] = countChildrenOwned(db, c, { table: t.table, pk: t.pk[0], owner: t.owner }, officeId);
    }
  }
  return out;
}

function auditOf(db: ReadableDB, officeId: string): { audit?: { rows: number; hash: string } } {
  // The audit chain's anchors take the connection (core/security, not yet on the handles).
  const a = lastAnchor(connectionOf(db), officeId, 'received');
  return a ? { audit: { rows: a.rows, hash: a.hash } } : {};
}

export function makeReceipt(
  dbIn: ReadableDB | Sqlite,
  region: Office,
  signingKeyPem: string,
  office: Office,
  now: string,
  verifyUrl: string | null = null,
): { name: string; text: string; body: ReceiptBody } {
  const db = dbIn as ReadableDB; // a handle, or the connection as a test holds it (the handles are brands of it)
  const st = officePosition(db, office.id);
  const body: ReceiptBody = {
    kind: 'jisr-receipt',
    version: verifyUrl ? 2 : 1,
    ...(verifyUrl ? { verifyUrl } : {}),
    region: { slug: region.slug, fingerprint: keyFingerprint(region.public_key!) },
    office: { id: office.id, slug: office.slug },
    lastFileSeq: st.last_file_seq,
    lastChangeSeq: st.last_change_seq,
    counts: officeCounts(db, office.id),
    issuedAt: now,
    ...auditOf(db, office.id),
  };
  const signature = signBytes(signingKeyPem, Buffer.from(canonicalJson(body), 'utf8')).toString('base64');
  return {
    name: `jisr-receipt-${office.slug}-${String(st.last_file_seq).padStart(6, '0')}.json`,
    text: JSON.stringify({ body, signature }, null, 1),
    body,
  };
}

/** Checks a receipt against the region's signing key loaded with `keys region`, for this office. */
export function verifyReceipt(db: ReadableDB, office: Office, text: string): ReceiptBody {
  let parsed: z.infer<typeof ReceiptSchema>;
  try {
    const r = ReceiptSchema.safeParse(JSON.parse(text));
    if (!r.success) throw new Error('shape');
    parsed = r.data;
  } catch {
    throw new AppError('exchange.bad_receipt');
  }
  const key = regionKeys(db).find((k) => k.ed25519Public && keyFingerprint(k.ed25519Public) === parsed.body.region.fingerprint);
  if (!key?.ed25519Public) throw new AppError('exchange.receipt_unknown_region');
  if (!verifyBytes(key.ed25519Public, Buffer.from(canonicalJson(parsed.body), 'utf8'), Buffer.from(parsed.signature, 'base64'))) {
    throw new AppError('exchange.bad_receipt');
  }
  if (parsed.body.office.id !== office.id) throw new AppError('exchange.receipt_other_office', { office: parsed.body.office.slug });
  return parsed.body;
}
