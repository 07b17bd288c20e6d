import type { BenchSuite } from './harness';

export const attestationsBench: BenchSuite = {
  name: 'attestations',
  async run() {
    return [];
  },
};
