import { workerDataConverterFor } from '../codec/data-converter.ts';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import {
  checkWorkerConfig,
  ConfigError,
  connectionOptions,
  temporalEndpoint,
  temporalUnreachable,
  type AppConfig,
} from '../shared/config.ts';
import { workerDeploymentVersion } from './build-id.ts';
import { checkActorKeyAgreement, workerIdentity } from './worker-identity.ts';
import { createAgreementWorker } from './create-worker.ts';
import { openWorkerDependencies, type WorkerDependencies } from './dependencies.ts';
import { routeSdkLogsTo } from './runtime-logging.ts';
import { findPrebuiltBundle } from './workflow-bundle.ts';

/** The worker could not connect to Temporal at all; its message is the one line to print. */
export class TemporalUnreachableError extends Error {
  override name = 'TemporalUnreachableError';

  constructor(endpoint: string, cause: unknown) {
    super(temporalUnreachable(endpoint), { cause });
  }
}

export interface RunningWorker {
  worker: Worker;
  dependencies: WorkerDependencies;
  /** Resolves when the worker has stopped (on SIGINT/SIGTERM or shutdown()) and its resources are closed. */
  finished: Promise<void>;
  shutdown(): Promise<void>;
}

/** Connects, opens the records store and mail transport, and runs a worker on the configured task queue. */
export async function startWorker(
  config: AppConfig,
  logger: Logger,
  /** A bundle of other workflow code than this checkout's (a test's build B of a rollout). */
  given: { workflowBundle?: { code: string } } = {},
): Promise<RunningWorker> {
  // Every way to run one (npm run worker, dev, demo, the scripts) refuses the same misconfiguration.
  checkWorkerConfig(config);
  const deploymentVersion = workerDeploymentVersion(config);
  routeSdkLogsTo(logger);
  const dependencies = await openWorkerDependencies(config, logger);
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(connectionOptions(config));
  } catch (error) {
    await dependencies.close();
    throw new TemporalUnreachableError(temporalEndpoint(config), error);
  }
  try {
    await checkActorKeyAgreement(connection, config, config.actorKeys);
  } catch (error) {
    if (error instanceof ConfigError) {
      await dependencies.close();
      await connection.close();
      throw error;
    }
    // Not allowed to describe the task queue (an API key limited to polling): the check is a guard, not the gate.
    logger.warn({ err: error }, "could not list the task queue's workers to compare actor keys");
  }
  // The bundle built ahead (npm run build, the image) spares webpack at every start; a stale one is never used.
  const prebuilt = given.workflowBundle
    ? ({ ok: true, bundle: given.workflowBundle } as const)
    : await findPrebuiltBundle({ encryptedFailures: config.keyring !== undefined });
  if (!prebuilt.ok) logger.warn(`${prebuilt.reason}: bundling the workflow code now`);
  const worker = await createAgreementWorker({
    connection,
    ...(prebuilt.ok ? { workflowBundle: prebuilt.bundle } : {}),
    ...(deploymentVersion ? { deploymentVersion } : {}),
    namespace: config.namespace,
    taskQueue: config.taskQueue,
    identity: workerIdentity(config.actorKeys),
    activities: dependencies.activities,
    actorActivities: dependencies.actorActivities,
    dataConverter: workerDataConverterFor(config.keyring, config.acceptPlaintext),
  });
  logger.info(
    {
      taskQueue: config.taskQueue,
      namespace: config.namespace,
      address: config.temporalAddress,
      encryption: config.keyring ? (config.acceptPlaintext ? 'on, plaintext accepted' : 'required') : 'off',
      actorProofs: config.actorKeys ? `required (keys ${[...config.actorKeys.keys.keys()].join(', ')})` : 'off',
      roles: config.roles
        ? `${config.roles.actors.size} actors, temporal-cancel ${config.roles.temporalCancel}`
        : 'off',
      workflowBundle: prebuilt.ok ? 'prebuilt' : 'bundled at start',
      workerDeployment: deploymentVersion
        ? `${deploymentVersion.deploymentName} build ${deploymentVersion.buildId}`
        : 'off (unversioned)',
    },
    'worker started',
  );
  const finished = worker.run().finally(async () => {
    await dependencies.close();
    await connection.close();
    logger.info('worker stopped');
  });
  return {
    worker,
    dependencies,
    finished,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await finished;
    },
  };
}
