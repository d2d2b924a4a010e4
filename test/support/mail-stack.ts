import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, inject } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../mail/support/smtp-sink.ts';
import { eventually, startTestStack, type TestStack } from './worker.ts';

export const keyOf = (mail: ParsedMail): string => String(mail.headers.get('x-notification-key'));

/**
 * A worker on the dev server with its mail going to a loopback SMTP sink, started before the file's tests and stopped
 * after them; with the helpers a test of mail and the CLI needs.
 */
export function useMailStack() {
  let sink: SmtpSink | undefined;
  let stack: TestStack | undefined;
  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startTestStack({ SMTP_URL: sink.url });
  });
  afterAll(async () => {
    await stack?.stop();
    await sink?.close();
  });
  const started = () => {
    if (!stack || !sink) throw new Error('the mail stack is not started yet');
    return { stack, sink };
  };

  const mailsOf = async (id: string): Promise<ParsedMail[]> =>
    (await started().sink.parsed()).filter((mail) => mail.headers.get('x-agreement-id') === id);
  const keysOf = async (id: string): Promise<string[]> => (await mailsOf(id)).map(keyOf);

  return {
    get stack(): TestStack {
      return started().stack;
    },
    get sink(): SmtpSink {
      return started().sink;
    },
    mailsOf,
    keysOf,
    /** Waits until every key has been mailed; returns all keys of the agreement then. */
    waitForKeys: (id: string, keys: string[], timeoutMs = 40_000): Promise<string[]> =>
      eventually(
        async () => {
          const present = await keysOf(id);
          return keys.every((key) => present.includes(key)) ? present : undefined;
        },
        timeoutMs,
        `mails ${keys.join(', ')}`,
      ),
    /** The environment of a CLI run against this stack, as the partnerships office. */
    cliEnv: (): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: started().stack.taskQueue,
      AGREEMENTS_HOME: started().stack.home,
      AGREEMENTS_ACTOR: 'partnerships',
    }),
  };
}
