import { fileURLToPath } from 'node:url';
import type { NativeConnection} from '@temporalio/worker';
import { bundleWorkflowCode, Worker, type WorkerOptions } from '@temporalio/worker';
import type { AgreementActivities } from '../activities/types.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * Loaded once per workflow thread and shared by every workflow, instead of once per workflow: the pure domain and,
 * through its imports, zod — their schemas were most of a workflow's start-up work and of a cached workflow's memory.
 * The SDK deep-freezes shared modules, so the domain keeps its schemas in closures (src/domain/closure.ts) and no
 * per-agreement state at all. (Listing 'zod' itself would load zod's CommonJS build, a second copy the domain never
 * uses.)
 */
export const SHARED_WORKFLOW_MODULES = [fileURLToPath(new URL('../domain/index.ts', import.meta.url))];

type BundlerLogger = NonNullable<Parameters<typeof bundleWorkflowCode>[0]['logger']>;

/** The workflow bundle, built once by tests and benchmarks and handed to each worker. */
export function bundleAgreementWorkflows(logger?: BundlerLogger) {
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, preloadModules: SHARED_WORKFLOW_MODULES, ...(logger ? { logger } : {}) });
}

export interface AgreementWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: AgreementActivities;
  /** A pre-built bundle (tests and benchmarks build once); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The payload codec (encryption) when configured. */
  dataConverter?: WorkerOptions['dataConverter'];
  tuning?: Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentActivityTaskExecutions'>;
}

export function createAgreementWorker(options: AgreementWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: SHARED_WORKFLOW_MODULES } }),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...options.tuning,
  });
}
