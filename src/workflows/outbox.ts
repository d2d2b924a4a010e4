import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  log,
  patched,
  proxyActivities,
  TimeoutFailure,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { AgreementActivities, RecordedEvent, SendNotificationInput } from '../activities/types.ts';
import { describeMs, factsForMail, type AgreementFacts, type Notification, type RegisterRow } from '../domain/index.ts';

// Short timeouts: an attempt lost with a killed worker is only retried once its timeout passes, and the outbox waits.
const recordOptions: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  // Records must never be lost: retry until the store is back.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

/**
 * How long a mail is retried before it is given up and the coordinators are told. Without a bound, one mailbox that
 * keeps answering 4xx (full, say) would hold back every record and mail after it, and the agreement's end, for ever.
 */
export const DEFAULT_DELIVERY_GIVE_UP_AFTER_MS = 2 * 24 * 3600_000;

const notificationOptions: ActivityOptions = {
  startToCloseTimeout: '20 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: ['PermanentDeliveryFailure', 'InvalidNotification'],
  },
};

const { recordEvents } = proxyActivities<AgreementActivities>(recordOptions);
const { sendNotification } = proxyActivities<AgreementActivities>(notificationOptions);

interface PendingRecords {
  events: RecordedEvent[];
  register: RegisterRow;
}

/**
 * Side effects waiting to run, in the order the lifecycle produced them. Update handlers only enqueue, so a command
 * returns as soon as the state has changed; one pump delivers the queue in the background, batching the audit rows
 * of several events into one activity. A batch's mail goes out after its records, and the next batch's records do not
 * wait for that mail: a mailbox that defers for hours must not leave the register and audit trail behind.
 */
export class Outbox {
  private records: PendingRecords | undefined;
  private notifications: SendNotificationInput[] = [];
  private delivering = false;
  private stopped = false;
  private mailBatchesInFlight = 0;
  private mailFailure: { error: unknown } | undefined;

  constructor(
    private readonly agreementId: string,
    /** Called when a mail is refused for good, so the workflow can tell the coordinators. */
    private readonly onUndeliverable: (notification: Notification, reason: string) => void = () => undefined,
    /** In ms. */
    private readonly giveUpAfter: number = DEFAULT_DELIVERY_GIVE_UP_AFTER_MS,
  ) {}

  record(events: RecordedEvent[], register: RegisterRow): void {
    if (events.length === 0) return;
    this.records = { events: [...(this.records?.events ?? []), ...events], register };
  }

  notify(notifications: Notification[], facts: AgreementFacts): void {
    for (const notification of notifications) {
      this.notifications.push({
        agreementId: this.agreementId,
        notification,
        facts: factsForMail(notification.kind, facts),
      });
    }
  }

  get idle(): boolean {
    return !this.delivering && this.mailBatchesInFlight === 0 && !this.queued;
  }

  private get queued(): boolean {
    return this.records !== undefined || this.notifications.length > 0;
  }

  /** Delivers until stop() is called and everything queued or in flight is done. */
  async run(): Promise<void> {
    for (;;) {
      await condition(() => this.queued || this.mailFailure !== undefined || (this.stopped && this.idle));
      if (this.mailFailure) throw this.mailFailure.error;
      if (!this.queued) return;
      this.delivering = true;
      const records = this.records;
      const notifications = this.notifications;
      this.records = undefined;
      this.notifications = [];
      if (records) {
        const count = records.events.length;
        await recordEvents.executeWithOptions(
          { ...recordOptions, summary: `record ${count} event${count === 1 ? '' : 's'}` },
          [{ agreementId: this.agreementId, events: records.events, register: records.register }],
        );
      }
      // Agreements whose histories have the older order (each batch's mail before the next batch's records) keep it.
      if (patched('records-not-behind-mail')) this.sendInBackground(notifications);
      else await this.sendAll(notifications);
      this.delivering = false;
    }
  }

  private sendInBackground(batch: SendNotificationInput[]): void {
    if (batch.length === 0) return;
    this.mailBatchesInFlight++;
    this.sendAll(batch).then(
      () => {
        this.mailBatchesInFlight--;
      },
      (error: unknown) => {
        this.mailBatchesInFlight--;
        this.mailFailure = { error };
      },
    );
  }

  stop(): void {
    this.stopped = true;
  }

  /**
   * Sends a batch in parallel. Written with callbacks rather than one async function per mail: the SDK records a
   * stack trace for every promise a workflow creates, so each needless promise costs real CPU (sdk-typescript#1587).
   */
  private sendAll(batch: SendNotificationInput[]): Promise<void> {
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
              ...notificationOptions,
              scheduleToCloseTimeout: this.giveUpAfter,
              summary: `email ${notification.kind} → ${notification.recipient.label}`,
            },
            [input],
          )
          .then(settled, (error: unknown) => {
            // An undeliverable message must not wedge the agreement: it is logged, reported, and the lifecycle goes on.
            const reason = undeliverableReason(error, this.giveUpAfter);
            if (reason === undefined) {
              reject(error);
              return;
            }
            log.warn('notification could not be delivered', { key: notification.key, reason });
            this.onUndeliverable(notification, reason);
            settled();
          });
      }
    });
  }
}

/** Why a mail will not be delivered (refused for good, or retried for as long as allowed), or undefined if it may be. */
function undeliverableReason(error: unknown, giveUpAfterMs: number): string | undefined {
  if (!(error instanceof ActivityFailure)) return undefined;
  const givenUp = `given up after trying for ${describeMs(giveUpAfterMs)}`;
  // A failure that could have been retried ends the activity only once the next attempt would be past the limit.
  if (error.cause instanceof ApplicationFailure)
    return error.cause.nonRetryable ? error.cause.message : `${givenUp}; last error: ${error.cause.message}`;
  if (error.cause instanceof TimeoutFailure) return givenUp;
  return undefined;
}
