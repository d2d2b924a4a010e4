import type { Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the sink accepted (its final `250` was sent), with the headers the soak counts by. */
export interface ReceivedMail {
  agreementId: string;
  key: string;
  messageId: string;
  receivedAt: number;
}

export interface SoakSmtpSink {
  url: string;
  /** How many messages were accepted so far (cheap: no parsing). */
  count(): number;
  /** When the latest message was accepted. */
  lastReceivedAt(): number | undefined;
  /** Raw messages accepted for an agreement whose headers name it (a quick scan, for the driver's waits). */
  hasKey(agreementId: string, key: string): boolean;
  /** Every accepted message, parsed. */
  received(): Promise<ReceivedMail[]>;
  /**
   * Calls `hook` once, right after the next message has been accepted and its `250` sent: the moment a sender has
   * delivered a mail but may not yet have written that down. Returns a function that cancels the hook.
   */
  afterNextDelivery(hook: () => void): () => void;
  /** How many lines the sink broke on purpose (with `faults`), by protocol point. */
  lineBreaks(): Record<FaultPoint, number>;
  close(): Promise<void>;
}

interface RawMail {
  raw: Buffer;
  receivedAt: number;
  agreementId: string;
  key: string;
}

/** Reads an unfolded header from the raw header block (values here are plain ASCII, maybe folded). */
function headerOf(head: string, name: string): string {
  const match = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return match?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim() ?? '';
}

export type FaultPoint = 'at-connect' | 'before-data' | 'during-data' | 'after-dot';

export interface SoakSinkOptions {
  /** The chance, at each protocol point of each session, that the sink breaks the line there (0: never). */
  faultRate?: number;
  random?: () => number;
}

/**
 * A real SMTP server on loopback that keeps every message it accepts. A message counts once its DATA has been
 * received in full: what a real mail server would deliver. With a fault rate it breaks lines as a network would, at
 * connect, at RCPT TO, mid-message, or after the final dot before its reply (the message then counts: the server has it).
 */
export async function startSoakSmtpSink(options: SoakSinkOptions = {}): Promise<SoakSmtpSink> {
  const mails: RawMail[] = [];
  const index = new Set<string>();
  let pendingHook: (() => void) | undefined;
  const rate = options.faultRate ?? 0;
  const random = options.random ?? Math.random;
  const breaks: Record<FaultPoint, number> = { 'at-connect': 0, 'before-data': 0, 'during-data': 0, 'after-dot': 0 };
  const sockets = new Map<number, Socket>();
  /** Breaks the session's line at `point`, by chance; true when it did. */
  const breakLine = (point: FaultPoint, session: { remotePort: number }): boolean => {
    if (rate <= 0 || random() >= rate) return false;
    const socket = sockets.get(session.remotePort);
    if (!socket) return false;
    breaks[point] += 1;
    socket.destroy();
    return true;
  };
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onConnect(session, callback) {
      if (!breakLine('at-connect', session)) callback();
    },
    onRcptTo(_address, session, callback) {
      if (!breakLine('before-data', session)) callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let cut = false;
      // A line broken mid-message destroys the stream with an error; the message is then not taken.
      stream.on('error', () => undefined);
      stream.on('data', (chunk: Buffer) => {
        if (cut) return;
        chunks.push(chunk);
        if (chunks.length === 1 && breakLine('during-data', session)) cut = true;
      });
      stream.on('end', () => {
        if (cut) return;
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('message too large'), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        const end = raw.indexOf('\r\n\r\n');
        const head = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
        const agreementId = headerOf(head, 'X-Agreement-Id');
        const key = headerOf(head, 'X-Notification-Key');
        mails.push({ raw, receivedAt: Date.now(), agreementId, key });
        index.add(`${agreementId}\n${key}`);
        if (breakLine('after-dot', session)) return;
        callback();
        const hook = pendingHook;
        pendingHook = undefined;
        hook?.();
      });
    },
  });
  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort;
    if (port === undefined) return;
    sockets.set(port, socket);
    socket.once('close', () => sockets.delete(port));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.on('error', reject);
    const listener = server.listen(0, '127.0.0.1', () => {
      const address = listener.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('smtp sink has no port'));
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => mails.length,
    lastReceivedAt: () => mails.at(-1)?.receivedAt,
    hasKey: (agreementId, key) => index.has(`${agreementId}\n${key}`),
    async received() {
      const parsed: ReceivedMail[] = [];
      for (const mail of mails) {
        const message = await simpleParser(mail.raw);
        const header = (name: string) => {
          const value = message.headers.get(name);
          return typeof value === 'string' ? value : mail[name === 'x-agreement-id' ? 'agreementId' : 'key'];
        };
        parsed.push({
          agreementId: header('x-agreement-id'),
          key: header('x-notification-key'),
          messageId: message.messageId ?? '',
          receivedAt: mail.receivedAt,
        });
      }
      return parsed;
    },
    afterNextDelivery(hook) {
      pendingHook = hook;
      return () => {
        if (pendingHook === hook) pendingHook = undefined;
      };
    },
    lineBreaks: () => ({ ...breaks }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
