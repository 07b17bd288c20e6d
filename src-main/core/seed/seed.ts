import { AppError } from '../../shared/errors';
import { PROVINCE_NAMES, defaultOfficeSettings, OFFICE_SLUGS } from '../../shared/offices';
import type { Core } from '../core';
import { cliActorForSeed } from './seed-actor';
import { withSummariesRebuiltAfter } from '../reports/summaries-bulk';

export interface SeedOptions {
  applicants: number;
  office: string;
  seed: number;
}

/** A seeder of one feature: bulk-inserts synthetic rows in the caller's transaction. */
export interface Seeder {
  name: string;
  run(core: Core, opts: SeedOptions, rng: () => number): Record<string, number>;
}

/** Features register their seeders here (applicants, sessions, attendance, attestations …). */
export const seeders: Seeder[] = [];

/** Mulberry32: a small deterministic PRNG so that seeded data is reproducible. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Sets the office up if needed (administrator `admin` / `admin-password-1`, for demos only)
 * and runs every registered seeder in one transaction.
 */
export async function seedDatabase(core: Core, opts: SeedOptions): Promise<Record<string, unknown>> {
  if (!(OFFICE_SLUGS as readonly string[]).includes(opts.office)) throw new AppError('cli.usage', { detail: 'unknown --office' });
  const status = await core.invoke('system.status', {});
  let created = false;
  if (!status.setupDone) {
    const n = PROVINCE_NAMES[opts.office];
    await core.invoke(
      'system.setup',
      {
        office: opts.office,
        settings: defaultOfficeSettings(opts.office, n.ar, n.fr),
        admin: { username: 'admin', displayName: 'Administrateur', password: 'admin-password-1' },
      },
      { actor: cliActorForSeed() },
    );
    created = true;
  }
  const rng = makeRng(opts.seed);
  const counts: Record<string, number> = {};
  core.sqlite.transaction(() => {
    // The report summaries are rebuilt once at the end, not row by row (see reports/summaries-bulk.ts).
    withSummariesRebuiltAfter(core.sqlite, () => {
      for (const s of seeders) Object.assign(counts, s.run(core, opts, rng));
    });
  }).immediate();
  return { office: opts.office, setupCreated: created, ...counts };
}
