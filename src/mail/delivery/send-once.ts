import { ApplicationFailure } from '@temporalio/activity';
import type { Logger } from 'pino';
import { PermanentDeliveryError, type MailTransport, type OutgoingMail } from '../../ports/mail-transport.ts';
import type { RecordsStore } from '../../ports/records-store.ts';
import type { SendNotificationResult } from '../../workflows/definitions.ts';
import type { SendNotificationInput } from '../../domain/index.ts';

/** What delivering a notification exactly once needs: the sent-mail log, a transport and the renderer. */
export interface DeliveryDependencies {
  records: Pick<RecordsStore, 'findSentMail' | 'recordSentMail' | 'forgetSentMail'>;
  transport: MailTransport;
  render: (input: SendNotificationInput) => OutgoingMail;
  logger: Logger;
  clock?: () => Date;
  /** Waits between attempts to remove the claim of a failed delivery (see releaseClaim). */
  forgetRetryDelaysMs?: readonly number[];
}

const DEFAULT_FORGET_RETRY_DELAYS_MS = [200, 1_000, 3_000];

/** An attempt's claim on a delivery: the sent-mail row written at `at`, and whether it was written (not another's). */
interface Claim {
  at: string;
  written: Promise<boolean>;
}

/**
 * Delivers one notification once: the sent-mail log is checked first and claimed just before the message completes,
 * so a retry or a replay after a crash never sends twice, and a failed delivery releases its claim for the retry.
 */
export async function sendOnce(
  deps: DeliveryDependencies,
  input: SendNotificationInput,
): Promise<SendNotificationResult> {
  const now = deps.clock ?? (() => new Date());
  const forgetRetryDelaysMs = deps.forgetRetryDelaysMs ?? DEFAULT_FORGET_RETRY_DELAYS_MS;

  /**
   * Removes this attempt's claim after its delivery failed before its end: a claim left behind would make every retry
   * answer already-sent, and the mail would never go. A claim still being written when the line broke (a store across
   * the network) is waited for, and one whose answer was lost may have been written, so it is removed too (only this
   * attempt's row can go). A store blip must not lose the mail: the removal is tried again for a few seconds.
   */
  async function releaseClaim(agreementId: string, key: string, claim: Claim | undefined): Promise<void> {
    if (!claim || !(await claim.written.catch(() => true))) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await deps.records.forgetSentMail(agreementId, key, claim.at);
        return;
      } catch (error) {
        const delay = forgetRetryDelaysMs[attempt];
        if (delay === undefined) {
          deps.logger.error(
            { key, err: error },
            'a failed delivery stays recorded as sent: the mail will not be retried',
          );
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

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
  let claimed: Claim | undefined;
  const claim = () => {
    const at = now().toISOString();
    claimed = { at, written: deps.records.recordSentMail({ ...row, sentAt: at, status: 'sent' }) };
    return claimed.written;
  };
  const recordDelivery = async () => {
    // The row is a claim: if another attempt of this activity (one that outlived its timeout) wrote it first,
    // this one must not complete its delivery, or the recipient would get the mail twice.
    if (!(await claim())) throw new ClaimedByAnotherAttempt();
  };
  try {
    await deps.transport.send(mail, recordDelivery);
  } catch (error) {
    if (error instanceof ClaimedByAnotherAttempt) {
      deps.logger.info({ key }, 'mail already sent by another attempt');
      return { key, status: 'already-sent', messageId: mail.messageId };
    }
    // The transport recorded the delivery just before completing it; the server then refused or the line broke.
    if (!(error instanceof PermanentDeliveryError)) {
      await releaseClaim(input.agreementId, key, claimed);
      throw error;
    }
    // A refusal is final whatever the store says: the coordinators must still be told.
    await releaseClaim(input.agreementId, key, claimed)
      .then(() =>
        deps.records.recordSentMail({
          ...row,
          sentAt: now().toISOString(),
          status: 'rejected',
          detail: error.message,
        }),
      )
      .catch((storeError: unknown) => deps.logger.error({ key, err: storeError }, 'could not record the refusal'));
    deps.logger.warn({ key, reason: error.message }, 'mail permanently refused');
    throw ApplicationFailure.nonRetryable(
      `mail to ${mail.to.address} refused: ${error.message}`,
      'PermanentDeliveryFailure',
    );
  }
  // A transport that did not call recordDelivery (none of ours does so) has delivered: record it afterwards.
  if (!claimed) await claim();
  deps.logger.info({ key, kind: input.notification.kind }, 'mail sent');
  return { key, status: 'sent', messageId: mail.messageId };
}

class ClaimedByAnotherAttempt extends Error {
  override name = 'ClaimedByAnotherAttempt';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
