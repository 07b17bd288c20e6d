// `npm run bench [-- --only NAME] [-- --applicants N]`, `npm run bench -- --region [--region-size N]`: prints a table of figures, each beside its bare-library baseline.
import { mkdtempSync, rmSync, renameSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyDb, ensureDir, refreshCachedDb, type BenchEnv, type BenchRow, type BenchSuite } from './harness';
import { foundationBench } from './foundation.bench';
import { applicantsBench } from './applicants.bench';
import { sessionsBench } from './sessions.bench';
import { attestationsBench } from './attestations.bench';
import { reportsBench } from './reports.bench';
import { exchangeBench } from './exchange.bench';
import { matchingBench } from './matching.bench';
import { encryptionBench } from './encryption.bench';
import { officeNetworkBench } from './office-network.bench';
import { regionSuite } from './region.bench';
import { rendererBench } from './renderer.bench';

const suites: BenchSuite[] = [foundationBench, applicantsBench, sessionsBench, attestationsBench, reportsBench, exchangeBench, matchingBench, encryptionBench, officeNetworkBench, rendererBench];

// The bench's databases stay unencrypted (the bare-library baselines open the same files): createCore reads this
// for its default. The 'encryption' suite opens an encrypted copy explicitly and compares the two in one run.
process.env.JISR_BENCH_UNENCRYPTED = '1';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const cacheDir = ensureDir(resolve('.bench'));
// `--region [--region-size N] [--region-rebuild]`: the region bench alone (bench/region.bench.ts), N files in all
// (N/5 per province; 500,000 by default). Develop with a small size, e.g. --region-size 10000.
const region = args.includes('--region');
const regionSize = args.includes('--region-size') ? Number(args[args.indexOf('--region-size') + 1]) : 500_000;
if (region && (!Number.isInteger(regionSize) || regionSize < 50)) throw new Error('--region-size takes a whole number of files (at least 50)');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'jisr-bench-'));
  let n = 0;
  const env: BenchEnv = {
    dir,
    async seededDb(applicants: number) {
      const cached = join(cacheDir, `seeded-${applicants}.db`);
      const stamp = join(cacheDir, `seeded-${applicants}.stamp`);
      // The cache is rebuilt when a seeder or an applied migration changed since it was made; new migrations alone are
      // applied to it in place (refreshCachedDb).
      if ((await refreshCachedDb(cached, stamp, ['migrations', 'src-main/core/seed'])) === 'stale') {
        // Seed into a file of this process, fold its WAL in, then rename it into place: two bench runs
        // at once (or an interrupted one) can never leave a half-made cache behind.
        const part = `${cached}.${process.pid}.part`;
        for (const f of [part, `${part}-wal`, `${part}-shm`]) rmSync(f, { force: true });
        process.stderr.write(`seeding ${applicants} applicants into ${cached} …\n`);
        const r = spawnSync('npx', ['tsx', 'src-main/cli/main.ts', 'seed', '--db', part, '--applicants', String(applicants)], {
          stdio: ['ignore', 'pipe', 'inherit'],
          encoding: 'utf8',
        });
        if (r.status !== 0) throw new Error('seed failed');
        process.stderr.write(r.stdout);
        const d = new Database(part);
        d.pragma('wal_checkpoint(TRUNCATE)');
        d.pragma('journal_mode = DELETE');
        d.close();
        for (const f of [`${cached}-wal`, `${cached}-shm`]) rmSync(f, { force: true });
        renameSync(part, cached);
        writeFileSync(stamp, new Date().toISOString());
      }
      return copyDb(cached, join(dir, `copy-${++n}.db`));
    },
  };
  const rows: (BenchRow & { suite: string })[] = [];
  const run = region ? [regionSuite({ size: regionSize, rebuild: args.includes('--region-rebuild'), cacheDir })] : suites;
  for (const s of run) {
    if (only && s.name !== only) continue;
    process.stderr.write(`running ${s.name} …\n`);
    for (const r of await s.run(env)) rows.push({ suite: s.name, ...r });
  }
  rmSync(dir, { recursive: true, force: true });
  const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  const table = rows.map((r) => ({
    suite: r.suite,
    measure: r.name,
    value: `${fmt(r.value)} ${r.unit}`,
    baseline: r.baseline ? `${fmt(r.baseline.value)} ${r.unit} (${r.baseline.name})` : '',
    ratio: r.ratio !== undefined ? `${r.ratio.toFixed(2)}×` : r.baseline && r.baseline.value > 0 ? `${(r.value / r.baseline.value).toFixed(2)}×` : '',
    target: r.target ?? '',
    ok: r.ok === undefined ? '' : r.ok ? 'yes' : 'NO',
  }));
  const cols = Object.keys(table[0] ?? { suite: '' }) as (keyof (typeof table)[number])[];
  const width = cols.map((c) => Math.max(c.length, ...table.map((t) => String(t[c]).length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(width[i])).join(' | ') + ' |';
  console.log(line(cols as string[]));
  console.log('|' + width.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const t of table) console.log(line(cols.map((c) => String(t[c]))));
  if (rows.some((r) => r.ok === false)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
