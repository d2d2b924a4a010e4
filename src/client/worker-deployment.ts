import proto from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { WORKER_DEPLOYMENT_NAME } from '../wire/contract.ts';

const { VersionDrainageStatus, WorkerDeploymentVersionStatus } = proto.temporal.api.enums.v1;

/** Where a build of the Worker Deployment `agreements` stands, as Temporal describes it. */
export interface BuildStatus {
  buildId: string;
  /** `current`, `ramping`, `draining`, `drained`, `inactive`: the version's status. */
  status: string;
  /** `draining` while runs are still pinned to it, `drained` once none is; absent while it is current or ramping. */
  drainage?: 'draining' | 'drained';
}

const STATUS_NAMES = new Map<number, string>([
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_INACTIVE, 'inactive'],
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_CURRENT, 'current'],
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_RAMPING, 'ramping'],
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING, 'draining'],
  [WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED, 'drained'],
]);

/**
 * The build's status; undefined while Temporal knows no such version (its workers have not polled yet). The drainage
 * status is refreshed by the server now and then (matching.wv.VersionDrainageStatusRefreshInterval), not at once.
 */
export async function describeBuild(client: Client, buildId: string): Promise<BuildStatus | undefined> {
  try {
    const { workerDeploymentVersionInfo: info } = await client.workflowService.describeWorkerDeploymentVersion({
      namespace: client.options.namespace,
      deploymentVersion: { deploymentName: WORKER_DEPLOYMENT_NAME, buildId },
    });
    const drainage = info?.drainageInfo?.status;
    return {
      buildId,
      status: STATUS_NAMES.get(info?.status ?? 0) ?? 'unknown',
      ...(drainage === VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINING ? { drainage: 'draining' } : {}),
      ...(drainage === VersionDrainageStatus.VERSION_DRAINAGE_STATUS_DRAINED ? { drainage: 'drained' } : {}),
    };
  } catch (error) {
    if ((error as { code?: number }).code === 5) return undefined; // gRPC NOT_FOUND
    throw error;
  }
}

/**
 * Makes `buildId` the current build: new agreements start on it, and pinned runs learn their target changed. The
 * server refuses while the new build's workers have not yet polled every task queue the current build serves (they
 * register queue by queue as their pollers start): that refusal is waited out, up to `waitMs`.
 */
export async function setCurrentBuild(
  client: Client,
  buildId: string,
  identity = 'agreements rollout',
  waitMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await client.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: client.options.namespace,
        deploymentName: WORKER_DEPLOYMENT_NAME,
        buildId,
        identity,
      });
      return;
    } catch (error) {
      const { code, message } = error as { code?: number; message?: string };
      const pollersNotYetSeen = code === 9 && /missing active task queues/.test(message ?? ''); // FAILED_PRECONDITION
      if (!pollersNotYetSeen || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** The current build of the deployment, if one is set. */
export async function currentBuild(client: Client): Promise<string | undefined> {
  try {
    const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({
      namespace: client.options.namespace,
      deploymentName: WORKER_DEPLOYMENT_NAME,
    });
    return workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId ?? undefined;
  } catch (error) {
    if ((error as { code?: number }).code === 5) return undefined;
    throw error;
  }
}
