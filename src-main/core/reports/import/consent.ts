/**
 * Consent to confirm: imported files have none recorded (consent_status 'to_confirm'); staff record it at the next
 * contact. Rules here, SQL in the applicants repository.
 */
import { AppError } from '../../../shared/errors';
import type { MethodParsed } from '../../../shared/api/contract';
import type { ReadContext, WriteContext } from '../../context';
import { consentPending, getSetting, setConsent } from '../../applicants/applicants.repo';
import { requireApplicant } from '../../applicants/require-applicant';

export function listConsentPending(input: MethodParsed<'imports.consentPending'>, ctx: ReadContext) {
  const office = ctx.requireOffice();
  const { total, rows } = consentPending(ctx.db, office.id, input.limit, input.offset);
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      fileNo: r.file_no,
      cin: r.cin,
      firstNameAr: r.first_name_ar ?? '',
      lastNameAr: r.last_name_ar ?? '',
      firstNameLat: r.first_name_lat ?? '',
      lastNameLat: r.last_name_lat ?? '',
      phone: r.phone,
      communeNameAr: r.commune_ar,
      communeNameFr: r.commune_fr,
      source: r.source,
      createdAt: r.created_at,
    })),
  };
}

export function recordConsent(input: MethodParsed<'imports.recordConsent'>, ctx: WriteContext) {
  // An applicant of this office, not anonymised (the one rule, applicants/require-applicant.ts).
  const row = requireApplicant(ctx, input.id, { write: true });
  if (row.consent_status !== 'to_confirm') throw new AppError('import.consent_already_recorded', { status: row.consent_status });
  const today = ctx.today();
  if (input.date > today) throw new AppError('applicant.consent_date_future', { date: input.date });
  const current = String(getSetting(ctx.db, 'registry.consent_text_version', '2026-01'));
  const version = input.textVersion ?? current;
  if (input.decision === 'given' && version !== current) {
    throw new AppError('applicant.consent_version_outdated', { given: version, expected: current });
  }
  const now = ctx.now();
  const seq = ctx.change('applicants', row.id, 'update', row.office_id);
  setConsent(ctx.db, {
    id: row.id,
    consent_status: input.decision,
    consent_date: input.date,
    consent_text_version: version,
    consent_channel: input.channel,
    updated_at: now,
    change_seq: seq,
  });
  ctx.audit({
    entity: 'applicants',
    entityId: row.id,
    changes: {
      consentStatus: [row.consent_status, input.decision],
      consentDate: [row.consent_date, input.date],
      consentTextVersion: [row.consent_text_version, version],
      consentChannel: [row.consent_channel, input.channel],
    },
  });
  return { id: row.id, consentStatus: input.decision };
}
