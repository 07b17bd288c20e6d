/**
 * Rules of the applicant registry: registration (consent first, CIN unique, likely duplicates confirmed by staff,
 * territory, reference codes, age range), audited edits, the beneficiary's path, and the whole file by role.
 */
import { localDate, startOfLocalDayUtc } from '../../shared/time';
import { AppError } from '../../shared/errors';
import { seesSensitive } from '../../shared/roles';
import {
  allowedMoves,
  STATUSES_NEEDING_REASON,
  STATUSES_NEEDING_SOURCE,
  type ApplicantFile,
  type ApplicantStatus,
  type AppWarning,
  type EditHistoryEntry,
  type FinancingSource,
  type LabelledCode,
  type StatusHistoryEntry,
} from '../../shared/api/applicants.contract';
import type { MethodParsed } from '../../shared/api/contract';
import { cinFormatOk } from '../../shared/normalize/cin';
import { ageOn } from '../../shared/normalize/dates';
import { requireApplicant } from './require-applicant';
import { type HandlerContext, type ReadContext } from '../context';
import type { WritableDB } from '../db/handles';
import type { Office } from '../db/schema';
import {
  findApplicant,
  findByCin,
  findCommune,
  getDisabilities,
  getSetting,
  getSituations,
  initialStatusRow,
  insertApplicant,
  insertApplicantsBulk,
  insertDuplicateDecision,
  insertStatusHistory,
  insertStatusHistoryBulk,
  listStatusHistory,
  nextFileNo,
  refIndex,
  rowToValues,
  setApplicantStatus,
  setDisabilities,
  setSituations,
  updateApplicantValues,
  newApplicantRow,
  valuesToColumns,
  type ApplicantRow,
  type RefRow,
} from './applicants.repo';
import { SENSITIVE_FIELDS, type ApplicantValues } from './repo/fields';
import { auditEntriesFor } from '../audit/audit.repo';
import { userNames } from '../accounts/accounts.repo';
import { workstationOf } from '../actor';
import { BLOCKING_SCORE, findDuplicates } from './duplicates';
import { refuseStaleEdit } from './edit-conflict';

type CreateInput = MethodParsed<'applicants.create'>;
type Changes = MethodParsed<'applicants.update'>['changes'];

export { FIELD_COLUMNS, SENSITIVE_FIELDS, type ApplicantValues } from './repo/fields';

/** Clears what does not apply: disability details without a disability, situations without the category. */
function coherent(v: ApplicantValues): ApplicantValues {
  const out = { ...v, situations: [...new Set(v.situations)].sort(), disabilityTypes: [...new Set(v.disabilityTypes)].sort() };
  if (out.disabilityTypes.length) out.hasDisability = true;
  if (!out.hasDisability) {
    out.disabilityTypes = [];
    out.disabilitySeverity = null;
    out.disabilityCardNumber = null;
    out.disabilityCardExpiry = null;
  }
  if (out.situations.length) out.isDifficultSituation = true;
  if (!out.isDifficultSituation) out.situations = [];
  if (!out.rsuRegistered) out.rsuIndex = null;
  return out;
}

const REF_FIELDS: [keyof ApplicantValues, string][] = [
  ['educationLevel', 'education'],
  ['vocationalLevel', 'vocational'],
  ['maritalStatus', 'marital'],
  ['projectSector', 'sector'],
  ['projectStage', 'project_stage'],
  ['projectLegalForm', 'legal_form'],
  ['heardFrom', 'heard_from'],
];

export interface RegistryRules {
  ageMin: number;
  ageMax: number;
  consentVersion: string;
}

/**
 * People by their names in a file's history (issue 15: "Souad Idrissi", not `souad`): the account's full name, found
 * by the account id recorded, else by the user name recorded (without the office network's workstation). Null when
 * the name is not an account of this installation (the command line, a user of another office): the screen falls back.
 */
function peopleNames(ctx: ReadContext): (userId: string | null, recorded: string) => string | null {
  const byKey = new Map<string, string>();
  for (const u of userNames(ctx.db)) {
    const name = u.display_name.trim();
    if (!name) continue;
    byKey.set(u.id, name);
    byKey.set(`@${u.username}`, name);
  }
  return (userId, recorded) => {
    const ws = workstationOf(recorded);
    const username = ws === null ? recorded : recorded.slice(0, recorded.length - ws.length - 3);
    return (userId ? byKey.get(userId) : undefined) ?? byKey.get(`@${username}`) ?? null;
  };
}

export function registryRules(ctx: ReadContext): RegistryRules {
  return {
    ageMin: Number(getSetting(ctx.db, 'registry.age_min', 18)),
    // 18 to 70 (issue 13; migration 0017 moved offices still on 0003's 55).
    ageMax: Number(getSetting(ctx.db, 'registry.age_max', 70)),
    consentVersion: String(getSetting(ctx.db, 'registry.consent_text_version', '2026-01')),
  };
}

/**
 * Her birth date against the registry's rules (registration, edits, Excel import): in the future is refused; an age
 * outside the programme's range is a warning on the form (the import, where nobody looks at a warning, refuses it).
 */
export function birthDateRule(birthDate: string, today: string, rules: Pick<RegistryRules, 'ageMin' | 'ageMax'>): { future: true } | { future: false; age: number; inRange: boolean } {
  if (birthDate > today) return { future: true };
  const age = ageOn(birthDate, today);
  return { future: false, age, inRange: age >= rules.ageMin && age <= rules.ageMax };
}

/** A name in at least one script, first and last (the schema's refinement, for values parsed without it). */
export function hasFullName(v: Pick<ApplicantValues, 'firstNameAr' | 'lastNameAr' | 'firstNameLat' | 'lastNameLat'>): boolean {
  return Boolean((v.firstNameAr && v.lastNameAr) || (v.firstNameLat && v.lastNameLat));
}

/** Checks shared by registration and edits; returns the warnings (refusals throw). */
function checkValues(ctx: HandlerContext, office: Office, v: ApplicantValues, refs: Map<string, Map<string, RefRow>>, rules: RegistryRules): AppWarning[] {
  const warnings: AppWarning[] = [];
  const today = ctx.today();
  const commune = findCommune(ctx.db, v.communeCode);
  if (!commune) throw new AppError('applicant.commune_unknown', { communeCode: v.communeCode });
  if (office.kind === 'province' && commune.province_code !== office.province_code) {
    throw new AppError('territory.out_of_scope', { communeCode: v.communeCode, provinceCode: office.province_code });
  }
  for (const [field, kind] of REF_FIELDS) {
    const code = v[field] as string | null;
    if (code && !refs.get(kind)?.has(code)) throw new AppError('applicant.ref_unknown', { field, code });
  }
  for (const code of v.situations) {
    if (!refs.get('situation')?.has(code)) throw new AppError('applicant.ref_unknown', { field: 'situations', code });
  }
  for (const code of v.disabilityTypes) {
    if (!refs.get('disability_type')?.has(code)) throw new AppError('applicant.ref_unknown', { field: 'disabilityTypes', code });
  }
  const birth = birthDateRule(v.birthDate, today, rules);
  if (birth.future) throw new AppError('applicant.birth_date_future', { birthDate: v.birthDate });
  if (!birth.inRange) warnings.push({ code: 'applicant.age_out_of_range', params: { age: birth.age, min: rules.ageMin, max: rules.ageMax } });
  if (!cinFormatOk(v.cin)) warnings.push({ code: 'applicant.cin_format', params: { cin: v.cin } });
  if (v.disabilityCardExpiry && v.disabilityCardExpiry < today) {
    warnings.push({ code: 'applicant.disability_card_expired', params: { expiry: v.disabilityCardExpiry } });
  }
  if (!v.isProjectHolder && !v.isDifficultSituation && !v.hasDisability) warnings.push({ code: 'applicant.no_category' });
  else if (v.sex === 'M' && !v.hasDisability) warnings.push({ code: 'applicant.category_mismatch' });
  return warnings;
}

function actorIds(ctx: HandlerContext) {
  return { userId: ctx.actor.kind === 'user' ? ctx.actor.userId : null, userName: ctx.actorName };
}

// ---------------------------------------------------------------------------------------------
// Writing new files (registration, Excel import)
// ---------------------------------------------------------------------------------------------

/** A new file: her checked values and the file's own data (ids and change numbers taken by the caller). */
export interface NewApplicant {
  id: string;
  fileNo: string;
  values: ApplicantValues;
  /** Her name keys when the caller already computed them (the import compares its rows with them). */
  nameKeys?: Parameters<typeof valuesToColumns>[1];
  consent: { status: ApplicantRow['consent_status']; date: string | null; textVersion: string | null; channel: ApplicantRow['consent_channel'] };
  changeSeq: number;
  /** Her first path step ('registered'). */
  status: { id: string; changeSeq: number };
}

/**
 * The one writer of new applicant files, for the registration form and the Excel import: her row (the fields'
 * columns and their keys, derived from the schema), her situations and disabilities, and the first step of her path.
 * The values were checked by the caller with the registry's rules (createApplicant: checkValues and the duplicate
 * rule; the import: validateRow and its duplicate index). One file is written with prepared single-row statements,
 * a list in bulk (the search index written once).
 */
export function writeNewApplicants(
  db: WritableDB,
  by: { officeId: string; userId: string | null; userName: string; at: string; source: ApplicantRow['source'] },
  files: readonly NewApplicant[],
): void {
  const rows = files.map((f) =>
    newApplicantRow(
      f.values,
      {
        id: f.id,
        office_id: by.officeId,
        file_no: f.fileNo,
        consent_status: f.consent.status,
        consent_date: f.consent.date,
        consent_text_version: f.consent.textVersion,
        consent_channel: f.consent.channel,
        status: 'registered',
        status_changed_at: by.at,
        financing_source: null,
        source: by.source,
        closed_at: null,
        anonymised_at: null,
        created_by: by.userName,
        created_at: by.at,
        updated_at: by.at,
        change_seq: f.changeSeq,
      },
      f.nameKeys,
    ),
  );
  const steps = files.map((f) =>
    initialStatusRow({ id: f.status.id, applicantId: f.id, officeId: by.officeId, userId: by.userId, userName: by.userName, at: by.at, changeSeq: f.status.changeSeq }),
  );
  if (files.length === 1) {
    insertApplicant(db, rows[0]);
    setSituations(db, files[0].id, files[0].values.situations);
    setDisabilities(db, files[0].id, files[0].values.disabilityTypes);
    insertStatusHistory(db, steps[0]);
    return;
  }
  insertApplicantsBulk(db, rows);
  for (const f of files) {
    if (f.values.situations.length) setSituations(db, f.id, f.values.situations);
    if (f.values.disabilityTypes.length) setDisabilities(db, f.id, f.values.disabilityTypes);
  }
  insertStatusHistoryBulk(db, steps);
}

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

export function createApplicant(input: CreateInput, ctx: HandlerContext): { id: string; fileNo: string; warnings: AppWarning[] } {
  const office = ctx.requireOffice();
  const rules = registryRules(ctx);
  const now = ctx.now();
  const today = ctx.today();

  // Consent comes first: nothing is stored without it (the schema already requires given = true).
  if (input.consent.textVersion !== rules.consentVersion) {
    throw new AppError('applicant.consent_version_outdated', { given: input.consent.textVersion, expected: rules.consentVersion });
  }
  if (input.consent.date > today) throw new AppError('applicant.consent_date_future', { date: input.consent.date });

  const { consent, source, distinctFrom, ...fields } = input;
  const v = coherent(fields as ApplicantValues);
  const refs = refIndex(ctx.db);
  const warnings = checkValues(ctx, office, v, refs, rules);

  const taken = findByCin(ctx.db, v.cin);
  if (taken) throw new AppError('applicant.cin_taken', { existingId: taken.id, fileNo: taken.file_no, cin: v.cin });

  const confirmed = new Set(distinctFrom);
  const blocking = undecidedDuplicates(ctx, v, null, confirmed);
  if (blocking.length) throw new AppError('applicant.possible_duplicates', { count: blocking.length, candidates: blocking });
  for (const otherId of confirmed) {
    if (!findApplicant(ctx.db, otherId)) throw new AppError('applicant.not_found', { id: otherId });
  }

  const id = ctx.newId();
  const fileNo = nextFileNo(ctx.db, office.code, Number(today.slice(0, 4)));
  const seq = ctx.change('applicants', id, 'insert', office.id);
  const { userId, userName } = actorIds(ctx);
  const statusId = ctx.newId();
  writeNewApplicants(ctx.db, { officeId: office.id, userId, userName, at: now, source }, [
    {
      id,
      fileNo,
      values: v,
      consent: { status: 'given', date: consent.date, textVersion: consent.textVersion, channel: consent.channel },
      changeSeq: seq,
      status: { id: statusId, changeSeq: ctx.change('status_history', statusId, 'insert', office.id) },
    },
  ]);

  recordDistinct(ctx, office, id, confirmed, now);

  const changes: Record<string, [unknown, unknown]> = { fileNo: [null, fileNo] };
  for (const [f, x] of Object.entries(v)) {
    if (x !== null && x !== '' && !(Array.isArray(x) && !x.length) && x !== false) changes[f] = [null, x];
  }
  changes.consent = [null, { date: consent.date, textVersion: consent.textVersion, channel: consent.channel }];
  ctx.audit({ entity: 'applicants', entityId: id, changes });
  return { id, fileNo, warnings };
}

/**
 * The likely duplicates that stop a save (registration or edit): strong candidates by name and birth date (a taken
 * CIN is its own refusal) that staff have not decided are other people, now or before — the form's rule
 * (useDuplicateCheck `undecided`).
 */
function undecidedDuplicates(ctx: HandlerContext, v: ApplicantValues, excludeId: string | null, confirmed: ReadonlySet<string>) {
  const dup = findDuplicates(ctx.db, { ...v, excludeId });
  return dup.candidates.filter((c) => c.score >= BLOCKING_SCORE && c.reason !== 'cin' && c.decision !== 'distinct' && !confirmed.has(c.id));
}

/** Staff confirmed these files are other people than this one: one 'distinct' decision each, audited. */
function recordDistinct(ctx: HandlerContext, office: Office, applicantId: string, otherIds: Iterable<string>, now: string): void {
  const { userName } = actorIds(ctx);
  for (const otherId of otherIds) {
    const decId = ctx.newId();
    insertDuplicateDecision(ctx.db, {
      id: decId,
      applicant_id: applicantId,
      other_id: otherId,
      decision: 'distinct',
      at: now,
      user_name: userName,
      office_id: office.id,
      change_seq: ctx.change('duplicate_decisions', decId, 'insert', office.id),
    });
    ctx.audit({ entity: 'duplicate_decisions', entityId: decId, changes: { applicant_id: [null, applicantId], other_id: [null, otherId], decision: [null, 'distinct'] } });
  }
}

// ---------------------------------------------------------------------------------------------
// Edits
// ---------------------------------------------------------------------------------------------

function requireOwned(ctx: HandlerContext, id: string): { office: Office; row: ApplicantRow } {
  return { office: ctx.requireOffice(), row: requireApplicant(ctx, id, { write: true }) };
}

export function updateApplicant(
  id: string,
  changes: Changes,
  ctx: HandlerContext,
  baseVersion?: number,
  distinctFrom: readonly string[] = [],
): { id: string; warnings: AppWarning[]; changed: string[]; version: number } {
  const { office, row } = requireOwned(ctx, id);
  refuseStaleEdit(ctx, id, row.change_seq, baseVersion);
  const confirmed = new Set(distinctFrom);
  for (const otherId of confirmed) {
    if (otherId === id) throw new AppError('applicant.duplicate_self');
    if (!findApplicant(ctx.db, otherId)) throw new AppError('applicant.not_found', { id: otherId });
  }
  const before = rowToValues(row, getSituations(ctx.db, id), getDisabilities(ctx.db, id));
  const merged = { ...before } as Record<string, unknown>;
  for (const [k, x] of Object.entries(changes)) if (x !== undefined) merged[k] = x;
  const after = coherent(merged as unknown as ApplicantValues);
  if (!hasFullName(after)) {
    throw new AppError('validation.failed', { issues: [{ path: 'firstNameAr', code: 'custom', message: 'applicant.name_required' }] });
  }
  if (after.hasDisability && !after.disabilityTypes.length) {
    throw new AppError('validation.failed', { issues: [{ path: 'disabilityTypes', code: 'custom', message: 'applicant.disability_type_required' }] });
  }

  const diff: Record<string, [unknown, unknown]> = {};
  for (const k of Object.keys(after) as (keyof ApplicantValues)[]) {
    if (JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)) diff[k] = [before[k] ?? null, after[k] ?? null];
  }
  const changed = Object.keys(diff);
  const now = ctx.now();
  if (!changed.length) {
    recordDistinct(ctx, office, id, confirmed, now);
    return { id, warnings: [], changed, version: row.change_seq };
  }

  const warnings = checkValues(ctx, office, after, refIndex(ctx.db), registryRules(ctx));
  if (diff.cin) {
    const taken = findByCin(ctx.db, after.cin);
    if (taken && taken.id !== id) throw new AppError('applicant.cin_taken', { existingId: taken.id, fileNo: taken.file_no, cin: after.cin });
  }
  // The same rule as at registration, on the file as it will be: the form's live check blocks the save while a strong
  // candidate is undecided; a caller that skips the form is refused the same way.
  const blocking = undecidedDuplicates(ctx, after, id, confirmed);
  if (blocking.length) throw new AppError('applicant.possible_duplicates', { count: blocking.length, candidates: blocking });
  recordDistinct(ctx, office, id, confirmed, now);

  const seq = ctx.change('applicants', id, 'update', row.office_id);
  updateApplicantValues(ctx.db, id, after, now, seq);
  if (diff.situations) setSituations(ctx.db, id, after.situations);
  if (diff.disabilityTypes) setDisabilities(ctx.db, id, after.disabilityTypes);
  ctx.audit({ entity: 'applicants', entityId: id, changes: diff });
  return { id, warnings, changed, version: seq };
}

export function recordDecision(
  input: MethodParsed<'applicants.recordDuplicateDecision'>,
  ctx: HandlerContext,
): { id: string } {
  const office = ctx.requireOffice();
  if (input.applicantId === input.otherId) throw new AppError('applicant.duplicate_self');
  if (!findApplicant(ctx.db, input.otherId)) throw new AppError('applicant.not_found', { id: input.otherId });
  if (input.applicantId && !findApplicant(ctx.db, input.applicantId)) throw new AppError('applicant.not_found', { id: input.applicantId });
  const id = ctx.newId();
  const now = ctx.now();
  insertDuplicateDecision(ctx.db, {
    id,
    applicant_id: input.applicantId,
    other_id: input.otherId,
    decision: input.decision,
    at: now,
    user_name: ctx.actorName,
    office_id: office.id,
    change_seq: ctx.change('duplicate_decisions', id, 'insert', office.id),
  });
  ctx.audit({
    entity: 'duplicate_decisions',
    entityId: id,
    changes: { applicant_id: [null, input.applicantId], other_id: [null, input.otherId], decision: [null, input.decision] },
  });
  return { id };
}

// ---------------------------------------------------------------------------------------------
// The path
// ---------------------------------------------------------------------------------------------

export function setStatus(
  input: MethodParsed<'applicants.setStatus'>,
  ctx: HandlerContext,
): { id: string; status: ApplicantStatus; allowedMoves: ApplicantStatus[]; entry: StatusHistoryEntry } {
  const { row } = requireOwned(ctx, input.id);
  const from = row.status;
  const to = input.to;
  const allowed = [...allowedMoves(from)];
  if (!allowed.includes(to)) throw new AppError('applicant.illegal_move', { from, to, allowed, allowedText: allowed.join(', ') || '—' });
  const reason = input.reason.trim();
  if (STATUSES_NEEDING_REASON.includes(to) && !reason) throw new AppError('applicant.reason_required', { to });
  const source: FinancingSource | null = input.financingSource ?? null;
  if (STATUSES_NEEDING_SOURCE.includes(to) && !source) throw new AppError('applicant.financing_source_required', { to });

  const now = ctx.now();
  const today = ctx.today();
  let at = now;
  if (input.date && input.date !== today) {
    const last = localDate(row.status_changed_at);
    if (input.date > today || input.date < last) {
      throw new AppError('applicant.status_date_invalid', { date: input.date, last });
    }
    // A move dated in the past happened on that day of the office's calendar: its local midnight.
    at = startOfLocalDayUtc(input.date);
    if (at < row.status_changed_at) at = row.status_changed_at;
  }
  const financing = to === 'financed' ? source : row.financing_source;
  const closedAt = to === 'closed' ? at : row.closed_at;
  const seq = ctx.change('applicants', row.id, to === 'closed' ? 'close' : 'update', row.office_id);
  setApplicantStatus(ctx.db, {
    id: row.id,
    status: to,
    status_changed_at: at,
    financing_source: financing,
    closed_at: closedAt,
    updated_at: now,
    change_seq: seq,
  });
  const { userId, userName } = actorIds(ctx);
  const histId = ctx.newId();
  insertStatusHistory(ctx.db, {
    id: histId,
    applicant_id: row.id,
    office_id: row.office_id,
    from_status: from,
    to_status: to,
    reason,
    financing_source: to === 'financed' ? source : null,
    at,
    user_id: userId,
    user_name: userName,
    created_at: now,
    updated_at: now,
    change_seq: ctx.change('status_history', histId, 'insert', row.office_id),
  });
  const changes: Record<string, [unknown, unknown]> = { status: [from, to] };
  if (reason) changes.reason = [null, reason];
  if (to === 'financed') changes.financingSource = [row.financing_source, source];
  ctx.audit({ entity: 'applicants', entityId: row.id, changes });
  return {
    id: row.id,
    status: to,
    allowedMoves: [...allowedMoves(to)],
    entry: { id: histId, from, to, reason, financingSource: to === 'financed' ? source : null, at, userName, personName: peopleNames(ctx)(userId, userName) },
  };
}

// ---------------------------------------------------------------------------------------------
// The whole file
// ---------------------------------------------------------------------------------------------

const MASK = '•••';

export function getApplicantFile(id: string, ctx: ReadContext): ApplicantFile {
  const row = findApplicant(ctx.db, id);
  if (!row) throw new AppError('applicant.not_found', { id });
  const sensitive = seesSensitive(ctx.role);
  const refs = refIndex(ctx.db);
  const label = (kind: string, code: string | null): LabelledCode | null => {
    if (!code) return null;
    const r = refs.get(kind)?.get(code);
    return { code, labelAr: r?.label_ar ?? code, labelFr: r?.label_fr ?? code };
  };
  const situationCodes = getSituations(ctx.db, id);
  const hiddenSituations = !sensitive && situationCodes.some((c) => refs.get('situation')?.get(c)?.sensitive === 1);
  const situations = situationCodes
    .filter((c) => sensitive || refs.get('situation')?.get(c)?.sensitive !== 1)
    .map((c) => label('situation', c)!);
  const commune = row.commune_code ? findCommune(ctx.db, row.commune_code) : undefined;
  const hidden: string[] = sensitive ? [] : [...SENSITIVE_FIELDS, ...(hiddenSituations ? ['situations'] : [])];
  const today = ctx.today();

  const personOf = peopleNames(ctx);
  const statusHistory: StatusHistoryEntry[] = listStatusHistory(ctx.db, id).map((h) => ({
    id: h.id,
    from: h.from_status,
    to: h.to_status,
    reason: h.reason,
    financingSource: (h.financing_source as FinancingSource | null) ?? null,
    at: h.at,
    userName: h.user_name,
    personName: personOf(h.user_id, h.user_name),
  }));
  const sensitiveSet = new Set<string>(SENSITIVE_FIELDS);
  const editHistory: EditHistoryEntry[] = auditEntriesFor(ctx.db, 'applicants', id).map((a) => {
    let changes: Record<string, [unknown, unknown]> = {};
    try {
      changes = a.changes ? (JSON.parse(a.changes) as Record<string, [unknown, unknown]>) : {};
    } catch {
      changes = {};
    }
    if (!sensitive) {
      for (const k of Object.keys(changes)) if (sensitiveSet.has(k) || k === 'situations') changes[k] = [MASK, MASK];
    }
    return { at: a.at, actorName: a.actor_name, personName: a.actor_kind === 'user' ? personOf(a.actor_id, a.actor_name) : null, method: a.method, changes };
  });

  return {
    id: row.id,
    officeId: row.office_id,
    fileNo: row.file_no,
    cin: row.cin,
    cinFormatOk: row.cin_format_ok === 1,
    idcs: row.idcs,
    firstNameAr: row.first_name_ar,
    lastNameAr: row.last_name_ar,
    firstNameLat: row.first_name_lat,
    lastNameLat: row.last_name_lat,
    sex: row.sex,
    birthDate: row.birth_date,
    age: row.birth_date ? ageOn(row.birth_date, today) : null,
    phone: row.phone,
    phoneOwner: row.phone_owner,
    address: row.address,
    douar: row.douar,
    commune: commune
      ? { code: commune.code, nameAr: commune.name_ar, nameFr: commune.name_fr, type: commune.type, provinceCode: commune.province_code }
      : null,
    educationLevel: label('education', row.education_level),
    vocationalLevel: label('vocational', row.vocational_level),
    maritalStatus: label('marital', row.marital_status),
    isProjectHolder: row.is_project_holder === 1,
    isDifficultSituation: row.is_difficult_situation === 1,
    situations,
    hasDisability: sensitive ? row.has_disability === 1 : null,
    disabilityTypes: sensitive ? getDisabilities(ctx.db, id).map((c) => label('disability_type', c)!) : null,
    disabilitySeverity: sensitive ? row.disability_severity : null,
    disabilityCardNumber: sensitive ? row.disability_card_number : null,
    disabilityCardExpiry: sensitive ? row.disability_card_expiry : null,
    rsuRegistered: row.rsu_registered === 1,
    rsuIndex: sensitive ? row.rsu_index : null,
    projectSector: label('sector', row.project_sector),
    projectDescription: row.project_description,
    projectStage: label('project_stage', row.project_stage),
    projectLegalForm: label('legal_form', row.project_legal_form),
    heardFrom: label('heard_from', row.heard_from),
    consent: { status: row.consent_status, date: row.consent_date, textVersion: row.consent_text_version, channel: row.consent_channel },
    status: row.status,
    statusChangedAt: row.status_changed_at,
    financingSource: row.financing_source,
    allowedMoves: [...allowedMoves(row.status)],
    source: row.source,
    closedAt: row.closed_at,
    anonymisedAt: row.anonymised_at,
    createdBy: row.created_by,
    createdByName: row.created_by ? personOf(null, row.created_by) : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.change_seq,
    statusHistory,
    editHistory,
    hiddenFields: hidden,
  };
}
