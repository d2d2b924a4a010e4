import { activityInfo, getClient } from '@temporalio/activity';
import type { Logger } from 'pino';
import {
  buildDigests,
  DIGEST_HORIZON_MS,
  type DigestChange,
  type DigestSnapshot,
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
      const snapshots = await agreementSnapshots(temporal, activityInfo().taskQueue);
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

/** Every running agreement on this worker's task queue, found by visibility and read with the `digest` Query. */
async function agreementSnapshots(temporal: Client, taskQueue: string): Promise<DigestSnapshot[]> {
  const query = `WorkflowType = "${WORKFLOW_TYPE}" AND TaskQueue = "${taskQueue}" AND ExecutionStatus = "Running"`;
  const ids: string[] = [];
  for await (const execution of temporal.workflow.list({ query })) ids.push(execution.workflowId);
  const snapshots: DigestSnapshot[] = [];
  for (let index = 0; index < ids.length; index += QUERY_BATCH) {
    const batch = ids.slice(index, index + QUERY_BATCH);
    snapshots.push(...(await Promise.all(batch.map((id) => temporal.workflow.getHandle(id).query(digestQuery)))));
  }
  return snapshots;
}
