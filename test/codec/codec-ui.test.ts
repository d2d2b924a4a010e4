// The Temporal UI reads encrypted agreements through the codec server: a real dev server started with
// `--ui-codec-endpoint`, a real worker and client with the AES-GCM codec, and a headless Chromium that opens the
// agreement's page. Proves the CORS preflight and the `/decode` protocol work for the browser, not just for curl.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { chromium } from 'playwright-core';
import { expect, inject, it } from 'vitest';
import { AgreementsClient } from '../../src/client/agreements-client.ts';
import { startCodecServer } from '../../src/codec/codec-server.ts';
import { codecFromEnvironment } from '../../src/codec/data-converter.ts';
import { generateKeyEntry } from '../../src/keys/keyring.ts';
import { startDevServer } from '../../src/local/devserver/dev-server.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { openWorkerDependencies } from '../../src/worker/dependencies.ts';
import { routeSdkLogsTo } from '../../src/worker/runtime-logging.ts';
import { workflowIdFor } from '../../src/wire/contract.ts';
import { phdProgramme } from '../support/agreements.ts';
import { CHROMIUM, CHROMIUM_ARGS, hasChromium } from '../support/browser.ts';
import { freePort } from '../support/global-setup.ts';

it.skipIf(!hasChromium)(
  hasChromium
    ? 'the Temporal UI shows an encrypted agreement decoded through the codec server'
    : `skipped: ${CHROMIUM} is missing`,
  async () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    try {
      const codec = codecFromEnvironment({ AGREEMENTS_CODEC_KEYS: generateKeyEntry('ui') }) as PayloadCodec;
      let decoded = 0;
      const counting: PayloadCodec = {
        encode: (payloads: Payload[]) => codec.encode(payloads),
        decode: (payloads: Payload[]) => {
          decoded += payloads.length;
          return codec.decode(payloads);
        },
      };
      const [port, uiPort] = [await freePort(), await freePort()];
      const ui = `http://127.0.0.1:${uiPort}`;
      const codecServer = await startCodecServer({ codec: counting, host: '127.0.0.1', port: 0, corsOrigins: [ui] });
      cleanup.unshift(() => codecServer.close());

      const server = await startDevServer({ ip: '127.0.0.1', port, uiPort, uiCodecEndpoint: codecServer.url });
      cleanup.unshift(() => server.stop());
      const address = server.address;
      const connection = await Connection.connect({ address });
      cleanup.unshift(() => connection.close());

      const home = await mkdtemp(join(tmpdir(), 'agreements-codec-ui-'));
      cleanup.unshift(() => rm(home, { recursive: true, force: true }));
      routeSdkLogsTo(createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'error', name: 'temporal-sdk' }));
      const taskQueue = 'agreements';
      const config = loadConfig({
        TEMPORAL_ADDRESS: address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        AGREEMENTS_HOME: home,
        LOG_LEVEL: 'warn',
      });
      const nativeConnection = await NativeConnection.connect({ address });
      cleanup.unshift(() => nativeConnection.close());
      const dependencies = await openWorkerDependencies(
        config,
        createLogger({ level: 'warn', name: 'codec-ui-worker' }),
      );
      cleanup.unshift(() => dependencies.close());
      const dataConverter = { payloadCodecs: [codec] };
      const worker = await Worker.create({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue,
        activities: { ...dependencies.activities, ...dependencies.actorActivities },
        workflowBundle: { code: inject('workflowBundleCode') },
        dataConverter,
      });
      const running = worker.run();
      cleanup.unshift(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      });
      const agreements = AgreementsClient.fromClient(
        new Client({ connection, namespace: 'default', dataConverter }),
        taskQueue,
      );
      const id = `codec-ui-${randomBytes(3).toString('hex')}`;
      await agreements.start(phdProgramme(Date.now(), {}, { id }));
      await agreements.command(id, 'submit', {});

      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      cleanup.unshift(() => browser.close());
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const decodeRequests: { namespace: string | undefined; status: number }[] = [];
      page.on('response', (response) => {
        if (response.url().startsWith(codecServer.url) && response.request().method() === 'POST') {
          decodeRequests.push({ namespace: response.request().headers()['x-namespace'], status: response.status() });
        }
      });
      await page.goto(`${ui}/namespaces/default/workflows/${workflowIdFor(id)}`, { waitUntil: 'domcontentloaded' });
      // The workflow's input, decrypted by the codec server in the browser: the signatories' emails are readable.
      await page.getByText('vc@uob.example').first().waitFor({ state: 'attached', timeout: 30_000 });
      expect(decoded).toBeGreaterThan(0);
      expect(decodeRequests.length).toBeGreaterThan(0);
      expect(decodeRequests.every((request) => request.status === 200)).toBe(true);
      expect(decodeRequests.some((request) => request.namespace === 'default')).toBe(true);
    } finally {
      for (const step of cleanup) await step().catch(() => undefined);
    }
  },
  180_000,
);
