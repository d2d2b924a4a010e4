import { ApplicationFailure } from '@temporalio/activity';
import type { Logger } from 'pino';
import { PermanentDeliveryError, type MailTransport, type OutgoingMail, type RecordsStore } from './ports.ts';
import type { AgreementActivities, SendNotificationInput, SendNotificationResult } from './types.ts';

export interface ActivityDependencies {
  records: RecordsStore;
  transport: MailTransport;
  render: (input: SendNotificationInput) => OutgoingMail;
  logger: Logger;
  clock?: () => Date;
}

/** The activities, bound to their dependencies (real ones in the worker and in tests). */
export function createActivities(deps: ActivityDependencies): AgreementActivities {
  const now = deps.clock ?? (() => new Date());
  return {
    async recordEvents(input) {
      await deps.records.recordEvents(input);
      deps.logger.debug(
        { agreementId: input.agreementId, sequences: input.events.map((e) => e.sequence) },
        'recorded events',
      );
    },

    async sendNotification(input): Promise<SendNotificationResult> {
      const { key } = input.notification;
      // The sent-mail log makes delivery idempotent: a retry or a replay after a crash never sends twice.
      const previous = await deps.records.findSentMail(input.agreementId, key);
      if (previous) return { key, status: 'already-sent', messageId: previous.messageId };
      let mail: OutgoingMail;
      try {
        mail = deps.render(input);
      } catch (error) {
        throw ApplicationFailure.nonRetryable(messageOf(error), 'InvalidNotification');
      }
      const row = {
        key,
        agreementId: input.agreementId,
        kind: input.notification.kind,
        recipient: mail.to.address,
        subject: mail.subject,
        messageId: mail.messageId,
      };
      let recorded = false;
      const claim = () => deps.records.recordSentMail({ ...row, sentAt: now().toISOString(), status: 'sent' });
      const recordDelivery = async () => {
        // The row is a claim: if another attempt of this activity (one that outlived its timeout) wrote it first,
        // this one must not complete its delivery, or the recipient would get the mail twice.
        recorded = await claim();
        if (!recorded) throw new ClaimedByAnotherAttempt();
      };
      try {
        await deps.transport.send(mail, recordDelivery);
      } catch (error) {
        if (error instanceof ClaimedByAnotherAttempt) {
          deps.logger.info({ key }, 'mail already sent by another attempt');
          return { key, status: 'already-sent', messageId: mail.messageId };
        }
        // The transport recorded the delivery just before completing it; the server then refused or the line broke.
        if (recorded) await deps.records.forgetSentMail(input.agreementId, key);
        if (!(error instanceof PermanentDeliveryError)) throw error;
        await deps.records.recordSentMail({ ...row, sentAt: now().toISOString(), status: 'rejected', detail: error.message });
        deps.logger.warn({ key, reason: error.message }, 'mail permanently refused');
        throw ApplicationFailure.nonRetryable(`mail to ${mail.to.address} refused: ${error.message}`, 'PermanentDeliveryFailure');
      }
      // A transport that did not call recordDelivery (none of ours does so) has delivered: record it afterwards.
      if (!recorded) await claim();
      deps.logger.info({ key, kind: input.notification.kind }, 'mail sent');
      return { key, status: 'sent', messageId: mail.messageId };
    },
  };
}

class ClaimedByAnotherAttempt extends Error {
  override name = 'ClaimedByAnotherAttempt';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
