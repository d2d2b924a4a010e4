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
