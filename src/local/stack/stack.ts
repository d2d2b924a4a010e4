import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AesGcmCodec } from '../../codec/aes-gcm-codec.ts';
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
import { startWebProcess, startWorkerProcess, type WorkerEnvironment } from './workers.ts';

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
  readonly workers: readonly ManagedProcess[];
  readonly web: ManagedProcess;
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
): Promise<RunningStack> {
  const logDir = join(settings.home, 'stack');
  await mkdir(logDir, { recursive: true });
  const databases = stackDatabases(settings.databasePrefix);
  const started: ManagedProcess[] = [];
  let closeCodecServer = async () => {};
  const stopAll = async () => {
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
    // Both bundle their workflows at once; a failure of either stops the stack only once both have settled.
    const results = await Promise.allSettled(
      Array.from({ length: settings.workers }, async (_, i) => {
        const worker = await startWorkerProcess(i + 1, workerEnv, settings.home, logDir);
        started.push(worker);
        return worker;
      }),
    );
    const workers = results.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });
    logger.info({ workers: workers.map((worker) => worker.pid) }, `${workers.length} workers polling`);
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
      workers,
      web,
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
