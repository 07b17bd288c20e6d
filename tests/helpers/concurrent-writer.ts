// A separate OS process writing to a shared database file (tests/unit/concurrent-writes.test.ts):
// `node --import tsx tests/helpers/concurrent-writer.ts DB WORKER COUNT SHARED_ID`. It registers COUNT applicants
// (confirming any likely duplicate as another person, as staff do) and, between them, edits the shared file and
// records a change of a setting — each a read-then-write transaction. Prints one JSON line: what was made and every
// error code met (none expected).
import { createCore } from '../../src-main/core/core';
import type { Actor } from '../../src-main/core/context';

const [dbPath, worker, countArg, sharedId] = process.argv.slice(2);
const count = Number(countArg);
const actor: Actor = { kind: 'cli', osUser: `worker-${worker}` };
const clock = () => new Date('2026-06-15T09:00:00.000Z');
const FIRST = ['Salma', 'Fatima', 'Khadija', 'Aicha', 'Naima', 'Zineb', 'Hafsa', 'Meryem'];
const LAST = ['Boutaleb', 'Amrani', 'Ouali', 'Idrissi', 'Tazi', 'Bennani', 'Alaoui', 'Chraibi'];

async function main() {
  const core = createCore({ dbPath, clock });
  const made: string[] = [];
  const errors: string[] = [];
  let edits = 0;
  for (let i = 0; i < count; i++) {
    const input = {
      cin: `W${worker}X${String(i).padStart(4, '0')}`,
      firstNameLat: FIRST[(i + Number(worker)) % FIRST.length],
      lastNameLat: LAST[Math.floor(i / 3) % LAST.length],
      birthDate: `19${70 + ((i * 7 + Number(worker)) % 30)}-0${1 + (i % 9)}-1${i % 10}`,
      communeCode: '08.201.01.01',
      isProjectHolder: true,
      consent: { given: true, date: '2026-06-15', textVersion: '2026-01', channel: 'paper' },
    };
    let r = await core.call('applicants.create', input, { actor });
    if (!r.ok && r.error.code === 'applicant.possible_duplicates') {
      const ids = ((r.error.params ?? {}).candidates as { id: string }[]).map((c) => c.id);
      r = await core.call('applicants.create', { ...input, distinctFrom: ids }, { actor });
    }
    if (r.ok) made.push(r.value.id);
    else errors.push(r.error.code);
    const u = await core.call('applicants.update', { id: sharedId, changes: { address: `w${worker}-${i}` } }, { actor });
    if (u.ok) edits++;
    else errors.push(u.error.code);
  }
  await core.close();
  process.stdout.write(JSON.stringify({ worker, made, edits, errors }) + '\n');
}
main().catch((e) => {
  process.stdout.write(JSON.stringify({ worker, crashed: String((e as Error)?.stack ?? e) }) + '\n');
  process.exit(1);
});
