import {
  CancellationScope,
  condition,
  defineUpdate,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';

/** The shape of a lifecycle, for the benchmark's bare baseline: as many updates, activities and timers. */
export interface BaselineShape {
  updates: number;
  /** Activities in all, spread over the updates as evenly as whole numbers allow. */
  activities: number;
  /** Timers started (and later cancelled), one at each of the first updates, as the lifecycle re-plans. */
  timers: number;
}

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export const baselineStep = defineUpdate<number, [unknown]>('step');

/** How many activities the update numbered `index` (from 0) queues, so that the total is exactly `shape.activities`. */
export function activitiesForUpdate(shape: BaselineShape, index: number): number {
  const share = (n: number) => Math.floor((shape.activities * n) / shape.updates);
  return share(index + 1) - share(index);
}

/**
 * A bare workflow with the lifecycle's skeleton and none of its logic: each update is accepted at once and queues
 * no-op activities that a background loop runs (one, then the rest in parallel, like records then mail); the first
 * updates each replace a long timer, as the lifecycle replaces its timer when the next planned moment moves.
 */
export async function baselineWorkflow(shape: BaselineShape): Promise<number> {
  let received = 0;
  let queued = 0;
  let timer: CancellationScope | undefined;
  const replaceTimer = () => {
    timer?.cancel();
    const scope = new CancellationScope();
    timer = scope;
    scope
      .run(() => sleep('1 day'))
      .catch((error: unknown) => {
        if (!isCancellation(error)) throw error;
      });
  };
  setHandler(
    baselineStep,
    (_args: unknown) => {
      if (received < shape.timers) replaceTimer();
      queued += activitiesForUpdate(shape, received);
      received++;
      return received;
    },
    { validator: (_args: unknown) => undefined },
  );
  let completed = 0;
  while (received < shape.updates || queued > 0) {
    await condition(() => queued > 0 || received >= shape.updates);
    const batch = queued;
    queued = 0;
    if (batch === 0) continue;
    await noop();
    await Promise.all(Array.from({ length: batch - 1 }, () => noop()));
    completed += batch;
  }
  timer?.cancel();
  return completed;
}
