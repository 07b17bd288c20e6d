import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Sqlite } from '../db/connection';
import type { Office } from '../db/schema';
import { AppError } from '../../shared/errors';
import { PROVINCE_NAMES } from '../../shared/offices';
import type { AttestationKindInfo, Eligibility, EligibilityProblem, VerifyResult } from '../../shared/api/attestations.contract';
import { getParticipation } from '../sessions/participation';
import { findApplicant, findBySerial, findCurrent, officeByCode, projectValidatedOn, refLabel, type ApplicantForAttestation } from './attestations.repo';
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

export function requireApplicant(sqlite: Sqlite, id: string, office: Office): ApplicantForAttestation {
  const a = findApplicant(sqlite, id);
  if (!a || (a.office_id !== office.id && office.kind !== 'region')) throw new AppError('attestations.applicant_not_found', { applicantId: id });
  return a;
}

/** The date printed: the day on the office's calendar (Africa/Casablanca), whatever the machine's time zone. */
export { localDate } from '../../shared/time';

function names(a: ApplicantForAttestation) {
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

function collectFacts(sqlite: Sqlite, office: Office, a: ApplicantForAttestation, kind: KindTemplate, issueDate: string): Facts {
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
  const sector = refLabel(sqlite, 'sector', a.project_sector);
  vars.sectorAr = sector?.ar ?? null;
  vars.sectorFr = sector?.fr ?? null;
  const validated = projectValidatedOn(sqlite, a.id);
  vars.validatedOnAr = validated ? longDateAr(validated) : null;
  vars.validatedOnFr = validated ? longDateFr(validated) : null;

  let participation: Facts['participation'] = null;
  let hours: number | null = null;
  const usesHours = kind.requires.participation || /\{\{\s*(hours|attendanceRate|periodFrom)/.test(kind.bodyAr + kind.bodyFr);
  if (usesHours) {
    const p = getParticipation(sqlite, a.id, { until: issueDate });
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
export function fillContent(layout: Layout, kind: KindTemplate, a: ApplicantForAttestation, vars: Record<string, string | number | null>, serial: string, issueDate: string): AttestationContent {
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
  applicant: ApplicantForAttestation;
  kind: KindTemplate;
  layout: Layout;
  facts: Facts;
  eligibility: Eligibility;
}

/** Checks the kind's conditions and that every value its texts need is known. */
export function prepare(sqlite: Sqlite, dbPath: string, office: Office, applicantId: string, kindCode: string, issueDate: string): Prepared {
  const kind = requireKind(dbPath, kindCode);
  const layout = loadLayout();
  const a = requireApplicant(sqlite, applicantId, office);
  const problems: EligibilityProblem[] = [];
  if (a.anonymised_at) problems.push({ code: 'attestations.anonymised', params: {} });
  if (kind.requires.statusIn && !kind.requires.statusIn.includes(a.status)) {
    problems.push({ code: 'attestations.status_not_allowed', params: { status: a.status, allowed: kind.requires.statusIn.join(', ') } });
  }
  if (kind.requires.statusNotIn && kind.requires.statusNotIn.includes(a.status)) {
    problems.push({ code: 'attestations.status_not_allowed', params: { status: a.status, allowed: '' } });
  }
  const facts = collectFacts(sqlite, office, a, kind, issueDate);
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
export function currentOf(sqlite: Sqlite, p: Prepared, issueDate: string): { row: NonNullable<ReturnType<typeof findCurrent>>; unchanged: boolean } | null {
  const row = findCurrent(sqlite, p.applicant.id, p.kind.code);
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
export function verifyCode(sqlite: Sqlite, code: string, cin?: string): VerifyResult {
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
    const office = officeByCode(sqlite, parseSerial(f.serial)!.officeCode);
    if (!office || !office.public_key || !(office.own || office.trusted)) return { ...base, serial: f.serial, verdict: 'unknown_office', reason: office ? 'untrusted' : 'unknown' };
    const officeInfo = { code: office.code, nameAr: office.name_ar, nameFr: office.name_fr };
    const row = findBySerial(sqlite, f.serial);
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
  const office = officeByCode(sqlite, parsedSerial.officeCode);
  const result: VerifyResult = { ...base, source: 'serial', serial, office: office ? { code: office.code, nameAr: office.name_ar, nameFr: office.name_fr } : null };
  const row = findBySerial(sqlite, serial);
  if (!row) return { ...result, verdict: office ? 'not_found' : 'unknown_office', reason: office ? 'not_in_register' : 'unknown' };
  if (sha256Hex(row.content_json) !== row.content_hash) return { ...result, registered: true, verdict: 'tampered', reason: 'register_hash' };
  const withValues: VerifyResult = { ...result, ...registerValues(row), registered: true };
  const qr = parseQr(row.qr_text);
  if (cin && qr.ok) withValues.cinMatches = cinHash(cin, serial) === qr.facts.cinHash;
  return registerState(withValues, row);
}

export { normaliseCin };
