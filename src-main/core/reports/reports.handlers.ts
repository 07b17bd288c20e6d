import { statSync } from 'node:fs';
import type { Handlers, HandlersOf } from '../handler-types';
import type { reportsContract } from '../../shared/api/reports.contract';
import { computeIndicators, provinceBreakdown, scopeOf } from './indicators';
import { seesSensitive } from '../../shared/roles';
import { parsePeriod, trailingMonths } from './period';
import { dashboardFrom } from './dashboard';
import { XLSX_MIME } from './xlsx';
import { importHandlers } from './import/import.handlers';
import { matchSql } from '../applicants/search';

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type ReportsHandlers = HandlersOf<typeof reportsContract>;

export const reportsHandlers = {
  async 'reports.workbook'(input, ctx) {
    const office = ctx.requireOffice();
    const period = parsePeriod(input.period);
    const ind = computeIndicators(ctx.db, scopeOf(office), period);
    const { buildIndicatorWorkbook } = await import('./workbook'); // exceljs is loaded on first use, not at start
    const wb = buildIndicatorWorkbook(ind, { office, generatedAt: ctx.now(), lang: input.lang });
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const name = `${input.lang === 'ar' ? 'مؤشرات' : 'indicateurs'}-${office.code}-${period.code}.xlsx`;
    const f = ctx.services.outbox.put(name, XLSX_MIME, data);
    return { fileId: f.id, name };
  },

  async 'reports.dashboard'(input, ctx) {
    const office = ctx.requireOffice();
    const period = parsePeriod(input.period);
    const ind = computeIndicators(ctx.db, scopeOf(office), period, { registrationMonths: trailingMonths(period, 12) });
    // The region: the main indicators by province too (disability only for the roles that see sensitive data).
    return dashboardFrom(ind, ind.scope.isRegion ? provinceBreakdown(ctx.db, ind, { sensitive: seesSensitive(ctx.role) }) : null);
  },

  async 'reports.list'(input, ctx) {
    const office = ctx.requireOffice();
    const today = ctx.today();
    const name = `${input.lang === 'ar' ? 'لائحة-المستفيدات' : 'liste-beneficiaires'}-${office.code}-${today}.xlsx`;
    const { id, path } = ctx.services.outbox.reservePath(name);
    const { writeBeneficiaryList } = await import('./list-export');
    // The same rows as the registry search with this query and these filters (and the same refusals: sensitive filters).
    const match = matchSql(input.q, input.filters, ctx);
    const rows = await writeBeneficiaryList(ctx.db, scopeOf(office), { match, lang: input.lang, today, path });
    ctx.services.outbox.adopt(id, path, name, XLSX_MIME, statSync(path).size);
    return { fileId: id, name, rows };
  },

  ...importHandlers,
} satisfies Partial<Handlers>;
