import type { Logger } from 'pino';
import type { RecordsStore } from '../ports/records-store.ts';
import type { AgreementActivities } from '../workflows/definitions.ts';
import { deliver, deliverBatch, type DeliveryDependencies } from '../mail/delivery/index.ts';

export interface ActivityDependencies extends Omit<DeliveryDependencies, 'records'> {
  records: RecordsStore;
  logger: Logger;
}

/** The activities, bound to their dependencies (real ones in the worker and in tests). */
export function createActivities(deps: ActivityDependencies): AgreementActivities {
  return {
    async recordEvents(input) {
      await deps.records.recordEvents(input);
      deps.logger.debug(
        { agreementId: input.agreementId, sequences: input.events.map((e) => e.sequence) },
        'recorded events',
      );
    },

    sendNotification: (input) => deliver(deps, input),
    sendNotifications: (inputs) => deliverBatch(deps, inputs),
  };
}
