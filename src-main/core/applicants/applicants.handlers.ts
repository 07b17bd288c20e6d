import type { Handlers, HandlersOf } from '../handler-types';
import type { applicantsContract } from '../../shared/api/applicants.contract';
import { getSetting, listRefItems, toRefItem } from './applicants.repo';
import { createApplicant, getApplicantFile, recordDecision, setStatus, updateApplicant } from './applicants.service';
import { findDuplicates } from './duplicates';
import { searchApplicants } from './search';
import { consentText } from './consent-text';

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type ApplicantsHandlers = HandlersOf<typeof applicantsContract>;

export const applicantsHandlers = {
  'refs.list': async ({ kinds, includeInactive }, ctx) => {
    const rows = listRefItems(ctx.db, includeInactive);
    const wanted = kinds?.length ? new Set<string>(kinds) : null;
    return rows.filter((r) => !wanted || wanted.has(r.kind)).map(toRefItem);
  },

  'applicants.consentText': async (_input, ctx) =>
    consentText(ctx.office(), String(getSetting(ctx.db, 'registry.consent_text_version', '2026-01'))),

  'applicants.checkDuplicates': async (input, ctx) => findDuplicates(ctx.db, input),

  'applicants.create': async (input, ctx) => createApplicant(input, ctx),

  'applicants.update': async ({ id, changes, baseVersion, distinctFrom }, ctx) => updateApplicant(id, changes, ctx, baseVersion, distinctFrom),

  'applicants.recordDuplicateDecision': async (input, ctx) => recordDecision(input, ctx),

  'applicants.setStatus': async (input, ctx) => setStatus(input, ctx),

  'applicants.get': async ({ id }, ctx) => getApplicantFile(id, ctx),

  'applicants.search': async (input, ctx) => searchApplicants(input, ctx),
} satisfies Partial<Handlers>;
