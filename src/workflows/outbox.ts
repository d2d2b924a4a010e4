import { ActivityFailure, ApplicationFailure, condition, log, proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { AgreementActivities, RecordedEvent, SendNotificationInput } from '../activities/types.ts';
import { factsForMail, type AgreementFacts, type Notification, type RegisterRow } from '../domain/index.ts';


// Short timeouts: an attempt lost with a killed worker is only retried once its timeout passes, and the outbox waits.
const recordOptions: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  // Records must never be lost: retry until the store is back.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

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
 * of several events into one activity.
 */
export class Outbox {
  private records: PendingRecords | undefined;
  private notifications: SendNotificationInput[] = [];
  private delivering = false;
  private stopped = false;

  constructor(
    private readonly agreementId: string,
    /** Called when a mail is refused for good, so the workflow can tell the coordinators. */
    private readonly onUndeliverable: (notification: Notification, reason: string) => void = () => undefined,
  ) {}

  record(events: RecordedEvent[], register: RegisterRow): void {
    if (events.length === 0) return;
    this.records = { events: [...(this.records?.events ?? []), ...events], register };
  }

  notify(notifications: Notification[], facts: AgreementFacts): void {
    for (const notification of notifications) {
      this.notifications.push({ agreementId: this.agreementId, notification, facts: factsForMail(notification.kind, facts) });
    }
  }

  get idle(): boolean {
    return !this.delivering && this.records === undefined && this.notifications.length === 0;
  }

  /** Delivers until stop() is called and the queue is empty. */
  async run(): Promise<void> {
    for (;;) {
      await condition(() => !this.idle || this.stopped);
      if (this.idle) return;
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
      await this.sendAll(notifications);
      this.delivering = false;
    }
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
          .executeWithOptions({ ...notificationOptions, summary: `email ${notification.kind} → ${notification.recipient.label}` }, [input])
          .then(settled, (error: unknown) => {
            // A permanently undeliverable message must not wedge the agreement: it is logged and the lifecycle goes on.
            if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
              log.warn('notification could not be delivered', { key: notification.key, reason: error.cause.message });
              this.onUndeliverable(notification, error.cause.message);
              settled();
            } else {
              reject(error);
            }
          });
      }
    });
  }
}
