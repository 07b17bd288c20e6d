import type { Handlers, HandlersOf } from '../handler-types';
import type { exchangeContract } from '../../shared/api/exchange.contract';
import { exportFile, exportHistory, loadRegionKeyFile, loadReceipt, remakeFile, schedule, setCadence } from './province.service';
import { acceptNumberingRestart, numberingRestart } from './restart.service';
import { acceptAuditChain, acceptOfficeGap, auditChainBreak, importExchangeFiles, importHistory, listKeys, previewKeyFile, receipt, regionOffices, resolveReview, reviews, showKeys, trustProvince } from './region.service';

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type ExchangeHandlers = HandlersOf<typeof exchangeContract>;

/** The exchange's methods: each binds a service function (province.service: the sending side; region.service: the receiving side and the keys; restart.service: an office that restored an older backup). */
export const exchangeHandlers = {
  'exchange.keysShow': async (input, ctx) => showKeys(input, ctx),
  'exchange.keyPreview': async (input, ctx) => previewKeyFile(input, ctx),
  'exchange.keysTrust': async (input, ctx) => trustProvince(input, ctx),
  'exchange.keysRegion': async (input, ctx) => loadRegionKeyFile(input, ctx),
  'exchange.keysList': async (input, ctx) => listKeys(input, ctx),
  'exchange.export': (input, ctx) => exportFile(input, ctx),
  'exchange.remake': async (input, ctx) => remakeFile(input, ctx),
  'exchange.history': async (input, ctx) => exportHistory(input, ctx),
  'exchange.schedule': async (input, ctx) => schedule(input, ctx),
  'exchange.setCadence': async (input, ctx) => setCadence(input, ctx),
  'exchange.import': (input, ctx) => importExchangeFiles(input, ctx),
  'exchange.acceptGap': (input, ctx) => acceptOfficeGap(input, ctx),
  'exchange.auditChainBreak': async (input, ctx) => auditChainBreak(input, ctx),
  'exchange.acceptAuditChain': async (input, ctx) => acceptAuditChain(input, ctx),
  'exchange.numberingRestart': async (input, ctx) => numberingRestart(input, ctx),
  'exchange.acceptNumberingRestart': (input, ctx) => acceptNumberingRestart(input, ctx),
  'exchange.offices': async (input, ctx) => regionOffices(input, ctx),
  'exchange.imports': async (input, ctx) => importHistory(input, ctx),
  'exchange.reviews': async (input, ctx) => reviews(input, ctx),
  'exchange.resolveReview': async (input, ctx) => resolveReview(input, ctx),
  'exchange.receipt': async (input, ctx) => receipt(input, ctx),
  'exchange.loadReceipt': async (input, ctx) => loadReceipt(input, ctx),
} satisfies Partial<Handlers>;
