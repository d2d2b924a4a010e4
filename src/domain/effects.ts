import type { CertificateFacts } from './certificate.ts';
import type { DigestMailInput } from './digest.ts';
import type { AgreementEvent } from './events.ts';
import type { MailFacts } from './mail-facts.ts';
import type { Notification } from './notifications.ts';
import type { RegisterRow } from './view.ts';

/** The effects an agreement's events have outside the workflow: rows for the records, and mail to send. */
export interface RecordedEvent {
  sequence: number;
  event: AgreementEvent;
}

export interface RecordEventsInput {
  agreementId: string;
  events: RecordedEvent[];
  register: RegisterRow;
  /** A certificate of completion these events call for: rendered and kept with them, before their mail goes. */
  certificate?: CertificateFacts;
}

/** One agreement's mail: the facts it shows go with it. */
export interface AgreementMailInput {
  agreementId: string;
  notification: Notification;
  facts: MailFacts;
}

/** What the sent-mail delivery takes: an agreement's mail, or a coordinator's digest over many agreements. */
export type SendNotificationInput = AgreementMailInput | DigestMailInput;

/** One outbox flush whole: its records, and the mail its events caused. */
export interface DeliverEffectsInput {
  records: RecordEventsInput;
  mail: SendNotificationInput[];
}

/** What sending one notification came to, as the mail activity answers the workflow. */
export interface SendNotificationResult {
  key: string;
  /** `deferred`: a batch could not send it now; it goes on its own, with the full retry policy. */
  status: 'sent' | 'already-sent' | 'rejected' | 'deferred';
  messageId?: string;
  detail?: string;
}
