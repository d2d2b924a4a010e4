import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RecordsStore } from '../../src/ports/records-store.ts';
import { deliver, smtpTransport, type DeliveryAttempt } from '../../src/mail/delivery/index.ts';
import type { DeliveryProgress } from '../../src/mail/delivery/deliver.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { openRecordsStore } from '../../src/records/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import type { SendNotificationInput } from '../../src/domain/index.ts';
import { postgresBackend, sqliteBackend, type RecordsBackend } from '../records/support/records-backends.ts';
import { FROM, sampleOfEveryKind } from './support/reference-agreement.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const samples = sampleOfEveryKind();
const ATTEMPT_MS = 20_000;

/** A process that dies at this point: the attempt stops there and writes nothing more. */
class Killed extends Error {}

type KillPoint = 'before-claim' | 'after-claim' | 'during-data' | 'after-dot' | 'after-reply';
type LinePoint = 'at-connect' | 'before-data' | 'during-data' | 'after-dot';

interface Run {
  store: RecordsStore;
  sink: SmtpSink;
  /** The clock the delivery reads; tests move it on to let a dead attempt's claim run out. */
  now: { ms: number };
  /** The store as one attempt sees it: `around` can break any call before or after it runs, as a crash would. */
  storeFor(around: (method: keyof RecordsStore, call: () => Promise<unknown>) => Promise<unknown>): RecordsStore;
  /**
   * One attempt of the activity, as Temporal would run it after the last: the last attempt's heartbeat details carry
   * over unless they were lost with a killed process.
   */
  attempt(store?: RecordsStore, previous?: DeliveryProgress): { run: Promise<unknown>; beats: DeliveryProgress[] };
  copies(): Promise<{ count: number; messageIds: Set<string> }>;
  row(): Promise<Awaited<ReturnType<RecordsStore['findSentMail']>>>;
}

const input: SendNotificationInput = samples.invitation;

describe.each<RecordsBackend>([sqliteBackend(), postgresBackend()])(
  'mail delivery under faults on $name',
  (backend) => {
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
      const logger = createLogger({ level: 'silent' });
      let attempts = 0;
      const storeFor: Run['storeFor'] = (around) =>
        new Proxy(store, {
          get(target, property: keyof RecordsStore) {
            const value: unknown = target[property];
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) =>
              around(property, () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
          },
        });
      return {
        store,
        sink,
        now,
        storeFor,
        attempt(records = store, previous) {
          const beats: DeliveryProgress[] = [];
          attempts += 1;
          const attempt: DeliveryAttempt = {
            id: `attempt-${attempts}`,
            deadline: now.ms + ATTEMPT_MS,
            heartbeat: (progress) => beats.push(progress),
            previous,
          };
          const deps = {
            records,
            transport,
            render: (mail: SendNotificationInput) => renderNotification(mail, { from: FROM }),
            logger,
            clock: () => new Date(now.ms),
          };
          return { run: deliver(deps, input, attempt), beats };
        },
        async copies() {
          const received = (await sink.parsed()).filter(
            (mail) => mail.headers.get('x-notification-key') === input.notification.key,
          );
          return { count: received.length, messageIds: new Set(received.map((mail) => mail.messageId ?? '')) };
        },
        row: () => store.findSentMail(input.agreementId, input.notification.key),
      };
    }

    /** Runs attempts as Temporal's retry policy would until one succeeds, moving the clock past held claims. */
    async function untilDelivered(run: Run, previous?: DeliveryProgress): Promise<number> {
      let last = previous;
      for (let tries = 1; tries <= 4; tries++) {
        const { run: attempt, beats } = run.attempt(run.store, last);
        try {
          await attempt;
          return tries;
        } catch (error) {
          if ((error as { type?: string }).type === 'MailClaimHeld') run.now.ms += ATTEMPT_MS + 1_000;
          last = beats.at(-1) ?? last;
        }
      }
      throw new Error('not delivered after 4 attempts');
    }

    it('delivers once when two attempts of one notification overlap', async () => {
      const run = await open();
      const results = await Promise.allSettled([run.attempt().run, run.attempt().run]);
      const outcomes = results.map((r) => (r.status === 'fulfilled' ? 'sent' : (r.reason as { type?: string }).type));
      expect(outcomes.sort()).toEqual(['MailClaimHeld', 'sent']);
      expect((await run.copies()).count).toBe(1);
      expect(await run.row()).toMatchObject({ status: 'sent', resends: 0 });
    });

    // What each kill leaves, and what the retry then does. Once the final dot is out, nobody can know whether the
    // server kept the message: the retry sends it again with the same Message-ID, and the log counts the resend.
    const kills: { point: KillPoint; copies: number; resends: number }[] = [
      { point: 'before-claim', copies: 1, resends: 0 },
      { point: 'after-claim', copies: 1, resends: 1 },
      { point: 'during-data', copies: 1, resends: 1 },
      { point: 'after-dot', copies: 2, resends: 1 },
      { point: 'after-reply', copies: 2, resends: 1 },
    ];
    it.each(kills)('a worker killed $point: $copies cop(ies), one Message-ID, log sent', async (kill) => {
      const run = await open();
      if (kill.point === 'during-data') run.sink.breakNext('during-data');
      if (kill.point === 'after-dot') run.sink.breakNext('after-dot');
      const die = () => Promise.reject(new Killed());
      const dying = run.storeFor((method, call) => {
        if (kill.point === 'before-claim' && method === 'claimMail') return die();
        if (kill.point === 'after-claim' && method === 'claimMail') return call().then(die);
        // Dying with the broken line: whatever the attempt would write next (a release, an 'uncertain') is not written.
        if (kill.point === 'during-data' && (method === 'releaseMail' || method === 'settleMail')) return die();
        if ((kill.point === 'after-dot' || kill.point === 'after-reply') && method === 'settleMail') return die();
        return call();
      });
      // The attempt ends there (its error is whatever was in flight); the rows it had written stay as they are.
      await expect(run.attempt(dying).run).rejects.toThrow();
      // A killed process's heartbeats may be lost: the next attempt starts knowing nothing.
      await untilDelivered(run);
      const copies = await run.copies();
      expect(copies.count).toBe(kill.copies);
      expect(copies.messageIds.size).toBe(1);
      expect(await run.row()).toMatchObject({ status: 'sent', resends: kill.resends });
    });

    it('a takeover whose own line breaks before DATA still counts the copy the dead attempt left', async () => {
      const run = await open();
      const dying = run.storeFor((method, call) => (method === 'settleMail' ? Promise.reject(new Killed()) : call()));
      await expect(run.attempt(dying).run).rejects.toBeInstanceOf(Killed);
      // Its heartbeat lost with it, the dead attempt's claim is taken over once it runs out.
      run.now.ms += ATTEMPT_MS + 1_000;
      run.sink.breakNext('before-data');
      expect(await untilDelivered(run)).toBe(2);
      const copies = await run.copies();
      expect(copies.count).toBe(2);
      expect(copies.messageIds.size).toBe(1);
      expect(await run.row()).toMatchObject({ status: 'sent', resends: 1 });
    });

    it('killed after the reply twice running: three copies, one Message-ID, both resends counted', async () => {
      const run = await open();
      const dying = run.storeFor((method, call) => (method === 'settleMail' ? Promise.reject(new Killed()) : call()));
      await expect(run.attempt(dying).run).rejects.toBeInstanceOf(Killed);
      run.now.ms += ATTEMPT_MS + 1_000;
      await expect(run.attempt(dying).run).rejects.toBeInstanceOf(Killed);
      run.now.ms += ATTEMPT_MS + 1_000;
      await untilDelivered(run);
      const copies = await run.copies();
      expect(copies.count).toBe(3);
      expect(copies.messageIds.size).toBe(1);
      expect(await run.row()).toMatchObject({ status: 'sent', resends: 2 });
    });

    it('records without sending again when the killed attempt had heartbeated the 2xx', async () => {
      const run = await open();
      const dying = run.storeFor((method, call) => (method === 'settleMail' ? Promise.reject(new Killed()) : call()));
      const first = run.attempt(dying);
      await expect(first.run).rejects.toBeInstanceOf(Killed);
      expect(first.beats.at(-1)).toMatchObject({ accepted: true });
      expect(await untilDelivered(run, first.beats.at(-1))).toBe(1);
      expect((await run.copies()).count).toBe(1);
      expect(await run.row()).toMatchObject({ status: 'sent', resends: 0 });
    });

    const lines: { point: LinePoint; copies: number; resends: number }[] = [
      { point: 'at-connect', copies: 1, resends: 0 },
      { point: 'before-data', copies: 1, resends: 0 },
      // A short message is all in the socket when the line breaks mid-DATA: the sender cannot tell that from a break
      // after the dot, so it resends at once (the server had discarded the part it got: one copy).
      { point: 'during-data', copies: 1, resends: 1 },
      { point: 'after-dot', copies: 2, resends: 1 },
    ];
    it('the line broken after the dot twice: three copies, one Message-ID, each resend counted', async () => {
      const run = await open();
      run.sink.breakNext('after-dot', 2);
      await untilDelivered(run);
      const copies = await run.copies();
      expect(copies.count).toBe(3);
      expect(copies.messageIds.size).toBe(1);
      expect(await run.row()).toMatchObject({ status: 'sent', resends: 2 });
    });

    it.each(lines)('the line broken $point: $copies cop(ies), one Message-ID, log sent', async (line) => {
      const run = await open();
      run.sink.breakNext(line.point);
      const tries = await untilDelivered(run);
      // Broken once all was written, the same attempt resends at once; before that, the claim is released for the retry.
      expect(tries).toBe(line.resends > 0 ? 1 : 2);
      const copies = await run.copies();
      expect(copies.count).toBe(line.copies);
      expect(copies.messageIds.size).toBe(1);
      expect(await run.row()).toMatchObject({ status: 'sent', resends: line.resends });
    });

    it('a store down across the send: the 2xx travels in the heartbeat, and the retry only records it', async () => {
      const run = await open();
      const outage = run.storeFor((method, call) =>
        method === 'claimMail' ? call() : Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
      );
      const first = run.attempt(outage);
      await expect(first.run).rejects.toThrow(/ECONNREFUSED/);
      expect(await run.row()).toMatchObject({ status: 'claimed' });
      await untilDelivered(run, first.beats.at(-1));
      expect((await run.copies()).count).toBe(1);
      expect(await run.row()).toMatchObject({ status: 'sent', resends: 0 });
    });

    it('a refusal (554 after the final dot) is final and logged refused', async () => {
      const run = await open();
      const email = 'spam@uob.example';
      const refused: SendNotificationInput = {
        ...input,
        notification: {
          ...input.notification,
          key: `invitation:ceremony:${email}`,
          recipient: { ...input.notification.recipient, email },
        },
      };
      const transport = smtpTransport(run.sink.url);
      cleanups.push(() => transport.close());
      const deps = {
        records: run.store,
        transport,
        render: (mail: SendNotificationInput) => renderNotification(mail, { from: FROM }),
        logger: createLogger({ level: 'silent' }),
      };
      await expect(deliver(deps, refused)).rejects.toMatchObject({
        type: 'PermanentDeliveryFailure',
        nonRetryable: true,
      });
      expect(await run.store.findSentMail(refused.agreementId, refused.notification.key)).toMatchObject({
        status: 'refused',
      });
      // Asked again (a replay), it says so instead of sending.
      expect(await deliver(deps, refused)).toMatchObject({ status: 'rejected' });
      expect(run.sink.received()).toBe(0);
    });
  },
);
