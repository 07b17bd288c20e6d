import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run-cli';
import { tempCore, setupOffice } from '../../../tests/helpers/core';
import type { Core } from '../core';
import { insertCohort, insertSessions, participant } from './test-fixtures';

let core: (Core & { dir: string; dispose(): Promise<void> }) | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  // The test's core stays open across commands (the CLI closes what it opened: a thin wrapper keeps ours).
  const code = await runCli(args, {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), stdin: async () => '' },
    open: () => ({ ...core!, close: async () => undefined }) as Core,
  });
  return { code, out, err };
}

describe('attestations CLI', () => {
  it('attest, verify (exit codes), revoke, attest a cohort', async () => {
    core = tempCore({ clock: () => new Date('2026-05-20T10:00:00Z') });
    await setupOffice(core);
    const c = insertCohort(core.sqlite);
    const s = insertSessions(core.sqlite, c, 12);
    const a = participant(core.sqlite, c, s, 12);
    participant(core.sqlite, c, s, 12, { firstNameLat: 'Zineb' });
    participant(core.sqlite, c, s, 2, { firstNameLat: 'Rare' });
    const pdf = join(core.dir, 'one.pdf');

    const issued = await run(['attest', '--db', 'x', '--applicant', a, '--kind', 'participation', '--out', pdf]);
    expect(issued.code).toBe(0);
    const r = JSON.parse(issued.out[0]);
    expect(r.serial).toBe('ERR-2026-P-000001');
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

    const ok = await run(['verify', '--db', 'x', '--code', 'ERR-2026-P-000001']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out[0]).verdict).toBe('valid');
    const missing = await run(['verify', '--db', 'x', '--code', 'ERR-2026-000777']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out[0]).verdict).toBe('not_found');

    expect((await run(['attest', 'revoke', '--db', 'x', '--serial', 'ERR-2026-P-000001', '--reason', 'erreur de nom'])).code).toBe(0);
    const revoked = await run(['verify', '--db', 'x', '--code', 'ERR-2026-P-000001']);
    expect(revoked.code).toBe(1);
    expect(JSON.parse(revoked.out[0]).verdict).toBe('revoked');

    const batchPdf = join(core.dir, 'cohort.pdf');
    const batch = await run(['attest', '--db', 'x', '--cohort', c.cohortId, '--out', batchPdf]);
    expect(batch.code).toBe(0);
    const b = JSON.parse(batch.out[0]);
    expect(b).toMatchObject({ state: 'done', issued: 2, printed: 2, skipped: 1 });
    expect(b.serials).toEqual(['ERR-2026-P-000002', 'ERR-2026-P-000003']);
    expect(existsSync(batchPdf)).toBe(true);
    expect(batch.err.some((l) => l.includes('skipped Rare'))).toBe(true);

    const dir = join(core.dir, 'each');
    const each = await run(['attest', '--db', 'x', '--cohort', c.cohortId, '--kind', 'registration', '--out-dir', dir]);
    expect(each.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['ERR-2026-R-000004.pdf', 'ERR-2026-R-000005.pdf', 'ERR-2026-R-000006.pdf']);

    const usage = await run(['attest', '--db', 'x', '--out', pdf]);
    expect(usage.code).toBe(2);
  });
});
