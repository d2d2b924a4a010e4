import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take a minute or more, mostly waiting on real timers. Started first, they overlap the many short
 * files on the other worker; started last (a fresh checkout has no timings, so vitest goes by file size) one of them
 * would run alone at the end.
 */
const SLOW_FIRST = [
  'test/worker/outage.test.ts',
  'test/workflows/notifications.test.ts',
  'test/local/demo.test.ts',
  'test/client/cli.test.ts',
  'test/workflows/approvals-obligations.test.ts',
  'test/client/cli-offline.test.ts',
  'test/mail/batch-after-2xx.test.ts',
  'test/mail/delivery-store-faults.test.ts',
];

const rank = (spec: TestSpecification): number => {
  const index = SLOW_FIRST.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
  return index === -1 ? SLOW_FIRST.length : index;
};

/** Vitest's order (groups, then the last run's timings or file size), with the known slow files moved to the front. */
export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const group = (spec: TestSpecification) => spec.project.config.sequence.groupOrder;
    return sorted.sort((a, b) => group(a) - group(b) || rank(a) - rank(b));
  }
}
