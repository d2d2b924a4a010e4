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
  /** Waits between attempts to remove the claim of a failed delivery (see forgetClaim). */
  forgetRetryDelaysMs?: readonly number[];
}

const DEFAULT_FORGET_RETRY_DELAYS_MS = [200, 1_000, 3_000];

/** The activities, bound to their dependencies (real ones in the worker and in tests). */
export function createActivities(deps: ActivityDependencies): AgreementActivities {
  const now = deps.clock ?? (() => new Date());
  const forgetRetryDelaysMs = deps.forgetRetryDelaysMs ?? DEFAULT_FORGET_RETRY_DELAYS_MS;

  /**
   * Removes the claim of a delivery that failed before its end, trying again for a few seconds: a claim left behind
   * would make every retry answer already-sent, and the mail would never go. A store blip as the line breaks must not
   * lose it; only a store that stays down longer than these retries (and the activity's timeout) can.
   */
  async function forgetClaim(agreementId: string, key: string, sentAt: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await deps.records.forgetSentMail(agreementId, key, sentAt);
        return;
      } catch (error) {
        const delay = forgetRetryDelaysMs[attempt];
        if (delay === undefined) {
          deps.logger.error({ key, err: error }, 'a failed delivery stays recorded as sent: the mail will not be retried');
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

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
      let claiming: Promise<boolean> | undefined;
      // This attempt's claim is the row recorded at this moment: forgetting it never removes another attempt's.
      let claimedAt = '';
      const claim = () => {
        claimedAt = now().toISOString();
        return deps.records.recordSentMail({ ...row, sentAt: claimedAt, status: 'sent' });
      };
      const recordDelivery = async () => {
        // The row is a claim: if another attempt of this activity (one that outlived its timeout) wrote it first,
        // this one must not complete its delivery, or the recipient would get the mail twice.
        claiming = claim();
        if (!(await claiming)) throw new ClaimedByAnotherAttempt();
      };
      try {
        await deps.transport.send(mail, recordDelivery);
      } catch (error) {
        if (error instanceof ClaimedByAnotherAttempt) {
          deps.logger.info({ key }, 'mail already sent by another attempt');
          return { key, status: 'already-sent', messageId: mail.messageId };
        }
        // The transport recorded the delivery just before completing it; the server then refused or the line broke.
        // The line can break while the claim is still being written (a store across the network): wait for it, or it
        // would land after this attempt gave up, and every retry would find the mail "sent". A claim whose answer was
        // lost may have been written: forget it too (only this attempt's row can go).
        const recorded = claiming ? await claiming.catch(() => true) : false;
        const refused = error instanceof PermanentDeliveryError ? error : undefined;
        try {
          if (recorded) await forgetClaim(input.agreementId, key, claimedAt);
          if (refused) await deps.records.recordSentMail({ ...row, sentAt: now().toISOString(), status: 'rejected', detail: refused.message });
        } catch (storeError) {
          // A refusal is final whatever the store says: the coordinators must still be told.
          if (!refused) throw storeError;
        }
        if (!refused) throw error;
        deps.logger.warn({ key, reason: refused.message }, 'mail permanently refused');
        throw ApplicationFailure.nonRetryable(`mail to ${mail.to.address} refused: ${refused.message}`, 'PermanentDeliveryFailure');
      }
      // A transport that did not call recordDelivery (none of ours does so) has delivered: record it afterwards.
      if (!claiming) await claim();
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
