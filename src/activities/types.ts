import type { AgreementEvent, AgreementFacts, MailFacts, Notification, RegisterRow } from '../domain/index.ts';

export type { AgreementFacts };

export interface RecordedEvent {
  sequence: number;
  event: AgreementEvent;
}

export interface RecordEventsInput {
  agreementId: string;
  events: RecordedEvent[];
  register: RegisterRow;
}

export interface SendNotificationInput {
  agreementId: string;
  notification: Notification;
  facts: MailFacts;
}

export interface SendNotificationResult {
  key: string;
  status: 'sent' | 'already-sent' | 'rejected';
  messageId?: string;
  detail?: string;
}

/** The activities the lifecycle workflow calls. Implementations get their dependencies injected (see createActivities). */
export interface AgreementActivities {
  recordEvents(input: RecordEventsInput): Promise<void>;
  sendNotification(input: SendNotificationInput): Promise<SendNotificationResult>;
}
