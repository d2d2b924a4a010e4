import { describe, expect, it } from 'vitest';
import { describeTuning, tuningFrom } from '../../bench/tuning.ts';

describe('the benchmark tuning flags', () => {
  it('leave unset options to the worker', () => {
    const tuning = tuningFrom({}, 1000);
    expect(tuning).toEqual({ maxCachedWorkflows: 1000 });
    expect(describeTuning(tuning)).toEqual({ max_cached_workflows: 1000 });
  });

  it('set slots, fixed pollers and autoscaling pollers', () => {
    const tuning = tuningFrom(
      { 'workflow-slots': '20', 'activity-slots': '25', 'workflow-pollers': '4', 'activity-pollers': 'auto' },
      2000,
    );
    expect(tuning).toEqual({
      maxCachedWorkflows: 2000,
      maxConcurrentWorkflowTaskExecutions: 20,
      maxConcurrentActivityTaskExecutions: 25,
      workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: 4 },
      activityTaskPollerBehavior: { type: 'autoscaling' },
    });
    expect(describeTuning(tuning)).toEqual({
      max_cached_workflows: 2000,
      workflow_slots: 20,
      activity_slots: 25,
      workflow_pollers: 4,
      activity_pollers: 'auto',
    });
  });

  it.each([
    [{ 'activity-slots': '0' }, '--activity-slots must be a positive whole number, not "0"'],
    [{ 'workflow-slots': '2.5' }, '--workflow-slots must be a positive whole number, not "2.5"'],
    [{ 'workflow-pollers': 'many' }, '--workflow-pollers must be a positive whole number or auto, not "many"'],
    [{ 'activity-pollers': '1e3' }, '--activity-pollers must be a positive whole number or auto, not "1e3"'],
  ])('reject %o, naming the flag', (flags, message) => {
    expect(() => tuningFrom(flags, 1000)).toThrow(message);
  });
});
