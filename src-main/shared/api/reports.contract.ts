import type { MatchLevel, MatchReason } from '../matching';
import { z } from 'zod';
import { method } from './define';
import { SearchFiltersSchema, CONSENT_CHANNELS, DateInputSchema } from './applicants.contract';

/**
 * Reports (the indicator workbook, the beneficiary list, the dashboard) and the import of the offices'
 * existing Excel lists. The workbook and the dashboard are computed by the same queries
 * (core/reports/indicators.ts).
 */

/** 2026-11 (a month), 2026-Q4 (a quarter) or 2026 (a year). */
export const PeriodSchema = z
  .string()
  .trim()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, { message: 'reports.period_invalid' });

export const ReportLangSchema = z.enum(['ar', 'fr']);

export interface ReportFile {
  /** Outbox id (GET /api/files/:id on the web bridge; the window saves it). */
  fileId: string;
  name: string;
}

export interface ChartPoint {
  key: string;
  labelAr: string;
  labelFr: string;
  value: number;
}

/** The main indicators of one province (a row of the region dashboard's table). */
export interface ProvinceFigures {
  /** The province's code ('' : the region's own, 'total': the total row); shown by its names, never the code. */
  key: string;
  labelAr: string;
  labelFr: string;
  registeredInPeriod: number;
  registeredToDate: number;
  /** Women among the files at the end of the period. */
  women: number;
  projectHolders: number;
  difficultSituation: number;
  /** Persons with disabilities: null for a role that does not see sensitive data (seesSensitive). */
  disability: number | null;
  /** Files that had reached each step of the path by the end of the period (STATUS_PATH order, as the funnel). */
  steps: number[];
  /** Files out of the path at the end of the period: not retained, dropped out. */
  notRetained: number;
  droppedOut: number;
  sessions: number;
  hours: number;
  attestations: number;
  /** Projects financed in the period. */
  financed: number;
}

export interface DashboardData {
  period: string;
  periodLabelAr: string;
  periodLabelFr: string;
  isRegion: boolean;
  totals: { registeredInPeriod: number; registeredToDate: number; womenInPeriod: number; sessions: number; hours: number; attendanceRate: number | null; attestations: number; financed: number };
  /** The twelve months ending with the period (value: registrations). */
  registrationsByMonth: ChartPoint[];
  /** Files that reached each step of the path by the end of the period. */
  funnel: ChartPoint[];
  /** Status of the files at the end of the period. */
  statuses: ChartPoint[];
  /** Files by commune (to date), largest first. */
  communes: (ChartPoint & { type: 'urbaine' | 'rurale' | null; provinceCode: string | null })[];
  areas: ChartPoint[];
  /** Categories (to date): project holders, difficult situation and its sub-categories, disability and its types. */
  categories: (ChartPoint & { group: 'project_holder' | 'difficult_situation' | 'situation' | 'disability' | 'disability_type' })[];
  ageBands: ChartPoint[];
  education: ChartPoint[];
  /** Region installation: registrations to date by province. */
  provinces: ChartPoint[] | null;
  /** Region installation: the main indicators by province (a table), the steps of the path named in its columns. */
  provinceTable: { steps: { key: string; labelAr: string; labelFr: string }[]; rows: ProvinceFigures[]; total: ProvinceFigures } | null;
}

export const LIST_COLUMNS = [
  'fileNo',
  'cin',
  'lastNameAr',
  'firstNameAr',
  'lastNameLat',
  'firstNameLat',
  'sex',
  'birthDate',
  'age',
  'phone',
  'commune',
  'area',
  'province',
  'education',
  'maritalStatus',
  'projectHolder',
  'difficultSituation',
  'status',
  'consent',
  'registeredAt',
] as const;

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/** What a column of a legacy list can hold. */
export const IMPORT_FIELDS = [
  'lastName',
  'firstName',
  'fullName',
  'lastNameAr',
  'firstNameAr',
  'lastNameLat',
  'firstNameLat',
  'cin',
  'sex',
  'birthDate',
  'phone',
  'commune',
  'address',
  'douar',
  'educationLevel',
  'maritalStatus',
  'isProjectHolder',
  'projectDescription',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Column index (0-based) → field; a column left out is ignored. */
export const ImportMappingSchema = z.record(z.string().regex(/^\d{1,3}$/), z.enum(IMPORT_FIELDS));
export type ImportMapping = z.infer<typeof ImportMappingSchema>;

/** The file to import: an upload (outbox id, from the window or the web bridge) or a path (command line only). */
export const ImportSourceSchema = z
  .object({
    uploadId: z.string().trim().min(1).max(100).optional(),
    path: z.string().trim().min(1).max(1000).optional(),
    /** The original file name (for the batch record), when the upload's name is not enough. */
    fileName: z.string().trim().max(255).optional(),
    /** Sheet name or 1-based index (default: the first sheet with data). */
    sheet: z.union([z.string().max(100), z.number().int().min(1).max(100)]).optional(),
    /** 1-based row of the column headers, when the detected one is wrong (default: detected). */
    headerRow: z.number().int().min(1).max(1000).optional(),
    mapping: ImportMappingSchema.optional(),
    /** Language of the rejected rows workbook. */
    lang: ReportLangSchema.default('ar'),
    /**
     * Per row (its number in the sheet), what to do with a person the matching engine found in the registry:
     * 'new' (another person: import her, the decision recorded) or 'attach' (the same person: no new file, the row
     * linked to the existing one). Without a decision a strong candidate stops the row and a weak one does not.
     */
    decisions: z.record(z.string().regex(/^\d{1,7}$/), z.enum(['new', 'attach'])).optional(),
    /**
     * Within the list: per pair of rows that may be the same person (a weak candidate, key "row:earlierRow", e.g.
     * "40:12"), 'same' (the later row is not a new file: it goes with the earlier row's file) or 'different' (both
     * are imported, the decision recorded). Undecided, both are imported (weak: shown, not blocking).
     */
    rowPairs: z.record(z.string().regex(/^\d{1,7}:\d{1,7}$/), z.enum(['same', 'different'])).optional(),
    /** The communes matched approximately were checked by staff (the import refuses them until then). */
    confirmCommunes: z.boolean().optional(),
  })
  .strict()
  .refine((v) => Boolean(v.uploadId) !== Boolean(v.path), { message: 'import.source_required' });

export interface ImportColumn {
  index: number;
  header: string;
  /** Proposed (or given) field, null when not recognised. */
  field: ImportField | null;
}

export interface ImportPreview {
  fileName: string;
  sheet: string;
  /** Every sheet of the workbook, to choose another. */
  sheets: string[];
  /** 1-based row number of the header row in the sheet. */
  headerRow: number;
  columns: ImportColumn[];
  /** Fields required for a row to be valid that no column maps to. */
  missing: string[];
  /** The first data rows as text, as read. */
  rows: { rowNo: number; cells: string[] }[];
  totalRows: number;
}

export interface ImportRowIssue {
  /** 1-based row number in the sheet. */
  rowNo: number;
  /** Error-message codes, with the field they concern. */
  reasons: { field: string; code: string; params?: Record<string, unknown> }[];
}

export interface ImportCandidateRow {
  rowNo: number;
  /** The row's names and birth date as read. */
  row: { firstNameAr: string; lastNameAr: string; firstNameLat: string; lastNameLat: string; birthDate: string; cin: string };
  decision: 'new' | 'attach' | null;
  /**
   * What the row became with the decisions: imported as new, attached to a registry file, stopped until someone
   * decides (a strong registry candidate), or going with the file of an earlier row of the list (decided 'same').
   */
  outcome: 'new' | 'attached' | 'stopped' | 'same_row';
  /**
   * Registry files first (at most 5), then earlier rows of the same list that may be the same person (weak: a
   * strong one makes the row a repeat, in `duplicates`). A match names either a file (fileNo) or a row (otherRow),
   * with the names and birth date as written there.
   */
  matches: {
    fileNo: string | null;
    /** An earlier row of the same list (its number in the sheet), or null for a registry file. */
    otherRow: number | null;
    /** For a row of the list: the decision about the pair (rowPairs), null until taken; always null for a file. */
    pairDecision: 'same' | 'different' | null;
    firstNameAr: string;
    lastNameAr: string;
    firstNameLat: string;
    lastNameLat: string;
    birthDate: string | null;
    cin: string | null;
    score: number;
    level: MatchLevel;
    reasons: MatchReason[];
  }[];
}

export interface ImportSummary {
  fileName: string;
  fileHash: string;
  sheet: string;
  headerRow: number;
  mapping: ImportMapping;
  dryRun: boolean;
  total: number;
  /** Rows that are (dry run) or were created. */
  new: number;
  duplicate: number;
  invalid: number;
  /** Rows with a commune matched approximately (imported; listed for checking). */
  approximateCommunes: { rowNo: number; given: string; communeCode: string; nameAr: string; nameFr: string }[];
  duplicates: { rowNo: number; reason: 'cin' | 'name_birth' | 'already_imported' | 'repeated_in_file'; fileNo: string | null; otherRow: number | null }[];
  /**
   * Rows that look like people already in the registry (the matching engine, as the registration form): each with
   * its candidates side by side (score, level, reasons) and the decision given, if any. A strong candidate without
   * a decision stops the row (counted in duplicate); a weak one is imported as new unless attached.
   */
  candidates: ImportCandidateRow[];
  /**
   * Rows attached to an existing file (decision 'attach'): no new file; or to the file the import makes for an
   * earlier row of the list (decided the same person: fileNo null, otherRow that row).
   */
  attached: { rowNo: number; fileNo: string | null; otherRow?: number }[];
  /** Lines that are not people, counted apart: blank lines, totals lines, repeated header lines. */
  skipped: { rowNo: number; reason: 'blank' | 'total' | 'header' }[];
  invalidRows: ImportRowIssue[];
  /** The workbook of rejected rows (invalid and duplicate) with their reasons, to fix and import again. */
  rejects: ReportFile | null;
  batchId: string | null;
  created: { rowNo: number; id: string; fileNo: string }[];
}

export interface ConsentPendingItem {
  id: string;
  fileNo: string;
  cin: string | null;
  firstNameAr: string;
  lastNameAr: string;
  firstNameLat: string;
  lastNameLat: string;
  phone: string | null;
  communeNameAr: string | null;
  communeNameFr: string | null;
  source: string;
  createdAt: string;
}

const READERS = ['agent', 'office_head', 'coordinator'] as const;
const REGISTRARS = ['agent', 'office_head'] as const;

export const reportsContract = {
  'reports.workbook': method<ReportFile>()({
    input: z.object({ period: PeriodSchema, lang: ReportLangSchema.default('ar') }).strict(),
    access: ['office_head', 'coordinator'],
    write: false,
    summary: 'The indicator workbook of a month, quarter or year (xlsx, Arabic right to left or French) into the outbox.',
  }),
  'reports.dashboard': method<DashboardData>()({
    input: z.object({ period: PeriodSchema }).strict(),
    access: READERS,
    write: false,
    summary: 'The same indicators as the workbook, as chart-ready series (same queries).',
  }),
  'reports.list': method<ReportFile & { rows: number }>()({
    input: z
      .object({
        q: z.string().max(100).default(''),
        filters: SearchFiltersSchema.default({}),
        lang: ReportLangSchema.default('ar'),
      })
      .strict(),
    access: REGISTRARS,
    write: false,
    summary: 'The beneficiary list with the search filters, as a streamed xlsx into the outbox.',
  }),
  'imports.preview': method<ImportPreview>()({
    input: ImportSourceSchema,
    cliOnly: ['path'],
    access: REGISTRARS,
    write: false,
    summary: 'Read a legacy list (xlsx/csv): find the header row, propose a column mapping, show the first rows.',
  }),
  'imports.analyse': method<ImportSummary>()({
    input: ImportSourceSchema,
    cliOnly: ['path'],
    access: REGISTRARS,
    write: false,
    summary: 'Dry run of an import: every row validated with the registry rules; new, duplicate and invalid rows with reasons, and the rejected rows workbook.',
  }),
  'imports.commit': method<ImportSummary>()({
    input: ImportSourceSchema,
    cliOnly: ['path'],
    access: REGISTRARS,
    write: true,
    summary: 'Import the valid new rows of a legacy list in one transaction (consent to be confirmed); the same file again creates nothing.',
  }),
  'imports.consentPending': method<{ total: number; items: ConsentPendingItem[] }>()({
    input: z.object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    access: REGISTRARS,
    write: false,
    summary: 'Files whose consent is to be confirmed (imported from old lists), for staff to record it at the next contact.',
  }),
  'imports.recordConsent': method<{ id: string; consentStatus: 'given' | 'refused' }>()({
    input: z
      .object({
        id: z.string().trim().min(1).max(64),
        /** given: the person agreed (with the date, text version and channel); refused: she did not. */
        decision: z.enum(['given', 'refused']),
        date: DateInputSchema,
        textVersion: z.string().trim().min(1).max(40).optional(),
        channel: z.enum(CONSENT_CHANNELS),
      })
      .strict(),
    access: REGISTRARS,
    write: true,
    summary: 'Record the consent of a file imported without it (audited).',
  }),
} as const;
