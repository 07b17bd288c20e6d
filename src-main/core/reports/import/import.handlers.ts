import type { Handlers } from '../../handler-types';
import { listConsentPending, recordConsent } from './consent';
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

  'imports.consentPending': async (input, ctx) => listConsentPending(input, ctx),

  'imports.recordConsent': async (input, ctx) => recordConsent(input, ctx),
} satisfies Partial<Handlers>;
