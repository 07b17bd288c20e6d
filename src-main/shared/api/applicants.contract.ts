import type { MatchLevel, MatchReason } from '../matching';
import { z } from 'zod';
import { method } from './define';
import { normalizeCin } from '../normalize/cin';
import { normalizePhone } from '../normalize/phone';
import { parseDateInput } from '../normalize/dates';

/**
 * The applicant registry: registration with consent (law 09-08), duplicate detection across
 * Arabic and Latin spellings, the beneficiary's path (a state machine), and instant search.
 *
 * Field-level validation messages are error codes (`applicant.*`), translated by the renderer and
 * the CLI from `shared/i18n/errors-applicants.ts`.
 */

// ---------------------------------------------------------------------------------------------
// The beneficiary's path
// ---------------------------------------------------------------------------------------------

/** The main path, in order. */
export const STATUS_PATH = [
  'registered',
  'oriented',
  'preselected',
  'in_training',
  'trained',
  'in_incubation',
  'project_validated',
  'financed',
  'followed_up',
  'closed',
] as const;

/** Every status: the main path, then the two ways out of it. */
export const APPLICANT_STATUSES = [...STATUS_PATH, 'not_retained', 'dropped_out'] as const;
export type ApplicantStatus = (typeof APPLICANT_STATUSES)[number];

/** Steps from which the file can still move on (not_retained / dropped_out are allowed from each). */
export const ACTIVE_STATUSES = [
  'registered',
  'oriented',
  'preselected',
  'in_training',
  'trained',
  'in_incubation',
  'project_validated',
  'financed',
  'followed_up',
] as const satisfies readonly ApplicantStatus[];

export const FINANCING_SOURCES = ['programme', 'indh', 'intelaka', 'other'] as const;
export type FinancingSource = (typeof FINANCING_SOURCES)[number];

/**
 * Legal moves: one step forward along the path; `not_retained` or `dropped_out` (a reason is required)
 * from any active step; a not-retained or dropped-out file can only be closed.
 */
export const STATUS_TRANSITIONS: Readonly<Record<ApplicantStatus, readonly ApplicantStatus[]>> = {
  registered: ['oriented', 'not_retained', 'dropped_out'],
  oriented: ['preselected', 'not_retained', 'dropped_out'],
  preselected: ['in_training', 'not_retained', 'dropped_out'],
  in_training: ['trained', 'not_retained', 'dropped_out'],
  trained: ['in_incubation', 'not_retained', 'dropped_out'],
  in_incubation: ['project_validated', 'not_retained', 'dropped_out'],
  project_validated: ['financed', 'not_retained', 'dropped_out'],
  financed: ['followed_up', 'not_retained', 'dropped_out'],
  followed_up: ['closed', 'not_retained', 'dropped_out'],
  closed: [],
  not_retained: ['closed'],
  dropped_out: ['closed'],
};

/** Moves that need a reason. */
export const STATUSES_NEEDING_REASON: readonly ApplicantStatus[] = ['not_retained', 'dropped_out'];
/** Moves that need a financing source. */
export const STATUSES_NEEDING_SOURCE: readonly ApplicantStatus[] = ['financed'];

export function allowedMoves(status: ApplicantStatus): readonly ApplicantStatus[] {
  return STATUS_TRANSITIONS[status] ?? [];
}

export function isLegalMove(from: ApplicantStatus, to: ApplicantStatus): boolean {
  return allowedMoves(from).includes(to);
}

// ---------------------------------------------------------------------------------------------
// Field schemas (exported for reuse: the Excel import validates rows with ApplicantInputSchema)
// ---------------------------------------------------------------------------------------------

export const SEXES = ['F', 'M'] as const;
export const PHONE_OWNERS = ['self', 'spouse', 'parent', 'relative', 'other'] as const;
export const CONSENT_CHANNELS = ['paper', 'oral', 'electronic'] as const;
export const DISABILITY_SEVERITIES = ['light', 'moderate', 'severe', 'very_severe'] as const;
export const APPLICANT_SOURCES = ['form', 'import', 'exchange'] as const;
export const REF_KINDS = [
  'situation',
  'disability_type',
  'education',
  'vocational',
  'marital',
  'sector',
  'legal_form',
  'project_stage',
  'heard_from',
  'drop_reason',
  'financing_source',
] as const;
export type RefKind = (typeof REF_KINDS)[number];

const ARABIC_NAME = /^[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF\s'’\-.]*$/u;
const LATIN_NAME = /^[\p{Script=Latin}\s'’\-.]*$/u;

/** Optional text: trimmed; empty becomes null. */
const optText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

const code = z.string().trim().max(40);
const optCode = code.nullish().transform((v) => (v ? v : null));

/** A date in any accepted spelling (ISO, dd/mm/yyyy, an Excel serial, Arabic-Indic digits) → YYYY-MM-DD. */
export const DateInputSchema = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const d = parseDateInput(v);
  if (!d) {
    ctx.addIssue({ code: 'custom', message: 'applicant.date_invalid' });
    return z.NEVER;
  }
  return d;
});
const optDate = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || (typeof v === 'string' && v.trim() === '')) return null;
    const d = parseDateInput(v);
    if (!d) {
      ctx.addIssue({ code: 'custom', message: 'applicant.date_invalid' });
      return z.NEVER;
    }
    return d;
  });

/** CIN: normalised (uppercase, no spaces, dashes or dots). The format check is soft (a warning). */
export const CinSchema = z
  .string({ message: 'applicant.cin_required' })
  .transform((v) => normalizeCin(v))
  .refine((v) => v.length > 0, { message: 'applicant.cin_required' })
  .refine((v) => v.length <= 12 && /^[A-Z0-9]+$/.test(v), { message: 'applicant.cin_invalid' });

/** Phone: stored in E.164 (+212…); empty means none. */
export const PhoneSchema = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v.trim() === '') return null;
    const p = normalizePhone(v);
    if (!p) {
      ctx.addIssue({ code: 'custom', message: 'applicant.phone_invalid' });
      return z.NEVER;
    }
    return p;
  });

export const ConsentSchema = z.object({
  /** Must be true: no personal data is saved without the consent having been given. */
  given: z.literal(true, { message: 'applicant.consent_required' }),
  date: DateInputSchema,
  textVersion: z.string().trim().min(1, { message: 'applicant.consent_required' }).max(40),
  channel: z.enum(CONSENT_CHANNELS, { message: 'applicant.consent_channel_invalid' }),
});

const nameAr = z.string().trim().max(80).regex(ARABIC_NAME, { message: 'applicant.name_ar_script' });
const nameLat = z.string().trim().max(80).regex(LATIN_NAME, { message: 'applicant.name_lat_script' });

/** Every field, without defaults (the changes of applicants.update name only what changed). */
const baseFields = {
  cin: CinSchema,
  idcs: optText(40),
  firstNameAr: nameAr,
  lastNameAr: nameAr,
  firstNameLat: nameLat,
  lastNameLat: nameLat,
  sex: z.enum(SEXES, { message: 'applicant.sex_invalid' }),
  birthDate: DateInputSchema,
  phone: PhoneSchema,
  phoneOwner: z.enum(PHONE_OWNERS, { message: 'applicant.phone_owner_invalid' }).nullish().transform((v) => v ?? null),
  address: z.string().trim().max(300),
  douar: z.string().trim().max(120),
  communeCode: z
    .string({ message: 'applicant.commune_required' })
    .trim()
    .min(1, { message: 'applicant.commune_required' })
    .regex(/^08\.\d{3}\.\d{2}\.\d{2}$/, { message: 'applicant.commune_invalid' }),
  educationLevel: optCode,
  vocationalLevel: optCode,
  maritalStatus: optCode,
  isProjectHolder: z.boolean(),
  isDifficultSituation: z.boolean(),
  /** Sub-categories of "woman in a difficult situation" (ref kind 'situation'), several allowed. SENSITIVE for some. */
  situations: z.array(code).max(20),
  /** SENSITIVE (health data). */
  hasDisability: z.boolean(),
  disabilityTypes: z.array(code).max(10),
  disabilitySeverity: z
    .enum(DISABILITY_SEVERITIES, { message: 'applicant.severity_invalid' })
    .nullish()
    .transform((v) => v ?? null),
  disabilityCardNumber: optText(40),
  disabilityCardExpiry: optDate,
  rsuRegistered: z.boolean(),
  /** SENSITIVE, optional. */
  rsuIndex: z
    .number()
    .min(0, { message: 'applicant.rsu_index_invalid' })
    .max(100, { message: 'applicant.rsu_index_invalid' })
    .nullish()
    .transform((v) => v ?? null),
  projectSector: optCode,
  projectDescription: z.string().trim().max(2000),
  projectStage: optCode,
  projectLegalForm: optCode,
  heardFrom: optCode,
};

/** The registration fields, with their defaults. */
const applicantFields = {
  ...baseFields,
  firstNameAr: nameAr.default(''),
  lastNameAr: nameAr.default(''),
  firstNameLat: nameLat.default(''),
  lastNameLat: nameLat.default(''),
  sex: baseFields.sex.default('F'),
  address: baseFields.address.default(''),
  douar: baseFields.douar.default(''),
  isProjectHolder: z.boolean().default(false),
  isDifficultSituation: z.boolean().default(false),
  situations: baseFields.situations.default([]),
  hasDisability: z.boolean().default(false),
  disabilityTypes: baseFields.disabilityTypes.default([]),
  rsuRegistered: z.boolean().default(false),
  projectDescription: baseFields.projectDescription.default(''),
};

const namesPresent = (v: { firstNameAr?: string; lastNameAr?: string; firstNameLat?: string; lastNameLat?: string }) =>
  Boolean((v.firstNameAr && v.lastNameAr) || (v.firstNameLat && v.lastNameLat));

/** One applicant as entered on the form or read from an import row (without consent). */
export const ApplicantFieldsSchema = z.object(applicantFields);

const applicantObject = z.object({
  ...applicantFields,
  consent: ConsentSchema,
  source: z.enum(APPLICANT_SOURCES).default('form'),
});

interface RuleShape {
  firstNameAr: string;
  lastNameAr: string;
  firstNameLat: string;
  lastNameLat: string;
  hasDisability: boolean;
  disabilityTypes: string[];
}

function withApplicantRules<T extends z.ZodType<RuleShape>>(schema: T): T {
  return schema
    .refine(namesPresent, { message: 'applicant.name_required', path: ['firstNameAr'] })
    .refine((v) => !v.hasDisability || v.disabilityTypes.length > 0, {
      message: 'applicant.disability_type_required',
      path: ['disabilityTypes'],
    });
}

/** Registration input: the fields and the consent (the Excel import validates its rows with it). */
export const ApplicantInputSchema = withApplicantRules(applicantObject);

/** applicants.create: the registration input plus the likely duplicates staff confirmed as other people. */
export const ApplicantCreateSchema = withApplicantRules(
  applicantObject.extend({
    /** Ids of likely duplicates staff confirmed as other people (recorded as 'distinct' decisions). */
    distinctFrom: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
  }),
);
export type ApplicantInput = z.input<typeof ApplicantInputSchema>;
export type ApplicantParsed = z.output<typeof ApplicantInputSchema>;
export type ApplicantCreateInput = z.input<typeof ApplicantCreateSchema>;

/** Changes to an existing file: any subset of the fields (consent is recorded once, at registration). */
export const ApplicantChangesSchema = z.object(baseFields).partial().strict();
export type ApplicantChanges = z.output<typeof ApplicantChangesSchema>;

export const SearchFiltersSchema = z
  .object({
    communeCode: z.string().trim().max(20).optional(),
    /** Province of the file's commune (a region sees every province: the province is a dimension of its search). */
    provinceCode: z.string().trim().regex(/^\d{2}\.\d{3}$/).optional(),
    /** project_holder | difficult_situation | disability */
    category: z.enum(['project_holder', 'difficult_situation', 'disability']).optional(),
    situation: code.optional(),
    status: z.array(z.enum(APPLICANT_STATUSES)).max(12).optional(),
    ageMin: z.number().int().min(0).max(120).optional(),
    ageMax: z.number().int().min(0).max(120).optional(),
    hasDisability: z.boolean().optional(),
    sex: z.enum(SEXES).optional(),
    /** Registration period (created_at), inclusive dates YYYY-MM-DD. */
    registeredFrom: DateInputSchema.optional(),
    registeredTo: DateInputSchema.optional(),
  })
  .strict();

export const SEARCH_SORTS = ['relevance', 'name_ar', 'name_lat', 'registered', 'birth_date', 'file_no', 'status'] as const;

// ---------------------------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------------------------

export interface RefItem {
  kind: RefKind;
  code: string;
  labelAr: string;
  labelFr: string;
  sensitive: boolean;
}

export interface ConsentText {
  version: string;
  ar: { title: string; sections: { heading: string; body: string }[] };
  fr: { title: string; sections: { heading: string; body: string }[] };
}

export interface AppWarning {
  /** An error-message code (translated like errors), e.g. applicant.cin_format, applicant.age_out_of_range. */
  code: string;
  params?: Record<string, unknown>;
}

/** A likely duplicate, with what staff need to compare side by side. */
export interface DuplicateCandidate {
  id: string;
  fileNo: string;
  cin: string | null;
  firstNameAr: string;
  lastNameAr: string;
  firstNameLat: string;
  lastNameLat: string;
  birthDate: string | null;
  phone: string | null;
  communeCode: string | null;
  communeNameAr: string | null;
  communeNameFr: string | null;
  status: ApplicantStatus;
  createdAt: string;
  /** 0..1, best first. */
  score: number;
  sex?: 'F' | 'M';
  /** Why it was proposed: 'cin' (same CIN), 'name_birth' (same person by name and date of birth), 'name' (same name, close birth year). */
  reason: 'cin' | 'name_birth' | 'name';
  /** 'strong' blocks saving until someone decides; 'weak' is shown and does not block (shared/matching). */
  level: MatchLevel;
  /** The evidence in words (codes with the names and dates as written; translated by the screens). */
  reasons: MatchReason[];
  /** A recorded staff decision about this pair, if any ('distinct': another person). */
  decision: 'distinct' | 'same' | null;
}

export interface DuplicateCheckResult {
  /** The CIN is already registered (a hard refusal on save). */
  cinTaken: { id: string; fileNo: string } | null;
  candidates: DuplicateCandidate[];
}

export interface ApplicantListItem {
  id: string;
  fileNo: string;
  cin: string | null;
  firstNameAr: string;
  lastNameAr: string;
  firstNameLat: string;
  lastNameLat: string;
  sex: 'F' | 'M';
  birthDate: string | null;
  age: number | null;
  phone: string | null;
  communeCode: string | null;
  communeNameAr: string | null;
  communeNameFr: string | null;
  provinceCode: string | null;
  status: ApplicantStatus;
  createdAt: string;
  /**
   * Whether she has a disability and its types in words: only for the roles that see sensitive data
   * (`seesSensitive`, shared/roles.ts); the field is absent from the answer for the others (health data, law 09-08).
   */
  disability?: { has: boolean; types: LabelledCode[] };
}

export interface ApplicantSearchResult {
  /** How the query was understood. */
  mode: 'all' | 'name' | 'cin' | 'phone' | 'file_no';
  total: number;
  items: ApplicantListItem[];
}

export interface StatusHistoryEntry {
  id: string;
  from: ApplicantStatus | null;
  to: ApplicantStatus;
  reason: string;
  financingSource: FinancingSource | null;
  at: string;
  /** The account's user name as recorded (`cli:…` for the command line). */
  userName: string;
  /** The person's full name (the account's display name); null when the name recorded is not an account here. */
  personName: string | null;
}

export interface EditHistoryEntry {
  at: string;
  /** The actor as recorded (a user name, `cli:…`, possibly with ` @ workstation`). */
  actorName: string;
  /** The person's full name (the account's display name); null when not an account here (command line, another office). */
  personName: string | null;
  method: string;
  /** field → [from, to] (sensitive fields are masked for roles that may not see them). */
  changes: Record<string, [unknown, unknown]>;
}

export interface LabelledCode {
  code: string;
  labelAr: string;
  labelFr: string;
}

/** The whole file of one applicant. */
export interface ApplicantFile {
  id: string;
  officeId: string;
  fileNo: string;
  cin: string | null;
  cinFormatOk: boolean;
  idcs: string | null;
  firstNameAr: string;
  lastNameAr: string;
  firstNameLat: string;
  lastNameLat: string;
  sex: 'F' | 'M';
  birthDate: string | null;
  age: number | null;
  phone: string | null;
  phoneOwner: (typeof PHONE_OWNERS)[number] | null;
  address: string;
  douar: string;
  commune: { code: string; nameAr: string; nameFr: string; type: 'urbaine' | 'rurale'; provinceCode: string } | null;
  educationLevel: LabelledCode | null;
  vocationalLevel: LabelledCode | null;
  maritalStatus: LabelledCode | null;
  isProjectHolder: boolean;
  isDifficultSituation: boolean;
  /** Sub-categories; sensitive items are left out for roles that may not see them. */
  situations: LabelledCode[];
  /** null when hidden from this role (see `hiddenFields`). */
  hasDisability: boolean | null;
  disabilityTypes: LabelledCode[] | null;
  disabilitySeverity: (typeof DISABILITY_SEVERITIES)[number] | null;
  disabilityCardNumber: string | null;
  disabilityCardExpiry: string | null;
  rsuRegistered: boolean;
  rsuIndex: number | null;
  projectSector: LabelledCode | null;
  projectDescription: string;
  projectStage: LabelledCode | null;
  projectLegalForm: LabelledCode | null;
  heardFrom: LabelledCode | null;
  consent: { status: 'given' | 'to_confirm' | 'refused'; date: string | null; textVersion: string | null; channel: string | null };
  status: ApplicantStatus;
  statusChangedAt: string;
  financingSource: FinancingSource | null;
  /** Legal next moves from the current status. */
  allowedMoves: ApplicantStatus[];
  source: (typeof APPLICANT_SOURCES)[number];
  closedAt: string | null;
  anonymisedAt: string | null;
  createdBy: string | null;
  /** The full name of the account that registered the file (null: not an account here; `createdBy` is shown). */
  createdByName: string | null;
  createdAt: string;
  updatedAt: string;
  /** The file's version (its latest change number): an edit sends it back as baseVersion (optimistic concurrency). */
  version: number;
  statusHistory: StatusHistoryEntry[];
  editHistory: EditHistoryEntry[];
  /** Fields withheld from this role (law 09-08: sensitive data only for those who need it). */
  hiddenFields: string[];
}

// ---------------------------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------------------------

const REGISTRARS = ['agent', 'office_head'] as const;
const READERS = ['agent', 'office_head', 'coordinator'] as const;
const id = z.string().trim().min(1).max(64);

export const DuplicateCheckInputSchema = z
  .object({
    cin: z.string().max(40).optional(),
    firstNameAr: z.string().max(80).optional(),
    lastNameAr: z.string().max(80).optional(),
    firstNameLat: z.string().max(80).optional(),
    lastNameLat: z.string().max(80).optional(),
    birthDate: z.union([z.string(), z.number()]).optional(),
    /** Two sexes make two people (Karim / Karima): evidence for the matching engine. */
    sex: z.enum(['F', 'M']).optional(),
    /** The file being edited (not its own duplicate). */
    excludeId: z.string().max(64).optional(),
  })
  .strict();

export const applicantsContract = {
  'refs.list': method<RefItem[]>()({
    input: z.object({ kinds: z.array(z.enum(REF_KINDS)).optional(), includeInactive: z.boolean().default(false) }).strict(),
    access: 'authenticated',
    write: false,
    summary: 'Reference lists (situations, disability types, education levels, sectors …) with Arabic and French labels.',
  }),
  'applicants.consentText': method<ConsentText>()({
    input: z.object({}).strict(),
    access: 'authenticated',
    write: false,
    summary: 'The law 09-08 information text shown before registration (Arabic and French) and its version.',
  }),
  'applicants.checkDuplicates': method<DuplicateCheckResult>()({
    input: DuplicateCheckInputSchema,
    access: READERS,
    write: false,
    summary: 'Live duplicate check while typing: same CIN, or same person by name and date of birth across scripts and spellings.',
  }),
  'applicants.create': method<{ id: string; fileNo: string; warnings: AppWarning[] }>()({
    input: ApplicantCreateSchema,
    access: REGISTRARS,
    write: true,
    summary: 'Register an applicant (consent required first; refuses a taken CIN and unconfirmed likely duplicates).',
  }),
  'applicants.update': method<{ id: string; warnings: AppWarning[]; changed: string[]; version: number }>()({
    input: z
      .object({
        id,
        changes: ApplicantChangesSchema,
        /** The version of the file the edit was made on (ApplicantFile.version): a stale one is refused with
         *  `applicant.edit_conflict` (who changed the file, when, what). The screens always send it. */
        baseVersion: z.number().int().min(0).optional(),
        /** Ids of likely duplicates staff confirmed as other people (recorded as 'distinct' decisions with the edit),
         *  as at registration: a strong candidate not decided refuses the edit (`applicant.possible_duplicates`). */
        distinctFrom: z.array(z.string().trim().min(1).max(64)).max(50).default([]),
      })
      .strict(),
    access: REGISTRARS,
    write: true,
    summary: 'Edit an applicant file (audited field by field; the CIN stays unique; likely duplicates not decided refuse the edit, as at registration).',
  }),
  'applicants.recordDuplicateDecision': method<{ id: string }>()({
    input: z
      .object({
        /** The file being registered or edited; null when staff opened the existing file instead. */
        applicantId: id.nullable().default(null),
        otherId: id,
        decision: z.enum(['distinct', 'same']),
      })
      .strict(),
    access: REGISTRARS,
    write: true,
    summary: 'Record that a likely duplicate is another person (distinct) or the same one (same).',
  }),
  'applicants.setStatus': method<{ id: string; status: ApplicantStatus; allowedMoves: ApplicantStatus[]; entry: StatusHistoryEntry }>()({
    input: z
      .object({
        id,
        to: z.enum(APPLICANT_STATUSES),
        reason: z.string().trim().max(500).default(''),
        financingSource: z.enum(FINANCING_SOURCES).optional(),
        /** Date of the change (YYYY-MM-DD); today when absent. */
        date: DateInputSchema.optional(),
      })
      .strict(),
    access: REGISTRARS,
    write: true,
    summary: "Move a file along the beneficiary's path (illegal moves are refused with the allowed ones).",
  }),
  'applicants.get': method<ApplicantFile>()({
    input: z.object({ id }).strict(),
    access: READERS,
    write: false,
    summary: 'The whole file: all fields with labels, commune, status history and edit history (sensitive fields by role).',
  }),
  'applicants.search': method<ApplicantSearchResult>()({
    input: z
      .object({
        q: z.string().max(100).default(''),
        filters: SearchFiltersSchema.default({}),
        sort: z.enum(SEARCH_SORTS).default('relevance'),
        dir: z.enum(['asc', 'desc']).default('asc'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    access: READERS,
    write: false,
    summary: 'Search as you type by CIN (prefix), phone (any format), file number or name fragment in either script, with filters.',
  }),
} as const;
