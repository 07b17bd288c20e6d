import { AppError } from '../../shared/errors';
import type { Sqlite } from '../db/connection';
import type { ReadableDB, WritableDB } from '../db/handles';
import {
  anchoredRowCounts,
  deleteAuditAnchors,
  auditHashAt,
  GENESIS_HASH,
  lastAuditAnchor,
  lastAuditRow,
  sentOrAcknowledgedAnchors,
  upsertAuditAnchor,
  type AnchorDirection,
  type StoredAnchor,
} from '../audit/audit.repo';

/** A read method's handle, or the raw connection the exchange's import and the CLI still hold. */
type Db = ReadableDB | Sqlite;

/*
 * The audit trail anchored outside the office (issue 16).
 *
 * The chain in the database detects an edited row, but someone who can write the file can rewrite every hash
 * and the stored head (or empty the table) and the chain checks again. So the head of the chain — its row
 * count and the hash of its last row — leaves the office: in every backup header (audit-anchors.ts) and in every
 * exchange file. An exchange file also carries, for each head this office sent before (and the one the region
 * acknowledged), the hash that row has in TODAY's chain: the region compares it with the head it kept from
 * the last file it applied. A rewritten chain (another hash at that row) or a truncated one (the row is gone)
 * is refused at the next file. The region's receipt carries the head it holds back to the office, where
 * `audit verify` says up to which row the trail is anchored.
 */

export interface AuditHead {
  rows: number;
  hash: string;
}

/** What an exchange file carries. */
export interface ManifestAudit extends AuditHead {
  /** Earlier heads of this office's chain with the hash their row has now (null: the row is gone). */
  checkpoints: { rows: number; hash: string | null }[];
}

/** The most checkpoints a file carries (the newest). */
const MAX_CHECKPOINTS = 64;

/** The head of the chain as it stands: the last row (rows = its id; ids run 1, 2, 3 … with no gap). */
export function currentAuditHead(sqlite: Db): AuditHead {
  const r = lastAuditRow(sqlite as ReadableDB);
  return r ? { rows: r.id, hash: r.hash } : { rows: 0, hash: GENESIS_HASH };
}

/** The hash row `rows` has in today's chain (the genesis hash for 0), or null when the row is gone. */
export function hashAtRow(sqlite: Db, rows: number): string | null {
  if (rows === 0) return GENESIS_HASH;
  return auditHashAt(sqlite as ReadableDB, rows);
}

/** The audit part of an exchange file made now by this office. */
export function manifestAudit(sqlite: Db, officeId: string): ManifestAudit {
  const head = currentAuditHead(sqlite);
  const earlier = anchoredRowCounts(sqlite, officeId, MAX_CHECKPOINTS);
  return { ...head, checkpoints: earlier.map((rows) => ({ rows, hash: hashAtRow(sqlite, rows) })) };
}

export function recordAnchor(sqlite: WritableDB | Sqlite, officeId: string, direction: AnchorDirection, head: AuditHead, fileSeq: number | null, at: string): void {
  upsertAuditAnchor(sqlite, officeId, direction, head.rows, head.hash, fileSeq, at);
}

export function lastAnchor(sqlite: Db, officeId: string, direction: AnchorDirection): StoredAnchor | null {
  return lastAuditAnchor(sqlite, officeId, direction);
}

function isHead(v: unknown): v is AuditHead {
  const h = v as AuditHead;
  return !!h && Number.isInteger(h.rows) && h.rows >= 0 && typeof h.hash === 'string' && /^[0-9a-f]{64}$/.test(h.hash);
}

/** A manifest's audit part as it must be: a head and its list of checkpoints. */
export function isManifestAudit(v: unknown): v is ManifestAudit {
  return isHead(v) && Array.isArray((v as ManifestAudit).checkpoints);
}

/**
 * Region: the file's chain must extend the last head kept for its office. Throws exchange.audit_not_extended
 * (rewritten or truncated since) or exchange.audit_missing (a file without its head after files that had one).
 */
export function checkChainExtends(sqlite: Db, officeId: string, officeSlug: string, audit: unknown): AuditHead | null {
  const last = lastAnchor(sqlite, officeId, 'received');
  if (audit === undefined || audit === null) {
    if (last) throw new AppError('exchange.audit_missing', { office: officeSlug, seen: last.rows });
    return null;
  }
  const a = audit as ManifestAudit;
  if (!isHead(a) || !Array.isArray(a.checkpoints)) throw new AppError('exchange.corrupt', { part: 'audit' });
  if (!last) return { rows: a.rows, hash: a.hash };
  const refuse = (found: number | null) => new AppError('exchange.audit_not_extended', { office: officeSlug, seen: last.rows, now: a.rows, found });
  if (a.rows < last.rows) throw refuse(a.rows);
  if (a.rows === last.rows) {
    if (a.hash !== last.hash) throw refuse(a.rows);
    return { rows: a.rows, hash: a.hash };
  }
  const cp = a.checkpoints.find((c) => c && c.rows === last.rows);
  if (!cp || cp.hash !== last.hash) throw refuse(cp ? last.rows : null);
  return { rows: a.rows, hash: a.hash };
}

/** What the region sees when an office's chain does not extend the last head it kept. */
export interface ChainBreak {
  /** The last head kept for the office (from the last file applied, or the last chain accepted). */
  seen: StoredAnchor;
  /** The head of the file offered now. */
  offered: AuditHead;
  /** At the row the region holds, the file's chain has another hash ('rewritten'), or that row is gone ('missing'). */
  atSeen: 'rewritten' | 'missing';
}

/** Region: why a file's chain does not extend the last head kept for its office; null when it does (or none is kept). */
export function chainBreak(sqlite: Db, officeId: string, audit: ManifestAudit): ChainBreak | null {
  const last = lastAnchor(sqlite, officeId, 'received');
  if (!last) return null;
  const offered = { rows: audit.rows, hash: audit.hash };
  if (audit.rows < last.rows) return { seen: last, offered, atSeen: 'missing' };
  if (audit.rows === last.rows) return audit.hash === last.hash ? null : { seen: last, offered, atSeen: 'rewritten' };
  const cp = (audit.checkpoints ?? []).find((c) => c && c.rows === last.rows);
  if (cp && cp.hash === last.hash) return null;
  return { seen: last, offered, atSeen: cp && cp.hash !== null ? 'rewritten' : 'missing' };
}

/**
 * Region, the coordinator's decision (e.g. after the office restored an older backup): the heads kept for the office
 * are forgotten and the offered file's head becomes the one the next files must extend. What was kept before stays
 * in the region's own audit trail (the caller records it with the reason).
 */
export function acceptNewChain(sqlite: WritableDB | Sqlite, officeId: string, head: AuditHead, fileSeq: number, at: string): void {
  deleteAuditAnchors(sqlite, officeId, 'received');
  recordAnchor(sqlite, officeId, 'received', head, fileSeq, at);
}

export interface AnchorStatus {
  rows: number;
  /** The newest backup whose recorded head is still in the chain. */
  lastBackup: { at: string; rows: number } | null;
  /** The last exchange file sent, and whether its head is still in the chain. */
  lastFileSent: { fileSeq: number | null; at: string; rows: number; intact: boolean } | null;
  /** The head the region said it holds in its last receipt, and whether it is still in the chain. */
  acknowledged: { at: string; rows: number; intact: boolean } | null;
  /** Rows written since the newest intact anchor (not yet held outside the office). */
  unanchoredRows: number;
  /** Heads this office sent or had acknowledged that are no longer in its chain (rewritten or truncated since). */
  broken: { rows: number; fileSeq: number | null; at: string }[];
}

/** How far the trail is anchored outside the office: the last backup, the last file sent, the region's receipt. */
export function anchorStatus(sqlite: Db, officeId: string | null, backupHeads: { at: string; head: AuditHead | null }[]): AnchorStatus {
  const head = currentAuditHead(sqlite);
  const intact = (h: AuditHead) => h.rows <= head.rows && hashAtRow(sqlite, h.rows) === h.hash;
  const goodBackups = backupHeads.filter((b): b is { at: string; head: AuditHead } => !!b.head && intact(b.head)).sort((x, y) => y.head.rows - x.head.rows);
  const sent = officeId ? lastAnchor(sqlite, officeId, 'sent') : null;
  const ack = officeId ? lastAnchor(sqlite, officeId, 'acknowledged') : null;
  const lastBackup = goodBackups[0] ? { at: goodBackups[0].at, rows: goodBackups[0].head.rows } : null;
  const lastFileSent = sent ? { fileSeq: sent.fileSeq, at: sent.at, rows: sent.rows, intact: intact(sent) } : null;
  const acknowledged = ack ? { at: ack.at, rows: ack.rows, intact: intact(ack) } : null;
  const anchored = Math.max(lastBackup?.rows ?? 0, lastFileSent?.intact ? lastFileSent.rows : 0, acknowledged?.intact ? acknowledged.rows : 0);
  const broken = officeId
    ? sentOrAcknowledgedAnchors(sqlite, officeId)
        .filter((a) => !intact(a))
        .map((a) => ({ rows: a.rows, fileSeq: a.fileSeq, at: a.at }))
    : [];
  return { rows: head.rows, lastBackup, lastFileSent, acknowledged, unanchoredRows: head.rows - anchored, broken };
}
