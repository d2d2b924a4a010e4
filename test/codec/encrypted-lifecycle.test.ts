import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { DefaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AgreementsClient } from '../../src/client/agreements-client.ts';
import { dataConverterFor, workerDataConverterFor } from '../../src/codec/data-converter.ts';
import { generateKeyEntry, keyringFromEnvironment, type Keyring } from '../../src/keys/keyring.ts';
import { stateOverHttp } from '../../src/client/http-state-query.ts';
import { loadConfig } from '../../src/shared/config.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { AgreementStage } from '../../src/wire/search-attributes.ts';
import { bundleAgreementWorkflows, createAgreementWorker } from '../../src/worker/create-worker.ts';
import { openWorkerDependencies, type WorkerDependencies } from '../../src/worker/dependencies.ts';
import { routeSdkLogsTo } from '../../src/worker/runtime-logging.ts';
import { WORKFLOW_TYPE, workflowIdFor } from '../../src/wire/contract.ts';
import { startSmtpSink, type SmtpSink } from '../mail/support/smtp-sink.ts';
import { phdProgramme } from '../support/agreements.ts';
import { connectTestEnvironment, uniqueTaskQueue } from '../support/temporal.ts';
import { eventually } from '../support/worker.ts';

const { temporal } = proto;
const converter = new DefaultPayloadConverter();
const PERSONAL_DATA = [
  'vc@uob.example',
  'president@jitri.example',
  'partnerships@uob.example',
  'finance@jitri.example',
  'Adam Tickell',
  'Qing Liu',
];

const EMAIL = /[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}/;

const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);
const encodingOf = (payload: Payload | null | undefined) => text(payload?.metadata?.encoding);

/** Every Payload in a (raw, undecoded) history or describe response, with where it was found. */
function payloadsIn(
  value: unknown,
  path = '',
  found: { path: string; payload: Payload }[] = [],
): { path: string; payload: Payload }[] {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return found;
  const record = value as Record<string, unknown>;
  if (
    record.metadata &&
    typeof record.metadata === 'object' &&
    'encoding' in record.metadata &&
    record.data instanceof Uint8Array
  ) {
    found.push({ path, payload: record as Payload });
    return found;
  }
  for (const [key, item] of Object.entries(record)) payloadsIn(item, `${path}.${key}`, found);
  return found;
}

let env: TestWorkflowEnvironment;
let dependencies: WorkerDependencies;
let worker: Worker;
let running: Promise<void>;
let home: string;
let agreements: AgreementsClient;
let taskQueue: string;
let sink: SmtpSink;
let keyring: Keyring | undefined;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'agreements-codec-'));
  taskQueue = uniqueTaskQueue('agreements-codec');
  const variables = {
    AGREEMENTS_CODEC_KEYS: `${generateKeyEntry('old')},${generateKeyEntry('e2e')}`,
    AGREEMENTS_CODEC_KEY_ID: 'e2e',
  };
  keyring = keyringFromEnvironment(variables);
  const dataConverter = dataConverterFor(keyring);
  expect(dataConverter.payloadCodecs).toHaveLength(1);
  sink = await startSmtpSink();
  const config = loadConfig({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    AGREEMENTS_HOME: home,
    SMTP_URL: sink.url,
    LOG_LEVEL: 'warn',
  });
  routeSdkLogsTo(createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'error', name: 'temporal-sdk' }));
  env = await connectTestEnvironment();
  dependencies = await openWorkerDependencies(
    config,
    createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'warn', name: 'codec-test-worker' }),
  );
  // A bundle whose workflows encode their failures, as a worker started with encryption on bundles them.
  const bundle = await bundleAgreementWorkflows({ encryptedFailures: true });
  worker = await createAgreementWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    activities: dependencies.activities,
    workflowBundle: bundle,
    // As `npm run worker` has it: payloads in clear are refused, so everything the lifecycle needs is encrypted.
    dataConverter: workerDataConverterFor(keyringFromEnvironment(variables)),
  });
  running = worker.run();
  agreements = AgreementsClient.fromClient(
    new Client({ connection: env.connection, namespace: 'default', dataConverter }),
    taskQueue,
  );
});

afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await dependencies?.close();
  await sink?.close();
  await env?.teardown();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('an agreement on a worker and client with the AES-GCM codec', () => {
  it('runs normally, while Temporal only ever stores ciphertext (search attributes stay plain and hold no personal data)', async () => {
    const id = `codec-${randomBytes(4).toString('hex')}`;
    const workflowId = workflowIdFor(id);
    await agreements.start(phdProgramme(Date.now(), {}, { id }));
    expect((await agreements.command(id, 'submit', {})).stage).toBe('signing');
    const signed = await agreements.command(id, 'sign', { signatory: 'vc-uob' });
    expect(signed.stage).toBe('signing');
    expect(signed.signatures.find((s) => s.signatory === 'vc-uob')?.signedAt).not.toBeNull();
    expect((await agreements.show(id)).title).toBe('UoB–JITRI joint PhD researcher programme');

    // The activities decrypt their inputs: the mail goes out and is recorded.
    await eventually(
      async () =>
        (await dependencies.records.sentMail(id)).some((row) => row.key.startsWith('signature-recorded:'))
          ? true
          : undefined,
      30_000,
      'the signature-recorded mail',
    );

    // A client without the codec sees the raw history.
    const raw = env.client;
    const history = await raw.workflow.getHandle(workflowId).fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const input = started?.input?.payloads?.[0];
    expect(encodingOf(input)).toBe('binary/encrypted');
    expect(text(input?.metadata?.['encryption-key-id'])).toBe('e2e');
    expect(Buffer.from(input?.data ?? []).toString('latin1')).not.toContain('vc@uob.example');
    // Memo and the UI's static summary/details are payloads too, so they are encrypted as well.
    expect(encodingOf(started?.memo?.fields?.title)).toBe('binary/encrypted');
    expect(encodingOf(history.events?.[0]?.userMetadata?.summary)).toBe('binary/encrypted');
    expect(encodingOf(history.events?.[0]?.userMetadata?.details)).toBe('binary/encrypted');

    // Every payload of the history — workflow input, update arguments and results, activity inputs and results,
    // memo, summaries — is encrypted, except the search attributes and what Temporal's core writes itself without the
    // codec: patch markers (the patch's name) and a local activity marker's `data` (its sequence, type and times; its
    // result is encrypted). The byte check below covers those too.
    const found = payloadsIn(history);
    const notSearchAttributes = found.filter(
      (entry) => !/searchAttributes|patch-data|markerRecordedEventAttributes\.details\.data\./i.test(entry.path),
    );
    expect(notSearchAttributes.length).toBeGreaterThan(10);
    expect(
      notSearchAttributes
        .filter((entry) => encodingOf(entry.payload) !== 'binary/encrypted')
        .map((entry) => entry.path),
    ).toEqual([]);
    const historyBytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    for (const secret of PERSONAL_DATA) expect(historyBytes).not.toContain(secret);

    // Search attributes are plain JSON, readable without the key, and carry ids and stages only.
    const described = await eventually(
      async () => {
        const response = await raw.workflowService.describeWorkflowExecution({
          namespace: 'default',
          execution: { workflowId },
        });
        const fields = response.workflowExecutionInfo?.searchAttributes?.indexedFields ?? {};
        const stage = fields.AgreementStage ? converter.fromPayload<string>(fields.AgreementStage) : undefined;
        return stage === 'signing' ? fields : undefined;
      },
      30_000,
      'AgreementStage=signing',
    );
    for (const payload of Object.values(described)) {
      expect(encodingOf(payload)).toBe('json/plain');
      const value = Buffer.from(payload.data ?? []).toString('utf8');
      expect(value).not.toMatch(EMAIL);
      for (const secret of PERSONAL_DATA) expect(value).not.toContain(secret);
    }
    expect(converter.fromPayload(described.AgreementParties as Payload)).toEqual(['uob', 'jitri']);
    expect(converter.fromPayload(described.AgreementKind as Payload)).toBe('phd-programme');

    // With the codec, describe() decodes the memo and shows the same search attributes.
    const handle = agreements.client.workflow.getHandle(workflowId);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(AgreementStage)).toBe('signing');
    expect(description.memo?.title).toBe('UoB–JITRI joint PhD researcher programme');
    expect(await description.staticSummary()).toBe('UoB–JITRI joint PhD researcher programme');

    // Without the key the state cannot be read.
    await expect(raw.workflow.getHandle(workflowId).query('state')).rejects.toThrow(/binary\/encrypted/);
  });

  it("is shown through the server's HTTP API too, decrypted with the same keys (and not without them)", async () => {
    const id = `codec-http-${randomBytes(4).toString('hex')}`;
    await agreements.start(phdProgramme(Date.now(), {}, { id }));
    const base = inject('temporalHttpUrl');
    const raw = await fetch(
      `${base}/api/v1/namespaces/default/workflows/${workflowIdFor(id)}/query/state?noPayloadShorthand`,
      { method: 'POST', body: JSON.stringify({ query: { queryType: 'state' } }) },
    ).then((response) => response.json() as Promise<{ queryResult: { payloads: Payload[] } }>);
    const encoding = raw.queryResult.payloads[0]?.metadata?.encoding as unknown as string;
    expect(Buffer.from(encoding, 'base64').toString()).toBe('binary/encrypted');

    const settings = { temporalHttpUrl: base, namespace: 'default', workerWaitMs: 10_000 };
    expect(await stateOverHttp({ ...settings, keyring }, id)).toEqual(await agreements.show(id));
    const otherKeys = keyringFromEnvironment({ AGREEMENTS_CODEC_KEYS: generateKeyEntry('e2e') });
    expect(await stateOverHttp({ ...settings, keyring: otherKeys }, id)).toBeUndefined();
    expect(await stateOverHttp(settings, id)).toBeUndefined();
  });

  it('encrypts failure messages too: a refused address appears nowhere in the raw history', async () => {
    const id = `codec-bounce-${randomBytes(4).toString('hex')}`;
    const document = phdProgramme(Date.now(), {}, { id });
    const signatories = document.signatories as Record<string, unknown>[];
    document.signatories = signatories.map((signatory) =>
      signatory.id === 'vc-uob' ? { ...signatory, email: 'bounce@uob.example' } : signatory,
    );
    await agreements.start(document);
    await agreements.command(id, 'submit', {});

    // The invitation to bounce@ is refused with 550; the workflow reads the decrypted reason and tells the coordinators.
    await eventually(
      async () =>
        (await dependencies.records.sentMail(id)).some((row) => row.key.startsWith('delivery-failed:'))
          ? true
          : undefined,
      30_000,
      'the delivery-failed mail',
    );
    // The log row is settled at the server's 2xx; the sink may still be parsing the message then.
    const report = await eventually(
      async () =>
        (await sink.parsed()).find(
          (mail) =>
            mail.headers.get('x-notification-key')?.toString().startsWith('delivery-failed:') &&
            mail.subject?.includes(id),
        ),
      10_000,
      'the delivery-failed mail in the sink',
    );
    expect(report.text).toContain('bounce@uob.example');

    // The refusal reached the workflow as a batch's answer or a failed mail activity: either way, encrypted.
    const history = await env.client.workflow.getHandle(workflowIdFor(id)).fetchHistory();
    for (const event of history.events ?? []) {
      const failure = event.activityTaskFailedEventAttributes?.failure;
      if (failure) expect(failure.message).toBe('Encoded failure');
      if (failure) expect(encodingOf(failure.encodedAttributes)).toBe('binary/encrypted');
      const result = event.activityTaskCompletedEventAttributes?.result?.payloads?.[0];
      if (result) expect(encodingOf(result)).toBe('binary/encrypted');
    }
    const historyBytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    expect(historyBytes).not.toContain('bounce@uob.example');
    expect(historyBytes).not.toContain('refused');
  });

  it("encrypts the workflow's own failure messages (bundled with the encoding failure converter)", async () => {
    const id = `codec-invalid-${randomBytes(4).toString('hex')}`;
    // Bypasses the client's validation, as a script using the wire contract could: the workflow validates again.
    const document = {
      ...phdProgramme(Date.now(), {}, { id }),
      coordinators: [{ name: 'Partnerships Office', email: 'not-an-address-private-detail' }],
    };
    const handle = await agreements.client.workflow.start(WORKFLOW_TYPE, {
      workflowId: workflowIdFor(id),
      taskQueue,
      args: [document],
    });
    await expect(handle.result()).rejects.toThrow();

    const history = await env.client.workflow.getHandle(workflowIdFor(id)).fetchHistory();
    const failure = history.events?.find((event) => event.workflowExecutionFailedEventAttributes)
      ?.workflowExecutionFailedEventAttributes?.failure;
    expect(failure?.message).toBe('Encoded failure');
    expect(encodingOf(failure?.encodedAttributes)).toBe('binary/encrypted');
    const historyBytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
    expect(historyBytes).not.toContain('not-an-address-private-detail');
  });
});
