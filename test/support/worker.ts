import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { AgreementsClient } from '../../src/client/agreements-client.ts';
import { loadConfig, type AppConfig } from '../../src/shared/config.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { workerIdentity } from '../../src/worker/worker-identity.ts';
import { createAgreementWorker } from '../../src/worker/create-worker.ts';
import { openWorkerDependencies, type WorkerDependencies } from '../../src/worker/dependencies.ts';
import type { ActorActivities } from '../../src/ports/activities.ts';
import { routeSdkLogsTo } from '../../src/worker/runtime-logging.ts';
import { connectTestEnvironment, uniqueTaskQueue } from './temporal.ts';

export interface TestStack {
  env: TestWorkflowEnvironment;
  client: AgreementsClient;
  dependencies: WorkerDependencies;
  config: AppConfig;
  taskQueue: string;
  home: string;
  worker: Worker;
  stop(): Promise<void>;
}

/** What a test may change in the worker it starts. */
export interface TestStackOptions {
  /** Wraps the worker's actor check (a local activity), to slow it down or watch it. */
  actorActivities?: (real: ActorActivities) => ActorActivities;
}

/**
 * A real worker on the shared dev server, with its own task queue, records store and mail transport: SQLite and the
 * .eml outbox in a temp dir by default, or whatever `env` names (RECORDS_URL, SMTP_URL).
 */
export async function startTestStack(
  env: Record<string, string> = {},
  options: TestStackOptions = {},
): Promise<TestStack> {
  const home = await mkdtemp(join(tmpdir(), 'agreements-test-'));
  const taskQueue = uniqueTaskQueue('agreements');
  const config = loadConfig({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    AGREEMENTS_HOME: home,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', name: 'test-worker' });
  // Expected activity retries (an SMTP outage, a refused address) would flood the output at the SDK's default level.
  routeSdkLogsTo(createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'error', name: 'temporal-sdk' }));
  const testEnv = await connectTestEnvironment();
  const dependencies = await openWorkerDependencies(config, logger);
  const worker = await createAgreementWorker({
    connection: testEnv.nativeConnection,
    namespace: 'default',
    taskQueue,
    identity: workerIdentity(config.actorKeys),
    activities: dependencies.activities,
    actorActivities: options.actorActivities?.(dependencies.actorActivities) ?? dependencies.actorActivities,
    workflowBundle: { code: inject('workflowBundleCode') },
  });
  const running = worker.run();
  return {
    env: testEnv,
    client: AgreementsClient.fromClient(testEnv.client, taskQueue),
    dependencies,
    config,
    taskQueue,
    home,
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await dependencies.close();
      await testEnv.teardown();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
