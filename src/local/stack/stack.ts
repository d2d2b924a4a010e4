import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AesGcmCodec } from '../../codec/aes-gcm-codec.ts';
import { dataConverterFor } from '../../codec/data-converter.ts';
import { startCodecServer } from '../../codec/codec-server.ts';
import type { Logger } from '../../shared/logger.ts';
import type { StackBinaries } from './binaries.ts';
import type { StackCodecKeys } from './codec-keys.ts';
import { mailpitUrl, startMailpit } from './mailpit.ts';
import {
  databaseUrl,
  ensureRecordsDatabase,
  postgresUnreachable,
  stackDatabases,
  type StackDatabases,
} from './postgres.ts';
import type { ManagedProcess } from './process.ts';
import type { StackSettings } from './settings.ts';
import {
  setupNamespace,
  setupTemporalSchema,
  startTemporalServer,
  temporalAddress,
  type TemporalServerContext,
} from './temporal-server.ts';
import { startUiServer, uiUrl } from './ui-server.ts';
import { startWebProcess, startWorkerProcess, type WorkerEnvironment, type WorkerProgram } from './workers.ts';
import { Client, Connection } from '@temporalio/client';
import { deployFiles } from './deploy-files.ts';
import {
  makeCurrentOnceKnown,
  rollOut,
  strandedAgreements,
  type RolloutReport,
  type RolloutTiming,
} from './rollout.ts';

/** What `.agreements/stack.env` holds: the workers' view, plus where to look (spec §13). */
export interface StackEnvironment extends WorkerEnvironment {
  TEMPORAL_UI_URL: string;
  /** The server's HTTP API: `agreements show` queries through it (no gRPC client to load). */
  TEMPORAL_HTTP_ADDRESS: string;
  MAILPIT_URL: string;
  /** The codec server the UI reads encrypted payloads through. */
  TEMPORAL_CODEC_ENDPOINT: string;
  /** The web server mail links open (SPEC 16). */
  WEB_URL: string;
}

export interface RunningStack {
  settings: StackSettings;
  databases: StackDatabases;
  env: StackEnvironment;
  temporalServer(): ManagedProcess;
  readonly mailpit: ManagedProcess;
  readonly ui: ManagedProcess;
  /** The workers of the current build (after a rollout, the new build's). */
  readonly workers: readonly ManagedProcess[];
  readonly web: ManagedProcess;
  /** The build id of the Worker Deployment version the workers run as, the current one (spec §19). */
  readonly buildId: string;
  /**
   * Rolls out another build (spec §19): its workers start beside the running ones, it becomes current, running
   * agreements are nudged onto it, and the old build's workers stop once nothing is pinned to it. `program` runs
   * other code than this checkout's `npm run worker` (a test's build B).
   */
  deploy(buildId: string, options?: { program?: WorkerProgram; timing?: RolloutTiming }): Promise<RolloutReport>;
  /** Called with each worker the stack starts after it is up (a rollout's), so a watcher can watch it too. */
  onWorkerStarted(listener: (worker: ManagedProcess) => void): void;
  /** Whether the stack stopped this worker itself (a retired build's): its exit is no failure. */
  retired(worker: ManagedProcess): boolean;
  /** Stops the Temporal server (SIGTERM) and starts it again on the same databases; the rest keeps running. */
  restartTemporalServer(): Promise<void>;
  /** Stops every part, workers first (they finish their tasks), then the UI, the server and Mailpit. */
  stop(): Promise<void>;
}

export class PostgresUnreachableError extends Error {
  override name = 'PostgresUnreachableError';
}

/** Brings the topology up on the machine's PostgreSQL, part by part, each waited for; on failure stops what started. */
export async function startStack(
  settings: StackSettings,
  binaries: StackBinaries,
  codecKeys: StackCodecKeys,
  logger: Logger,
  /** AGREEMENTS_LINK_KEYS for the workers and the web server. */
  linkKeys: string,
  /** The build id the workers run as (AGREEMENTS_BUILD_ID, else the package version and commit). */
  buildId: string,
): Promise<RunningStack> {
  const logDir = join(settings.home, 'stack');
  await mkdir(logDir, { recursive: true });
  const databases = stackDatabases(settings.databasePrefix);
  const started: ManagedProcess[] = [];
  let closeCodecServer = async () => {};
  let closeConnection = async () => {};
  const stopAll = async () => {
    await closeConnection();
    for (const part of [...started].reverse()) await part.stop();
    await closeCodecServer();
  };

  try {
    try {
      await ensureRecordsDatabase(settings.postgresUrl, databases.records);
    } catch (error) {
      throw new PostgresUnreachableError(postgresUnreachable(settings.postgresUrl, error), { cause: error });
    }
    const context: TemporalServerContext = { binaries, settings, databases, logDir };
    logger.info({ databases: Object.values(databases) }, 'setting up the Temporal schema on PostgreSQL');
    await setupTemporalSchema(context);

    const mailpit = await startMailpit({
      binary: binaries.mailpit,
      smtpPort: settings.ports.smtp,
      httpPort: settings.ports.mailpit,
      logDir,
    });
    started.push(mailpit);
    logger.info({ smtp: `127.0.0.1:${settings.ports.smtp}`, url: mailpitUrl(settings.ports.mailpit) }, 'Mailpit ready');

    let server = await startTemporalServer(context);
    started.push(server);
    await setupNamespace(context);
    const address = temporalAddress(settings);
    logger.info({ address, namespace: settings.namespace }, 'Temporal server ready (PostgreSQL, SQL visibility)');

    // Payloads are encrypted; the UI decodes them through this codec server, in the launcher's own process and on
    // loopback, answering the UI's origin only.
    const codecServer = await startCodecServer({
      codec: new AesGcmCodec(codecKeys.keyring),
      host: '127.0.0.1',
      port: settings.ports.codec,
      corsOrigins: [uiUrl(settings.ports.ui)],
    });
    closeCodecServer = () => codecServer.close();
    const ui = await startUiServer({
      binary: binaries.temporalUi,
      temporalAddress: address,
      namespace: settings.namespace,
      port: settings.ports.ui,
      logDir,
      codecEndpoint: codecServer.url,
    });
    started.push(ui);
    logger.info({ url: uiUrl(settings.ports.ui) }, 'Temporal UI ready');

    const workerEnv: WorkerEnvironment = {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: settings.namespace,
      TEMPORAL_TASK_QUEUE: 'agreements',
      RECORDS_URL: databaseUrl(settings.postgresUrl, databases.records),
      SMTP_URL: `smtp://127.0.0.1:${settings.ports.smtp}`,
      MAIL_FROM: 'Partnerships Office <partnerships@uob.example>',
      LOG_LEVEL: settings.logLevel,
      AGREEMENTS_CODEC_KEYS: codecKeys.entry,
      AGREEMENTS_LINK_KEYS: linkKeys,
      WEB_PUBLIC_URL: `http://localhost:${settings.ports.web}`,
    };
    let workerCount = 0;
    // Every worker is a version of the Worker Deployment `agreements` (spec §19): this server upgrades on continue-as-new.
    const startBuild = async (build: string, program: WorkerProgram = { entry: deployFiles.workerMain, env: {} }) => {
      const versioned = {
        ...program,
        env: { ...program.env, AGREEMENTS_WORKER_DEPLOYMENT: 'on', AGREEMENTS_BUILD_ID: build },
      };
      // Both bundle their workflows at once; a failure of either stops the stack only once both have settled.
      const results = await Promise.allSettled(
        Array.from({ length: settings.workers }, async () => {
          const worker = await startWorkerProcess(++workerCount, workerEnv, settings.home, logDir, versioned);
          started.push(worker);
          return worker;
        }),
      );
      return results.map((result) => {
        if (result.status === 'rejected') throw result.reason;
        return result.value;
      });
    };
    const builds = new Map<string, ManagedProcess[]>([[buildId, await startBuild(buildId)]]);
    let current = buildId;
    const connection = await Connection.connect({ address });
    closeConnection = () => connection.close();
    // The rollout's nudges read the workers' encrypted answers.
    const client = new Client({
      connection,
      namespace: settings.namespace,
      dataConverter: dataConverterFor(codecKeys.keyring),
    });
    await makeCurrentOnceKnown(client, buildId);
    for (const [build, count] of await strandedAgreements(client, buildId)) {
      logger.warn(
        `${count} running agreements are pinned to build ${build}, which no worker of this stack runs: they wait for one. ` +
          'Roll a new build out to a running stack with npm run stack -- --deploy instead of restarting it on another commit (docs/operations.md).',
      );
    }
    const workers = () => builds.get(current) ?? [];
    logger.info(
      { workers: workers().map((worker) => worker.pid), build: buildId },
      `${workers().length} workers polling`,
    );
    const retiredWorkers = new Set<ManagedProcess>();
    const workerListeners: ((worker: ManagedProcess) => void)[] = [];
    const web = await startWebProcess(workerEnv, settings.ports.web, settings.home, logDir);
    started.push(web);
    logger.info({ url: workerEnv.WEB_PUBLIC_URL }, 'web server ready (the pages mail links open)');

    return {
      settings,
      databases,
      env: {
        ...workerEnv,
        TEMPORAL_UI_URL: uiUrl(settings.ports.ui),
        TEMPORAL_HTTP_ADDRESS: `http://127.0.0.1:${settings.ports.temporalHttp}`,
        MAILPIT_URL: mailpitUrl(settings.ports.mailpit),
        TEMPORAL_CODEC_ENDPOINT: codecServer.url,
        WEB_URL: workerEnv.WEB_PUBLIC_URL as string,
      },
      temporalServer: () => server,
      mailpit,
      ui,
      get workers() {
        return workers();
      },
      web,
      get buildId() {
        return current;
      },
      async deploy(to, options = {}) {
        if (to === current) throw new Error(`build ${to} is already current: nothing to roll out`);
        const from = current;
        const report = await rollOut(
          {
            client,
            logger,
            startWorkers: async (build) => {
              const added = await startBuild(build, options.program);
              builds.set(build, added);
              for (const worker of added) for (const listener of workerListeners) listener(worker);
            },
            stopWorkers: async (build) => {
              for (const worker of builds.get(build) ?? []) {
                retiredWorkers.add(worker);
                await worker.stop();
                started.splice(started.indexOf(worker), 1);
              }
              builds.delete(build);
            },
          },
          from,
          to,
          options.timing,
        );
        current = to;
        return report;
      },
      onWorkerStarted(listener) {
        workerListeners.push(listener);
      },
      retired: (worker) => retiredWorkers.has(worker),
      async restartTemporalServer() {
        const slot = started.indexOf(server);
        await server.stop();
        // Same place in the stop order: after the workers and the UI, before Mailpit.
        server = await startTemporalServer(context);
        started[slot] = server;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
