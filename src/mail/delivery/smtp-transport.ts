import { Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { parseConnectionUrl } from 'nodemailer/lib/shared/index.js';
import { TransportFailure, type MailTransport } from '../../ports/mail-transport.ts';
import { toNodemailerMessage } from './nodemailer-message.ts';
import { smtpPool, type SmtpPoolLimits, type SmtpSessionOptions } from './smtp-pool.ts';

interface SmtpErrorFields {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
}

/**
 * A failed send as the delivery module reads it. A reply from the server says how far it got by itself; a broken line
 * is placed by how much of the message had been written. A 5xx reply (550 no such mailbox, 554 rejected) will not
 * change on retry; authentication failures are excluded, a configuration fault that fixing it cures.
 */
export function deliveryError(error: unknown, written: 'nothing' | 'part' | 'all'): TransportFailure {
  const fields: SmtpErrorFields = typeof error === 'object' && error !== null ? error : {};
  const message = error instanceof Error ? error.message : String(error);
  const responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : 0;
  if (responseCode > 0) {
    const response = typeof fields.response === 'string' ? fields.response : `${responseCode}`;
    const permanent = responseCode >= 500 && responseCode < 600 && fields.code !== 'EAUTH';
    const said = permanent ? message : `mail delivery failed for now (the server may accept it later): ${message}`;
    return new TransportFailure(`${said} (${response})`, 'reply', permanent, { cause: error });
  }
  const progress = written === 'nothing' ? 'before-data' : written === 'part' ? 'during-data' : 'after-dot';
  return new TransportFailure(`the line to the mail server broke: ${message}`, progress, false, { cause: error });
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

/** The message as a stream that tells how much of it the connection has read. */
function trackedMessage(raw: Buffer): { stream: Readable; written: () => 'nothing' | 'part' | 'all' } {
  let written: 'nothing' | 'part' | 'all' = 'nothing';
  const stream = new Readable({
    read() {
      written = 'part';
      this.push(raw);
      this.push(null);
    },
  });
  stream.once('end', () => {
    written = 'all';
  });
  return { stream, written: () => written };
}

/** Sends over SMTP, as configured by an `smtp://` or `smtps://` URL (credentials and options in the URL). */
export function smtpTransport(url: string): MailTransport {
  const { options, limits } = settingsFrom(url);
  const pool = smtpPool(options, limits);
  return {
    async send(mail, sendOptions = {}) {
      const message = new MailComposer(toNodemailerMessage(mail)).compile();
      const raw = await message.build();
      const tracked = trackedMessage(raw);
      try {
        await pool.send(message.getEnvelope(), tracked.stream, sendOptions.signal);
      } catch (error) {
        throw deliveryError(error, tracked.written());
      }
      return { messageId: mail.messageId };
    },
    close: () => pool.close(),
  };
}
