import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  proxyActivities,
  TimeoutFailure,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { SendNotificationResult } from '../domain/effects.ts';
import type { AgreementActivities } from '../ports/activities.ts';
import type { RecordedEvent, RecordEventsInput, SendNotificationInput } from '../domain/index.ts';
import {
  describeMs,
  factsForMail,
  type AgreementFacts,
  type CertificateFacts,
  type Notification,
  type RegisterRow,
} from '../domain/index.ts';
import { mailActivityOptions } from './mail-retry.ts';

// Short timeouts: an attempt lost with a killed worker is only retried once its timeout passes, and the outbox waits.
const recordOptions: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  // Records must never be lost: retry until the store is back.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/** How long a mail is retried before the coordinators are told it could not be delivered: one full mailbox must not hold the agreement for ever. */
export const DEFAULT_DELIVERY_GIVE_UP_AFTER_MS = 2 * 24 * 3600_000;

/** A batch tries a few times, then leaves each unsent mail to the full retry policy of a send of its own. */
function batchOptions(count: number): ActivityOptions {
  return {
    // One attempt sends the mails in turn, so its time grows with their number; it heartbeats at each mail, so a
    // dead worker is noticed well before that.
    startToCloseTimeout: 20_000 + 2_000 * count,
    heartbeatTimeout: '10 seconds',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
  };
}

const { recordEvents } = proxyActivities<AgreementActivities>(recordOptions);
const { sendNotification, sendNotifications, deliverEffects } =
  proxyActivities<AgreementActivities>(mailActivityOptions);

/** Mail to send, and the facts its templates read. */
export interface MailBatch {
  notifications: Notification[];
  facts: AgreementFacts;
}

/** What to tell the coordinators when a mail will not be delivered. */
export type UndeliverableReport = (failed: Notification, reason: string) => MailBatch;

interface Queued {
  records?: { events: RecordedEvent[]; register: RegisterRow; certificate?: CertificateFacts };
  mail: SendNotificationInput[];
}

/**
 * Side effects waiting to run, in the order the lifecycle produced them. Handlers only enqueue, so a command returns
 * as soon as the state has changed; one pump delivers in the background, the audit rows of several events in one
 * activity. A batch's mail goes after its records, and the next batch's records do not wait for that mail.
 */
export class Outbox {
  private queued: Queued = { mail: [] };
  private inFlight = 0;
  private stopped = false;
  private failure: { error: unknown } | undefined;

  private readonly agreementId: string;
  private readonly giveUpAfterMs: number;
  private readonly reportUndeliverable: UndeliverableReport;

  constructor(agreementId: string, giveUpAfterMs: number, reportUndeliverable: UndeliverableReport) {
    this.agreementId = agreementId;
    this.giveUpAfterMs = giveUpAfterMs;
    this.reportUndeliverable = reportUndeliverable;
  }

  record(events: RecordedEvent[], register: RegisterRow, certificate?: CertificateFacts): void {
    if (events.length === 0) return;
    const queued = this.queued.records;
    const kept = certificate ?? queued?.certificate;
    this.queued.records = {
      events: [...(queued?.events ?? []), ...events],
      register,
      ...(kept ? { certificate: kept } : {}),
    };
  }

  notify({ notifications, facts }: MailBatch): void {
    for (const notification of notifications) {
      this.queued.mail.push({
        agreementId: this.agreementId,
        notification,
        facts: factsForMail(notification.kind, facts),
      });
    }
  }

  get idle(): boolean {
    return this.inFlight === 0 && !this.hasQueued;
  }

  private get hasQueued(): boolean {
    return this.queued.records !== undefined || this.queued.mail.length > 0;
  }

  /** Delivers until stop() is called and everything queued or in flight is done. */
  async run(): Promise<void> {
    for (;;) {
      await condition(() => this.hasQueued || this.failure !== undefined || (this.stopped && this.idle));
      if (this.failure) throw this.failure.error;
      if (!this.hasQueued) return;
      const { records, mail } = this.queued;
      this.queued = { mail: [] };
      this.inFlight++;
      const { rest } = await this.deliver(records && { agreementId: this.agreementId, ...records }, mail);
      rest.then(
        () => this.inFlight--,
        (error: unknown) => {
          this.inFlight--;
          this.failure = { error };
        },
      );
    }
  }

  stop(): void {
    this.stopped = true;
  }

  /**
   * One flush: its records and mail in one activity (only its records, or only its mail, where it has nothing else).
   * The next flush waits for its records, not for its mail. If the activity fails as a whole (the store down for
   * long), the records go again on their own, retried until they are in, and the mail goes mail by mail: the sent-mail
   * log answers already-sent for what it did send. Resolves, once the records are in, with the sending of what is left
   * (wrapped: an async function would flatten it into its own promise).
   */
  private async deliver(
    records: RecordEventsInput | undefined,
    mail: SendNotificationInput[],
  ): Promise<{ rest: Promise<void> }> {
    if (records === undefined) return { rest: this.sendAll(mail) };
    if (mail.length === 0) {
      await this.recordAlone(records);
      return { rest: Promise.resolve() };
    }
    try {
      const results = await deliverEffects.executeWithOptions(
        { ...batchOptions(mail.length), summary: `${recordSummary(records)}, email ${mail.length}` },
        [{ records, mail }],
      );
      return { rest: this.sendEach(this.unsent(mail, results)) };
    } catch {
      await this.recordAlone(records);
      return { rest: this.sendEach(mail) };
    }
  }

  /** Records in an activity of their own, retried until the store takes them. */
  private async recordAlone(records: RecordEventsInput): Promise<void> {
    await recordEvents.executeWithOptions({ ...recordOptions, summary: recordSummary(records) }, [records]);
  }

  /** Mail without records (reminders): together in one activity where there are several, on its own otherwise. */
  private sendAll(batch: SendNotificationInput[]): Promise<void> {
    return batch.length > 1 ? this.sendTogether(batch) : this.sendEach(batch);
  }

  /** One activity over one session; what it could not send now goes on its own, and a failed batch goes mail by mail. */
  private sendTogether(batch: SendNotificationInput[]): Promise<void> {
    const kinds = [...new Set(batch.map((input) => input.notification.kind))].join(', ');
    return sendNotifications
      .executeWithOptions({ ...batchOptions(batch.length), summary: `email ${batch.length} mails: ${kinds}` }, [batch])
      .then(
        (results) => this.sendEach(this.unsent(batch, results)),
        // The sent-mail log makes the retry of a mail the batch did send harmless: it answers already-sent.
        () => this.sendEach(batch),
      );
  }

  /** The mails a batch could not send now; a refused one is reported instead. */
  private unsent(batch: SendNotificationInput[], results: SendNotificationResult[]): SendNotificationInput[] {
    const unsent: SendNotificationInput[] = [];
    batch.forEach((input, index) => {
      const result = results[index];
      if (result === undefined || result.status === 'deferred') unsent.push(input);
      else if (result.status === 'rejected') this.undeliverable(input.notification, result.detail ?? 'refused');
    });
    return unsent;
  }

  /** Sends in parallel, with callbacks: each promise a workflow creates costs a recorded stack trace. */
  private sendEach(batch: SendNotificationInput[]): Promise<void> {
    return new Promise((resolve, reject) => {
      let pending = batch.length;
      const settled = () => {
        if (--pending === 0) resolve();
      };
      if (pending === 0) resolve();
      for (const input of batch) {
        const { notification } = input;
        sendNotification
          .executeWithOptions(
            {
              ...mailActivityOptions,
              scheduleToCloseTimeout: this.giveUpAfterMs,
              summary: `email ${notification.kind} → ${notification.recipient.label}`,
            },
            [input],
          )
          .then(settled, (error: unknown) => {
            const reason = undeliverableReason(error, this.giveUpAfterMs);
            if (reason === undefined) {
              reject(error);
              return;
            }
            this.undeliverable(notification, reason);
            settled();
          });
      }
    });
  }

  /** An undeliverable message must not wedge the agreement: it is logged, reported, and the lifecycle goes on. */
  private undeliverable(notification: Notification, reason: string): void {
    log.warn('notification could not be delivered', { key: notification.key, reason });
    this.notify(this.reportUndeliverable(notification, reason));
  }
}

function recordSummary({ events: { length } }: RecordEventsInput): string {
  return `record ${length} event${length === 1 ? '' : 's'}`;
}

/** Why a mail will not be delivered (refused for good, or retried for as long as allowed), or undefined if it may be. */
function undeliverableReason(error: unknown, giveUpAfterMs: number): string | undefined {
  if (!(error instanceof ActivityFailure)) return undefined;
  const givenUp = `given up after trying for ${describeMs(giveUpAfterMs)}`;
  // A retryable failure ends the activity only once the next attempt would be past the limit.
  if (error.cause instanceof ApplicationFailure) {
    return error.cause.nonRetryable ? error.cause.message : `${givenUp}; last error: ${error.cause.message}`;
  }
  if (error.cause instanceof TimeoutFailure) return givenUp;
  return undefined;
}
