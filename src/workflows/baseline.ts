import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

/** The shape of a lifecycle, for the benchmark's bare baseline: as many updates, activities and timers. */
export interface BaselineShape {
  updates: number;
  activitiesPerUpdate: number;
}

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export const baselineStep = defineUpdate<number, [unknown]>('step');

/**
 * A bare workflow with the lifecycle's skeleton and none of its logic: each update is accepted at once and queues
 * no-op activities that a background loop runs (one, then the rest in parallel, like records then mail), and the loop
 * waits on a timer as the lifecycle does between planned moments.
 */
export async function baselineWorkflow(shape: BaselineShape): Promise<number> {
  let received = 0;
  let queued = 0;
  setHandler(
    baselineStep,
    (_args: unknown) => {
      received++;
      queued += shape.activitiesPerUpdate;
      return received;
    },
    { validator: (_args: unknown) => undefined },
  );
  let completed = 0;
  while (received < shape.updates || queued > 0) {
    await condition(() => queued > 0, '1 day', { summary: 'next planned moment' });
    const batch = queued;
    queued = 0;
    if (batch === 0) continue;
    await noop();
    await Promise.all(Array.from({ length: batch - 1 }, () => noop()));
    completed += batch;
  }
  return completed;
}
