import type { BenchSuite } from './harness';

export const sessionsBench: BenchSuite = {
  name: 'sessions',
  async run() {
    return [];
  },
};
