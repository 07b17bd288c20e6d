import type { Handlers, HandlersOf } from '../handler-types';
import type { attestationsContract } from '../../shared/api/attestations.contract';
import * as service from './attestations.service';
import { jobsOf } from './attestations.jobs';

/** This feature's handler table, one per method of its contract (merged in core/handlers.ts). */
export type AttestationsHandlers = HandlersOf<typeof attestationsContract>;

/** The attestations feature's methods, bound to its service (rules: attestations.service.ts; SQL: attestations.repo.ts). */
export const attestationsHandlers = {
  'attestations.kinds': async (_input, ctx) => service.listKinds(ctx.services.dbPath),
  'attestations.check': async (input, ctx) => service.check(input, ctx),
  'attestations.preview': async (input, ctx) => service.preview(input, ctx),
  'attestations.issue': async (input, ctx) => service.issue(input, ctx),
  'attestations.reprint': async (input, ctx) => service.reprint(input, ctx),
  'attestations.revoke': async (input, ctx) => service.revoke(input, ctx),
  'attestations.list': async (input, ctx) => service.list(input, ctx),
  'attestations.get': async (input, ctx) => service.getOne(input, ctx),
  'attestations.verify': async ({ code, cin }, ctx) => service.verifyCode(ctx.db, code, cin),
  'attestations.batchStart': async (input, ctx) => service.batchStart(input, ctx),
  'attestations.verifySettings': async (input, ctx) => service.verifySettings(input, ctx),
  'attestations.setVerifyUrl': async (input, ctx) => service.setVerifyAddress(input, ctx),
  'attestations.verifyPage': async (input, ctx) => service.verifyPage(input, ctx),
  'attestations.batchStatus': async (input, ctx) => service.batchStatus(input, ctx),
  'attestations.batchCancel': async (input, ctx) => service.batchCancel(input, ctx),
} satisfies Partial<Handlers>;

/** Waits for a batch to stop (tests, CLI). */
export async function waitForBatch(outbox: import('../files/outbox').Outbox, jobId: string): Promise<void> {
  await jobsOf(outbox).get(jobId)?.finished;
}
