// The worker options `npm run bench` can vary: slots (`--workflow-slots`, `--activity-slots`) and pollers
// (`--workflow-pollers`, `--activity-pollers`: a number for a fixed maximum, or `auto` for the SDK's autoscaling).
import type { WorkerOptions } from '@temporalio/worker';
import type { WorkerTuning } from '../src/worker/create-worker.ts';

type PollerBehavior = NonNullable<WorkerOptions['workflowTaskPollerBehavior']>;

export interface TuningFlags {
  'workflow-slots'?: string | undefined;
  'activity-slots'?: string | undefined;
  'workflow-pollers'?: string | undefined;
  'activity-pollers'?: string | undefined;
}

function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${flag} must be a positive whole number, not "${value}"`);
  return n;
}

function pollers(flag: string, value: string): PollerBehavior {
  if (value === 'auto') return { type: 'autoscaling' };
  if (!/^\d+$/.test(value)) throw new Error(`--${flag} must be a positive whole number or auto, not "${value}"`);
  return { type: 'simple-maximum', maximum: wholeNumber(flag, value) };
}

/** The worker options the flags set; throws, naming the flag, when one is not a valid value. */
export function tuningFrom(flags: TuningFlags, maxCachedWorkflows: number): WorkerTuning {
  const set = <T>(flag: keyof TuningFlags, parse: (flag: string, value: string) => T): T | undefined => {
    const value = flags[flag];
    return value === undefined ? undefined : parse(flag, value);
  };
  const workflowSlots = set('workflow-slots', wholeNumber);
  const activitySlots = set('activity-slots', wholeNumber);
  const workflowPollers = set('workflow-pollers', pollers);
  const activityPollers = set('activity-pollers', pollers);
  return {
    maxCachedWorkflows,
    ...(workflowSlots ? { maxConcurrentWorkflowTaskExecutions: workflowSlots } : {}),
    ...(activitySlots ? { maxConcurrentActivityTaskExecutions: activitySlots } : {}),
    ...(workflowPollers ? { workflowTaskPollerBehavior: workflowPollers } : {}),
    ...(activityPollers ? { activityTaskPollerBehavior: activityPollers } : {}),
  };
}

/** The options as set, for the JSON line (unset ones are the worker's own: src/worker/create-worker.ts). */
export function describeTuning(tuning: WorkerTuning): Record<string, number | string> {
  const behavior = (b: PollerBehavior | undefined) =>
    b === undefined ? undefined : b.type === 'autoscaling' ? 'auto' : (b.maximum ?? 'default');
  const described: Record<string, number | string | undefined> = {
    max_cached_workflows: tuning.maxCachedWorkflows,
    workflow_slots: tuning.maxConcurrentWorkflowTaskExecutions,
    activity_slots: tuning.maxConcurrentActivityTaskExecutions,
    workflow_pollers: behavior(tuning.workflowTaskPollerBehavior),
    activity_pollers: behavior(tuning.activityTaskPollerBehavior),
  };
  return Object.fromEntries(
    Object.entries(described).filter((entry): entry is [string, number | string] => entry[1] !== undefined),
  );
}
