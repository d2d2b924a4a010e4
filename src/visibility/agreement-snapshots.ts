import type { Client } from '@temporalio/client';
import type { DigestSource, DigestStop } from '../domain/index.ts';
import { digestQuery, WORKFLOW_TYPE } from '../wire/contract.ts';

/** Queries at once at most this many agreements: a portfolio of hundreds must not flood the worker. */
const QUERY_BATCH = 10;

/** Told of an ended agreement whose Query failed, which is then left out. */
export type UnreadableAgreement = (agreementId: string, error: unknown) => void;

/**
 * Every agreement on a task queue that is running, or that ended since `since`, found by visibility and read with the
 * `digest` Query (a closed run is replayed to answer it): completed or cancelled (its workflow returned), or stopped
 * in Temporal (terminated, failed, timed out), which `stopped` says. A continued-as-new run is not an end: its status
 * is ContinuedAsNew. An agreement with several closed runs in the span is read from its last. The weekly digest (an
 * activity) and the coordinator's calendar and portfolio (the web server) read agreements this one way.
 */
export async function agreementSnapshots(
  temporal: Client,
  taskQueue: string,
  since: string,
  unreadable: UnreadableAgreement,
): Promise<DigestSource[]> {
  const lifecycle = `WorkflowType = "${WORKFLOW_TYPE}" AND TaskQueue = "${taskQueue}"`;
  const running = await workflowIds(temporal, `${lifecycle} AND ExecutionStatus = "Running"`);
  const ended = ENDED.map(({ status }) => `ExecutionStatus = "${status}"`).join(' OR ');
  const closed = await lastClosedRuns(temporal, `${lifecycle} AND (${ended}) AND CloseTime >= "${since}"`);
  const read = (id: string) => temporal.workflow.getHandle(id).query(digestQuery);
  // An ended agreement that cannot be replayed any more must not keep every coordinator from their digest.
  const readEnded = ({ workflowId, runId, stopped }: ClosedRun) =>
    temporal.workflow
      .getHandle(workflowId, runId)
      .query(digestQuery)
      .then(
        (snapshot) => (stopped ? { ...snapshot, stopped } : snapshot),
        (error: unknown) => {
          unreadable(workflowId, error);
          return undefined;
        },
      );
  const live = await inBatches([...running], read);
  const endedSnapshots = await inBatches(
    [...closed.values()].filter((run) => !running.has(run.workflowId)),
    readEnded,
  );
  return [...live, ...endedSnapshots.filter((snapshot) => snapshot !== undefined)];
}

/** How a run may have ended, as visibility's queries and the SDK name it; `how` for a stop outside the lifecycle. */
const ENDED = [
  { status: 'Completed', sdkName: 'COMPLETED', how: undefined },
  { status: 'Terminated', sdkName: 'TERMINATED', how: 'terminated' },
  { status: 'Failed', sdkName: 'FAILED', how: 'failed' },
  { status: 'TimedOut', sdkName: 'TIMED_OUT', how: 'timed-out' },
] as const;

interface ClosedRun {
  workflowId: string;
  runId: string;
  closedAt: number;
  stopped?: DigestStop;
}

/** Each workflow's last closed run among those the query finds. */
async function lastClosedRuns(temporal: Client, query: string): Promise<Map<string, ClosedRun>> {
  const runs = new Map<string, ClosedRun>();
  for await (const execution of temporal.workflow.list({ query })) {
    const closedAt = execution.closeTime?.getTime() ?? 0;
    if ((runs.get(execution.workflowId)?.closedAt ?? -1) >= closedAt) continue;
    const how = ENDED.find(({ sdkName }) => sdkName === execution.status.name)?.how;
    runs.set(execution.workflowId, {
      workflowId: execution.workflowId,
      runId: execution.runId,
      closedAt,
      ...(how ? { stopped: { how, at: new Date(closedAt).toISOString() } } : {}),
    });
  }
  return runs;
}

async function inBatches<T, R>(items: T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let index = 0; index < items.length; index += QUERY_BATCH)
    results.push(...(await Promise.all(items.slice(index, index + QUERY_BATCH).map(read))));
  return results;
}

async function workflowIds(temporal: Client, query: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const execution of temporal.workflow.list({ query })) ids.add(execution.workflowId);
  return ids;
}
