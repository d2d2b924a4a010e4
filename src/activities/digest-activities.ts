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
import type { CollectDigestsInput, DigestActivities } from '../ports/activities.ts';
import { agreementSnapshots } from '../visibility/agreement-snapshots.ts';

/** The worker's Temporal client, as the activity context gives it. */
type Client = ReturnType<typeof getClient>;

export interface DigestActivityDependencies extends Omit<DeliveryDependencies, 'records'> {
  records: RecordsStore;
  logger: Logger;
  /** The Temporal client; by default the worker's own, which the activity context carries. */
  client?: () => Client;
}

/** The digest's activities, bound to the records store, the mail transport and Temporal. */
export function createDigestActivities(deps: DigestActivityDependencies): DigestActivities {
  const client = deps.client ?? getClient;
  return {
    async collectDigests(input) {
      const temporal = client();
      const window = await digestWindow(temporal, input);
      const snapshots = await agreementSnapshots(temporal, activityInfo().taskQueue, window.since, (agreementId, err) =>
        deps.logger.warn({ agreementId, err }, 'ended agreement left out of the digest: its Query failed'),
      );
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
