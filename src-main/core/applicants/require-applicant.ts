import { AppError, type ErrorCode } from '../../shared/errors';
import type { ReadContext } from '../context';
import { findApplicant, type ApplicantRow } from './applicants.repo';

export interface RequireApplicantOptions {
  /** A write records something for the file: only the file's own office may (a region reads, it does not record). */
  write: boolean;
  /** The feature's words for "not in this registry" (enrolment, attestation …); the rule stays this one. */
  notFound?: ErrorCode;
  /** The feature's words for an anonymised file (default: as not found). */
  anonymised?: ErrorCode;
}

/**
 * The one check "an applicant of this office", for every feature: the file exists, belongs to this office (a regional
 * installation reads every office's files, and writes none of them), and has not been anonymised (law 09-08: an
 * anonymised file is kept for the figures only; nothing new is recorded for it, nothing is issued on it).
 */
export function requireApplicant(ctx: ReadContext, id: string, opts: RequireApplicantOptions): ApplicantRow {
  const office = ctx.requireOffice();
  const row = findApplicant(ctx.db, id);
  const notFound = opts.notFound ?? 'applicant.not_found';
  if (!row) throw new AppError(notFound, { id, applicantId: id });
  if (row.office_id !== office.id) {
    if (opts.write) throw new AppError('applicant.read_only_other_office', { id, officeId: row.office_id });
    if (office.kind !== 'region') throw new AppError(notFound, { id, applicantId: id });
  }
  if (row.anonymised_at) throw new AppError(opts.anonymised ?? notFound, { id, applicantId: id, fileNo: row.file_no });
  return row;
}
