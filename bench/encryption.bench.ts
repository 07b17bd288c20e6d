// Encryption at rest (issue 16): the same work on the same 100,000-file database, unencrypted and encrypted
// (SQLite3 Multiple Ciphers, ChaCha20-Poly1305), in the same run, interleaved so that both meet the same machine:
// search, save, attendance, a 10,000-row import, and the time to open the encrypted database.
import { join } from 'node:path';
import { createCore, type Core } from '../src-main/core/core';
import type { Actor, Logger } from '../src-main/core/context';

const stderrLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: (msg, data) => process.stderr.write(`${msg} ${JSON.stringify(data)}\n`),
};
import { encryptPlainDatabase, FileKeyStore, newSecret } from '../src-main/core/db/encryption';
import { copyDb, percentile, timeMany, timeOnce, type BenchRow, type BenchSuite } from './harness';
import { writeLegacyList } from './reports.bench';

const actor: Actor = { kind: 'cli', osUser: 'bench' };
const LAT = ['fatima', 'fat', 'idrissi', 'ait ali', 'khadija ou', 'hammou', 'boutaleb', 'zahra', 'meryem amz', 'soukaina', 'alaoui', 'benmoussa'];
const GOAL = 1.15;

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
    const ratioRow = (name: string, enc: number[], plain: number[], unit: 'ms' | 's' = 'ms') => {
      const e = percentile(enc, 50);
      const p = percentile(plain, 50);
      rows.push({ name: `${name}, encrypted (p50)`, value: e, unit, baseline: { name: 'same work, unencrypted, same run', value: p }, target: `≤ ${GOAL}×`, ok: e / p <= GOAL });
    };

    const cores: Record<'plain' | 'enc', Core> = { plain: open(plainPath, false), enc: open(encPath, true) };
    if (cores.plain.encrypted || !cores.enc.encrypted) throw new Error('bench: the two databases are not what they should be');
    try {
      // Interleaved rounds: plain, encrypted, plain, encrypted … each round a block of calls.
      const rounds = async (fn: (c: Core, i: number) => Promise<unknown>, perRound: number, nRounds = 4) => {
        const out = { plain: [] as number[], enc: [] as number[] };
        let i = 0;
        for (let r = 0; r < nRounds; r++) {
          for (const k of ['plain', 'enc'] as const) out[k].push(...(await timeMany(perRound, () => fn(cores[k], i++), 2)));
        }
        return out;
      };

      const search = await rounds((c, i) => c.invoke('applicants.search', { q: LAT[i % LAT.length], limit: 50 }, { actor }), 50);
      ratioRow('search, Latin name fragment (100k)', search.enc, search.plain);

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
      const save = await rounds((c, i) => c.call('applicants.create', person(i), { actor }), 25);
      ratioRow('save, new applicant (100k)', save.enc, save.plain);

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
        const sessions = { plain: [] as string[], enc: [] as string[] };
        for (const k of ['plain', 'enc'] as const) {
          for (let i = 0; i < 4 * 12; i++) {
            const s = await cores[k].invoke(
              'sessions.create',
              { kind: 'group_training', date: '2026-06-01', startTime: '09:00', endTime: '12:00', topic: 'marketing', organisationId: cohort.organisation_id, cohortId: cohort.id },
              { actor },
            );
            sessions[k].push(s.id);
          }
        }
        const used = { plain: 0, enc: 0 };
        const att = await rounds((c) => {
          const k = c === cores.plain ? 'plain' : 'enc';
          return c.invoke('sessions.recordAttendance', { sessionId: sessions[k][used[k]++], entries }, { actor });
        }, 10);
        ratioRow(`record attendance, ${entries.length}-person session`, att.enc, att.plain);
      }
    } finally {
      await cores.plain.close();
      await cores.enc.close();
    }

    // Import of a 10,000-row legacy list (duplicate checks against 100,000 files), twice each, alternating.
    const legacy = join(env.dir, 'enc-legacy-10k.xlsx');
    await writeLegacyList(legacy, seeded);
    const imports = { plain: [] as number[], enc: [] as number[] };
    for (let r = 0; r < 2; r++) {
      for (const k of ['plain', 'enc'] as const) {
        const path = copyDb(k === 'plain' ? plainPath : encPath, join(env.dir, `enc-import-${k}-${r}.db`));
        if (k === 'enc') keyStore.save(path, secret);
        const c = createCore({ dbPath: path, keyStore, encrypt: k === 'enc', logger: stderrLogger });
        try {
          imports[k].push(await timeOnce(() => c.invoke('imports.commit', { path: legacy }, { actor })));
        } finally {
          await c.close();
        }
      }
    }
    ratioRow('import, 10,000-row list into 100k', imports.enc, imports.plain);

    // Opening the database (key from the key file, key applied, schema read, migrations checked, first call answered).
    const opens = { plain: [] as number[], enc: [] as number[] };
    for (let r = 0; r < 5; r++) {
      for (const k of ['plain', 'enc'] as const) {
        opens[k].push(
          await timeOnce(async () => {
            const c = open(k === 'plain' ? plainPath : encPath, k === 'enc');
            await c.invoke('system.status', {});
            await c.close();
          }),
        );
      }
    }
    const openEnc = percentile(opens.enc, 50);
    rows.push({ name: 'open a 100,000-file encrypted database (p50, open → first call answered → close)', value: openEnc, unit: 'ms', baseline: { name: 'same, unencrypted', value: percentile(opens.plain, 50) } });
    rows.push({ name: 'convert the 100k database to encrypted (checked copy, rekey, check; once at upgrade)', value: convertMs / 1000, unit: 's' });
    return rows;
  },
};
