// Encryption at rest (issue 16): the same work on the same 100,000-file database, unencrypted and encrypted
// (SQLite3 Multiple Ciphers, ChaCha20-Poly1305), in the same run: search, save, attendance, a 10,000-row import, and
// the time to open the encrypted database.
// The machine it runs on is shared and its load swings by several times within a minute, so the two are compared
// pair by pair: each measure is a series of pairs (the same call on the unencrypted then the encrypted database, the
// order swapped at every other pair so that neither always comes second), and the figure is the MEDIAN OF THE PAIRS'
// RATIOS — two calls a few milliseconds apart meet the same load; medians of two separate series do not.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore, type Core } from '../src-main/core/core';
import type { Actor, Logger } from '../src-main/core/context';

const stderrLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: (msg, data) => process.stderr.write(`${msg} ${JSON.stringify(data)}\n`),
};
import { encryptPlainDatabase, FileKeyStore, newSecret } from '../src-main/core/db/encryption';
import { copyDb, percentile, timeOnce, type BenchRow, type BenchSuite } from './harness';
import { writeLegacyList } from './reports.bench';

const actor: Actor = { kind: 'cli', osUser: 'bench' };
const LAT = ['fatima', 'fat', 'idrissi', 'ait ali', 'khadija ou', 'hammou', 'boutaleb', 'zahra', 'meryem amz', 'soukaina', 'alaoui', 'benmoussa'];
const GOAL = 1.15;
type Side = 'plain' | 'enc';
interface Paired {
  plain: number[];
  enc: number[];
  ratios: number[];
}

/**
 * `pairs` pairs of the same work on both sides (after `warmup` unmeasured pairs): A,B then B,A then A,B …
 * `fn(side, i)` does the i-th piece of work on one side (the same i on both sides of a pair).
 */
async function paired(pairs: number, fn: (side: Side, i: number) => Promise<unknown>, warmup = 2): Promise<Paired> {
  const out: Paired = { plain: [], enc: [], ratios: [] };
  for (let i = 0; i < warmup + pairs; i++) {
    const t: Record<Side, number> = { plain: 0, enc: 0 };
    const order: Side[] = i % 2 === 0 ? ['plain', 'enc'] : ['enc', 'plain'];
    for (const side of order) {
      const start = performance.now();
      await fn(side, i);
      t[side] = performance.now() - start;
    }
    if (i < warmup) continue;
    out.plain.push(t.plain);
    out.enc.push(t.enc);
    out.ratios.push(t.enc / t.plain);
  }
  return out;
}
const load = () => loadavg().map((l) => l.toFixed(1)).join(' / ');

export const encryptionBench: BenchSuite = {
  name: 'encryption',
  async run(env) {
    const seeded = await env.seededDb(100_000);
    const keyStore = new FileKeyStore(join(env.dir, 'keys'));
    const plainPath = copyDb(seeded, join(env.dir, 'enc-bench-plain.db'));
    const encPath = copyDb(seeded, join(env.dir, 'enc-bench-encrypted.db'));
    const secret = newSecret();
    keyStore.save(encPath, secret);
    const convertMs = await timeOnce(() => encryptPlainDatabase(encPath, secret, { now: new Date() }));
    const open = (path: string, encrypted: boolean) => createCore({ dbPath: path, keyStore, encrypt: encrypted });
    const rows: BenchRow[] = [];
    const ratioRow = (name: string, r: Paired, unit: 'ms' | 's' = 'ms') => {
      const div = unit === 's' ? 1000 : 1;
      const ratio = percentile(r.ratios, 50);
      rows.push({
        name: `${name}, encrypted (p50 of ${r.ratios.length} pairs; ratio = median of the pairs' ratios)`,
        value: percentile(r.enc, 50) / div,
        unit,
        baseline: { name: 'same work, unencrypted, paired', value: percentile(r.plain, 50) / div },
        ratio,
        target: `≤ ${GOAL}×`,
        ok: ratio <= GOAL,
      });
      process.stderr.write(`  ${name}: median ratio ${ratio.toFixed(3)} (pairs' ratios p25 ${percentile(r.ratios, 25).toFixed(2)}, p75 ${percentile(r.ratios, 75).toFixed(2)}); load average ${load()}\n`);
    };
    process.stderr.write(`  load average (1/5/15 min) at the start: ${load()}\n`);

    const cores: Record<Side, Core> = { plain: open(plainPath, false), enc: open(encPath, true) };
    if (cores.plain.encrypted || !cores.enc.encrypted) throw new Error('bench: the two databases are not what they should be');
    try {
      const search = await paired(120, (k, i) => cores[k].invoke('applicants.search', { q: LAT[i % LAT.length], limit: 50 }, { actor }));
      ratioRow('search, Latin name fragment (100k)', search);

      const commune = cores.plain.sqlite.prepare('SELECT commune_code FROM applicants LIMIT 1').pluck().get() as string;
      const today = new Date().toISOString().slice(0, 10);
      const person = (i: number) => ({
        cin: `ZQ${String(200000 + i)}`,
        firstNameAr: ['نعيمة', 'سلمى', 'هاجر', 'وداد'][i % 4],
        lastNameAr: ['تازارين', 'أوكريم', 'بلقاسم', 'الغازي'][Math.floor(i / 4) % 4],
        firstNameLat: ['Naima', 'Salma', 'Hajar', 'Widad'][i % 4],
        lastNameLat: ['Tazarine', 'Oukrim', 'Belkacem', 'Ghazi'][Math.floor(i / 4) % 4] + String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + (Math.floor(i / 26) % 26)),
        birthDate: `19${75 + (i % 25)}-0${1 + (i % 9)}-1${i % 9}`,
        phone: `06${String(10_000_000 + i * 7919).slice(0, 8)}`,
        communeCode: commune,
        isProjectHolder: true,
        consent: { given: true, date: today, textVersion: '2026-01', channel: 'paper' },
      });
      const save = await paired(80, (k, i) => cores[k].call('applicants.create', person(i), { actor }));
      ratioRow('save, new applicant (100k)', save);

      // Attendance: a 40-person checklist on a fresh session each time.
      const cohort = cores.plain.sqlite
        .prepare(
          `SELECT c.id, c.organisation_id FROM cohorts c JOIN cohort_members m ON m.cohort_id = c.id AND m.withdrawn_at IS NULL
            GROUP BY c.id ORDER BY abs(count(*) - 40), c.id LIMIT 1`,
        )
        .get() as { id: string; organisation_id: string } | undefined;
      if (cohort) {
        const members = cores.plain.sqlite.prepare('SELECT applicant_id FROM cohort_members WHERE cohort_id = ? AND withdrawn_at IS NULL').pluck().all(cohort.id) as string[];
        const entries = members.map((id, i) => ({ applicantId: id, status: i % 9 === 0 ? 'absent' : 'present' }));
        const N = 40;
        const sessions: Record<Side, string[]> = { plain: [], enc: [] };
        for (const k of ['plain', 'enc'] as const) {
          for (let i = 0; i < N + 2; i++) {
            const s = await cores[k].invoke(
              'sessions.create',
              { kind: 'group_training', date: '2026-06-01', startTime: '09:00', endTime: '12:00', topic: 'marketing', organisationId: cohort.organisation_id, cohortId: cohort.id },
              { actor },
            );
            sessions[k].push(s.id);
          }
        }
        const att = await paired(N, (k, i) => cores[k].invoke('sessions.recordAttendance', { sessionId: sessions[k][i], entries }, { actor }));
        ratioRow(`record attendance, ${entries.length}-person session`, att);
      }
    } finally {
      await cores.plain.close();
      await cores.enc.close();
    }

    // Import of a 10,000-row legacy list (duplicate checks against 100,000 files): three pairs, the order swapped.
    // Each import gets a fresh copy of its database (copied before the clock starts).
    const legacy = join(env.dir, 'enc-legacy-10k.xlsx');
    await writeLegacyList(legacy, seeded);
    const importOnce = async (k: Side, i: number) => {
      const path = copyDb(k === 'plain' ? plainPath : encPath, join(env.dir, `enc-import-${k}-${i}.db`));
      if (k === 'enc') keyStore.save(path, secret);
      const c = createCore({ dbPath: path, keyStore, encrypt: k === 'enc', logger: stderrLogger });
      try {
        return await timeOnce(() => c.invoke('imports.commit', { path: legacy }, { actor }));
      } finally {
        await c.close();
      }
    };
    const imports: Paired = { plain: [], enc: [], ratios: [] };
    for (let i = 0; i < 3; i++) {
      const t: Record<Side, number> = { plain: 0, enc: 0 };
      for (const k of (i % 2 === 0 ? ['plain', 'enc'] : ['enc', 'plain']) as Side[]) t[k] = await importOnce(k, i);
      imports.plain.push(t.plain);
      imports.enc.push(t.enc);
      imports.ratios.push(t.enc / t.plain);
    }
    ratioRow('import, 10,000-row list into 100k', imports, 's');

    // Opening the database (key from the key file, key applied, schema read, migrations checked, first call answered).
    const opens = await paired(9, async (k) => {
      const c = open(k === 'plain' ? plainPath : encPath, k === 'enc');
      await c.invoke('system.status', {});
      await c.close();
    }, 1);
    rows.push({
      name: 'open a 100,000-file encrypted database (p50, open → first call answered → close)',
      value: percentile(opens.enc, 50),
      unit: 'ms',
      baseline: { name: 'same, unencrypted, paired', value: percentile(opens.plain, 50) },
      ratio: percentile(opens.ratios, 50),
    });
    rows.push({ name: 'convert the 100k database to encrypted (checked copy, rekey, check; once at upgrade)', value: convertMs / 1000, unit: 's' });
    process.stderr.write(`  load average (1/5/15 min) at the end: ${load()}\n`);
    return rows;
  },
};
