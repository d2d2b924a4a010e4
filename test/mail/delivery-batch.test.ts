import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RecordsStore } from '../../src/ports/records-store.ts';
import { deliver, deliverBatch, smtpTransport, type BatchAttempt } from '../../src/mail/delivery/index.ts';
import type { DeliveryProgress } from '../../src/mail/delivery/deliver.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { openRecordsStore } from '../../src/records/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import type { AgreementMailInput, SendNotificationInput } from '../../src/domain/index.ts';
import { postgresBackend, sqliteBackend, type RecordsBackend } from '../records/support/records-backends.ts';
import { FROM, sampleOfEveryKind } from './support/reference-agreement.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const ATTEMPT_MS = 20_000;
const samples = sampleOfEveryKind();
const batch: SendNotificationInput[] = [
  samples.invitation,
  samples['ceremony-notice'],
  samples.rescheduled,
  samples['signature-recorded'],
];

/** The sample sent to another mailbox of the sink (`spam@` is refused after the dot, `busy@` with 451). */
function to(mailbox: string, input: AgreementMailInput): AgreementMailInput {
  const email = `${mailbox}@uob.example`;
  const { notification } = input;
  return {
    ...input,
    notification: {
      ...notification,
      key: `${notification.kind}:batch:${email}`,
      recipient: { ...notification.recipient, email },
    },
  };
}

/** The store with `hook` around each call: it may fail a call before or after it runs, as a crash would. */
function around(
  store: RecordsStore,
  hook: (method: keyof RecordsStore, call: () => Promise<unknown>) => Promise<unknown>,
): RecordsStore {
  return new Proxy(store, {
    get(target, property: keyof RecordsStore) {
      const value: unknown = target[property];
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        hook(property, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}

interface Run {
  store: RecordsStore;
  sink: SmtpSink;
  now: { ms: number };
  /** One attempt of the batch activity; `records` may fail calls, `previous` is the last attempt's heartbeat. */
  attempt(
    inputs: SendNotificationInput[],
    records?: RecordsStore,
    previous?: DeliveryProgress[],
  ): { run: ReturnType<typeof deliverBatch>; beats: DeliveryProgress[][] };
  /** The one-mail activity, as the workflow runs it for a mail the batch deferred. */
  single(input: SendNotificationInput): ReturnType<typeof deliver>;
  copies(input: SendNotificationInput): Promise<{ count: number; messageIds: Set<string> }>;
  row(input: SendNotificationInput): Promise<Awaited<ReturnType<RecordsStore['findSentMail']>>>;
}

describe.each<RecordsBackend>([sqliteBackend(), postgresBackend()])('a batch of mails on $name', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => backend.cleanup());

  async function open(): Promise<Run> {
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const store = await openRecordsStore(await backend.emptyDatabase());
    await store.migrate();
    cleanups.push(() => store.close());
    const transport = smtpTransport(sink.url);
    cleanups.push(() => transport.close());
    const now = { ms: Date.now() };
    let attempts = 0;
    const deps = (records: RecordsStore) => ({
      records,
      transport,
      render: (mail: SendNotificationInput) => renderNotification(mail, { from: FROM }),
      logger: createLogger({ level: 'silent' }),
      clock: () => new Date(now.ms),
    });
    return {
      store,
      sink,
      now,
      attempt(inputs, records = store, previous = []) {
        const beats: DeliveryProgress[][] = [];
        attempts += 1;
        const attempt: BatchAttempt = {
          id: `batch-${attempts}`,
          deadline: now.ms + ATTEMPT_MS,
          heartbeat: (progress) => beats.push(progress),
          previous,
        };
        return { run: deliverBatch(deps(records), inputs, attempt), beats };
      },
      single: (input) => deliver(deps(store), input),
      async copies(input) {
        const received = (await sink.parsed()).filter(
          (mail) => mail.headers.get('x-notification-key') === input.notification.key,
        );
        return { count: received.length, messageIds: new Set(received.map((mail) => mail.messageId ?? '')) };
      },
      row: (input) => store.findSentMail(input.agreementId, input.notification.key),
    };
  }

  async function expectOneCopyEach(run: Run, inputs: SendNotificationInput[]): Promise<void> {
    for (const input of inputs) {
      expect(await run.copies(input)).toMatchObject({ count: 1 });
      expect(await run.row(input)).toMatchObject({ status: 'sent', resends: 0 });
    }
  }

  it('sends every mail of the flush over one SMTP session, each logged on its own', async () => {
    const run = await open();
    const results = await run.attempt(batch).run;
    expect(results.map((result) => [result.key, result.status])).toEqual(
      batch.map((input) => [input.notification.key, 'sent']),
    );
    expect(run.sink.connections().opened).toBe(1);
    await expectOneCopyEach(run, batch);
    // Run again (a replayed or retried batch), it sends nothing.
    expect((await run.attempt(batch).run).map((result) => result.status)).toEqual(batch.map(() => 'already-sent'));
    expect(run.sink.received()).toBe(batch.length);
  });

  it('answers a refused mail rejected and a deferred one deferred, and sends the rest', async () => {
    const run = await open();
    const refused = to('spam', samples.invitation);
    const busy = to('busy', samples.rescheduled);
    const inputs = [samples.invitation, refused, busy, samples['signature-recorded']];
    const results = await run.attempt(inputs).run;
    expect(results.map((result) => result.status)).toEqual(['sent', 'rejected', 'deferred', 'sent']);
    expect(results[1]?.detail).toMatch(/refused/);
    expect(await run.row(refused)).toMatchObject({ status: 'refused' });
    // A 4xx leaves the server without the message: its claim is released for the mail's own activity.
    expect(await run.row(busy)).toBeUndefined();
    await expectOneCopyEach(run, [samples.invitation, samples['signature-recorded']]);
    expect((await run.copies(refused)).count).toBe(0);
  });

  it('a broken line defers that mail and the rest untried; each then goes once on its own', async () => {
    const run = await open();
    run.sink.breakNext('before-data');
    const results = await run.attempt(batch).run;
    expect(results.map((result) => result.status)).toEqual(['deferred', 'deferred', 'deferred', 'deferred']);
    expect(run.sink.received()).toBe(0);
    for (const input of batch) expect(await run.single(input)).toMatchObject({ status: 'sent' });
    await expectOneCopyEach(run, batch);
  });

  it('a store down after a 2xx fails the batch; its retry records that mail and sends only the rest', async () => {
    const run = await open();
    let settles = 0;
    const failingSecondSettle = around(run.store, (method, call) =>
      method === 'settleMail' && ++settles === 2
        ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'))
        : call(),
    );
    const first = run.attempt(batch, failingSecondSettle);
    await expect(first.run).rejects.toThrow(/ECONNREFUSED/);
    const last = first.beats.at(-1) ?? [];
    expect(last.find((entry) => entry.key === batch[1]?.notification.key)).toMatchObject({ accepted: true });
    const retried = await run.attempt(batch, run.store, last).run;
    expect(retried.map((result) => result.status)).toEqual(['already-sent', 'sent', 'sent', 'sent']);
    await expectOneCopyEach(run, batch);
  });

  it('a killed batch whose heartbeat was lost: the held mail is deferred, then goes once, as a counted resend', async () => {
    const run = await open();
    let claims = 0;
    const dyingAfterSecondClaim = around(run.store, async (method, call) => {
      const result = await call();
      if (method === 'claimMail' && ++claims === 2) throw new Error('killed');
      return result;
    });
    await expect(run.attempt(batch, dyingAfterSecondClaim).run).rejects.toThrow('killed');
    const retried = await run.attempt(batch).run;
    expect(retried.map((result) => result.status)).toEqual(['already-sent', 'deferred', 'sent', 'sent']);
    // The dead attempt's claim runs out; the mail's own activity takes it over.
    run.now.ms += ATTEMPT_MS + 1_000;
    const held = batch[1];
    if (!held) throw new Error('no second mail');
    expect(await run.single(held)).toMatchObject({ status: 'sent' });
    expect(await run.copies(held)).toMatchObject({ count: 1 });
    expect(await run.row(held)).toMatchObject({ status: 'sent', resends: 1 });
  });
});
