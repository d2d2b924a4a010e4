import { configDefaults, defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/support/slow-first-sequencer.ts';

// Files that start a whole stack of their own (Temporal server, UI, Mailpit, PostgreSQL databases, worker processes)
// or SIGKILL workers on a schedule: they keep both cores busy, so they run one at a time with nothing beside them.
const ALONE = ['test/local/stack/**/*.test.ts', 'test/soak/**/*.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    // Runs once for both projects: they share the dev server and the workflow bundle.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.agreements/test-results.json' },
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ALONE],
          // Most files wait on real Temporal timers and SMTP retries, not the CPU, so two at a time nearly halve the
          // wall time; vitest's default is one fewer than the cores, a single file on a 2-core machine.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
