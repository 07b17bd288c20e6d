import type { BenchSuite } from './harness';

export const applicantsBench: BenchSuite = {
  name: 'applicants',
  async run() {
    return [];
  },
};
