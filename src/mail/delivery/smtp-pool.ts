import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';

export interface SmtpPoolLimits {
  /** Sessions open at once; further sends wait their turn. */
  maxConnections: number;
  /** Messages per session before it is closed and a fresh one opened. */
  maxMessages: number;
}

/** Connection settings; credentials, when the URL has them, are a plain user and password. */
export type SmtpSessionOptions = Omit<SMTPConnection.Options, 'auth'> & { auth?: SMTPConnection.Credentials };

export interface SmtpPool {
  /**
   * Sends one message on a pooled session, which is reused afterwards unless the send failed. An abort breaks the
   * session at once, wherever the send had got to.
   */
  send(
    envelope: SMTPConnection.Envelope,
    message: Readable,
    signal?: AbortSignal,
  ): Promise<SMTPConnection.SentMessageInfo>;
  close(): Promise<void>;
}

interface Session {
  connection: SMTPConnection;
  messages: number;
  open: boolean;
}

/**
 * SMTPConnection reports a lost connection or a timeout as an 'error' or 'end' event, not always to the pending
 * callback: settle on whichever comes first.
 */
function untilDone<T>(
  connection: SMTPConnection,
  start: (done: (error: Error | null, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onError = (error: Error) => finish(error);
    const onEnd = () => finish(new Error('the SMTP server closed the connection'));
    function finish(error: Error | null, value?: T): void {
      connection.off('error', onError);
      connection.off('end', onEnd);
      if (error) reject(error);
      else resolve(value as T);
    }
    connection.once('error', onError);
    connection.once('end', onEnd);
    start(finish);
  });
}

const CONNECTION_TIMEOUT_MS = 2 * 60 * 1000;

/**
 * Opens the TCP connection with Nagle's algorithm off: nodemailer writes the final dot as its own small segment, which
 * must not wait for the server's delayed ACK of the body. nodemailer has no option for it, so the socket is opened here
 * and handed to SMTPConnection as its documented `connection` option (it still does the TLS of an `smtps://` URL).
 */
function openSocket(options: SmtpSessionOptions): Promise<Socket> {
  const port = Number(options.port) || (options.secure ? 465 : 587);
  const socket = connect({ host: options.host ?? 'localhost', port, noDelay: true });
  return new Promise<Socket>((resolve, reject) => {
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(options.connectionTimeout ?? CONNECTION_TIMEOUT_MS, () =>
      fail(Object.assign(new Error('connection timeout'), { code: 'ETIMEDOUT' })),
    );
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

async function openSession(options: SmtpSessionOptions): Promise<Session> {
  const connection = new SMTPConnection({ ...options, connection: await openSocket(options) });
  const session: Session = { connection, messages: 0, open: true };
  // Always listening: an idle session's timeout or close must not crash the process, only retire the session.
  connection.on('error', () => {
    session.open = false;
  });
  connection.on('end', () => {
    session.open = false;
  });
  try {
    await untilDone<void>(connection, (done) => connection.connect(() => done(null)));
    const { auth } = options;
    if (auth) await untilDone<void>(connection, (done) => connection.login(auth, (error) => done(error ?? null)));
    return session;
  } catch (error) {
    connection.close();
    throw error;
  }
}

/**
 * A pool of SMTP sessions on nodemailer's SMTPConnection, its documented low-level client, rather than its pooled
 * transport (`createTransport({ pool: true })`). The sent-mail log must tell a line that broke before DATA (nothing
 * sent: retry) from one that broke after the final dot (maybe accepted: resend once, recorded `uncertain`). That needs
 * to know how much of the message the connection had read when the line broke, and the pooled transport cannot say:
 * it drains the message into its own buffer before DATA, and its errors carry no stage (every break reads "Connection
 * closed unexpectedly"). test/mail/delivery-faults.test.ts ('before-data') fails on the pooled transport for this.
 */
export function smtpPool(options: SmtpSessionOptions, limits: SmtpPoolLimits): SmtpPool {
  const idle: Session[] = [];
  const waiting: (() => void)[] = [];
  let busy = 0;
  let closed = false;

  async function acquire(): Promise<Session> {
    while (busy >= limits.maxConnections) await new Promise<void>((resolve) => waiting.push(resolve));
    busy += 1;
    for (let session = idle.pop(); session; session = idle.pop()) {
      if (session.open) return session;
    }
    try {
      return await openSession(options);
    } catch (error) {
      release();
      throw error;
    }
  }

  function release(): void {
    busy -= 1;
    waiting.shift()?.();
  }

  return {
    async send(envelope, message, signal) {
      if (closed) throw new Error('the SMTP transport is closed');
      signal?.throwIfAborted();
      const session = await acquire();
      const { connection } = session;
      const breakOff = () => {
        session.open = false;
        connection.close();
      };
      signal?.addEventListener('abort', breakOff, { once: true });
      try {
        const info = await untilDone<SMTPConnection.SentMessageInfo>(connection, (done) =>
          connection.send(envelope, message, (error, sent) => done(error, sent)),
        );
        session.messages += 1;
        if (session.open && !closed && session.messages < limits.maxMessages) idle.push(session);
        else connection.quit();
        return info;
      } catch (error) {
        // Mid-envelope or mid-message: never reuse it. Closing it makes the server discard a message whose end was
        // not sent.
        session.open = false;
        connection.close();
        throw error;
      } finally {
        signal?.removeEventListener('abort', breakOff);
        release();
      }
    },
    async close() {
      closed = true;
      for (const session of idle.splice(0)) session.connection.quit();
    },
  };
}
