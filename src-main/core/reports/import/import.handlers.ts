import { AppError } from '../../../shared/errors';
import type { Handlers } from '../../handler-types';
import { stmt } from '../../db/statements';
import { getSetting } from '../../applicants/applicants.repo';
// The import service reads workbooks with exceljs: loaded on first use, not when the app starts.
const service = () => import('./import.service');

export const importHandlers = {
  async 'imports.preview'(input, ctx) {
    ctx.requireOffice();
    const { previewOf, loadSource } = await service();
    return previewOf(await loadSource(input, ctx));
  },

  async 'imports.analyse'(input, ctx) {
    return (await service()).analyseImport(input, ctx);
  },

  async 'imports.commit'(input, ctx) {
    return (await service()).commitImport(input, ctx);
  },

  async 'imports.consentPending'(input, ctx) {
    const office = ctx.requireOffice();
    const total = stmt<[string], { n: number }>(
      ctx.sqlite,
      `SELECT COUNT(*) AS n FROM applicants WHERE consent_status = 'to_confirm' AND office_id = ? AND anonymised_at IS NULL`,
    ).get(office.id)!.n;
    const rows = stmt<[string, number, number], Record<string, string | null>>(
      ctx.sqlite,
      `SELECT a.id, a.file_no, a.cin, a.first_name_ar, a.last_name_ar, a.first_name_lat, a.last_name_lat, a.phone,
              c.name_ar AS commune_ar, c.name_fr AS commune_fr, a.source, a.created_at
         FROM applicants a LEFT JOIN communes c ON c.code = a.commune_code
        WHERE a.consent_status = 'to_confirm' AND a.office_id = ? AND a.anonymised_at IS NULL
        ORDER BY a.file_no LIMIT ? OFFSET ?`,
    ).all(office.id, input.limit, input.offset);
    return {
      total,
      items: rows.map((r) => ({
        id: r.id!,
        fileNo: r.file_no!,
        cin: r.cin,
        firstNameAr: r.first_name_ar ?? '',
        lastNameAr: r.last_name_ar ?? '',
        firstNameLat: r.first_name_lat ?? '',
        lastNameLat: r.last_name_lat ?? '',
        phone: r.phone,
        communeNameAr: r.commune_ar,
        communeNameFr: r.commune_fr,
        source: r.source!,
        createdAt: r.created_at!,
      })),
    };
  },

  async 'imports.recordConsent'(input, ctx) {
    const office = ctx.requireOffice();
    const row = stmt<[string], { id: string; office_id: string; consent_status: string; consent_date: string | null; consent_text_version: string | null; consent_channel: string | null; anonymised_at: string | null }>(
      ctx.sqlite,
      'SELECT id, office_id, consent_status, consent_date, consent_text_version, consent_channel, anonymised_at FROM applicants WHERE id = ?',
    ).get(input.id);
    if (!row || row.anonymised_at) throw new AppError('applicant.not_found', { id: input.id });
    if (row.office_id !== office.id) throw new AppError('applicant.read_only_other_office', { id: input.id, officeId: row.office_id });
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
    stmt(
      ctx.sqlite,
      `UPDATE applicants SET consent_status = ?, consent_date = ?, consent_text_version = ?, consent_channel = ?, updated_at = ?, change_seq = ? WHERE id = ?`,
    ).run(input.decision, input.date, version, input.channel, now, seq, row.id);
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
  },
} satisfies Partial<Handlers>;
