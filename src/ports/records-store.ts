import type { AgreementEvent, RecordEventsInput, RegisterRow, Stage } from '../domain/index.ts';

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

/** The records the workers keep: register, audit trail, sent-mail log. Every write is idempotent: writing the same thing twice leaves one row. */
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
