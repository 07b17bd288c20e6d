import { z } from 'zod';
import { method } from './define';

/** API methods of the attestations feature: kinds, preview, issue, reprint (duplicata), revoke, register, verify, batches. */

export const ATTESTATION_STATUSES = ['valid', 'revoked'] as const;
export type AttestationStatus = (typeof ATTESTATION_STATUSES)[number];

export const VERDICTS = ['valid', 'revoked', 'replaced', 'unknown_office', 'tampered', 'not_found'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface AttestationKindInfo {
  code: string;
  version: number;
  labelAr: string;
  labelFr: string;
  titleAr: string;
  titleFr: string;
  requires: { participation?: boolean; statusIn?: string[]; statusNotIn?: string[] };
  /** Added by the office (data folder) rather than shipped with the app. */
  custom: boolean;
}

/** Why an applicant cannot receive a kind now (each with what is missing). */
export interface EligibilityProblem {
  code: string;
  params: Record<string, unknown>;
}

export interface Eligibility {
  applicantId: string;
  kind: string;
  eligible: boolean;
  problems: EligibilityProblem[];
  participation: {
    totalHours: number;
    attendanceRate: number;
    firstSessionDate: string | null;
    lastSessionDate: string | null;
    missing: { hours?: number; attendanceRate?: number };
    criteria: { minHours: number; minAttendanceRate: number };
  } | null;
}

export interface AttestationEntry {
  id: string;
  serial: string;
  kind: string;
  applicantId: string;
  fullNameAr: string;
  fullNameLat: string;
  issueDate: string;
  issuedAt: string;
  issuedByName: string;
  contentHash: string;
  hours: number | null;
  status: AttestationStatus;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
  printCount: number;
  lastPrintedAt: string | null;
  batchId: string | null;
  /** Serial of the newer original that replaced this one (her hours or data changed), and when. */
  replacedBy: string | null;
  replacedAt: string | null;
  /** Serial of the attestation this one replaced. */
  replaces: string | null;
}

export interface PdfFile {
  fileId: string;
  fileName: string;
  size: number;
}

export interface VerifyResult {
  verdict: Verdict;
  /** How the code was read: the scanned QR text or a typed serial number. */
  source: 'qr' | 'serial';
  serial: string | null;
  kind: string | null;
  name: string | null;
  issueDate: string | null;
  hours: number | null;
  office: { code: string; nameAr: string; nameFr: string } | null;
  /** The local register has this number (this office's attestations, or ones received by exchange). */
  registered: boolean;
  revokedAt: string | null;
  revokeReason: string | null;
  /** Verdict 'replaced': the serial of the attestation that replaced it, and when. */
  replacedBy: string | null;
  replacedAt: string | null;
  /** When a CIN was given: whether it is the one the attestation was issued for. */
  cinMatches: boolean | null;
  /** Why a code is refused as tampered (format, payload, signature). */
  reason: string | null;
  /**
   * Where name, kind, hours and dates shown come from: the signed code (checked), the register (a typed serial, or
   * an altered code whose serial the register holds: its values, never the altered ones), or nothing.
   */
  valuesFrom: 'code' | 'register' | null;
}

/** What issuing will record (shown for confirmation before the office head issues). */
export interface IssuePlan {
  kind: string;
  fullNameAr: string;
  fullNameLat: string;
  fileNo: string;
  issueDate: string;
  hours: number | null;
  periodFrom: string | null;
  periodTo: string | null;
  /** The serial the attestation will most likely receive (taken only when it is issued). */
  nextSerial: string;
  /** Her current attestation of this kind, if any: same content (refused: print a duplicata) or to be replaced. */
  current: { serial: string; issueDate: string; unchanged: boolean } | null;
}

export interface BatchStatus {
  jobId: string;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  mode: 'single' | 'per_person';
  done: number;
  total: number;
  files: PdfFile[];
  serials: string[];
  skipped: { applicantId: string; fullName: string; problems: EligibilityProblem[] }[];
  /** Serials replaced by this batch (old → new). */
  replaced: { old: string; new: string }[];
  error: { code: string; params: Record<string, unknown> } | null;
}

const Id = z.string().min(1).max(64);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'attestations.date_invalid');
const Kind = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);
const Ref = z.union([z.object({ id: Id }).strict(), z.object({ serial: z.string().min(5).max(40) }).strict()]);

const STAFF = ['agent', 'office_head', 'coordinator'] as const;

export const attestationsContract = {
  'attestations.kinds': method<AttestationKindInfo[]>()({
    input: z.object({}).strict(),
    access: 'authenticated',
    write: false,
    summary: 'Kinds of attestation (templates shipped in templates/attestations and added by the office).',
  }),
  'attestations.check': method<Eligibility>()({
    input: z.object({ applicantId: Id, kind: Kind }).strict(),
    access: STAFF,
    write: false,
    summary: 'Whether an applicant can receive a kind of attestation now, and what is missing otherwise.',
  }),
  'attestations.preview': method<PdfFile & { eligibility: Eligibility; plan: IssuePlan }>()({
    input: z.object({ applicantId: Id, kind: Kind, issueDate: IsoDate.optional() }).strict(),
    access: STAFF,
    write: false,
    summary: 'A draft PDF (marked as preview, no number, no QR code, not registered) into the outbox.',
  }),
  'attestations.issue': method<PdfFile & { entry: AttestationEntry }>()({
    input: z.object({ applicantId: Id, kind: Kind, issueDate: IsoDate.optional() }).strict(),
    access: ['office_head'],
    write: true,
    summary: 'Issue an attestation: next serial number, register entry, signed QR code, PDF into the outbox.',
  }),
  'attestations.reprint': method<PdfFile & { entry: AttestationEntry; duplicata: boolean }>()({
    input: Ref,
    access: ['office_head'],
    write: true,
    summary: 'Print a registered attestation again, same number, marked duplicata (نظير).',
  }),
  'attestations.revoke': method<AttestationEntry>()({
    input: z.object({ id: Id.optional(), serial: z.string().min(5).max(40).optional(), reason: z.string().trim().min(3).max(500) }).strict(),
    access: ['office_head'],
    write: true,
    summary: 'Revoke an attestation with a reason (verification then answers revoked).',
  }),
  'attestations.list': method<{ rows: AttestationEntry[]; total: number }>()({
    input: z
      .object({
        kind: Kind.optional(),
        status: z.enum(['valid', 'revoked', 'replaced']).optional(),
        applicantId: Id.optional(),
        from: IsoDate.optional(),
        to: IsoDate.optional(),
        q: z.string().trim().max(100).optional(),
        limit: z.number().int().min(1).max(500).default(50),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    access: STAFF,
    write: false,
    summary: 'The register of attestations issued, newest first, with filters.',
  }),
  'attestations.get': method<AttestationEntry & { content: unknown; qrText: string }>()({
    input: Ref,
    access: STAFF,
    write: false,
    summary: 'One register entry with the content that was printed.',
  }),
  'attestations.verify': method<VerifyResult>()({
    input: z.object({ code: z.string().trim().min(3).max(3000), cin: z.string().trim().max(20).optional() }).strict(),
    access: 'authenticated',
    write: false,
    summary: 'Verify a scanned QR text or a typed serial: valid, revoked, unknown office, tampered or not found.',
  }),
  'attestations.batchStart': method<BatchStatus>()({
    input: z
      .object({
        cohortId: Id,
        kind: Kind.default('participation'),
        mode: z.enum(['single', 'per_person']).default('single'),
        issueDate: IsoDate.optional(),
      })
      .strict(),
    access: ['office_head'],
    write: true,
    summary: 'Issue to every eligible member of a cohort (registered now), then render the PDFs in the background.',
  }),
  'attestations.verifySettings': method<{ url: string | null; isRegion: boolean }>()({
    input: z.object({}).strict(),
    access: 'authenticated',
    write: false,
    summary: "The verification page's address printed in the QR codes (set by the region, received by the provinces with the exchange receipts).",
  }),
  'attestations.setVerifyUrl': method<{ url: string | null }>()({
    input: z.object({ url: z.string().trim().max(200).nullable() }).strict(),
    access: ['office_head', 'coordinator'],
    write: true,
    summary: "Region: set the verification page's address (https://…); it goes to the provinces with the next receipts.",
  }),
  'attestations.verifyPage': method<PdfFile & { offices: number; revoked: number; replaced: number; issuedAt: string }>()({
    input: z.object({}).strict(),
    access: ['office_head', 'coordinator'],
    write: false,
    summary: 'Region: write the self-contained verification page (HTML: office keys, signed list of revoked and replaced serials).',
  }),
  'attestations.batchStatus': method<BatchStatus>()({
    input: z.object({ jobId: Id }).strict(),
    access: ['office_head'],
    write: false,
    summary: 'Progress of a batch (pages done of total, files when finished).',
  }),
  'attestations.batchCancel': method<BatchStatus>()({
    input: z.object({ jobId: Id }).strict(),
    access: ['office_head'],
    write: false,
    summary: 'Stop a batch: pages not rendered yet stay registered as not printed (print them with reprint).',
  }),
} as const;
