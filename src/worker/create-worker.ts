import { fileURLToPath } from 'node:url';
import type { NativeConnection} from '@temporalio/worker';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import type { AgreementActivities } from '../activities/types.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

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
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...options.tuning,
  });
}
