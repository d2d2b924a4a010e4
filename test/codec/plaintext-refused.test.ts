import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AgreementsClient } from '../../src/client/agreements-client.ts';
import { AesGcmCodec } from '../../src/codec/aes-gcm-codec.ts';
import { dataConverterFor, workerDataConverterFor } from '../../src/codec/data-converter.ts';
import { generateKeyEntry, keyringFromEnvironment } from '../../src/keys/keyring.ts';
import { locateTemporalCli } from '../../src/local/devserver/temporal-cli.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { WORKFLOW_TYPE, workflowIdFor } from '../../src/wire/contract.ts';
import { PLAINTEXT_REFUSAL } from '../../src/wire/plaintext.ts';
import { bundleAgreementWorkflows, createAgreementWorker } from '../../src/worker/create-worker.ts';
import { openWorkerDependencies, type WorkerDependencies } from '../../src/worker/dependencies.ts';
import { routeSdkLogsTo } from '../../src/worker/runtime-logging.ts';
import { mou } from '../support/agreements.ts';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal.ts';

const keyring = keyringFromEnvironment({ AGREEMENTS_CODEC_KEYS: generateKeyEntry('k1') }) ?? fail('no keyring');

function fail(why: string): never {
  throw new Error(why);
}

let env: TestWorkflowEnvironment;
let dependencies: WorkerDependencies;
let worker: Worker;
let running: Promise<void>;
let home: string;
let taskQueue: string;
/** A client holding the key: what the office's CLI is. */
let agreements: AgreementsClient;
let keyHolder: Client;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'agreements-plaintext-'));
  taskQueue = uniqueTaskQueue('agreements-plaintext');
  const config = loadConfig({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    AGREEMENTS_HOME: home,
    LOG_LEVEL: 'warn',
  });
  routeSdkLogsTo(createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'error', name: 'temporal-sdk' }));
  env = await connectTestEnvironment();
  dependencies = await openWorkerDependencies(config, createLogger({ level: 'warn', name: 'plaintext-test' }));
  worker = await createAgreementWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: dependencies.activities,
    workflowBundle: await bundleAgreementWorkflows({ encryptedFailures: true }),
    // As `npm run worker` has it with AGREEMENTS_CODEC_KEYS set.
    dataConverter: workerDataConverterFor(keyring),
  });
  running = worker.run();
  keyHolder = new Client({
    connection: env.connection,
    namespace: 'default',
    dataConverter: dataConverterFor(keyring),
  });
  agreements = AgreementsClient.fromClient(keyHolder, taskQueue);
});

afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await dependencies?.close();
  await env?.teardown();
  if (home) await rm(home, { recursive: true, force: true });
});

/** The stock Temporal CLI, without the codec: what anyone with namespace access but not the key can run. */
async function temporalCli(args: string[]): Promise<{ code: number; output: string }> {
  const temporal = await locateTemporalCli();
  if (!temporal) throw new Error('no Temporal CLI');
  return promisify(execFile)(temporal, [...args, '--address', inject('temporalAddress')]).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? 1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  );
}

const eventKinds = async (id: string) =>
  ((await keyHolder.workflow.getHandle(workflowIdFor(id)).fetchHistory()).events ?? []).map((event) =>
    Object.keys(event).find((key) => key.endsWith('Attributes')),
  );

describe('a worker with AGREEMENTS_CODEC_KEYS requires encrypted payloads', () => {
  it('refuses a command sent in clear by the stock CLI: the Update is rejected, nothing applied or recorded', async () => {
    const id = `plain-${randomBytes(4).toString('hex')}`;
    await agreements.start(mou(Date.now(), id));
    const update = (input: string[]) =>
      temporalCli(['workflow', 'update', 'execute', '--workflow-id', workflowIdFor(id), '--name', 'submit', ...input]);

    const plain = await update(['--input', '{}']);
    expect(plain.code).not.toBe(0);
    // The message is encrypted like every failure's; its type is not, so the sender still learns why.
    expect(plain.output).toContain('Encoded failure (type: PlaintextRefused, retryable: false)');
    const bare = await update([]);
    expect(bare.code).not.toBe(0);
    expect(bare.output).toContain('Encoded failure (type: InvalidCommand, retryable: false)');

    expect((await agreements.show(id)).stage).toBe('draft');
    const kinds = await eventKinds(id);
    expect(kinds).not.toContain('workflowExecutionUpdateAcceptedEventAttributes');
    expect((await dependencies.records.history(id)).map((row) => row.type)).toEqual(['started']);

    // The key holder's commands still apply.
    expect((await agreements.command(id, 'submit', {})).stage).toBe('signing');
  });

  it('tells a key holder why: the rejection names the missing encryption', async () => {
    const id = `plain-${randomBytes(4).toString('hex')}`;
    await agreements.start(mou(Date.now(), id));
    // A client that sends in clear but reads replies with the key, to see the refusal's message.
    const codec = new AesGcmCodec(keyring);
    const sendsInClear: PayloadCodec = {
      encode: async (payloads) => payloads,
      decode: (payloads) => codec.decode(payloads),
    };
    const client = new Client({
      connection: env.connection,
      namespace: 'default',
      dataConverter: { payloadCodecs: [sendsInClear] },
    });
    const failure = await client.workflow
      .getHandle(workflowIdFor(id))
      .executeUpdate('amend', { args: [{ patch: { title: 'Forged' } }] })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((failure as WorkflowUpdateFailedError).cause).toMatchObject({
      message: PLAINTEXT_REFUSAL,
      type: 'PlaintextRefused',
    });
    expect((await agreements.show(id)).title).toBe(mou(0, id).title);
    expect((await agreements.show(id)).stage).toBe('draft');
  });

  it('fails a start sent in clear by the stock CLI before any event, record or mail', async () => {
    const id = `plain-${randomBytes(4).toString('hex')}`;
    const started = await temporalCli([
      'workflow',
      'start',
      '--type',
      WORKFLOW_TYPE,
      '--task-queue',
      taskQueue,
      '--workflow-id',
      workflowIdFor(id),
      '--input',
      JSON.stringify(mou(Date.now(), id)),
    ]);
    expect(started.code).toBe(0);

    const failure = await keyHolder.workflow
      .getHandle(workflowIdFor(id))
      .result()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause as { message?: string; type?: string; nonRetryable?: boolean };
    expect(cause).toMatchObject({ message: PLAINTEXT_REFUSAL, type: 'PlaintextRefused', nonRetryable: true });
    expect(await eventKinds(id)).toEqual([
      'workflowExecutionStartedEventAttributes',
      'workflowTaskScheduledEventAttributes',
      'workflowTaskStartedEventAttributes',
      'workflowTaskCompletedEventAttributes',
      'workflowExecutionFailedEventAttributes',
    ]);
    expect(await dependencies.records.history(id)).toEqual([]);
    expect((await dependencies.records.register()).filter((row) => row.id === id)).toEqual([]);
    expect(await dependencies.records.sentMail(id)).toEqual([]);
  });
});
