import { randomBytes } from 'node:crypto';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activitiesForUpdate, baselineStep, type BaselineShape } from '../../bench/workflows/baseline.ts';
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

describe('the benchmark baseline', () => {
  it('spreads the activities over the updates, adding up to the total exactly', () => {
    for (const shape of [
      { updates: 8, activities: 25, timers: 0 },
      { updates: 3, activities: 2, timers: 0 },
      { updates: 5, activities: 5, timers: 0 },
    ]) {
      const perUpdate = Array.from({ length: shape.updates }, (_, index) => activitiesForUpdate(shape, index));
      expect(perUpdate.reduce((a, b) => a + b, 0)).toBe(shape.activities);
      expect(Math.max(...perUpdate) - Math.min(...perUpdate)).toBeLessThanOrEqual(1);
    }
  });

  it('has as many updates, activities and timers in its history as its shape says', async () => {
    // Fewer activities than updates: an update that queues none must not leave the workflow waiting.
    const shape: BaselineShape = { updates: 4, activities: 3, timers: 2 };
    const handle = await env.client.workflow.start('baselineWorkflow', {
      workflowId: `baseline-${randomBytes(4).toString('hex')}`,
      taskQueue,
      args: [shape],
    });
    for (let i = 0; i < shape.updates; i++) await handle.executeUpdate(baselineStep, { args: [{}] });
    expect(await handle.result()).toBe(shape.activities);

    const events = (await handle.fetchHistory()).events ?? [];
    const count = (type: number) => events.filter((event) => event.eventType === type).length;
    expect(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toBe(shape.updates);
    expect(count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toBe(shape.activities);
    expect(count(EventType.EVENT_TYPE_TIMER_STARTED)).toBe(shape.timers);
    expect(count(EventType.EVENT_TYPE_TIMER_CANCELED)).toBe(shape.timers);
  });
});
