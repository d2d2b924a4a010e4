import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { deliver, smtpTransport } from '../../src/mail/delivery/index.ts';
import { renderNotification } from '../../src/mail/render.ts';
import { openRecordsStore, SQLITE_FILE_NAME } from '../../src/records/index.ts';
import type { RecordsStore } from '../../src/ports/records-store.ts';
import { createLogger } from '../../src/shared/logger.ts';
import type { SendNotificationInput } from '../../src/domain/index.ts';
import { ThrowawayPostgresDatabases } from '../records/support/postgres-databases.ts';
import { temporaryHome } from '../records/support/records-backends.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import { FROM, sampleOfEveryKind } from './support/reference-agreement.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const input: SendNotificationInput = sampleOfEveryKind().invitation;

/** Attempts again after a failure, a second apart, as the activity's retry policy would. */
async function asTemporalRetries(attempt: () => Promise<unknown>, attempts = 3): Promise<unknown> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

// A database that is slow or silent must fail the attempt within its timeout, having sent nothing, so that Temporal's
// retry delivers the mail once the database is back.
describe('mail delivery with a slow or silent records database', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  const databases = new ThrowawayPostgresDatabases();
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(() => databases.dropAll());

  async function deliveryOn(store: RecordsStore): Promise<{ sink: SmtpSink; attempt: () => Promise<unknown> }> {
    const sink = await startSmtpSink();
    const transport = smtpTransport(sink.url);
    cleanups.push(
      () => sink.close(),
      () => transport.close(),
    );
    const deps = {
      records: store,
      transport,
      render: (mail: SendNotificationInput) => renderNotification(mail, { from: FROM }),
      logger: createLogger({ level: 'silent' }),
    };
    return { sink, attempt: () => deliver(deps, input) };
  }

  async function opened(options: Parameters<typeof openRecordsStore>[0]): Promise<RecordsStore> {
    const store = await openRecordsStore(options);
    await store.migrate();
    cleanups.push(() => store.close());
    return store;
  }

  it('PostgreSQL that stops answering (no reply, no reset): the claim times out, nothing is sent', async () => {
    const url = new URL(await databases.create());
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    cleanups.push(() => proxy.close());
    const throughProxy = new URL(url);
    throughProxy.hostname = proxy.host;
    throughProxy.port = String(proxy.port);
    const store = await opened({ url: throughProxy.toString(), home: await temporaryHome() });
    const { sink, attempt } = await deliveryOn(store);

    proxy.blackhole();
    const started = Date.now();
    await expect(attempt()).rejects.toThrow(/timeout/i);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sink.received()).toBe(0);

    // Back: the connections that went silent are dropped, and the next attempts (Temporal's retries) deliver once.
    proxy.restore();
    expect(await asTemporalRetries(attempt)).toMatchObject({ status: 'sent' });
    expect(sink.received()).toBe(1);
  });

  it('PostgreSQL with the log locked by another session: the claim gives up before the activity would', async () => {
    const url = await databases.create();
    const store = await opened({ url, home: await temporaryHome() });
    const { sink, attempt } = await deliveryOn(store);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    cleanups.push(() => other.end());
    await other.query('begin');
    await other.query('lock table sent_mail in access exclusive mode');

    await expect(attempt()).rejects.toThrow(/statement timeout/i);
    expect(sink.received()).toBe(0);

    await other.query('commit');
    expect(await attempt()).toMatchObject({ status: 'sent' });
    expect(sink.received()).toBe(1);
  });

  it('SQLite held by another process: the claim gives up after busy_timeout, nothing is sent', async () => {
    const home = await temporaryHome();
    const store = await opened({ home });
    const { sink, attempt } = await deliveryOn(store);
    const other = new Database(`${home}/${SQLITE_FILE_NAME}`);
    cleanups.push(async () => other.close());
    other.exec('begin immediate');

    await expect(attempt()).rejects.toThrow(/busy|locked/i);
    expect(sink.received()).toBe(0);

    other.exec('commit');
    expect(await attempt()).toMatchObject({ status: 'sent' });
    expect(sink.received()).toBe(1);
  });
});
