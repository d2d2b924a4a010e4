import type { Logger } from 'pino';
import { createHash } from 'node:crypto';
import type { CertificateFacts, RecordEventsInput } from '../domain/index.ts';
import type { RecordsStore } from '../ports/records-store.ts';
import type { AgreementActivities } from '../ports/activities.ts';
import { deliver, deliverBatch, type DeliveryDependencies } from '../mail/delivery/index.ts';

export interface ActivityDependencies extends Omit<DeliveryDependencies, 'records'> {
  records: RecordsStore;
  logger: Logger;
  /** Renders a certificate of completion as a PDF; deterministic, so a retry stores the same bytes and hash. */
  renderCertificate: (facts: CertificateFacts) => Promise<Uint8Array>;
  /** The characters of its names the certificate's font cannot set (printed as empty boxes, so worth a warning). */
  unsetCharacters: (facts: CertificateFacts) => string[];
}

/** The activities, bound to their dependencies (real ones in the worker and in tests). */
export function createActivities(deps: ActivityDependencies): AgreementActivities {
  const recordEvents = async (input: RecordEventsInput) => {
    await deps.records.recordEvents(input);
    // With the events that call for it, and before their mail, which attaches it from the records.
    if (input.certificate) await keepCertificate(input.certificate);
    deps.logger.debug(
      { agreementId: input.agreementId, sequences: input.events.map((e) => e.sequence) },
      'recorded events',
    );
  };
  const keepCertificate = async (facts: CertificateFacts) => {
    const pdf = await deps.renderCertificate(facts);
    const sha256 = createHash('sha256').update(pdf).digest('hex');
    const { agreementId, sequence, issuedAt } = facts;
    await deps.records.saveCertificate({ agreementId, sequence, issuedAt, sha256, pdf });
    deps.logger.info({ agreementId, sequence, sha256 }, 'certificate of completion kept');
    const unset = deps.unsetCharacters(facts);
    if (unset.length > 0) {
      deps.logger.warn(
        { agreementId, sequence, characters: unset.join('') },
        'the certificate font has no glyph for some characters of its names: they print as empty boxes',
      );
    }
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
