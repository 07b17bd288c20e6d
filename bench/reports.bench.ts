import type { BenchSuite } from './harness';

export const reportsBench: BenchSuite = {
  name: 'reports',
  async run() {
    return [];
  },
};
