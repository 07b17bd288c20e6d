import type { FileResult, NumberingRestartDecision } from '../../shared/api/exchange.contract';
import type { MethodParsed } from '../../shared/api/contract';
import { AppError } from '../../shared/errors';
import type { ErrorCode } from '../../shared/i18n/error-codes';
import type { ReadContext, WriteContext } from '../context';
import { connectionOf } from '../db/handles';
import { acceptNewChain } from '../security/audit-chain-anchors';
import { importFiles, verifyFile } from './import';
import { isNumberingRestart, officeNames } from './import/verify';
import { exchangeJob, readFileRef, requireRegion } from './exchange.service';
import { auditImportResults, chainBreakOf, importOptions, MIN_REASON } from './region.service';
import { getOfficeState, importedAtBySha, importsAfter, restartOfficeNumbering } from './repo/imports.repo';

/*
 * A province restored a backup older than the last file it sent (its main PC died, say): its file numbers and its
 * change numbers go back to the backup's, so its next file reuses a number the region already applied, with a content
 * the region never received (exchange.numbering_restarted, import/verify.ts). The coordinator looks at what the region
 * holds against what the file says, then accepts with a typed reason: in one transaction the office's position goes
 * back to the file's start, the files whose numbers are reused stay in the history marked superseded (the rows they
 * brought stay: nothing is deleted), the office's audit trail is accepted too when it no longer extends what the
 * region holds (a restore always shortens it), and the file is applied. If the file is still refused, nothing of the
 * decision is kept.
 */

/** Rows a file applied (new, updated, deleted), from the summary kept with its import row. */
function rowsOf(summary: string): number {
  try {
    const s = JSON.parse(summary) as { tables?: Record<string, { new?: number; updated?: number; deleted?: number }> };
    return Object.values(s.tables ?? {}).reduce((a, t) => a + (t.new ?? 0) + (t.updated ?? 0) + (t.deleted ?? 0), 0);
  } catch {
    return 0;
  }
}

function restartOf(ctx: ReadContext, ref: MethodParsed<'exchange.numberingRestart'>['refusedFile']) {
  requireRegion(ctx);
  const f = readFileRef(ctx, ref);
  const v = verifyFile(ctx.db, f.data, f.name);
  const m = v.manifest;
  const st = getOfficeState(ctx.db, v.office.id);
  const held = { lastFileSeq: st?.last_file_seq ?? 0, lastChangeSeq: st?.last_change_seq ?? 0, lastFileCreatedAt: st?.last_file_created_at ?? null };
  const file = { fileSeq: m.fileSeq, prevFileSeq: m.prevFileSeq, changeSeq: m.changeSeq, createdAt: m.createdAt };
  const base = { office: v.office.slug, file, held, accepted: false, results: [] as FileResult[] };
  // Taken already (this very file was applied): nothing to decide, nothing changes.
  if (importedAtBySha(ctx.db, v.payloadSha256) !== undefined) {
    return { f, v, lostTo: held.lastChangeSeq, chain: null, decision: { ...base, reused: { from: 0, to: 0, files: 0, rows: 0 }, auditChain: null, alreadyDone: true } };
  }
  if (!isNumberingRestart(ctx.db, v)) throw new AppError('exchange.numbering_not_restarted', { office: v.office.slug, ...officeNames(v.office), fileSeq: m.fileSeq });
  const reusedFiles = importsAfter(ctx.db, v.office.id, m.prevFileSeq);
  const chain = chainBreakOf(ctx, v);
  const decision: NumberingRestartDecision = {
    ...base,
    reused: { from: m.prevFileSeq + 1, to: held.lastFileSeq, files: reusedFiles.length, rows: reusedFiles.reduce((a, r) => a + rowsOf(r.summary), 0) },
    auditChain: chain?.decision ?? null,
    alreadyDone: false,
  };
  return { f, v, lostTo: held.lastChangeSeq, chain, decision };
}

/** What the region holds of the office against what the refused file says (nothing changes). */
export function numberingRestart({ refusedFile }: MethodParsed<'exchange.numberingRestart'>, ctx: ReadContext): NumberingRestartDecision {
  return restartOf(ctx, refusedFile).decision;
}

export async function acceptNumberingRestart({ refusedFile, reason }: MethodParsed<'exchange.acceptNumberingRestart'>, ctx: WriteContext): Promise<NumberingRestartDecision> {
  // The coordinator's decision: the region's administrator (who passes every role check) does not take it for her;
  // the command line is the machine's operator, as for the other exchange decisions.
  if (ctx.actor.kind === 'user' && ctx.actor.role !== 'coordinator') throw new AppError('auth.forbidden', { method: 'exchange.acceptNumberingRestart', role: ctx.actor.role });
  const why = reason.trim();
  if (why.length < MIN_REASON) throw new AppError('exchange.audit_reason_required', { min: MIN_REASON });
  const { f, v, lostTo, chain, decision } = restartOf(ctx, refusedFile);
  if (decision.alreadyDone) return { ...decision, accepted: true };
  const m = v.manifest;
  const now = ctx.now();
  restartOfficeNumbering(ctx.db, { officeId: v.office.id, fileSeq: m.prevFileSeq, changeSeq: m.changeSeq.from, after: m.changeSeq.from, lostTo, now });
  // The anchors take the connection (core/security, not yet on the handles), as the import does.
  if (chain) acceptNewChain(connectionOf(ctx.db), v.office.id, chain.br.offered, m.fileSeq, now);
  ctx.audit({
    entity: 'exchange_office_state',
    entityId: v.office.id,
    changes: {
      numbering_restart_file: [null, m.fileSeq],
      last_file_seq: [decision.held.lastFileSeq, m.prevFileSeq],
      last_change_seq: [decision.held.lastChangeSeq, m.changeSeq.from],
      superseded_from: [null, decision.reused.from],
      superseded_to: [null, decision.reused.to],
      ...(chain ? { audit_rows_kept: [chain.br.seen.rows, chain.br.offered.rows], audit_chain_break: [null, chain.br.atSeen] } : {}),
      reason: [null, why],
    },
  });
  const job = exchangeJob(ctx);
  const results = await importFiles(ctx.db, [f], importOptions(ctx, false, job));
  const mine = results.find((r) => r.file === f.name);
  // Still refused (a row the region cannot take, say): the whole decision rolls back with the transaction.
  if (!mine || mine.status !== 'applied') {
    const e = mine?.error;
    throw e ? new AppError(e.code as ErrorCode, e.params) : new AppError('exchange.numbering_not_restarted', { office: v.office.slug, ...officeNames(v.office), fileSeq: m.fileSeq });
  }
  await job.beforeCommit();
  auditImportResults(ctx, results);
  return { ...decision, accepted: true, results };
}
