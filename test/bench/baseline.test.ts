import { randomBytes } from 'node:crypto';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baselineActivities,
  baselineStep,
  emailsForUpdate,
  type BaselineShape,
} from '../../bench/workflows/baseline.ts';
import { plannedReminders } from '../../bench/stack.ts';
import { mou, parsed, phdProgramme } from '../support/agreements.ts';
import { BENCH_WORKFLOWS_PATH } from '../../bench/workflows/index.ts';
import { bundleAgreementWorkflows } from '../../src/worker/create-worker.ts';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal.ts';

const { EventType } = proto.temporal.api.enums.v1;

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = uniqueTaskQueue('baseline');

beforeAll(async () => {
  env = await connectTestEnvironment();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleAgreementWorkflows({ workflowsPath: BENCH_WORKFLOWS_PATH }),
    activities: { noop: async () => undefined },
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

describe('the benchmark baseline: the naive implementation of the same agreement', () => {
  it('spreads the emails over the commands, adding up to the total exactly', () => {
    for (const shape of [
      { updates: 8, emails: 25, reminders: 0 },
      { updates: 3, emails: 2, reminders: 0 },
      { updates: 5, emails: 5, reminders: 0 },
    ]) {
      const perUpdate = Array.from({ length: shape.updates }, (_, index) => emailsForUpdate(shape, index));
      expect(perUpdate.reduce((a, b) => a + b, 0)).toBe(shape.emails);
      expect(Math.max(...perUpdate) - Math.min(...perUpdate)).toBeLessThanOrEqual(1);
    }
  });

  it('times every reminder the agreement plans, and none a section it lacks', () => {
    const now = Date.now();
    const programme = parsed(phdProgramme(now, { launchInMs: 60_000, termInMs: 120_000 }));
    // 3 ceremony notices + a signature chase; funding: a chase (no due date here); launch: 2 notices + the launch;
    // term: 3 renewal notices + its end.
    expect(plannedReminders(programme)).toBe(4 + 1 + 3 + 4);
    const withDueDate = phdProgramme(now, { launchInMs: 60_000, termInMs: 120_000 });
    const funding = withDueDate.funding as { commitments: Record<string, unknown>[] };
    funding.commitments[0] = { ...funding.commitments[0], dueAt: new Date(now + 90_000).toISOString() };
    expect(plannedReminders(parsed(withDueDate))).toBe(4 + 2 + 3 + 4);
    expect(plannedReminders(parsed(mou(now)))).toBe(4);
  });

  it('has one update per command, one activity per command and per email, and a timer per reminder', async () => {
    // Fewer emails than commands: a command that sends none still records.
    const shape: BaselineShape = { updates: 4, emails: 3, reminders: 2 };
    const handle = await env.client.workflow.start('baselineWorkflow', {
      workflowId: `baseline-${randomBytes(4).toString('hex')}`,
      taskQueue,
      args: [shape],
    });
    for (let i = 0; i < shape.updates; i++) await handle.executeUpdate(baselineStep, { args: [{}] });
    expect(await handle.result()).toBe(baselineActivities(shape));

    const events = (await handle.fetchHistory()).events ?? [];
    const count = (type: number) => events.filter((event) => event.eventType === type).length;
    expect(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toBe(shape.updates);
    expect(count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toBe(shape.updates + shape.emails);
    expect(count(EventType.EVENT_TYPE_TIMER_STARTED)).toBe(shape.reminders);
    expect(count(EventType.EVENT_TYPE_TIMER_CANCELED)).toBe(shape.reminders);
  });
});
