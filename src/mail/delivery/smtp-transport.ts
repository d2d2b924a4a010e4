import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { parseConnectionUrl } from 'nodemailer/lib/shared/index.js';
import { PermanentDeliveryError, type MailTransport } from '../../ports/mail-transport.ts';
import { toNodemailerMessage } from './nodemailer-message.ts';
import { smtpPool, type SmtpPoolLimits, type SmtpSessionOptions } from './smtp-pool.ts';

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
  return new Error(`mail delivery failed for now (the server or the line may recover): ${message}`, { cause: error });
}

const DEFAULT_LIMITS: SmtpPoolLimits = { maxConnections: 20, maxMessages: 100 };

/** Connection settings and pool limits from the URL (`smtp://user:pass@host:port?maxConnections=5`). */
function settingsFrom(url: string): { options: SmtpSessionOptions; limits: SmtpPoolLimits } {
  const { auth, ...connection } = parseConnectionUrl(url);
  const options: SmtpSessionOptions =
    auth?.user && 'pass' in auth && typeof auth.pass === 'string'
      ? { ...connection, auth: { user: auth.user, pass: auth.pass } }
      : connection;
  const query = new URL(url).searchParams;
  const limit = (name: keyof SmtpPoolLimits) => {
    const value = Number(query.get(name) ?? DEFAULT_LIMITS[name]);
    return Number.isInteger(value) && value > 0 ? value : DEFAULT_LIMITS[name];
  };
  return { options, limits: { maxConnections: limit('maxConnections'), maxMessages: limit('maxMessages') } };
}

/**
 * The message, ending only once `recordDelivery` has resolved. SMTP delivers a message when it receives the final
 * dot, which is written after this stream ends: so the sent-mail log is written while the server still holds an
 * incomplete message. A crash before the record leaves nothing delivered (the retry sends it); a crash after it
 * leaves only the dot's microseconds in flight, instead of the server's reply and the record's round trip.
 */
function messageRecordedBeforeItsEnd(raw: Buffer, recordDelivery: () => Promise<void>): Readable {
  let stage: 'body' | 'sent' | 'recording' = 'body';
  return new Readable({
    read() {
      if (stage === 'body') {
        stage = 'sent';
        this.push(raw);
      } else if (stage === 'sent') {
        stage = 'recording';
        recordDelivery().then(
          () => this.push(null),
          (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
        );
      }
    },
  });
}

/** Sends over SMTP, as configured by an `smtp://` or `smtps://` URL (credentials and options in the URL). */
export function smtpTransport(url: string): MailTransport {
  const { options, limits } = settingsFrom(url);
  const pool = smtpPool(options, limits);
  return {
    async send(mail, recordDelivery = async () => {}) {
      const message = new MailComposer(toNodemailerMessage(mail)).compile();
      const raw = await message.build();
      let refused = false;
      let recording: { error: unknown } | undefined;
      // A refused envelope makes nodemailer read the message to its end without sending it: no record then.
      const recordUnlessRefused = async () => {
        if (refused) return;
        await recordDelivery().catch((error: unknown) => {
          recording = { error };
          throw error;
        });
      };
      try {
        await pool.send(message.getEnvelope(), messageRecordedBeforeItsEnd(raw, recordUnlessRefused), () => {
          refused = true;
        });
      } catch (error) {
        throw recording ? recording.error : deliveryError(error);
      }
      return { messageId: mail.messageId };
    },
    close: () => pool.close(),
  };
}
