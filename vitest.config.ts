import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The unit files run one per core. Vitest's default is cores − 1: on CI's 2 cores that was one file at a time, with
 * the second core idle for the whole unit project. The e2e files still run one at a time (`fileParallelism: false`):
 * Vitest puts them in a group of their own that starts when the unit group is done, so a Chromium walk never shares
 * the machine with the unit files (their timing checks — "within 2 seconds" — stay honest).
 */
const UNIT_WORKERS = Math.max(1, Number(process.env.JISR_UNIT_WORKERS) || availableParallelism());

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src-main/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          setupFiles: ['tests/helpers/key-dir.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: UNIT_WORKERS,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.e2e.ts'],
          setupFiles: ['tests/helpers/key-dir.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
