import { fileURLToPath } from 'node:url';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { bundleWorkflowCode, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActorActivities } from '../activities/actor-activities.ts';
import type { ActorActivities, AgreementActivities } from '../ports/activities.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * Loaded once per workflow thread and shared by every workflow: the pure domain and its schemas. The SDK deep-freezes
 * shared modules, so the domain keeps no per-agreement state (src/domain/closure.ts).
 */
export const SHARED_WORKFLOW_MODULES = [fileURLToPath(new URL('../domain/index.ts', import.meta.url))];

/** The failure converter that encodes failure messages, so that a payload codec encrypts them (with encryption on). */
export const ENCRYPTED_FAILURES_PATH = fileURLToPath(new URL('../codec/failure-converter.ts', import.meta.url));

type BundlerLogger = NonNullable<Parameters<typeof bundleWorkflowCode>[0]['logger']>;
const ignore = () => undefined;
const quietBundler: BundlerLogger = {
  trace: ignore,
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  log: ignore,
};

/**
 * The workflow bundle, built once by tests and benchmarks and handed to each worker (quietly, unless given a logger).
 * A worker with encryption on needs one built with `encryptedFailures`, so that the workflows' own failures are
 * encrypted too.
 */
export function bundleAgreementWorkflows(
  options: {
    logger?: BundlerLogger;
    encryptedFailures?: boolean;
    workflowsPath?: string;
    /** Workflow interceptor modules bundled with the workflows (a test's build B of a rollout adds one). */
    workflowInterceptorModules?: string[];
  } = {},
) {
  return bundleWorkflowCode({
    workflowsPath: options.workflowsPath ?? WORKFLOWS_PATH,
    preloadModules: SHARED_WORKFLOW_MODULES,
    ...(options.workflowInterceptorModules ? { workflowInterceptorModules: options.workflowInterceptorModules } : {}),
    ...(options.encryptedFailures ? { failureConverterPath: ENCRYPTED_FAILURES_PATH } : {}),
    logger: options.logger ?? quietBundler,
  });
}

/** With a payload codec, failures are encoded too (their messages are then encrypted like any payload). */
function withEncryptedFailures(dataConverter: WorkerOptions['dataConverter']): WorkerOptions['dataConverter'] {
  return dataConverter?.payloadCodecs?.length
    ? { ...dataConverter, failureConverterPath: ENCRYPTED_FAILURES_PATH }
    : dataConverter;
}

/** The worker options the benchmark varies to choose their values (docs/performance.md). */
export type WorkerTuning = Pick<
  WorkerOptions,
  | 'maxCachedWorkflows'
  | 'maxConcurrentWorkflowTaskExecutions'
  | 'maxConcurrentActivityTaskExecutions'
  | 'workflowTaskPollerBehavior'
  | 'activityTaskPollerBehavior'
>;

export interface AgreementWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The worker's Temporal identity (`workerIdentity`: it announces whether the worker checks actor proofs). */
  identity?: string;
  activities: AgreementActivities;
  /** The actor check (`createActorActivities`); absent: today's behaviour, every actor taken as claimed. */
  actorActivities?: ActorActivities;
  /** A pre-built bundle (tests and benchmarks build once); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The payload codec (encryption) when configured; failure messages are then encrypted as well. */
  dataConverter?: WorkerOptions['dataConverter'];
  tuning?: WorkerTuning;
  /** The Worker Deployment version to run as (spec §19); absent: unversioned, as on the CLI's dev server. */
  deploymentVersion?: WorkerDeploymentVersion;
}

/**
 * A versioned worker pins every workflow it starts to its build: a run never meets another build's code, so workflow
 * code changes need no patches; the lifecycle moves to the current build when it continues as new.
 */
function deploymentOptions(version: WorkerDeploymentVersion | undefined): Partial<WorkerOptions> {
  if (version === undefined) return {};
  return {
    workerDeploymentOptions: { useWorkerVersioning: true, version, defaultVersioningBehavior: 'PINNED' },
  };
}

const SDK_WORKFLOW_TASK_SLOTS = 40;
const SDK_ACTIVITY_SLOTS = 100;
const POLLERS = 10;

function fixedPollers(slots: number): NonNullable<WorkerOptions['workflowTaskPollerBehavior']> {
  return { type: 'simple-maximum', maximum: Math.min(POLLERS, slots) };
}

export function createAgreementWorker(options: AgreementWorkerOptions): Promise<Worker> {
  const dataConverter = withEncryptedFailures(options.dataConverter);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.identity ? { identity: options.identity } : {}),
    activities: { ...options.activities, ...(options.actorActivities ?? createActorActivities()) },
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: SHARED_WORKFLOW_MODULES } }),
    ...(dataConverter ? { dataConverter } : {}),
    ...deploymentOptions(options.deploymentVersion),
    // Lets mail and record activities in flight finish on SIGTERM instead of failing their attempt.
    shutdownGraceTime: '5 seconds',
    // Fixed pollers keep reminder latency steady under bursts; docs/performance.md has the measurements.
    workflowTaskPollerBehavior: fixedPollers(
      options.tuning?.maxConcurrentWorkflowTaskExecutions ?? SDK_WORKFLOW_TASK_SLOTS,
    ),
    activityTaskPollerBehavior: fixedPollers(options.tuning?.maxConcurrentActivityTaskExecutions ?? SDK_ACTIVITY_SLOTS),
    ...options.tuning,
  });
}
