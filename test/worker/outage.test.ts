import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { AgreementsClient } from '../../src/client/agreements-client.ts';
import { startDevServer } from '../../src/local/devserver/dev-server.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createAgreementWorker } from '../../src/worker/create-worker.ts';
import { openWorkerDependencies } from '../../src/worker/dependencies.ts';
import { routeSdkLogsTo } from '../../src/worker/runtime-logging.ts';
import { mou } from '../support/agreements.ts';
import { freePort } from '../support/global-setup.ts';
import { ThrowawayPostgresDatabases } from '../records/support/postgres-databases.ts';
import { eventually, startTestStack } from '../support/worker.ts';

const SECOND = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const databases = new ThrowawayPostgresDatabases(`outage_test_${randomBytes(4).toString('hex')}`);
afterAll(async () => {
  await databases.dropAll();
});

/** A TCP relay to PostgreSQL that can be cut (dropping every connection) and restored, to simulate an outage. */
async function cuttableRelay(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let open = true;
  const server: Server = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = new Socket();
    upstream.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('outages', () => {
  it('carries on after the Temporal server is stopped and restarted on its database file: timers still fire', async () => {
    const home = await mkdtemp(join(tmpdir(), 'agreements-outage-'));
    const port = await freePort();
    const uiPort = await freePort();
    const dbFile = join(home, 'temporal.db');
    let server = await startDevServer({ port, uiPort, dbFile });
    const taskQueue = `outage-${randomBytes(4).toString('hex')}`;
    const config = loadConfig({
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AGREEMENTS_HOME: home,
      LOG_LEVEL: 'error',
    });
    routeSdkLogsTo(createLogger({ level: 'error' }));
    const dependencies = await openWorkerDependencies(config, createLogger({ level: 'error' }));
    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const worker: Worker = await createAgreementWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: dependencies.activities,
      workflowBundle: { code: inject('workflowBundleCode') },
    });
    const running = worker.run();
    try {
      const id = `outage-${randomBytes(4).toString('hex')}`;
      const start = Date.now();
      let connection = await Connection.connect({ address: server.address });
      let client = AgreementsClient.fromClient(new Client({ connection }), taskQueue);
      await client.start({
        ...mou(start, id),
        ceremony: { at: new Date(start + 25 * SECOND).toISOString(), venue: 'Nanjing', timezone: 'Asia/Shanghai' },
        reminders: { ceremonyNotice: ['PT10S'] },
      });
      await client.command(id, 'submit', {});
      await connection.close();

      await server.stop();
      await sleep(5 * SECOND);
      server = await startDevServer({ port, uiPort, dbFile });
      connection = await Connection.connect({ address: server.address });
      client = AgreementsClient.fromClient(new Client({ connection }), taskQueue);

      const notice = await eventually(
        async () => {
          const sent = await dependencies.records.sentMail(id);
          return sent.find((row) => row.key === 'ceremony-notice:PT10S:vc@uob.example');
        },
        60_000,
        'the ceremony notice after the restart',
      );
      expect(Date.parse(notice.sentAt)).toBeGreaterThanOrEqual(start + 15 * SECOND - 1000);
      await client.command(id, 'sign', { signatory: 'vc-uob' });
      const view = await client.command(id, 'sign', { signatory: 'president-jitri' });
      expect(view.stage).toBe('active');
      expect((await dependencies.records.sentMail(id)).filter((row) => row.key.startsWith('invitation:'))).toHaveLength(
        3,
      );
      await connection.close();
    } finally {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await dependencies.close();
      await server.stop();
      await rm(home, { recursive: true, force: true });
    }
  }, 150_000);

  it('keeps every record when PostgreSQL is unreachable for a minute: record activities retry, nothing is lost', async () => {
    const database = new URL(await databases.create());
    const relay = await cuttableRelay({ host: database.hostname, port: Number(database.port || 5432) });
    database.host = `127.0.0.1:${relay.port}`;
    const stack = await startTestStack({ RECORDS_URL: database.toString() });
    try {
      const id = `pg-outage-${randomBytes(4).toString('hex')}`;
      const { client } = stack;
      await client.start({ ...mou(Date.now(), id), reminders: { ceremonyNotice: [] } });
      await client.command(id, 'submit', {});
      relay.cut();
      await client.command(id, 'sign', { signatory: 'vc-uob' });
      const view = await client.command(id, 'sign', { signatory: 'president-jitri' });
      expect(view.stage).toBe('active');
      await sleep(60 * SECOND);
      relay.restore();
      const trail = await eventually(
        async () => {
          const rows = await stack.dependencies.records.history(id).catch(() => []);
          return rows.length >= view.events ? rows : undefined;
        },
        90_000,
        'the audit trail after the outage',
      );
      expect(trail.map((row) => row.sequence)).toEqual(Array.from({ length: view.events }, (_, i) => i + 1));
      const register = await stack.dependencies.records.register({ stage: 'active' });
      expect(register.map((row) => row.id)).toContain(id);
      await client.command(id, 'cancel', { reason: 'test over' });
    } finally {
      await stack.stop();
      await relay.close();
    }
  }, 240_000);
});
