// The matching engine on the labelled evaluation set (issue 13, tests/fixtures/matching/pairs.json): every pair's
// registry file `a` is registered through the core (applicants.create), then `b` is checked as the registration form
// checks it (applicants.checkDuplicates). A pair counts as proposed when `a` is among the candidates, as blocking
// when that candidate would stop the save.
//   recall = same pairs proposed / same pairs (goal ≥ 98 %)
//   false alarms = different pairs proposed / different pairs (goal ≤ 2 %)
// `npx tsx bench/run.ts --only matching` (add `--misses` to list the pairs it gets wrong).
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createCore, type Core } from '../src-main/core/core';
import type { Actor } from '../src-main/core/context';
import { defaultOfficeSettings, PROVINCE_NAMES } from '../src-main/shared/offices';
import { DuplicateCheckInputSchema } from '../src-main/shared/api/applicants.contract';
import type { BenchRow, BenchSuite } from './harness';
import type { EvalPair, EvalPerson } from '../tests/fixtures/matching/generate';

const actor: Actor = { kind: 'cli', osUser: 'bench' };
const clock = () => new Date('2026-06-15T09:00:00.000Z');
/** Blocking as the registration form applies it: the engine's own threshold, read from the core. */

export interface MatchingEval {
  same: number;
  sameProposed: number;
  sameBlocking: number;
  different: number;
  differentProposed: number;
  differentBlocking: number;
  maybe: number;
  maybeProposed: number;
  maybeBlocking: number;
  misses: { pair: EvalPair; proposed: boolean; blocking: boolean; score: number | null }[];
}

export function loadPairs(): EvalPair[] {
  return JSON.parse(readFileSync(join(import.meta.dirname, '../tests/fixtures/matching/pairs.json'), 'utf8')) as EvalPair[];
}

/** Registers every pair's `a` through the core (confirming earlier look-alikes as other people), returns their ids. */
async function registerAll(core: Core, pairs: EvalPair[]): Promise<Map<number, string>> {
  const ids = new Map<number, string>();
  for (const p of pairs) {
    const a = p.a;
    const input = {
      cin: `EV${String(100000 + p.id)}`,
      firstNameAr: a.firstNameAr ?? '',
      lastNameAr: a.lastNameAr ?? '',
      firstNameLat: a.firstNameLat ?? '',
      lastNameLat: a.lastNameLat ?? '',
      sex: a.sex,
      birthDate: a.birthDate,
      phone: '0612345678',
      communeCode: '08.201.01.01',
      isProjectHolder: true,
      hasDisability: a.sex === 'M',
      disabilityTypes: a.sex === 'M' ? ['motor'] : [],
      consent: { given: true, date: '2026-06-15', textVersion: '2026-01', channel: 'paper' as const },
      distinctFrom: [] as string[],
    };
    for (let attempt = 0; ; attempt++) {
      const r = await core.call('applicants.create', input, { actor });
      if (r.ok) {
        ids.set(p.id, r.value.id);
        break;
      }
      if (r.error.code !== 'applicant.possible_duplicates' || attempt > 3) throw new Error(`pair ${p.id}: ${JSON.stringify(r.error)}`);
      input.distinctFrom.push(...((r.error.params ?? {}).candidates as { id: string }[]).map((c) => c.id));
    }
  }
  return ids;
}

const withSex = 'sex' in DuplicateCheckInputSchema.shape;
const blockingScore = async () => (await import('../src-main/core/applicants/duplicates')).BLOCKING_SCORE;

function checkInput(b: EvalPerson) {
  const { sex, ...rest } = b;
  return withSex ? { ...rest, sex } : rest;
}

export async function evaluateMatching(pairs: EvalPair[] = loadPairs()): Promise<MatchingEval> {
  const dir = mkdtempSync(join(tmpdir(), 'jisr-matching-'));
  const core = createCore({ dbPath: join(dir, 'jisr.db'), clock });
  try {
    const n = PROVINCE_NAMES.errachidia;
    await core.invoke('system.setup', {
      office: 'errachidia',
      settings: defaultOfficeSettings('errachidia', n.ar, n.fr),
      admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
    });
    const ids = await registerAll(core, pairs);
    const threshold = await blockingScore();
    const out: MatchingEval = {
      same: 0, sameProposed: 0, sameBlocking: 0, different: 0, differentProposed: 0, differentBlocking: 0, maybe: 0, maybeProposed: 0, maybeBlocking: 0, misses: [],
    };
    for (const p of pairs) {
      const r = await core.invoke('applicants.checkDuplicates', checkInput(p.b), { actor });
      const c = r.candidates.find((x) => x.id === ids.get(p.id));
      const proposed = Boolean(c);
      const blocking = Boolean(c && c.score >= threshold && ('blocking' in c ? (c as { blocking: boolean }).blocking : true));
      if (p.label === 'same') {
        out.same++;
        if (proposed) out.sameProposed++;
        if (blocking) out.sameBlocking++;
        if (!proposed) out.misses.push({ pair: p, proposed, blocking, score: c?.score ?? null });
      } else if (p.label === 'different') {
        out.different++;
        if (proposed) out.differentProposed++;
        if (blocking) out.differentBlocking++;
        if (proposed) out.misses.push({ pair: p, proposed, blocking, score: c?.score ?? null });
      } else {
        out.maybe++;
        if (proposed) out.maybeProposed++;
        if (blocking) out.maybeBlocking++;
        if (!proposed || blocking) out.misses.push({ pair: p, proposed, blocking, score: c?.score ?? null });
      }
    }
    return out;
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const pct = (a: number, b: number) => (b ? (a / b) * 100 : 0);

export const matchingBench: BenchSuite = {
  name: 'matching',
  async run() {
    // `--seed N`: a fresh set made with another seed (held-out pairs the engine was not tuned on).
    const seedArg = process.argv.includes('--seed') ? Number(process.argv[process.argv.indexOf('--seed') + 1]) : null;
    const e = await evaluateMatching(seedArg !== null ? (await import('../tests/fixtures/matching/generate')).generatePairs(seedArg) : undefined);
    if (process.argv.includes('--misses')) {
      for (const m of e.misses) {
        process.stderr.write(`${m.pair.label} #${m.pair.id} [${m.pair.rules.join(',')}] proposed=${m.proposed} blocking=${m.blocking} score=${m.score}\n  a=${JSON.stringify(m.pair.a)}\n  b=${JSON.stringify(m.pair.b)}\n`);
      }
    }
    const recall = pct(e.sameProposed, e.same);
    const fa = pct(e.differentProposed, e.different);
    const rows: BenchRow[] = [
      { name: `recall on "same" (${e.sameProposed}/${e.same} proposed)`, value: recall, unit: '%', target: '≥ 98 %', ok: recall >= 98 },
      { name: `false alarms on "different" (${e.differentProposed}/${e.different} proposed)`, value: fa, unit: '%', target: '≤ 2 %', ok: fa <= 2 },
      { name: `"same" that block the save (${e.sameBlocking}/${e.same})`, value: pct(e.sameBlocking, e.same), unit: '%' },
      { name: `"different" that block the save (${e.differentBlocking}/${e.different})`, value: pct(e.differentBlocking, e.different), unit: '%' },
      { name: `"maybe" shown (${e.maybeProposed}/${e.maybe}), blocking ${e.maybeBlocking}`, value: pct(e.maybeProposed, e.maybe), unit: '%' },
    ];
    return rows;
  },
};
