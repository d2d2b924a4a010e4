// What `npm run bench` and `npm run bench:parts` both run on: a dev server, an SMTP sink on loopback, the SQLite
// records store, one worker serving the lifecycle and the baseline, and a client; plus the one lifecycle they drive.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { NativeConnection, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { AgreementActivities } from '../src/ports/activities.ts';
import { AgreementsClient } from '../src/client/agreements-client.ts';
import { parseAgreement, type Agreement } from '../src/domain/index.ts';
import { scheduledMailKeys } from '../soak/scheduled-mail.ts';
import { startDevServer, type DevServer } from '../src/local/devserver/dev-server.ts';
import { loadConfig, type AppConfig } from '../src/shared/config.ts';
import { createLogger } from '../src/shared/logger.ts';
import { bundleAgreementWorkflows, createAgreementWorker, type WorkerTuning } from '../src/worker/create-worker.ts';
import { openWorkerDependencies, type WorkerDependencies } from '../src/worker/dependencies.ts';
import { routeSdkLogsTo } from '../src/worker/runtime-logging.ts';
import { baselineStep, type BaselineShape } from './workflows/baseline.ts';
import { BENCH_WORKER_PROCESS, BENCH_WORKFLOWS_PATH } from './workflows/index.ts';
import { startSmtpSink, type SmtpSink } from '../test/mail/support/smtp-sink.ts';
import { phdProgramme } from '../test/support/agreements.ts';
import { freePort } from '../test/support/global-setup.ts';
import { startProductionStack } from '../test/support/production-stack.ts';
import type { PayloadCodec } from '@temporalio/common';
import { AesGcmCodec } from '../src/codec/aes-gcm-codec.ts';
import type { RecordsStore } from '../src/ports/records-store.ts';
import type { ManagedProcess } from '../src/local/stack/process.ts';
import { startWorkerProcess } from '../src/local/stack/workers.ts';

/** What the benchmark drives and measures: a Temporal server, the workers on one task queue, the records, the mail. */
export interface BenchTarget {
  /** The Temporal server's process, for its CPU. */
  serverPid: number | undefined;
  /** The worker processes; none when the worker runs in this process. */
  workerPids: readonly number[];
  sink: SmtpSink;
  taskQueue: string;
  /** The records the workers keep, to read back. */
  records: RecordsStore;
  /** The workers' run; rejects if one stops by itself. */
  running: Promise<void>;
  raw: Client;
  client: AgreementsClient;
  /** Decodes payloads the workers encrypted (the stack's); absent where payloads are plain. */
  codec?: PayloadCodec;
  close(): Promise<void>;
}

/** A workflow's history with its activities' inputs decoded, so the benchmark can read what each one was given. */
export async function readableHistory(
  target: Pick<BenchTarget, 'raw' | 'codec'>,
  workflowId: string,
): Promise<proto.temporal.api.history.v1.IHistory> {
  const history = await target.raw.workflow.getHandle(workflowId).fetchHistory();
  const { codec } = target;
  if (!codec) return history;
  for (const event of history.events ?? []) {
    const input = event.activityTaskScheduledEventAttributes?.input;
    if (input?.payloads) input.payloads = await codec.decode(input.payloads);
  }
  return history;
}

/** The dev server with the worker in this process (`--target dev`). */
export interface BenchStack extends BenchTarget {
  server: DevServer;
  config: AppConfig;
  dependencies: WorkerDependencies;
  bundle: WorkflowBundleWithSourceMap;
  worker: Worker;
}

export interface BenchStackOptions {
  /** The SMTP sink (the contract) or .eml files. */
  mail: 'smtp' | 'outbox';
  tuning?: WorkerTuning;
  /** Wraps the real activities (to observe them); the baseline's no-op is added beside them. */
  activities?: (real: AgreementActivities) => AgreementActivities;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const server = await startDevServer({ port: await freePort(), uiPort: await freePort() });
  const sink = await startSmtpSink({ keep: false });
  const home = await mkdtemp(join(tmpdir(), 'agreements-bench-'));
  const taskQueue = `bench-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    AGREEMENTS_HOME: home,
    ...(options.mail === 'smtp' ? { SMTP_URL: sink.url } : {}),
    LOG_LEVEL: 'error',
  });
  const logger = createLogger({ level: 'error' });
  routeSdkLogsTo(logger);
  const dependencies = await openWorkerDependencies(config, logger);
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const bundle = await bundleAgreementWorkflows({ workflowsPath: BENCH_WORKFLOWS_PATH });
  const real = options.activities ? options.activities(dependencies.activities) : dependencies.activities;
  const activities = { ...real, noop: async () => undefined };
  const worker = await createAgreementWorker({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    activities,
    workflowBundle: bundle,
    ...(options.tuning ? { tuning: options.tuning } : {}),
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: server.address });
  const raw = new Client({ connection });
  return {
    server,
    serverPid: server.pid,
    workerPids: [],
    records: dependencies.records,
    sink,
    config,
    taskQueue,
    dependencies,
    bundle,
    worker,
    running,
    raw,
    client: AgreementsClient.fromClient(raw, taskQueue),
    async close() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
      await nativeConnection.close();
      await dependencies.close();
      await sink.close();
      await server.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

export interface StackTargetOptions {
  /** Worker processes serving the benchmark's task queue. */
  workers: number;
  tuning?: WorkerTuning;
}

/**
 * The production topology of spec §13 (`--target stack`): the Temporal server on PostgreSQL with SQL visibility, as
 * `npm run stack` starts it (its own throwaway databases), and `workers` worker processes with the records in
 * PostgreSQL and payloads encrypted as the stack's workers do. Mail goes to the same SMTP sink as on the dev server, so
 * the two targets differ only in the topology.
 */
export async function startStackTarget(options: StackTargetOptions): Promise<BenchTarget> {
  const production = await startProductionStack({ workers: 0, prefix: 'agreements_bench' });
  const { stack } = production;
  const home = stack.settings.home;
  const sink = await startSmtpSink({ keep: false });
  const taskQueue = `bench-${randomBytes(4).toString('hex')}`;
  const workers: ManagedProcess[] = [];
  const close = async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await sink.close();
    await production.stop();
  };
  try {
    const bundle = await bundleAgreementWorkflows({ workflowsPath: BENCH_WORKFLOWS_PATH, encryptedFailures: true });
    const bundleFile = join(home, 'bench-workflows.js');
    await writeFile(bundleFile, bundle.code);
    const env = { ...stack.env, TEMPORAL_TASK_QUEUE: taskQueue, SMTP_URL: sink.url, LOG_LEVEL: 'error' };
    const program = {
      entry: BENCH_WORKER_PROCESS,
      env: { BENCH_BUNDLE_FILE: bundleFile, BENCH_TUNING: JSON.stringify(options.tuning ?? {}) },
    };
    for (let i = 1; i <= options.workers; i++) {
      workers.push(await startWorkerProcess(i, env, home, join(home, 'stack'), program));
    }
  } catch (error) {
    await close();
    throw error;
  }
  let closing = false;
  const running = Promise.race(workers.map((worker) => worker.exited)).then(async () => {
    if (closing) return;
    const gone = workers.find((worker) => worker.hasExited());
    const tail = (await gone?.logTail(20)) ?? '';
    throw new Error(`${gone?.name ?? 'a worker'} stopped (${gone?.exitDescription() ?? 'unknown'})\n${tail}`);
  });
  const raw = production.temporal;
  const records = production.records;
  return {
    serverPid: stack.temporalServer().pid,
    workerPids: workers.map((worker) => worker.pid),
    sink,
    taskQueue,
    records,
    running,
    raw,
    client: AgreementsClient.fromClient(raw, taskQueue),
    codec: new AesGcmCodec(production.keyring),
    close: async () => {
      closing = true;
      await close();
    },
  };
}

/** One full lifecycle of the UoB–JITRI programme, driven as fast as the server answers; returns each update's latency. */
export async function driveLifecycle(client: AgreementsClient, id: string): Promise<number[]> {
  const latencies: number[] = [];
  const timed = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    latencies.push(performance.now() - started);
  };
  await client.start({ ...phdProgramme(Date.now()), id });
  await timed(() => client.command(id, 'submit', {}));
  await timed(() => client.command(id, 'sign', { signatory: 'vc-uob' }));
  await timed(() => client.command(id, 'sign', { signatory: 'president-jitri' }));
  await timed(() => client.command(id, 'confirmFunding', { commitment: 'jitri-phd', amount: 1350000 }));
  await timed(() => client.command(id, 'confirmFunding', { commitment: 'uob-phd', amount: 1350000 }));
  await timed(() =>
    client.command(id, 'enrol', {
      candidates: [
        { name: 'Li Wei', email: 'li.wei@jitri.example' },
        { name: 'Amy Jones', email: 'amy@uob.example' },
      ],
    }),
  );
  await timed(() => client.command(id, 'launch', {}));
  await timed(() => client.command(id, 'complete', {}));
  await client.result(id);
  return latencies;
}

/** One baseline workflow of the given shape, its updates sent one after another; returns each update's latency. */
export async function driveBaseline(
  stack: Pick<BenchTarget, 'raw' | 'taskQueue'>,
  workflowId: string,
  shape: BaselineShape,
): Promise<number[]> {
  const latencies: number[] = [];
  const handle = await stack.raw.workflow.start('baselineWorkflow', {
    workflowId,
    taskQueue: stack.taskQueue,
    args: [shape],
  });
  for (let i = 0; i < shape.updates; i++) {
    const started = performance.now();
    await handle.executeUpdate(baselineStep, { args: [{}] });
    latencies.push(performance.now() - started);
  }
  await handle.result();
  return latencies;
}

/** How many events of each kind a history holds (workflow tasks, activities, timers, upserts …). */
export function countEventTypes(history: proto.temporal.api.history.v1.IHistory): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of history.events ?? []) {
    const type = (proto.temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? 'UNKNOWN').replace('EVENT_TYPE_', '');
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

/**
 * The naive implementation of the agreement a lifecycle drove (spec §11): as many commands, one email per mail its
 * history sent, and a timer per reminder its agreement plans. Nothing here copies how the lifecycle itself works.
 */
export function baselineShapeOf(updates: number, history: proto.temporal.api.history.v1.IHistory): BaselineShape {
  const parsed = parseAgreement(phdProgramme(Date.now()));
  if (!parsed.ok) throw new Error(`the benchmark's agreement is invalid: ${parsed.errors.join('; ')}`);
  return { updates, emails: new Set(scheduledMailKeys(history)).size, reminders: plannedReminders(parsed.value) };
}

/**
 * The reminders a naive implementation times for an agreement: each ceremony notice, the first signature chase, for
 * funding its first chase and each due date, for a cohort with a launch date each launch notice and the launch, for a
 * term each renewal notice and its end.
 */
export function plannedReminders(agreement: Agreement): number {
  const { reminders, funding, cohort, term } = agreement;
  const fundingReminders = funding ? 1 + funding.commitments.filter((commitment) => commitment.dueAt).length : 0;
  const launchReminders = cohort?.launchAt ? reminders.launchNotice.length + 1 : 0;
  const termReminders = term ? reminders.renewalNotice.length + 1 : 0;
  return reminders.ceremonyNotice.length + 1 + fundingReminders + launchReminders + termReminders;
}

export async function historyShape(raw: Client, workflowId: string): Promise<Map<string, number>> {
  return countEventTypes(await raw.workflow.getHandle(workflowId).fetchHistory());
}
