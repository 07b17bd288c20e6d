import { existsSync, mkdirSync, copyFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { performance } from 'node:perf_hooks';

export interface BenchRow {
  /** What was measured, e.g. "search p95 (Arabic fragment)". */
  name: string;
  value: number;
  unit: 'ms' | 's' | 'MB' | 'ms/page' | 'rows/s' | 'x' | '%';
  /**
   * The same work done with the bare library (better-sqlite3-multiple-ciphers opened without a key — better-sqlite3's
   * API over the app's own SQLite, nothing encrypted —, exceljs, pdfmake …).
   */
  baseline?: { name: string; value: number };
  /** The ratio to show when it is not value ÷ baseline (e.g. the median of paired runs' ratios). */
  ratio?: number;
  /** The target, as text (e.g. "≤ 20 ms"), and whether it is met. */
  target?: string;
  ok?: boolean;
}

export interface BenchEnv {
  /** A scratch folder for this run. */
  dir: string;
  /**
   * A copy of a database seeded with N applicants (and what the seeders add: sessions, attendance …),
   * made once per machine in .bench/ and copied per use so suites cannot disturb each other.
   */
  seededDb(applicants: number): Promise<string>;
}

export interface BenchSuite {
  name: string;
  run(env: BenchEnv): Promise<BenchRow[]>;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Times fn `n` times after `warmup` runs; returns the durations in ms. */
export async function timeMany(n: number, fn: (i: number) => unknown, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

export async function timeOnce(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export function ensureDir(p: string) {
  if (!existsSync(p)) mkdirSync(p, { recursive: true });
  return p;
}

export function copyDb(src: string, dest: string) {
  rmSync(dest, { force: true });
  copyFileSync(src, dest);
  return dest;
}

/**
 * Whether a cached seeded database (and its stamp) still matches the sources it was made from (`dirs`: the
 * migrations, the seeders …): 'fresh' when nothing changed since its stamp; 'upgraded' when the only change is new
 * migrations it has not applied: they are applied in place, as at an office (createCore; the copy it makes before
 * migrating is removed), and the stamp renewed — minutes of seeding saved, and the same rows (a migration's fill is
 * tested equal to what its triggers keep); 'stale' otherwise (a seeder changed, an applied migration was edited): seed
 * again.
 */
export async function refreshCachedDb(db: string, stamp: string, dirs: string[]): Promise<'fresh' | 'upgraded' | 'stale'> {
  if (!existsSync(db) || !existsSync(stamp)) return 'stale';
  const made = statSync(stamp).mtimeMs;
  const changed = dirs.flatMap((d) => readdirSync(d).map((f) => ({ d, f }))).filter((x) => statSync(join(x.d, x.f)).mtimeMs > made);
  if (!changed.length) return 'fresh';
  if (changed.some((x) => basename(x.d) !== 'migrations' || !x.f.endsWith('.sql'))) return 'stale';
  let applied: Set<string>;
  try {
    const d = new Database(db, { readonly: true });
    applied = new Set(d.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
    d.close();
  } catch {
    return 'stale';
  }
  if (changed.some((x) => applied.has(x.f.replace(/\.sql$/, '')))) return 'stale';
  process.stderr.write(`applying ${changed.map((x) => x.f).join(', ')} to ${db} in place …\n`);
  const { createCore } = await import('../src-main/core/core');
  await createCore({ dbPath: db }).close();
  for (const f of readdirSync(dirname(db))) if (f.startsWith(`${basename(db)}.before-`)) rmSync(join(dirname(db), f), { force: true });
  const d = new Database(db);
  d.pragma('journal_mode = DELETE');
  d.close();
  writeFileSync(stamp, new Date().toISOString());
  return 'upgraded';
}
