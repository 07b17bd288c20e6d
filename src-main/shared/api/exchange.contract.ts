import type { MatchLevel, MatchReason } from '../matching';
import { z } from 'zod';
import { method } from './define';
import { JobIdSchema } from './jobs.contract';

/**
 * Province-to-region exchange files: keys (shown once, checked by phone), export ("Send to region") with its
 * history and cadence, import at the region (dry run first), the per-province position, the review list of
 * cross-province duplicates and conflicts, and receipts.
 */

export const CADENCES = ['weekly', 'monthly', 'quarterly'] as const;
export type Cadence = (typeof CADENCES)[number];

export interface KeyInfo {
  publicKey: string;
  fingerprint: string;
}

export interface KeysShowResult {
  office: { id: string; slug: string; code: string; kind: 'province' | 'region' };
  ed25519: KeyInfo;
  /** The region's encryption key (made on first use); null at a province. */
  x25519: KeyInfo | null;
  /** The key file to give to the other side (JSON text). */
  keyFile: string;
}

export interface TrustedOffice {
  id: string;
  slug: string;
  code: string;
  kind: 'province' | 'region';
  trusted: boolean;
  fingerprint: string | null;
}

/**
 * What a key file holds, read before anything is trusted (the key-exchange wizard): whose it is and the
 * fingerprints to read over the phone; `status` says whether it is new here, the key already trusted, or a
 * different key for an office already known (a key change: to be confirmed with particular care).
 */
export interface KeyFilePreview {
  officeKind: 'province' | 'region';
  slug: string;
  nameAr: string;
  nameFr: string;
  /** The fingerprints in the order they are read: signing, then (the region's) encryption. */
  fingerprints: { kind: 'signing' | 'encryption'; fingerprint: string }[];
  status: 'new' | 'same' | 'changed';
}

/** The fingerprints the person confirmed she read over the phone (as the preview gave them). */
const ConfirmedFingerprints = z.array(z.string().regex(/^[0-9A-F]{4}(-[0-9A-F]{4}){3}$/)).min(1).max(2);

export interface RegionKeyInfo {
  id: number;
  slug: string;
  fingerprint: string;
  signingFingerprint: string | null;
  loadedAt: string;
  active: boolean;
}

export interface ExportResult {
  exportId: number;
  fileId: string;
  fileName: string;
  fileSeq: number;
  prevFileSeq: number;
  type: 'delta' | 'full';
  changeSeq: { from: number; to: number };
  counts: Record<string, number>;
  sha256: string;
  size: number;
  recipientFingerprint: string;
  createdAt: string;
  remadeOf: number | null;
}

export interface ExportHistoryRow {
  id: number;
  fileSeq: number;
  prevFileSeq: number;
  type: 'delta' | 'full';
  changeSeq: { from: number; to: number };
  counts: Record<string, number>;
  fileName: string;
  sha256: string;
  size: number;
  recipientFingerprint: string;
  remadeOf: number | null;
  createdAt: string;
  madeAt: string;
  madeBy: string;
  /** Whether its content is still kept to make it again (emptied once the region confirmed it, or after anonymisations). */
  canRemake: boolean;
}

export interface ExchangeSchedule {
  cadence: Cadence;
  lastFileAt: string | null;
  lastFileSeq: number;
  nextDueAt: string;
  late: boolean;
  daysLate: number;
  /** Changes made since the last file (0: nothing new to send). */
  pendingChanges: number;
  regionKey: RegionKeyInfo | null;
  lastReceipt: ReceiptInfo | null;
}

export interface ReceiptInfo {
  lastFileSeq: number;
  lastChangeSeq: number;
  counts: Record<string, number>;
  issuedAt: string;
  loadedAt: string;
  /** The row of this office's audit trail the region holds, and whether that row is still the same here. */
  audit?: { rows: number; intact: boolean };
}

export interface TableSummary {
  new: number;
  updated: number;
  unchanged: number;
  conflicts: number;
  deleted: number;
}

export interface DuplicateFound {
  kind: 'same_cin' | 'same_person';
  /** For the same person: the matching engine's level (strong: probably her; weak: maybe her). */
  level?: MatchLevel;
  applicantId: string;
  otherId: string;
  otherOffice: string;
  cin: string | null;
  birthDate: string | null;
}

export interface FileResult {
  file: string;
  office: string | null;
  fileSeq: number | null;
  status: 'applied' | 'would_apply' | 'already_imported' | 'held' | 'would_hold' | 'refused';
  type?: 'delta' | 'full';
  prevFileSeq?: number;
  changeSeq?: { from: number; to: number };
  createdAt?: string;
  tables?: Record<string, TableSummary>;
  changes?: { delete: number; anonymise: number; close: number };
  duplicates?: { sameCin: number; samePerson: number; maybePerson?: number; sample: DuplicateFound[] };
  conflicts?: number;
  /** Files still missing before this one (held). */
  missing?: { from: number; to: number };
  error?: { code: string; params: Record<string, unknown> };
  importId?: number;
  payloadSha256?: string;
}

export interface ImportResult {
  dryRun: boolean;
  results: FileResult[];
  /** One signed receipt per office that had a file applied, ready to send back. */
  receipts: { office: string; fileId: string; name: string }[];
  refused: number;
}

export interface RegionOfficeStatus {
  officeId: string;
  slug: string;
  code: string;
  trusted: boolean;
  fingerprint: string | null;
  lastFileSeq: number;
  lastChangeSeq: number;
  lastFileCreatedAt: string | null;
  lastImportedAt: string | null;
  nextDueAt: string | null;
  late: boolean;
  held: { fileSeq: number; fileName: string; receivedAt: string }[];
  counts: Record<string, number>;
}

export interface ImportHistoryRow {
  id: number;
  office: string;
  fileSeq: number;
  prevFileSeq: number;
  kind: 'delta' | 'full' | 'gap_accepted';
  changeSeq: { from: number; to: number };
  fileName: string;
  summary: unknown;
  fileCreatedAt: string;
  importedAt: string;
  importedBy: string;
  /** When the coordinator accepted that the office numbered its files again from a restored backup: this file's number was reused. */
  supersededAt: string | null;
}

export interface ReviewItem {
  id: string;
  kind: 'same_cin' | 'same_person' | 'conflict';
  entity: string;
  status: 'open' | 'same' | 'distinct' | 'dismissed';
  a: ReviewSide;
  b: ReviewSide | null;
  /** The matching engine's view of the pair (score, level, reasons in words), for people; null for conflicts. */
  match?: { score: number; level: MatchLevel; reasons: MatchReason[] } | null;
  detail: Record<string, unknown>;
  note: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export interface ReviewSide {
  id: string;
  office: string;
  fileNo: string | null;
  name: string | null;
  birthDate: string | null;
  cin: string | null;
  /** Side by side for a coordinator (people only): names in both scripts, sex, phone, commune, province. */
  nameAr?: string;
  nameLat?: string;
  sex?: 'F' | 'M';
  phone?: string | null;
  communeNameAr?: string | null;
  communeNameFr?: string | null;
  provinceCode?: string | null;
}

const FileRefSchema = z.union([
  z.object({ uploadId: z.string().min(8).max(100) }).strict(),
  /** A path on this machine: the CLI only. */
  z.object({ path: z.string().min(1).max(4000) }).strict(),
]);

const OfficeSlugSchema = z.string().min(2).max(40);

/** The region's view of an office's audit chain that does not extend the last head it kept (issue 16). */
export interface AuditChainDecision {
  office: string;
  /** The file offered now. */
  fileSeq: number;
  fileCreatedAt: string;
  /** The last head the region kept for the office: its row count, when, from which file. */
  seen: { rows: number; at: string; fileSeq: number | null };
  /** The offered file's trail: its row count. */
  offered: { rows: number };
  /** At the row the region holds, the file's trail has another content ('rewritten') or no such row ('missing'). */
  atSeen: 'rewritten' | 'missing';
  /** False when only looked at (exchange.auditChainBreak): nothing changed. */
  accepted: boolean;
}

/**
 * The region's view of a province file refused because the office numbers its files again from an older point (it
 * restored a backup older than its last file sent): exchange.numbering_restarted.
 */
export interface NumberingRestartDecision {
  office: string;
  /** The refused file: its number, the number it follows, its change range, when the office made it. */
  file: { fileSeq: number; prevFileSeq: number; changeSeq: { from: number; to: number }; createdAt: string };
  /** Where the region holds the office: its last file applied, its last change number, when that file was made. */
  held: { lastFileSeq: number; lastChangeSeq: number; lastFileCreatedAt: string | null };
  /** The files the region applied whose numbers the office reuses (kept in the history, marked superseded) and the rows they brought (kept). */
  reused: { from: number; to: number; files: number; rows: number };
  /** The office's audit trail does not extend what the region holds either: accepted by the same decision. */
  auditChain: AuditChainDecision | null;
  /** False when only looked at (exchange.numberingRestart): nothing changed. */
  accepted: boolean;
  /** True when this file was already applied (the decision was taken before): nothing changed. */
  alreadyDone: boolean;
  /** The refused file's import, once accepted (and the held files that followed it). */
  results: FileResult[];
}

export const exchangeContract = {
  'exchange.keysShow': method<KeysShowResult>()({
    input: z.object({}).strict(),
    access: ['office_head', 'coordinator'],
    write: true,
    summary: "This office's public keys with short fingerprints to read over the phone (the region's encryption key is made on first use).",
  }),
  'exchange.keyPreview': method<KeyFilePreview>()({
    input: z.object({ keyFile: z.string().min(10).max(20_000) }).strict(),
    access: ['office_head', 'coordinator'],
    write: false,
    summary: 'Reads a key file without trusting it: whose it is, its fingerprints to read over the phone, whether it is new or a change.',
  }),
  'exchange.keysTrust': method<TrustedOffice & { created: boolean; keyChanged: boolean }>()({
    // The window and the web bridge send the fingerprints the person confirmed (the wizard); the command line prints them.
    input: z.object({ keyFile: z.string().min(10).max(20_000), confirmedFingerprints: ConfirmedFingerprints.optional() }).strict(),
    access: ['coordinator'],
    write: true,
    summary: "Region: trust a province's public key (its key file from `keys show --out`).",
  }),
  'exchange.keysRegion': method<RegionKeyInfo>()({
    input: z.object({ keyFile: z.string().min(10).max(20_000), confirmedFingerprints: ConfirmedFingerprints.optional() }).strict(),
    access: ['office_head'],
    write: true,
    summary: "Province: load the region's public keys (files are encrypted to it; its receipts are checked with it).",
  }),
  'exchange.keysList': method<{ trustedOffices: TrustedOffice[]; regionKeys: RegionKeyInfo[] }>()({
    input: z.object({}).strict(),
    access: ['office_head', 'coordinator'],
    write: false,
    summary: 'Trusted offices (region) and loaded region keys (province).',
  }),
  'exchange.export': method<ExportResult>()({
    input: z.object({ full: z.boolean().default(false), jobId: JobIdSchema.optional() }).strict(),
    access: ['office_head'],
    write: true,
    job: true,
    summary: 'Send to region: one signed, encrypted file with every change since the last file (or a full snapshot).',
  }),
  'exchange.remake': method<ExportResult>()({
    input: z.object({ exportId: z.number().int().positive() }).strict(),
    access: ['office_head'],
    write: true,
    summary: 'Make a file of the history again: the same content, encrypted anew (to the current region key).',
  }),
  'exchange.history': method<ExportHistoryRow[]>()({
    input: z.object({ limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    access: ['office_head'],
    write: false,
    summary: 'Files sent to the region: number, date, counts, change range, file name, hash.',
  }),
  'exchange.schedule': method<ExchangeSchedule>()({
    input: z.object({}).strict(),
    access: 'authenticated',
    write: false,
    summary: 'When the next file is due, whether it is late, and the last receipt from the region.',
  }),
  'exchange.setCadence': method<{ cadence: Cadence }>()({
    input: z.object({ cadence: z.enum(CADENCES) }).strict(),
    access: ['office_head', 'coordinator'],
    write: true,
    summary: 'How often files are due (monthly by default).',
  }),
  'exchange.import': method<ImportResult>()({
    input: z.object({ files: z.array(FileRefSchema).min(1).max(100), dryRun: z.boolean().default(false), jobId: JobIdSchema.optional() }).strict(),
    cliOnly: ['path'],
    access: ['coordinator'],
    write: true,
    job: true,
    summary: 'Region: check and apply exchange files in sequence order (each all or nothing); dryRun only summarises.',
  }),
  'exchange.acceptGap': method<{ skipped: { from: number; to: number }; results: FileResult[] }>()({
    input: z.object({ office: OfficeSlugSchema, jobId: JobIdSchema.optional() }).strict(),
    access: ['coordinator'],
    write: true,
    job: true,
    summary: 'Region: accept that missing files of an office will not come, and apply the files held after them.',
  }),
  'exchange.auditChainBreak': method<AuditChainDecision>()({
    input: z.object({ refusedFile: FileRefSchema }).strict(),
    cliOnly: ['path'],
    access: ['coordinator'],
    write: false,
    summary: "Region: why an office's file is refused for its audit chain: the head the region holds against the file's.",
  }),
  'exchange.acceptAuditChain': method<AuditChainDecision>()({
    input: z
      .object({
        refusedFile: FileRefSchema,
        /** Why the coordinator accepts (typed, kept in the audit trail). */
        reason: z.string().max(1000),
      })
      .strict(),
    cliOnly: ['path'],
    access: ['coordinator'],
    write: true,
    summary: "Region: accept an office's new audit chain (e.g. after it restored an older backup), given the file refused for it and the reason typed.",
  }),
  'exchange.numberingRestart': method<NumberingRestartDecision>()({
    input: z.object({ refusedFile: FileRefSchema }).strict(),
    cliOnly: ['path'],
    access: ['coordinator'],
    write: false,
    summary: "Region: why an office's file reuses a number already received (it restored an older backup): what the region holds against what the file says.",
  }),
  'exchange.acceptNumberingRestart': method<NumberingRestartDecision>()({
    input: z
      .object({
        refusedFile: FileRefSchema,
        /** Why the coordinator accepts (typed, kept in the audit trail). */
        reason: z.string().max(1000),
        jobId: JobIdSchema.optional(),
      })
      .strict(),
    cliOnly: ['path'],
    access: ['coordinator'],
    write: true,
    job: true,
    summary:
      "Region: accept that an office numbers its files again from a restored backup, given the refused file and the reason typed: its position goes back to the file's start (its audit trail accepted too if needed), then the file is applied, in one transaction.",
  }),
  'exchange.offices': method<RegionOfficeStatus[]>()({
    input: z.object({}).strict(),
    access: ['coordinator'],
    write: false,
    summary: 'Region: for each province, its last file, its sequence, whether it is late, files held, rows held.',
  }),
  'exchange.imports': method<ImportHistoryRow[]>()({
    input: z.object({ office: OfficeSlugSchema.optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    access: ['coordinator'],
    write: false,
    summary: 'Region: the files applied, with their summaries.',
  }),
  'exchange.reviews': method<{ total: number; items: ReviewItem[] }>()({
    input: z
      .object({
        status: z.enum(['open', 'same', 'distinct', 'dismissed']).optional(),
        kind: z.enum(['same_cin', 'same_person', 'conflict']).optional(),
        limit: z.number().int().min(1).max(500).default(100),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    access: ['coordinator'],
    write: false,
    summary: 'Region: the review list of cross-province duplicates and conflicts.',
  }),
  'exchange.resolveReview': method<ReviewItem>()({
    input: z.object({ id: z.string().min(1).max(100), decision: z.enum(['same', 'distinct', 'dismissed']), note: z.string().max(1000).default('') }).strict(),
    access: ['coordinator'],
    write: true,
    summary: 'Region: record the decision on a review item (same person, distinct persons, dismissed).',
  }),
  'exchange.receipt': method<{ fileId: string; name: string; lastFileSeq: number; counts: Record<string, number> }>()({
    input: z.object({ office: OfficeSlugSchema }).strict(),
    access: ['coordinator'],
    write: false,
    summary: 'Region: a signed receipt of what the region holds for an office.',
  }),
  'exchange.loadReceipt': method<{ receipt: ReceiptInfo; ours: Record<string, number>; lastFileSeqSent: number; upToDate: boolean }>()({
    input: z.union([FileRefSchema, z.object({ text: z.string().min(10).max(1_000_000) }).strict()]),
    cliOnly: ['path'],
    access: ['office_head'],
    write: true,
    summary: "Province: load the region's receipt and compare with this office's counts.",
  }),
} as const;
