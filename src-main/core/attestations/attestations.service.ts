import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { ReadableDB } from '../db/handles';
import type { Office } from '../db/schema';
import type { ReadContext, WriteContext } from '../context';
import type { MethodName, MethodParsed } from '../../shared/api/contract';
import type { BatchStatus, IssuePlan } from '../../shared/api/attestations.contract';
import { activeMembersByName, findCohort } from '../sessions/sessions.repo';
import type { ApplicantRow } from '../applicants/applicants.repo';
import { requireApplicant as requireRegistryApplicant } from '../applicants/require-applicant';
import { AppError } from '../../shared/errors';
import { PROVINCE_NAMES } from '../../shared/offices';
import type { AttestationKindInfo, Eligibility, EligibilityProblem, VerifyResult } from '../../shared/api/attestations.contract';
import { getParticipation } from '../sessions/participation';
import {
  findById,
  findBySerial,
  findCurrent,
  insertAttestation,
  listAttestations,
  markPrinted,
  markReplaced,
  markRevoked,
  officeByCode,
  projectValidatedOn,
  refLabel,
  signingKey,
  toEntry,
  type AttestationRow,
} from './attestations.repo';
import { jobsOf, publicStatus, startJob, type BatchJob } from './attestations.jobs';
import { renderPages, type PageInput, type PrintMode } from './pdf-render';
import { kindLetter, nextSerial, peekSerial } from './serials';
import { buildVerifyPage, getVerifyUrl, normaliseVerifyUrl, setVerifyUrl } from './verify-page/verify-page';
import type { AttestationContent } from './pdf-render';
import { cinHash, parseQr, signQr, verifyQrSignature, normaliseCin } from './qr-payload';
import { normaliseSerialInput, parseSerial } from './serials';
import { fillTemplate, loadKinds, loadLayout, longDateAr, longDateFr, MissingPlaceholderError, shortDate, type KindTemplate, type Layout } from './templates';

/** The rules of attestations: which kinds exist, who may receive one, what is printed, how a code is verified. */

/** Office kinds folder beside the database (`<data>/templates/attestations/kinds`), or none for in-memory databases. */
export function officeTemplatesDir(dbPath: string): string | null {
  return dbPath === ':memory:' ? null : join(dirname(dbPath), 'templates', 'attestations');
}

export function listKinds(dbPath: string): AttestationKindInfo[] {
  const extra = officeTemplatesDir(dbPath);
  return loadKinds(extra).kinds.map((k) => ({
    code: k.code,
    version: k.version,
    labelAr: k.labelAr,
    labelFr: k.labelFr,
    titleAr: k.titleAr,
    titleFr: k.titleFr,
    requires: k.requires,
    custom: extra !== null && k.source.startsWith(extra),
  }));
}

export function requireKind(dbPath: string, code: string): KindTemplate {
  const k = loadKinds(officeTemplatesDir(dbPath)).kinds.find((x) => x.code === code);
  if (!k) throw new AppError('attestations.unknown_kind', { kind: code });
  return k;
}

/**
 * An applicant of this office who may receive an attestation (core/applicants' one rule, in this feature's words):
 * an anonymised file gets none (law 09-08: nothing is issued on it); `write` when the attestation is registered.
 */
export function requireApplicant(ctx: ReadContext, id: string, write: boolean): ApplicantRow {
  return requireRegistryApplicant(ctx, id, { write, notFound: 'attestations.applicant_not_found', anonymised: 'attestations.anonymised' });
}

/** The date printed: the day on the office's calendar (Africa/Casablanca), whatever the machine's time zone. */
import { localDate } from '../../shared/time';
export { localDate };

function names(a: ApplicantRow) {
  const ar = [a.first_name_ar, a.last_name_ar].filter((s) => s.trim()).join(' ');
  const lat = [a.first_name_lat, a.last_name_lat.toUpperCase()].filter((s) => s.trim()).join(' ');
  return { ar: ar || lat, lat: lat || ar };
}

const pct = (rate: number) => Math.round(rate * 1000) / 10;

interface Facts {
  vars: Record<string, string | number | null>;
  hours: number | null;
  participation: Eligibility['participation'];
}

function collectFacts(db: ReadableDB, office: Office, a: ApplicantRow, kind: KindTemplate, issueDate: string): Facts {
  const n = names(a);
  const place = PROVINCE_NAMES[office.slug] ?? { ar: office.name_ar, fr: office.name_fr };
  const vars: Record<string, string | number | null> = {
    fullNameAr: n.ar,
    fullNameFr: n.lat,
    cin: a.cin,
    birthDateAr: a.birth_date ? shortDate(a.birth_date) : null,
    birthDateFr: a.birth_date ? shortDate(a.birth_date) : null,
    fileNo: a.file_no,
    registeredOnAr: longDateAr(a.created_at),
    registeredOnFr: longDateFr(a.created_at),
    officeNameAr: office.name_ar,
    officeNameFr: office.name_fr,
    officeAddressAr: office.address_ar,
    officeAddressFr: office.address_fr,
    signatoryTitleAr: office.signatory_title_ar,
    signatoryTitleFr: office.signatory_title_fr,
    placeAr: place.ar,
    placeFr: place.fr,
    issueDateAr: longDateAr(issueDate),
    issueDateFr: longDateFr(issueDate),
  };
  const sector = refLabel(db, 'sector', a.project_sector);
  vars.sectorAr = sector?.ar ?? null;
  vars.sectorFr = sector?.fr ?? null;
  const validated = projectValidatedOn(db, a.id);
  vars.validatedOnAr = validated ? longDateAr(validated) : null;
  vars.validatedOnFr = validated ? longDateFr(validated) : null;

  let participation: Facts['participation'] = null;
  let hours: number | null = null;
  const usesHours = kind.requires.participation || /\{\{\s*(hours|attendanceRate|periodFrom)/.test(kind.bodyAr + kind.bodyFr);
  if (usesHours) {
    const p = getParticipation(db, a.id, { until: issueDate });
    participation = {
      totalHours: p.totalHours,
      attendanceRate: p.attendanceRate,
      firstSessionDate: p.firstSessionDate,
      lastSessionDate: p.lastSessionDate,
      missing: p.missing,
      criteria: p.criteria,
    };
    hours = p.totalHours;
    vars.hours = p.totalHours;
    vars.attendanceRate = pct(p.attendanceRate);
    vars.periodFromAr = p.firstSessionDate ? longDateAr(p.firstSessionDate) : null;
    vars.periodToAr = p.lastSessionDate ? longDateAr(p.lastSessionDate) : null;
    vars.periodFromFr = p.firstSessionDate ? longDateFr(p.firstSessionDate) : null;
    vars.periodToFr = p.lastSessionDate ? longDateFr(p.lastSessionDate) : null;
  }
  return { vars, hours, participation };
}

/** Fills every text of the page. Throws MissingPlaceholderError when a value the template needs is absent. */
export function fillContent(layout: Layout, kind: KindTemplate, a: Pick<ApplicantRow, 'sex'>, vars: Record<string, string | number | null>, serial: string, issueDate: string): AttestationContent {
  const v = { ...vars, serial };
  const sex = a.sex;
  const ar = (s: string) => fillTemplate(s, v, { sex, rtl: true });
  const fr = (s: string) => fillTemplate(s, v, { sex, rtl: false });
  const optional = (f: (s: string) => string, s: string) => {
    try {
      return f(s);
    } catch (e) {
      if (e instanceof MissingPlaceholderError) return '';
      throw e;
    }
  };
  return {
    v: 1,
    kind: kind.code,
    kindVersion: kind.version,
    serial,
    issueDate,
    sex,
    texts: {
      letterheadAr: layout.letterheadAr.map(ar),
      letterheadFr: layout.letterheadFr.map(fr),
      referenceAr: ar(layout.referenceAr),
      referenceFr: fr(layout.referenceFr),
      placeDateAr: ar(layout.placeDateAr),
      placeDateFr: fr(layout.placeDateFr),
      titleAr: ar(kind.titleAr),
      titleFr: fr(kind.titleFr),
      bodyAr: ar(kind.bodyAr),
      bodyFr: fr(kind.bodyFr),
      closingAr: ar(layout.closingAr),
      closingFr: fr(layout.closingFr),
      signatoryAr: String(vars.signatoryTitleAr ?? ''),
      signatoryFr: String(vars.signatoryTitleFr ?? ''),
      verifyAr: ar(layout.verifyAr),
      verifyFr: fr(layout.verifyFr),
      footerAr: optional(ar, layout.footerAr),
      footerFr: optional(fr, layout.footerFr),
    },
  };
}

export interface Prepared {
  applicant: ApplicantRow;
  kind: KindTemplate;
  layout: Layout;
  facts: Facts;
  eligibility: Eligibility;
}

/**
 * Checks the kind's conditions and that every value its texts need is known, for an applicant the caller has
 * checked (`requireApplicant`: of this office, not anonymised).
 */
export function prepare(db: ReadableDB, dbPath: string, office: Office, a: ApplicantRow, kindCode: string, issueDate: string): Prepared {
  const kind = requireKind(dbPath, kindCode);
  const layout = loadLayout();
  const problems: EligibilityProblem[] = [];
  if (kind.requires.statusIn && !kind.requires.statusIn.includes(a.status)) {
    problems.push({ code: 'attestations.status_not_allowed', params: { status: a.status, allowed: kind.requires.statusIn.join(', ') } });
  }
  if (kind.requires.statusNotIn && kind.requires.statusNotIn.includes(a.status)) {
    problems.push({ code: 'attestations.status_not_allowed', params: { status: a.status, allowed: '' } });
  }
  const facts = collectFacts(db, office, a, kind, issueDate);
  const p = facts.participation;
  if (kind.requires.participation && p) {
    if (p.missing.hours !== undefined) {
      problems.push({ code: 'attestations.not_enough_hours', params: { hours: p.totalHours, required: p.criteria.minHours, missing: p.missing.hours } });
    }
    if (p.missing.attendanceRate !== undefined) {
      problems.push({
        code: 'attestations.attendance_too_low',
        params: { rate: pct(p.attendanceRate), required: pct(p.criteria.minAttendanceRate), missing: pct(p.missing.attendanceRate) },
      });
    }
  }
  try {
    fillContent(layout, kind, a, facts.vars, 'XXX-0000-X-000000', issueDate);
  } catch (e) {
    if (!(e instanceof MissingPlaceholderError)) throw e;
    problems.push({ code: 'attestations.missing_value', params: { field: e.placeholder } });
  }
  return {
    applicant: a,
    kind,
    layout,
    facts,
    eligibility: { applicantId: a.id, kind: kind.code, eligible: problems.length === 0, problems, participation: p },
  };
}

/**
 * What a new original of the same kind would certify, apart from its number and date: titles and bodies (name, CIN,
 * hours, period, dates of her path). Equal fingerprints: same attestation (a duplicata is the answer); different:
 * her hours or data changed, the new original replaces the old one.
 */
export function certifiedFingerprint(content: AttestationContent): string {
  const t = content.texts;
  return canonicalJson([content.kind, t.titleAr, t.titleFr, t.bodyAr, t.bodyFr]);
}

/** Her current attestation of the prepared kind, and whether a new one would certify the same thing. */
export function currentOf(db: ReadableDB, p: Prepared, issueDate: string): { row: NonNullable<ReturnType<typeof findCurrent>>; unchanged: boolean } | null {
  const row = findCurrent(db, p.applicant.id, p.kind.code);
  if (!row) return null;
  const now = fillContent(p.layout, p.kind, p.applicant, p.facts.vars, row.serial, issueDate);
  let old: AttestationContent | null = null;
  try {
    old = JSON.parse(row.content_json) as AttestationContent;
  } catch {
    old = null;
  }
  return { row, unchanged: old !== null && certifiedFingerprint(old) === certifiedFingerprint(now) };
}

/** Refuses a new original that would certify the same as her current one (offer the duplicata instead). */
export function refuseSameOriginal(cur: ReturnType<typeof currentOf>): void {
  if (cur?.unchanged) throw new AppError('attestations.already_issued', { serial: cur.row.serial, issueDate: cur.row.issue_date, kind: cur.row.kind });
}

export function requireEligible(p: Prepared): void {
  if (!p.eligibility.eligible) throw new AppError('attestations.not_eligible', { kind: p.kind.code, problems: p.eligibility.problems });
}

/** JSON with keys sorted at every level: the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v,
  );
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

export interface IssuedContent {
  content: AttestationContent;
  contentJson: string;
  contentHash: string;
  qrText: string;
}

/** The page and its signed QR code for a serial (pure: nothing written). */
export function makeIssued(p: Prepared, serial: string, issueDate: string, signingKeyPem: string): IssuedContent {
  const content = fillContent(p.layout, p.kind, p.applicant, p.facts.vars, serial, issueDate);
  const contentJson = canonicalJson(content);
  const n = names(p.applicant);
  const qrText = signQr(
    { serial, kind: p.kind.code, name: n.lat, cinHash: cinHash(p.applicant.cin ?? '', serial), issueDate, hours: p.facts.hours },
    signingKeyPem,
  );
  return { content, contentJson, contentHash: sha256Hex(contentJson), qrText };
}

/** The code inside what was scanned: a bare `JISR1.…` or the verification page address `https://…/#JISR1.…`. */
export function codeOfScan(text: string): string {
  const t = text.trim();
  const hash = t.indexOf('#');
  if (hash >= 0 && /^JISR\d*\./i.test(t.slice(hash + 1))) return t.slice(hash + 1);
  return t;
}

type RegisterRow = NonNullable<ReturnType<typeof findBySerial>>;

/** Name, kind, hours and date as the register holds them (never those of a scanned code that failed its checks). */
function registerValues(row: RegisterRow): Pick<VerifyResult, 'serial' | 'kind' | 'name' | 'issueDate' | 'hours' | 'valuesFrom'> {
  const qr = parseQr(row.qr_text);
  return {
    serial: row.serial,
    kind: row.kind,
    issueDate: row.issue_date,
    hours: row.hours,
    name: qr.ok ? qr.facts.name : [row.first_name_lat, row.last_name_lat].filter(Boolean).join(' '),
    valuesFrom: 'register',
  };
}

/** Revoked, replaced or valid, from the register row. */
function registerState(result: VerifyResult, row: RegisterRow): VerifyResult {
  if (row.status === 'revoked') return { ...result, verdict: 'revoked', revokedAt: row.revoked_at, revokeReason: row.revoke_reason };
  if (row.replaced_by) return { ...result, verdict: 'replaced', replacedBy: row.replaced_by, replacedAt: row.replaced_at };
  return { ...result, verdict: 'valid' };
}

/**
 * Verifies a scanned QR text (bare or as the verification page address) or a typed serial number, offline: the
 * signature against the issuing office's public key (this office, or an office whose key came with an exchange
 * and is trusted), then the local register. An altered code is never shown with its altered values: only with
 * the register's, when the register holds its serial.
 */
export function verifyCode(db: ReadableDB, code: string, cin?: string): VerifyResult {
  const base: VerifyResult = {
    verdict: 'tampered',
    source: 'qr',
    serial: null,
    kind: null,
    name: null,
    issueDate: null,
    hours: null,
    office: null,
    registered: false,
    revokedAt: null,
    revokeReason: null,
    replacedBy: null,
    replacedAt: null,
    cinMatches: null,
    reason: null,
    valuesFrom: null,
  };
  const text = codeOfScan(code);
  if (/^JISR\d*\./i.test(text)) {
    const parsed = parseQr(text);
    if (!parsed.ok) return { ...base, reason: parsed.reason };
    const f = parsed.facts;
    const office = officeByCode(db, parseSerial(f.serial)!.officeCode);
    if (!office || !office.public_key || !(office.own || office.trusted)) return { ...base, serial: f.serial, verdict: 'unknown_office', reason: office ? 'untrusted' : 'unknown' };
    const officeInfo = { code: office.code, nameAr: office.name_ar, nameFr: office.name_fr };
    const row = findBySerial(db, f.serial);
    if (!verifyQrSignature(parsed, office.public_key) || (row && row.qr_text !== text)) {
      const reason = verifyQrSignature(parsed, office.public_key) ? 'register_mismatch' : 'signature';
      return { ...base, ...(row ? registerValues(row) : {}), registered: !!row, office: officeInfo, verdict: 'tampered', reason };
    }
    const result: VerifyResult = {
      ...base,
      serial: f.serial,
      kind: f.kind,
      name: f.name,
      issueDate: f.issueDate,
      hours: f.hours,
      valuesFrom: 'code',
      office: officeInfo,
    };
    if (cin) result.cinMatches = cinHash(cin, f.serial) === f.cinHash;
    if (!row) return { ...result, verdict: 'valid' };
    return registerState({ ...result, registered: true }, row);
  }
  const serial = normaliseSerialInput(text);
  const parsedSerial = parseSerial(serial);
  if (!parsedSerial) return { ...base, source: 'serial', verdict: 'not_found', reason: 'format' };
  const office = officeByCode(db, parsedSerial.officeCode);
  const result: VerifyResult = { ...base, source: 'serial', serial, office: office ? { code: office.code, nameAr: office.name_ar, nameFr: office.name_fr } : null };
  const row = findBySerial(db, serial);
  if (!row) return { ...result, verdict: office ? 'not_found' : 'unknown_office', reason: office ? 'not_in_register' : 'unknown' };
  if (sha256Hex(row.content_json) !== row.content_hash) return { ...result, registered: true, verdict: 'tampered', reason: 'register_hash' };
  const withValues: VerifyResult = { ...result, ...registerValues(row), registered: true };
  const qr = parseQr(row.qr_text);
  if (cin && qr.ok) withValues.cinMatches = cinHash(cin, serial) === qr.facts.cinHash;
  return registerState(withValues, row);
}

export { normaliseCin };

// ---------------------------------------------------------------------------------------------
// The register: issue, preview, reprint, revoke, list, batches (the handlers bind these)
// ---------------------------------------------------------------------------------------------

type In<M extends MethodName> = MethodParsed<M>;

function requireKey(ctx: ReadContext): string {
  const k = signingKey(ctx.db);
  if (!k) throw new AppError('setup.required');
  return k;
}

function actorId(ctx: ReadContext): string | null {
  return ctx.actor.kind === 'user' ? ctx.actor.userId : null;
}

function findRef(ctx: ReadContext, ref: { id?: string; serial?: string }) {
  const row = ref.id ? findById(ctx.db, ref.id) : ref.serial ? findBySerial(ctx.db, normaliseSerialInput(ref.serial)) : undefined;
  if (!row) throw new AppError('attestations.not_found', { ref: ref.id ?? ref.serial ?? '' });
  const office = ctx.requireOffice();
  if (row.office_id !== office.id && office.kind !== 'region') throw new AppError('attestations.not_found', { ref: ref.id ?? ref.serial ?? '' });
  return row;
}

async function renderOne(ctx: ReadContext, page: PageInput, fileName: string) {
  const pdf = await renderPages([page], loadLayout(), { title: page.content.serial });
  const f = ctx.services.outbox.put(fileName, 'application/pdf', pdf!);
  return { fileId: f.id, fileName: f.name, size: f.size };
}

/** Registers one attestation of a prepared applicant (inside the call's transaction) and returns its page. */
function register(ctx: WriteContext, office: Office, key: string, p: Prepared, issueDate: string, opts: { printed: boolean; batchId: string | null }) {
  requireEligible(p);
  // One truth per attestation: the same content again is refused (print a duplicata); changed hours or data
  // make a new original that replaces her current one.
  const current = currentOf(ctx.db, p, issueDate);
  refuseSameOriginal(current);
  const year = Number(issueDate.slice(0, 4));
  const { serial, seq } = nextSerial(ctx.db, office, year, p.kind.code);
  const issued = makeIssued(p, serial, issueDate, key);
  const id = ctx.newId();
  const now = ctx.now();
  const changeSeq = ctx.change('attestations', id, 'insert', office.id);
  const row: AttestationRow = {
    id,
    office_id: office.id,
    serial,
    year,
    seq,
    kind: p.kind.code,
    kind_version: p.kind.version,
    applicant_id: p.applicant.id,
    issue_date: issueDate,
    issued_at: now,
    issued_by: actorId(ctx),
    issued_by_name: ctx.actorName,
    content_json: issued.contentJson,
    content_hash: issued.contentHash,
    qr_text: issued.qrText,
    hours: p.facts.hours,
    status: 'valid',
    revoked_at: null,
    revoked_by: null,
    revoke_reason: null,
    print_count: opts.printed ? 1 : 0,
    last_printed_at: opts.printed ? now : null,
    batch_id: opts.batchId,
    replaced_by: null,
    replaced_at: null,
    replaces: current?.row.serial ?? null,
    created_at: now,
    updated_at: now,
    change_seq: changeSeq,
  };
  insertAttestation(ctx.db, row);
  ctx.audit({
    entity: 'attestations',
    entityId: id,
    changes: {
      serial: [null, serial],
      kind: [null, row.kind],
      applicant_id: [null, row.applicant_id],
      content_hash: [null, row.content_hash],
      ...(opts.batchId ? { batch_id: [null, opts.batchId] } : { print_count: [null, 1] }),
      ...(current ? { replaces: [null, current.row.serial] } : {}),
    },
  });
  if (current) {
    markReplaced(ctx.db, current.row.id, serial, now, ctx.change('attestations', current.row.id, 'update', current.row.office_id));
    ctx.audit({ entity: 'attestations', entityId: current.row.id, changes: { replaced_by: [null, serial] } });
  }
  const page = { content: issued.content, qrText: issued.qrText, mode: 'original' as PrintMode, qrUrl: getVerifyUrl(ctx.db) };
  return { id, page, applicant: p.applicant, replaced: current?.row.serial ?? null };
}

export function check({ applicantId, kind }: In<'attestations.check'>, ctx: ReadContext) {
  const office = ctx.requireOffice();
  return prepare(ctx.db, ctx.services.dbPath, office, requireApplicant(ctx, applicantId, false), kind, localDate(ctx.clock())).eligibility;
}

export async function preview({ applicantId, kind, issueDate }: In<'attestations.preview'>, ctx: ReadContext) {
  const office = ctx.requireOffice();
  const date = issueDate ?? localDate(ctx.clock());
  const p = prepare(ctx.db, ctx.services.dbPath, office, requireApplicant(ctx, applicantId, false), kind, date);
  requireEligible(p);
  // A preview has no number (none is taken) and no QR code; it is marked as a draft on the page.
  const draftSerial = `${office.code}-${date.slice(0, 4)}-${kindLetter(p.kind.code)}-······`;
  const content = makeIssued(p, draftSerial, date, requireKey(ctx)).content;
  const file = await renderOne(ctx, { content, qrText: null, mode: 'preview' }, `preview-${kind}-${p.applicant.file_no}.pdf`);
  const current = currentOf(ctx.db, p, date);
  const part = p.eligibility.participation;
  const plan: IssuePlan = {
    kind: p.kind.code,
    fullNameAr: [p.applicant.first_name_ar, p.applicant.last_name_ar].filter((x) => x.trim()).join(' '),
    fullNameLat: [p.applicant.first_name_lat, p.applicant.last_name_lat].filter((x) => x.trim()).join(' '),
    fileNo: p.applicant.file_no,
    issueDate: date,
    hours: p.facts.hours,
    periodFrom: part?.firstSessionDate ?? null,
    periodTo: part?.lastSessionDate ?? null,
    nextSerial: peekSerial(ctx.db, office, Number(date.slice(0, 4)), p.kind.code),
    current: current ? { serial: current.row.serial, issueDate: current.row.issue_date, unchanged: current.unchanged } : null,
  };
  return { ...file, eligibility: p.eligibility, plan };
}

export async function issue({ applicantId, kind, issueDate }: In<'attestations.issue'>, ctx: WriteContext) {
  const office = ctx.requireOffice();
  const key = requireKey(ctx);
  const date = issueDate ?? localDate(ctx.clock());
  const p = prepare(ctx.db, ctx.services.dbPath, office, requireApplicant(ctx, applicantId, true), kind, date);
  const r = register(ctx, office, key, p, date, { printed: true, batchId: null });
  const file = await renderOne(ctx, r.page, `${r.page.content.serial}.pdf`);
  return { ...file, entry: toEntry(findById(ctx.db, r.id)!) };
}

export async function reprint(ref: In<'attestations.reprint'>, ctx: WriteContext) {
  const row = findRef(ctx, ref);
  if (row.status === 'revoked') throw new AppError('attestations.reprint_revoked', { serial: row.serial, revokedAt: row.revoked_at, reason: row.revoke_reason });
  if (row.replaced_by) throw new AppError('attestations.reprint_replaced', { serial: row.serial, replacedBy: row.replaced_by });
  if (sha256Hex(row.content_json) !== row.content_hash) throw new AppError('attestations.register_corrupt', { serial: row.serial });
  const content = JSON.parse(row.content_json) as AttestationContent;
  // A first print of an attestation registered by an unfinished batch is an original, any later one a duplicata.
  const duplicata = row.print_count > 0;
  const file = await renderOne(
    ctx,
    { content, qrText: row.qr_text, mode: duplicata ? 'duplicata' : 'original', qrUrl: getVerifyUrl(ctx.db) },
    `${row.serial}${duplicata ? '-duplicata' : ''}.pdf`,
  );
  const now = ctx.now();
  markPrinted(ctx.db, row.id, now, ctx.change('attestations', row.id, 'update', row.office_id));
  ctx.audit({ entity: 'attestations', entityId: row.id, changes: { print_count: [row.print_count, row.print_count + 1] } });
  return { ...file, duplicata, entry: toEntry(findById(ctx.db, row.id)!) };
}

export function revoke({ id, serial, reason }: In<'attestations.revoke'>, ctx: WriteContext) {
  if (!id && !serial) throw new AppError('validation.failed', { issues: [{ path: 'id', code: 'custom', message: 'id or serial' }] });
  const row = findRef(ctx, { id, serial });
  if (row.status === 'revoked') throw new AppError('attestations.already_revoked', { serial: row.serial, at: row.revoked_at });
  const now = ctx.now();
  markRevoked(ctx.db, row.id, now, ctx.actorName, reason, ctx.change('attestations', row.id, 'update', row.office_id));
  ctx.audit({ entity: 'attestations', entityId: row.id, changes: { status: ['valid', 'revoked'], revoke_reason: [null, reason] } });
  return toEntry(findById(ctx.db, row.id)!);
}

export function list(input: In<'attestations.list'>, ctx: ReadContext) {
  ctx.requireOffice();
  const r = listAttestations(ctx.db, input);
  return { rows: r.rows.map(toEntry), total: r.total };
}

export function getOne(ref: In<'attestations.get'>, ctx: ReadContext) {
  const row = findRef(ctx, ref);
  return { ...toEntry(row), content: JSON.parse(row.content_json) as unknown, qrText: row.qr_text };
}

export function batchStart({ cohortId, kind, mode, issueDate }: In<'attestations.batchStart'>, ctx: WriteContext): BatchStatus {
  const office = ctx.requireOffice();
  const key = requireKey(ctx);
  const cohort = findCohort(ctx.db, cohortId);
  if (!cohort || (cohort.office_id !== office.id && office.kind !== 'region')) throw new AppError('attestations.cohort_not_found', { cohortId });
  const members = activeMembersByName(ctx.db, cohortId);
  const date = issueDate ?? localDate(ctx.clock());
  const jobId = ctx.newId();
  const pages: BatchJob['pages'] = [];
  const status: BatchStatus = { jobId, state: 'running', mode, done: 0, total: 0, files: [], serials: [], skipped: [], replaced: [], error: null };
  for (const m of members) {
    let a: ApplicantRow;
    try {
      a = requireApplicant(ctx, m.applicant_id, true);
    } catch (e) {
      // An anonymised member gets none: skipped with the reason, as any other member who is not eligible.
      if (e instanceof AppError && e.code === 'attestations.anonymised') {
        status.skipped.push({ applicantId: m.applicant_id, fullName: m.name, problems: [{ code: 'attestations.anonymised', params: {} }] });
        continue;
      }
      throw e;
    }
    const p = prepare(ctx.db, ctx.services.dbPath, office, a, kind, date);
    if (!p.eligibility.eligible) {
      status.skipped.push({ applicantId: m.applicant_id, fullName: m.name, problems: p.eligibility.problems });
      continue;
    }
    const cur = currentOf(ctx.db, p, date);
    if (cur?.unchanged) {
      status.skipped.push({
        applicantId: m.applicant_id,
        fullName: m.name,
        problems: [{ code: 'attestations.already_issued', params: { serial: cur.row.serial, issueDate: cur.row.issue_date, kind } }],
      });
      continue;
    }
    const r = register(ctx, office, key, p, date, { printed: false, batchId: jobId });
    pages.push({ id: r.id, ...r.page });
    status.serials.push(r.page.content.serial);
    if (r.replaced) status.replaced.push({ old: r.replaced, new: r.page.content.serial });
  }
  status.total = pages.length;
  ctx.audit({ entity: 'cohorts', entityId: cohortId, changes: { attestation_batch: [null, { jobId, kind, issued: pages.length, skipped: status.skipped.length, replaced: status.replaced.length }] } });
  if (!pages.length) {
    status.state = 'done';
    return status;
  }
  const job = startJob(
    {
      status,
      cancelRequested: false,
      pages,
      fileBase: `${kind}-${cohort.name}`.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 80),
      actor: { kind: ctx.actor.kind, id: actorId(ctx), name: ctx.actorName },
      officeId: office.id,
    },
    { db: ctx.db, outbox: ctx.services.outbox, layout: loadLayout(), now: () => ctx.clock().toISOString(), logger: ctx.logger },
  );
  return publicStatus(job);
}

export function verifySettings(_input: In<'attestations.verifySettings'>, ctx: ReadContext) {
  return { url: getVerifyUrl(ctx.db), isRegion: ctx.requireOffice().kind === 'region' };
}

export function setVerifyAddress({ url }: In<'attestations.setVerifyUrl'>, ctx: WriteContext) {
  if (ctx.requireOffice().kind !== 'region') throw new AppError('attestations.verify_url_region_only');
  const next = url ? normaliseVerifyUrl(url) : null;
  const old = getVerifyUrl(ctx.db);
  setVerifyUrl(ctx.db, next);
  if (old !== next) ctx.audit({ entity: 'settings', entityId: 'attestations.verify_url', changes: { verify_url: [old, next] } });
  return { url: next };
}

export async function verifyPage(_input: In<'attestations.verifyPage'>, ctx: ReadContext) {
  const now = ctx.now();
  const { html, data } = await buildVerifyPage(ctx.db, ctx.services.dbPath, now);
  // Saved, never rendered inside the app's own origin.
  const f = ctx.services.outbox.put('index.html', 'application/octet-stream', Buffer.from(html, 'utf8'));
  return { fileId: f.id, fileName: f.name, size: f.size, offices: data.offices.length, revoked: data.list.revoked.length, replaced: data.list.replaced.length, issuedAt: now };
}

export function batchStatus({ jobId }: In<'attestations.batchStatus'>, ctx: ReadContext) {
  const job = jobsOf(ctx.services.outbox).get(jobId);
  if (!job) throw new AppError('attestations.job_not_found', { jobId });
  return publicStatus(job);
}

export function batchCancel({ jobId }: In<'attestations.batchCancel'>, ctx: ReadContext) {
  const job = jobsOf(ctx.services.outbox).get(jobId);
  if (!job) throw new AppError('attestations.job_not_found', { jobId });
  if (job.status.state === 'running') job.cancelRequested = true;
  return publicStatus(job);
}
