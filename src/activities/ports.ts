import type { AgreementEvent, RegisterRow, Stage } from '../domain/index.ts';
import type { RecordEventsInput } from './types.ts';

/** One row of the audit trail. */
export interface AuditRow {
  agreementId: string;
  sequence: number;
  type: AgreementEvent['type'];
  at: string;
  actor: string;
  data: AgreementEvent;
}

/** One row of the sent-mail log, keyed by agreement id and notification key. */
export interface SentMailRow {
  key: string;
  agreementId: string;
  kind: string;
  recipient: string;
  subject: string;
  messageId: string;
  sentAt: string;
  /** 'sent', or 'rejected' when the mail server refused the address for good. */
  status: 'sent' | 'rejected';
  detail?: string;
}

/** The records of spec §6. Every write is idempotent: writing the same thing twice leaves one row. */
export interface RecordsStore {
  /** Creates or upgrades the schema. */
  migrate(): Promise<void>;
  /** Appends audit rows (by agreement id + sequence, never twice) and upserts the register row, in one transaction. */
  recordEvents(input: RecordEventsInput): Promise<void>;
  /** Notification keys are unique within one agreement (the same person gets the same kind of mail from many). */
  findSentMail(agreementId: string, key: string): Promise<SentMailRow | undefined>;
  /**
   * Records a sent (or refused) mail; a second call with the same agreement id and key changes nothing. True when this
   * call wrote the row: the claim that lets exactly one of two overlapping attempts deliver.
   */
  recordSentMail(row: SentMailRow): Promise<boolean>;
  /**
   * Removes the sent-mail row an attempt claimed for a delivery that then failed, so a retry sends the mail. Only the
   * row recorded at `sentAt` (that attempt's claim): a repeated call must never remove another attempt's claim.
   */
  forgetSentMail(agreementId: string, key: string, sentAt: string): Promise<void>;
  history(agreementId: string): Promise<AuditRow[]>;
  register(filter?: { stage?: Stage }): Promise<RegisterRow[]>;
  sentMail(agreementId?: string): Promise<SentMailRow[]>;
  close(): Promise<void>;
}

/** A fully rendered email, ready for a transport. */
export interface OutgoingMail {
  from: string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
  attachments?: { filename: string; content: string; contentType: string }[];
  /** An iCalendar invite to show as a calendar event (text/calendar alternative). */
  icalEvent?: { method: 'REQUEST' | 'CANCEL'; content: string; filename: string };
}

/** Delivers mail: over SMTP, or into the outbox folder. Throws PermanentDeliveryError for a 5xx refusal. */
export interface MailTransport {
  /**
   * `recordDelivery` is called once, at the point where a crash on either side of it neither loses nor duplicates
   * the mail: over SMTP just before the final end-of-data dot, in the outbox once the file is in place. If it throws,
   * nothing is delivered and `send` throws its error. If `send` throws after it was called, the delivery failed.
   */
  send(mail: OutgoingMail, recordDelivery?: () => Promise<void>): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}
