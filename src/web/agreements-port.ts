import type { AgreementsClient } from '../client/agreements-client.ts';
import { digestQuery, workflowIdFor } from '../wire/contract.ts';
import type { AgreementsPort } from './server.ts';
import { cachedViews, DEFAULT_VIEW_CACHE } from './view-cache.ts';

/** The web server's view of Temporal, through the project's client. */
export function agreementsPort(client: AgreementsClient): AgreementsPort {
  return {
    show: (id) => client.show(id),
    command: (id, name, args, options) => client.command(id, name, args, options),
    async coordinatorEmails(id) {
      // The `digest` Query names the coordinators (the `state` Query, the wire contract's, does not).
      const snapshot = await client.client.workflow.getHandle(workflowIdFor(id)).query(digestQuery);
      return snapshot.coordinators.map((coordinator) => coordinator.email);
    },
  };
}

/** The port the web server runs with: views kept briefly (view-cache.ts), so page GETs rarely wait for a Query. */
export function cachedAgreementsPort(client: AgreementsClient): AgreementsPort {
  return cachedViews(agreementsPort(client), { ...DEFAULT_VIEW_CACHE, now: Date.now });
}
