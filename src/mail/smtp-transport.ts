import nodemailer from 'nodemailer';
import { PermanentDeliveryError, type MailTransport } from '../activities/ports.ts';
import { toNodemailerMessage } from './nodemailer-message.ts';

export interface SmtpTransportOptions {
  /** Reuse connections across messages (default true). */
  pool?: boolean;
}

interface SmtpErrorFields {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
}

/**
 * A 5xx reply to the message or its envelope (550 no such mailbox, 554 rejected) will not change on retry.
 * Authentication failures are excluded: they are a configuration fault that a retry after fixing it can cure.
 */
export function deliveryError(error: unknown): Error {
  const fields: SmtpErrorFields = typeof error === 'object' && error !== null ? error : {};
  const message = error instanceof Error ? error.message : String(error);
  const responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : 0;
  if (responseCode >= 500 && responseCode < 600 && fields.code !== 'EAUTH') {
    const response = typeof fields.response === 'string' ? fields.response : `${responseCode}`;
    return new PermanentDeliveryError(`${message} (${response})`, { cause: error });
  }
  return new Error(`mail delivery failed, will retry: ${message}`, { cause: error });
}

function withPool(url: string, pool: boolean): string {
  const parsed = new URL(url);
  parsed.searchParams.set('pool', String(pool));
  // nodemailer's default of 5 pooled connections queues a busy worker's mail behind each other; the URL may override.
  if (pool && !parsed.searchParams.has('maxConnections')) parsed.searchParams.set('maxConnections', '20');
  return parsed.toString();
}

/** Sends over SMTP, as configured by an `smtp://` or `smtps://` URL (credentials and options in the URL). */
export function smtpTransport(url: string, options: SmtpTransportOptions = {}): MailTransport {
  const transporter = nodemailer.createTransport(withPool(url, options.pool ?? true));
  return {
    async send(mail) {
      try {
        await transporter.sendMail(toNodemailerMessage(mail));
      } catch (error) {
        throw deliveryError(error);
      }
      return { messageId: mail.messageId };
    },
    async close() {
      transporter.close();
    },
  };
}
