import { AppError } from '../../shared/errors';
import type { RetentionCandidate } from '../../shared/api/security.contract';
import type { Handlers } from '../handler-types';
import { actorName, type HandlerContext } from '../context';
import { prepareAnonymise, type AnonymiseStatements, type ColumnInfo } from './repo/linked-tables.repo';
import { closedFilesBefore } from '../applicants/applicants.repo';
import { purgeSentContents } from '../exchange/exchange.service';
import type { ReadableDB, WritableDB } from '../db/handles';
import { insertRetentionRun, lastRetentionRun, readSetting, writeSetting } from './security.repo';

/**
 * Retention (law 09-08: no longer than necessary). Files closed — status closed, not_retained or
 * dropped_out with closed_at set — more than N years ago (setting `retention.years`, default 5) are
 * anonymised: identity, contact and free-text fields are removed, the birth date keeps its year only
 * (stored as YYYY-01-01), and what statistics need stays: status and dates of the path, commune, sex,
 * education, category flags, sessions and attendance rows. The change travels to the region as an
 * `anonymise` entry of the change log; each file gets an audit row (without the removed values).
 */
export const CLOSED_STATUSES = ['closed', 'not_retained', 'dropped_out'] as const;
export const DEFAULT_RETENTION_YEARS = 5;

/** Applicant columns emptied by anonymisation: NULL where the column allows it, '' otherwise. */
export const APPLICANT_PERSONAL_COLUMNS = [
  'cin',
  'idcs',
  'first_name_ar',
  'last_name_ar',
  'first_name_lat',
  'last_name_lat',
  'name_key_ar',
  'name_key_lat',
  'name_skel',
  'name_words',
  'phone',
  'phone_owner',
  'address',
  'douar',
  'disability_card_number',
  'disability_card_expiry',
  'rsu_index',
  'project_description',
] as const;

/**
 * Applicant columns anonymisation keeps (statistics, the path, consent, bookkeeping). Together with the
 * personal columns and birth_date (reduced to its year) they must cover every column of the table:
 * a test fails when a feature adds a column nobody has classified.
 */
export const APPLICANT_KEPT_COLUMNS = [
  'id', 'office_id', 'file_no', 'cin_format_ok', 'sex', 'commune_code', 'education_level', 'vocational_level',
  'marital_status', 'is_project_holder', 'is_difficult_situation', 'has_disability', 'disability_severity',
  'rsu_registered', 'project_sector', 'project_stage', 'project_legal_form', 'heard_from', 'consent_status',
  'consent_date', 'consent_text_version', 'consent_channel', 'status', 'status_changed_at', 'financing_source',
  'source', 'closed_at', 'anonymised_at', 'created_by', 'created_at', 'updated_at', 'change_seq',
] as const;

/** In other tables about her: columns whose name says they hold a name, a contact, an identifier or free text. */
const LINKED_PERSONAL = /(^|_)(name|names|full_name|first_name|last_name|cin|phone|address|douar|note|notes|reason|next_steps|comment|comments|birth_date|birth_place|content_json|qr_text)(_ar|_fr|_lat)?$/;
/** Never blanked: keys, codes, dates, and the names of staff who acted (user_name, …_by). */
const STRUCTURAL = /(_id|_code|_at|_seq|_by|^id|^status|^kind|^code|^user_name)$/;

export function retentionYears(db: ReadableDB): number {
  const value = readSetting(db, 'retention.years');
  const n = value !== undefined ? Number(JSON.parse(value)) : DEFAULT_RETENTION_YEARS;
  return Number.isInteger(n) && n >= 1 ? n : DEFAULT_RETENTION_YEARS;
}

export function retentionCutoff(now: Date, years: number): string {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString();
}

export function retentionCandidates(db: ReadableDB, cutoff: string): (RetentionCandidate & { officeId: string })[] {
  // closed_at is set on every row the query returns (IS NOT NULL).
  return closedFilesBefore(db, cutoff, CLOSED_STATUSES) as (RetentionCandidate & { officeId: string })[];
}

/**
 * What replaces a personal value: NULL where allowed, else '' — or '{}' for a JSON column (the attestation
 * register keeps serial, kind, dates and hours; its printed content and signed QR text, which carry her
 * name, go).
 */
function blankValue(c: ColumnInfo): string | null {
  if (!c.notnull) return null;
  return c.name.endsWith('_json') ? '{}' : '';
}

export type AnonymisePlan = AnonymiseStatements;

/** Reads the schema once and prepares the statements of an anonymisation run (linked-tables.repo.ts). */
export function anonymisePlan(db: WritableDB): AnonymisePlan {
  return prepareAnonymise(db, {
    applicantColumns: APPLICANT_PERSONAL_COLUMNS,
    personal: (columns) => columns.filter((c) => c.name !== 'applicant_id' && !c.pk && LINKED_PERSONAL.test(c.name) && !STRUCTURAL.test(c.name)),
    blank: blankValue,
  });
}

/** Anonymises one applicant and what other tables hold about her; returns the number of linked rows changed. */
export function anonymiseApplicant(ctx: HandlerContext, plan: AnonymisePlan, applicantId: string, officeId: string): number {
  const now = ctx.now();
  const seq = ctx.change('applicants', applicantId, 'anonymise', officeId);
  plan.applicant(applicantId, now, seq);
  let linked = 0;
  for (const l of plan.linked) {
    const ids = l.rowIds(applicantId);
    if (ids) {
      for (const id of ids) {
        // Each changed row is re-sent with its blanked fields (its own change number).
        l.blankRow(id, l.hasSeq ? ctx.change(l.table, id, 'update', officeId) : null);
        linked++;
      }
    } else {
      linked += l.blankAll(applicantId);
    }
  }
  return linked;
}

function lastRun(db: ReadableDB) {
  return lastRetentionRun(db);
}

export const retentionHandlers = {
  'retention.preview': async ({ years, limit }, ctx) => {
    ctx.requireOffice();
    const y = years ?? retentionYears(ctx.db);
    const cutoff = retentionCutoff(ctx.clock(), y);
    const all = retentionCandidates(ctx.db, cutoff);
    return {
      years: y,
      cutoff,
      count: all.length,
      candidates: all.slice(0, limit).map(({ officeId: _o, ...c }) => c),
    };
  },

  'retention.run': async ({ years, expectedCount }, ctx) => {
    ctx.requireOffice();
    const y = years ?? retentionYears(ctx.db);
    const cutoff = retentionCutoff(ctx.clock(), y);
    const all = retentionCandidates(ctx.db, cutoff);
    // The count shown by the dry run must still hold: nothing is anonymised by surprise.
    if (all.length !== expectedCount) throw new AppError('retention.count_changed', { expected: expectedCount, actual: all.length });
    const plan = anonymisePlan(ctx.db);
    for (const c of all) {
      const linked = anonymiseApplicant(ctx, plan, c.id, c.officeId);
      ctx.audit({ entity: 'applicants', entityId: c.id, changes: { anonymised_at: [null, ctx.now()], linked_rows: [null, linked] } });
    }
    insertRetentionRun(ctx.db, { id: ctx.newId(), at: ctx.now(), years: y, cutoff, anonymised: all.length, actor_name: actorName(ctx.actor) });
    // Their old data must not survive in the kept copies of files sent to the region (a lost file: send a full snapshot).
    const purged = all.length ? purgeSentContents(ctx.db, null) : 0;
    ctx.audit({ entity: 'retention', changes: { anonymised: [null, all.length], years: [null, y], cutoff: [null, cutoff], ...(purged ? { sent_contents_emptied: [null, purged] } : {}) } });
    return { anonymised: all.length, cutoff, years: y };
  },

  'retention.settings': async (_input, ctx) => ({ years: retentionYears(ctx.db), lastRun: lastRun(ctx.db) }),

  'retention.setYears': async ({ years }, ctx) => {
    ctx.requireOffice();
    const before = retentionYears(ctx.db);
    writeSetting(ctx.db, 'retention.years', String(years));
    if (before !== years) ctx.audit({ entity: 'settings', entityId: 'retention.years', changes: { years: [before, years] } });
    return { years, lastRun: lastRun(ctx.db) };
  },
} satisfies Partial<Handlers>;
