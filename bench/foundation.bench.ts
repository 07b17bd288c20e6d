import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { createCore } from '../src-main/core/core';
import { copyDatabaseFile, loadMigrations } from '../src-main/core/db/migrate';
import { projectRoot } from '../src-main/core/paths';
import { timeMany, timeOnce, percentile, type BenchSuite } from './harness';

/** Median of a child process's reported figure (each run is a fresh process: a real cold start). */
function childMs(script: string, runs = 5): number {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    out.push(Number(r.stdout.trim().split('\n').pop()));
  }
  return percentile(out, 50);
}

export const foundationBench: BenchSuite = {
  name: 'foundation',
  async run(env) {
    const seeded = await env.seededDb(100_000);
    const root = projectRoot();
    const coreScript = (db: string) =>
      `const t0 = performance.now(); const { createCore } = await import(${JSON.stringify(join(root, 'src-main/core/core.ts'))});` +
      `const c = createCore({ dbPath: ${JSON.stringify(db)} }); await c.invoke('system.status', {}); console.log(performance.now() - t0); await c.close();`;
    const bareScript = (db: string) =>
      `const t0 = performance.now(); const D = (await import('better-sqlite3-multiple-ciphers')).default; const d = new D(${JSON.stringify(db)});` +
      `d.prepare('select count(*) from sqlite_master').get(); console.log(performance.now() - t0); d.close();`;

    const coldSeeded = childMs(coreScript(seeded));
    const coldSeededBare = childMs(bareScript(seeded));

    // Migrations on a fresh file, against executing the same SQL with bare better-sqlite3.
    const files = loadMigrations(join(root, 'migrations'));
    let k = 0; // a new file for every run, warm-up included
    const fresh = await timeMany(5, async () => {
      const c = createCore({ dbPath: join(env.dir, `fresh-${++k}.db`) });
      await c.close();
    }, 1);
    const bareFresh = await timeMany(5, () => {
      const d = new Database(join(env.dir, `bare-${++k}.db`));
      d.pragma('journal_mode = WAL');
      d.transaction(() => files.forEach((f) => d.exec(f.sql)))();
      d.close();
    }, 1);

    // Opening the seeded database: the migration check (nothing pending) and the integrity of the applied list.
    const openSeeded = await timeMany(5, async () => {
      const c = createCore({ dbPath: seeded });
      await c.close();
    }, 1);
    const openBare = await timeMany(5, () => {
      const d = new Database(seeded);
      d.prepare('select name from schema_migrations').all();
      d.close();
    }, 1);

    // The copy made before a migration runs on a 100k-applicant database: the checked file copy under the write
    // lock (migrate.ts copyDatabaseFile), beside VACUUM INTO (what it was before issue 19).
    const d = new Database(seeded);
    const vacuumMs = await timeOnce(() => d.prepare('VACUUM INTO ?').run(join(env.dir, 'vacuum.bak')));
    rmSync(join(env.dir, 'vacuum.bak'), { force: true });
    const copyMs = await timeOnce(() => copyDatabaseFile(d as never, seeded, join(env.dir, 'copy.bak'), { secret: null }));
    rmSync(join(env.dir, 'copy.bak'), { force: true });
    d.close();

    return [
      { name: 'cold start, seeded 100k (new process → first call answered)', value: coldSeeded, unit: 'ms', baseline: { name: 'bare better-sqlite3 open + query', value: coldSeededBare } },
      { name: 'all migrations on an empty database (median)', value: percentile(fresh, 50), unit: 'ms', baseline: { name: 'bare exec of the same SQL', value: percentile(bareFresh, 50) } },
      { name: 'open + migration check, seeded 100k (median)', value: percentile(openSeeded, 50), unit: 'ms', baseline: { name: 'bare open + read applied list', value: percentile(openBare, 50) } },
      { name: 'copy before migrating, seeded 100k (checked file copy under the write lock)', value: copyMs, unit: 'ms', baseline: { name: 'VACUUM INTO (before)', value: vacuumMs } },
    ];
  },
};
