/** A file attached to a mail: text (a calendar invite) or bytes (a certificate's PDF). */
export interface MailAttachment {
  filename: string;
  content: string | Uint8Array;
  contentType: string;
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
  attachments?: MailAttachment[];
  /** An iCalendar invite to show as a calendar event (text/calendar alternative). */
  icalEvent?: { method: 'REQUEST' | 'CANCEL'; content: string; filename: string };
}

/**
 * How far a failed send got: nothing of the message was written (`before-data`), part of it but not its end
 * (`during-data`: the server discards it), its final dot but no reply (`after-dot`: the server may hold it), or the
 * server answered with a refusal (`reply`).
 */
export type SendProgress = 'before-data' | 'during-data' | 'after-dot' | 'reply';

/** Delivers mail: over SMTP, or into the outbox folder. It only sends; what a failure means is for the caller. */
export interface MailTransport {
  /** Resolves once the server accepted the message; rejects with a TransportFailure. Gives up when `signal` aborts. */
  send(mail: OutgoingMail, options?: { signal?: AbortSignal }): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

/** A send that failed, how far it got, and whether the server refused the message for good (a 5xx reply). */
export class TransportFailure extends Error {
  override name = 'TransportFailure';
  readonly progress: SendProgress;
  readonly permanent: boolean;

  constructor(message: string, progress: SendProgress, permanent: boolean, options?: ErrorOptions) {
    super(message, options);
    this.progress = progress;
    this.permanent = permanent;
  }
}
