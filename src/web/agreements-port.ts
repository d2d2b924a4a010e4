import type { AgreementsClient } from '../client/agreements-client.ts';
import { coordinatedBy } from '../domain/portfolio.ts';
import { agreementSnapshots, type UnreadableAgreement } from '../visibility/agreement-snapshots.ts';
import { digestQuery, workflowIdFor } from '../wire/contract.ts';
import type { AgreementsPort } from './server.ts';
import { cachedViews, DEFAULT_VIEW_CACHE } from './view-cache.ts';

/** An agreement that ended this long ago still shows in its coordinators' calendar and portfolio. */
export const ENDED_SHOWN_MS = 30 * 86_400_000;

/** The web server's view of Temporal, through the project's client. */
export function agreementsPort(
  client: AgreementsClient,
  unreadable: UnreadableAgreement = () => undefined,
): AgreementsPort {
  return {
    show: (id) => client.show(id),
    command: (id, name, args, options) => client.command(id, name, args, options),
    async coordinatorEmails(id) {
      // The `digest` Query names the coordinators (the `state` Query, the wire contract's, does not).
      const snapshot = await client.client.workflow.getHandle(workflowIdFor(id)).query(digestQuery);
      return snapshot.coordinators.map((coordinator) => coordinator.email);
    },
    async agreementsOf(email) {
      // The weekly digest's own read (visibility, then the `digest` Query of each), kept to one coordinator.
      const since = new Date(Date.now() - ENDED_SHOWN_MS).toISOString();
      return coordinatedBy(await agreementSnapshots(client.client, client.taskQueue, since, unreadable), email);
    },
  };
}

/** The port the web server runs with: views kept briefly (view-cache.ts), so page GETs rarely wait for a Query. */
export function cachedAgreementsPort(
  client: AgreementsClient,
  unreadable: UnreadableAgreement = () => undefined,
): AgreementsPort {
  return cachedViews(agreementsPort(client, unreadable), { ...DEFAULT_VIEW_CACHE, now: Date.now });
}
