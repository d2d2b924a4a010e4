import { activityInfo, getClient } from '@temporalio/activity';
import type { Logger } from 'pino';
import {
  buildDigests,
  DIGEST_HORIZON_MS,
  type DigestChange,
  type DigestSnapshot,
  type DigestStop,
  type DigestWindow,
} from '../domain/index.ts';
import { deliver, type DeliveryDependencies } from '../mail/delivery/index.ts';
import type { RecordsStore } from '../ports/records-store.ts';
import {
  digestQuery,
  WORKFLOW_TYPE,
  type CollectDigestsInput,
  type DigestActivities,
} from '../workflows/definitions.ts';

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
 * and read with the `digest` Query (a closed one is replayed to answer it): completed or cancelled (its workflow
 * returned), or stopped in Temporal (terminated, failed, timed out), which the digest says. A continued-as-new run is
 * not an end: its status is ContinuedAsNew.
 */
async function agreementSnapshots(
  temporal: Client,
  taskQueue: string,
  since: string,
  logger: Logger,
): Promise<(DigestSnapshot & { stopped?: DigestStop })[]> {
  const lifecycle = `WorkflowType = "${WORKFLOW_TYPE}" AND TaskQueue = "${taskQueue}"`;
  const running = await workflowIds(temporal, `${lifecycle} AND ExecutionStatus = "Running"`);
  const closed = await workflowIds(
    temporal,
    `${lifecycle} AND ExecutionStatus = "Completed" AND CloseTime >= "${since}"`,
  );
  const stoppedStatus = STOPPED.map(({ status }) => `ExecutionStatus = "${status}"`).join(' OR ');
  const stopped = await stoppedExecutions(temporal, `${lifecycle} AND (${stoppedStatus}) AND CloseTime >= "${since}"`);
  const read = (id: string) => temporal.workflow.getHandle(id).query(digestQuery);
  // An ended agreement that cannot be replayed any more must not keep every coordinator from their digest.
  const readEnded = (id: string) =>
    read(id).then(
      (snapshot) => {
        const stop = stopped.get(id);
        return stop ? { ...snapshot, stopped: stop } : snapshot;
      },
      (error: unknown) => {
        logger.warn({ agreementId: id, err: error }, 'ended agreement left out of the digest: its Query failed');
        return undefined;
      },
    );
  const live = await inBatches([...running], read);
  const ended = await inBatches(
    [...closed, ...stopped.keys()].filter((id) => !running.has(id)),
    readEnded,
  );
  return [...live, ...ended.filter((snapshot) => snapshot !== undefined)];
}

/** The close statuses of a workflow stopped outside the lifecycle: as visibility's queries and the SDK name them. */
const STOPPED = [
  { status: 'Terminated', sdkName: 'TERMINATED', how: 'terminated' },
  { status: 'Failed', sdkName: 'FAILED', how: 'failed' },
  { status: 'TimedOut', sdkName: 'TIMED_OUT', how: 'timed-out' },
] as const;

async function stoppedExecutions(temporal: Client, query: string): Promise<Map<string, DigestStop>> {
  const stopped = new Map<string, DigestStop>();
  for await (const execution of temporal.workflow.list({ query })) {
    const how = STOPPED.find(({ sdkName }) => sdkName === execution.status.name)?.how;
    if (how && execution.closeTime) stopped.set(execution.workflowId, { how, at: execution.closeTime.toISOString() });
  }
  return stopped;
}

async function inBatches<T>(ids: string[], read: (id: string) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let index = 0; index < ids.length; index += QUERY_BATCH)
    results.push(...(await Promise.all(ids.slice(index, index + QUERY_BATCH).map(read))));
  return results;
}

async function workflowIds(temporal: Client, query: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const execution of temporal.workflow.list({ query })) ids.add(execution.workflowId);
  return ids;
}

/**
 * Temporal forgets a closed workflow after the namespace's retention (30 days in deploy/, 72 h on Temporal's
 * own defaults), which may be sooner than a weekly digest comes round; the register still says the agreement ended. Its coordinators live only in Temporal, so such an
 * agreement cannot be mailed about: say so in the log rather than leave it out silently.
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
