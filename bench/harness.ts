import { existsSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
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
