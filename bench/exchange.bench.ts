import type { BenchSuite } from './harness';

export const exchangeBench: BenchSuite = {
  name: 'exchange',
  async run() {
    return [];
  },
};
