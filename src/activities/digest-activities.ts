import { activityInfo, getClient } from '@temporalio/activity';
import type { Logger } from 'pino';
import {
  buildDigests,
  DIGEST_HORIZON_MS,
  type DigestChange,
  type DigestSnapshot,
  type DigestSource,
  type DigestStop,
  type DigestWindow,
} from '../domain/index.ts';
import { deliver, type DeliveryDependencies } from '../mail/delivery/index.ts';
import type { RecordsStore } from '../ports/records-store.ts';
import type { CollectDigestsInput, DigestActivities } from '../ports/activities.ts';
import { digestQuery, WORKFLOW_TYPE } from '../wire/contract.ts';

/** The worker's Temporal client, as the activity context gives it. */
type Client = ReturnType<typeof getClient>;

export interface DigestActivityDependencies extends Omit<DeliveryDependencies, 'records'> {
  records: RecordsStore;
  logger: Logger;
  /** The Temporal client; by default the worker's own, which the activity context carries. */
  client?: () => Client;
}

/** Queries at once at most this many agreements: a portfolio of hundreds must not flood the worker. */
const QUERY_BATCH = 10;

/** The digest's activities, bound to the records store, the mail transport and Temporal. */
export function createDigestActivities(deps: DigestActivityDependencies): DigestActivities {
  const client = deps.client ?? getClient;
  return {
    async collectDigests(input) {
      const temporal = client();
      const window = await digestWindow(temporal, input);
      const snapshots = await agreementSnapshots(temporal, activityInfo().taskQueue, window.since, deps.logger);
      await warnOfEndedOutOfReach(deps, snapshots, window.since);
      const changes = new Map<string, DigestChange[]>();
      for (const { view } of snapshots) {
        const rows = await deps.records.history(view.id);
        changes.set(
          view.id,
          rows.map((row) => ({ at: row.at, actor: row.actor, event: row.data })),
        );
      }
      const mails = buildDigests(snapshots, changes, window, input.runDate);
      deps.logger.info({ agreements: snapshots.length, digests: mails.length, since: window.since }, 'digests built');
      return mails;
    },

    sendDigest: (input) => deliver(deps, input),
  };
}

/** Changes since the schedule's previous run (a week before, on the first run), due items in the 7 days ahead. */
async function digestWindow(temporal: Client, input: CollectDigestsInput): Promise<DigestWindow> {
  const now = Date.parse(input.at);
  const described = await temporal.schedule
    .getHandle(input.scheduleId)
    .describe()
    .catch(() => undefined);
  const previous = (described?.info.recentActions ?? [])
    .map((action) => action.scheduledAt.getTime())
    .filter((at) => at < now)
    .sort((a, b) => b - a)[0];
  // A run's scheduled time has whole seconds, and a run triggered by hand starts after it: the window reaches the
  // moment the digest is built, so a change made in that second is not left out.
  const builtAt = Math.max(now, Date.now());
  return {
    since: new Date(previous ?? now - DIGEST_HORIZON_MS).toISOString(),
    now: new Date(builtAt).toISOString(),
    until: new Date(builtAt + DIGEST_HORIZON_MS).toISOString(),
  };
}

/**
 * Every agreement on this worker's task queue that is running, or that ended since the last digest, found by visibility
 * and read with the `digest` Query (a closed run is replayed to answer it): completed or cancelled (its workflow
 * returned), or stopped in Temporal (terminated, failed, timed out), which the digest says. A continued-as-new run is
 * not an end: its status is ContinuedAsNew. An agreement with several closed runs in the week is read from its last.
 */
async function agreementSnapshots(
  temporal: Client,
  taskQueue: string,
  since: string,
  logger: Logger,
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
          logger.warn(
            { agreementId: workflowId, err: error },
            'ended agreement left out of the digest: its Query failed',
          );
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

/**
 * Temporal forgets a closed workflow after the namespace's retention (30 days in deploy/, 72 h on Temporal's own
 * defaults), which may be sooner than a weekly digest comes round; the register still says the agreement ended. Its
 * coordinators live only in Temporal, so such an agreement cannot be mailed about: say so in the log rather than leave
 * it out silently.
 */
async function warnOfEndedOutOfReach(
  deps: DigestActivityDependencies,
  snapshots: DigestSnapshot[],
  since: string,
): Promise<void> {
  const read = new Set(snapshots.map(({ view }) => view.id));
  const missed = (await deps.records.register())
    .filter((row) => (row.stage === 'completed' || row.stage === 'cancelled') && !read.has(row.id))
    .filter((row) => Date.parse(row.updatedAt) >= Date.parse(since))
    .map((row) => row.id);
  if (missed.length > 0)
    deps.logger.warn(
      { agreements: missed, since },
      'agreements that ended since the last digest could not be read from Temporal (past retention?): left out of the digest',
    );
}
