import type { Logger } from 'pino';
import type { RecordEventsInput } from '../domain/index.ts';
import type { RecordsStore } from '../ports/records-store.ts';
import type { AgreementActivities } from '../ports/activities.ts';
import { deliver, deliverBatch, type DeliveryDependencies } from '../mail/delivery/index.ts';

export interface ActivityDependencies extends Omit<DeliveryDependencies, 'records'> {
  records: RecordsStore;
  logger: Logger;
}

/** The activities, bound to their dependencies (real ones in the worker and in tests). */
export function createActivities(deps: ActivityDependencies): AgreementActivities {
  const recordEvents = async (input: RecordEventsInput) => {
    await deps.records.recordEvents(input);
    deps.logger.debug(
      { agreementId: input.agreementId, sequences: input.events.map((e) => e.sequence) },
      'recorded events',
    );
  };
  return {
    recordEvents,
    sendNotification: (input) => deliver(deps, input),
    sendNotifications: (inputs) => deliverBatch(deps, inputs),
    // The records first: a retry writes them again harmlessly (they are keyed by sequence) and goes on to the mail.
    async deliverEffects({ records, mail }) {
      await recordEvents(records);
      return deliverBatch(deps, mail);
    },
  };
}
