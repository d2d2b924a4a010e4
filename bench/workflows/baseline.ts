import {
  CancellationScope,
  allHandlersFinished,
  condition,
  defineUpdate,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';

/**
 * The naive implementation of the same agreement (spec §11): what its business needs, not what the lifecycle does.
 * One Update per command; in each, one activity for the command's records and one per email it causes; one timer per
 * reminder the agreement plans.
 */
export interface BaselineShape {
  /** Commands, each an Update. */
  updates: number;
  /** Emails the agreement sends, spread over the commands as evenly as whole numbers allow. */
  emails: number;
  /** Reminders the agreement plans, each a timer of its own. */
  reminders: number;
}

/** The activities the naive design needs: records once per command, emails once each. */
export const baselineActivities = (shape: BaselineShape): number => shape.updates + shape.emails;

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export const baselineStep = defineUpdate<number, [unknown]>('step');

/** How many emails the command numbered `index` (from 0) sends, so that the total is exactly `shape.emails`. */
export function emailsForUpdate(shape: BaselineShape, index: number): number {
  const share = (n: number) => Math.floor((shape.emails * n) / shape.updates);
  return share(index + 1) - share(index);
}

/**
 * As the samples write it: each Update records and mails before it answers, the emails in parallel; every reminder is
 * a timer from the start, cancelled when the agreement ends (in the benchmark, commands come faster than any reminder).
 */
export async function baselineWorkflow(shape: BaselineShape): Promise<number> {
  const reminders = new CancellationScope();
  for (let i = 0; i < shape.reminders; i++) {
    reminders
      .run(() => sleep('30 days'))
      .catch((error: unknown) => {
        if (!isCancellation(error)) throw error;
      });
  }
  let received = 0;
  let activities = 0;
  setHandler(
    baselineStep,
    async (_args: unknown) => {
      const emails = emailsForUpdate(shape, received++);
      await noop();
      await Promise.all(Array.from({ length: emails }, () => noop()));
      activities += 1 + emails;
      return received;
    },
    { validator: (_args: unknown) => undefined },
  );
  await condition(() => received >= shape.updates && allHandlersFinished());
  reminders.cancel();
  return activities;
}
