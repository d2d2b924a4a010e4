import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** Mail to `spam@…` is taken in full and then refused with 554, after its final dot. */
const REFUSED_AFTER_DATA = 'spam';

/** Addresses the sink refuses, with the SMTP reply code it uses. */
const REFUSALS: Record<string, { code: number; text: string }> = {
  bounce: { code: 550, text: 'No such mailbox' },
  busy: { code: 451, text: 'Mailbox temporarily unavailable' },
};

/**
 * Where a session breaks, as a network fault would (the socket is destroyed, no SMTP reply):
 * - `at-connect`: before the greeting;
 * - `before-data`: at RCPT TO, instead of its reply;
 * - `during-data`: once the first chunk of the message is in, before its end (the message is not received);
 * - `after-dot`: once the whole message is in, before the 250 reply. The message IS received and kept: a real server
 *   may have queued it, the worst case for a sender that then sends it again.
 */
export type BreakPoint = 'at-connect' | 'before-data' | 'during-data' | 'after-dot';

/** One message the sink accepted, with the headers a run counts by. */
export interface ReceivedMail {
  agreementId: string;
  key: string;
  messageId: string;
  receivedAt: number;
}

export interface SmtpSink {
  url: string;
  /** Every accepted message, raw, in arrival order (empty when started with `keep: false`). */
  messages: Buffer[];
  /** How many messages were accepted in all. */
  received(): number;
  /** When the latest message was accepted. */
  lastReceivedAt(): number | undefined;
  parsed(): Promise<ParsedMail[]>;
  /** Every kept message as its agreement, notification key and Message-ID say. */
  mails(): Promise<ReceivedMail[]>;
  /** Whether a kept message carries this agreement id and notification key (a quick scan, no parsing). */
  hasKey(agreementId: string, key: string): boolean;
  /**
   * Calls `hook` once, right after the next message has been accepted and its `250` sent: the moment a sender has
   * delivered a mail but may not yet have written that down. Returns a function that cancels the hook.
   */
  afterNextDelivery(hook: () => void): () => void;
  /** While unavailable, every connection is answered `421` (a transient failure senders must retry). */
  setAvailable(available: boolean): void;
  /** The most SMTP sessions that were open at once, and how many were opened in all. */
  connections(): { peak: number; opened: number };
  /** Breaks every open connection at once, as a network fault would, mid-message or not. */
  dropConnections(): void;
  /**
   * Breaks the next `count` sessions that reach `point` there (see {@link BreakPoint}); each armed break is used up
   * when it fires. Points are armed apart: with `before-data` and `after-dot` both armed, the next message breaks at
   * RCPT TO and the one after it after its final dot.
   */
  breakNext(point: BreakPoint, count?: number): void;
  /** How many lines the sink broke on purpose (armed with breakNext, or by chance with `faultRate`). */
  brokenLines(): number;
  close(): Promise<void>;
}

function listenOnLoopback(server: SMTPServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    const listener = server.listen(0, '127.0.0.1', () => {
      const address = listener.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('smtp server has no port'));
    });
  });
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export interface SmtpSinkOptions {
  /**
   * Keep every message (the default, for tests that read them). A benchmark only counts: thousands of kept messages
   * would make the garbage collector's work grow through the run, a cost of the sink and not of the sender.
   */
  keep?: boolean;
  /**
   * The chance, at each protocol point of each session, that the sink breaks the line there as a flaky network would
   * (0, the default: only the breaks armed with breakNext). The soak runs with a small rate.
   */
  faultRate?: number;
  random?: () => number;
}

/** Reads an unfolded header from the raw header block (values here are plain ASCII, maybe folded). */
function headerOf(head: string, name: string): string {
  const match = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return match?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim() ?? '';
}

/** The identifying headers of a raw message, read without parsing it. */
function identity(raw: Buffer): { agreementId: string; key: string } {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
  return { agreementId: headerOf(head, 'X-Agreement-Id'), key: headerOf(head, 'X-Notification-Key') };
}

/**
 * A real SMTP server on loopback (smtp-server), collecting what it receives: the one sink of the tests, the benchmark
 * and the soak. It refuses `bounce@…` with 550 and `busy@…` with 451 at RCPT TO, and `spam@…` with 554 once the whole
 * message is in. A message counts once its DATA has been received in full: what a real mail server would deliver.
 */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const keep = options.keep ?? true;
  const rate = options.faultRate ?? 0;
  const random = options.random ?? Math.random;
  const messages: Buffer[] = [];
  const kept: { agreementId: string; key: string; receivedAt: number }[] = [];
  const keys = new Set<string>();
  let received = 0;
  let lastReceivedAt: number | undefined;
  let pendingHook: (() => void) | undefined;
  let available = true;
  const sessions = { open: 0, peak: 0, opened: 0 };
  const armed: Record<BreakPoint, number> = { 'at-connect': 0, 'before-data': 0, 'during-data': 0, 'after-dot': 0 };
  let broken = 0;
  const sockets = new Set<Socket>();
  /** The socket of a session: on loopback, each client connection has its own remote port. */
  const socketOf = (session: SMTPServerSession): Socket | undefined => {
    for (const socket of sockets) {
      if (socket.remotePort === session.remotePort && !socket.destroyed) return socket;
    }
    return undefined;
  };
  /**
   * Fires the break armed at `point`, if any (else one by chance, with a fault rate), by destroying the session's socket: true when it did (the caller then
   * answers nothing). Without the socket, it answers 421 rather than pretend, so a test sees an SMTP reply.
   */
  const breakAt = (point: BreakPoint, session: SMTPServerSession, reply: (err: Error) => void): boolean => {
    if (armed[point] > 0) armed[point] -= 1;
    else if (rate <= 0 || random() >= rate) return false;
    broken += 1;
    const socket = socketOf(session);
    if (socket) socket.destroy();
    else reply(smtpError(421, `smtp sink found no socket to break ${point}`));
    return true;
  };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onConnect(session, callback) {
      sessions.open += 1;
      sessions.opened += 1;
      sessions.peak = Math.max(sessions.peak, sessions.open);
      if (breakAt('at-connect', session, callback)) return;
      callback(available ? null : smtpError(421, 'Service not available, try again later'));
    },
    onClose() {
      sessions.open -= 1;
    },
    // Pooled senders keep connections open, so an outage must also refuse mail on connections made before it.
    onMailFrom(_address, _session, callback) {
      callback(available ? null : smtpError(421, 'Service not available, try again later'));
    },
    onRcptTo(address, session, callback) {
      if (breakAt('before-data', session, callback)) return;
      const refusal = REFUSALS[address.address.split('@')[0] ?? ''];
      callback(refusal ? smtpError(refusal.code, refusal.text) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let first = true;
      let cut = false;
      // The stream is destroyed, with an error, when its connection closes before the end of the message.
      stream.on('error', () => {});
      stream.on('data', (chunk: Buffer) => {
        if (cut) return;
        if (keep) chunks.push(chunk);
        // The whole message may be in this chunk already: `cut` makes sure it is not taken.
        if (first && breakAt('during-data', session, callback)) cut = true;
        first = false;
      });
      stream.on('end', () => {
        if (cut) return;
        if (stream.sizeExceeded) {
          callback(smtpError(552, 'message too large'));
          return;
        }
        if (session.envelope.rcptTo.some((rcpt) => rcpt.address.startsWith(`${REFUSED_AFTER_DATA}@`))) {
          callback(smtpError(554, 'Message rejected as spam'));
          return;
        }
        received += 1;
        lastReceivedAt = Date.now();
        if (keep) {
          const raw = Buffer.concat(chunks);
          const { agreementId, key } = identity(raw);
          messages.push(raw);
          kept.push({ agreementId, key, receivedAt: lastReceivedAt });
          keys.add(`${agreementId}\n${key}`);
        }
        // Broken after the final dot, the message still counts: the server has it.
        if (breakAt('after-dot', session, callback)) return;
        callback();
        const hook = pendingHook;
        pendingHook = undefined;
        hook?.();
      });
    },
  });
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const port = await listenOnLoopback(server);
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    received: () => received,
    lastReceivedAt: () => lastReceivedAt,
    parsed: () => Promise.all(messages.map((raw) => simpleParser(raw))),
    async mails() {
      const mails: ReceivedMail[] = [];
      for (const [index, raw] of messages.entries()) {
        const message = await simpleParser(raw);
        const scanned = kept[index] ?? { agreementId: '', key: '', receivedAt: 0 };
        const header = (name: string, fallback: string) => {
          const value = message.headers.get(name);
          return typeof value === 'string' ? value : fallback;
        };
        mails.push({
          agreementId: header('x-agreement-id', scanned.agreementId),
          key: header('x-notification-key', scanned.key),
          messageId: message.messageId ?? '',
          receivedAt: scanned.receivedAt,
        });
      }
      return mails;
    },
    hasKey: (agreementId, key) => keys.has(`${agreementId}\n${key}`),
    afterNextDelivery(hook) {
      pendingHook = hook;
      return () => {
        if (pendingHook === hook) pendingHook = undefined;
      };
    },
    setAvailable: (value) => {
      available = value;
    },
    connections: () => ({ peak: sessions.peak, opened: sessions.opened }),
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    breakNext: (point, count = 1) => {
      armed[point] += count;
    },
    brokenLines: () => broken,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An SMTP server that answers every connection with `421 Service not available`. */
export async function startUnavailableSmtpServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      callback(smtpError(421, 'Service not available, try again later'));
    },
  });
  const port = await listenOnLoopback(server);
  return { url: `smtp://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
