import { defineConfig } from 'vitest/config';

/**
 * Unit workers: Vitest's default (cores − 1, one at a time on CI's 2 cores: the main process transforms the files for the
 * workers). One per core was measured slower here: the same faketime subset, interleaved, 224 s and 225 s with 2 workers
 * against 171 s and 135 s with 1, and about 17 % more CPU (load 6–11 on 2 cores). `JISR_UNIT_WORKERS=N` to try another
 * count on a quiet machine. The e2e files run one at a time after the unit group (`fileParallelism: false` gives them
 * Vitest's sequential group), so a Chromium walk never shares the cores with unit files.
 */
const UNIT_WORKERS = Number(process.env.JISR_UNIT_WORKERS) || undefined;

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
