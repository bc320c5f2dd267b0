import { defineConfig } from 'vitest/config';

// Unit tests live beside the code; cluster tests (whole clusters, real processes) run one file at a
// time on the forks pool so they never fight over ports, namespaces or the two cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{proto,raft,ca,manager,worker,compose,daemon,cli,bench}/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['cluster-tests/**/*.test.ts'],
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
