import { dirname, join } from 'node:path';
import { Connection } from '@temporalio/client';
import type { StackBinaries } from './binaries.ts';
import { deployFiles } from './deploy-files.ts';
import { temporalPostgresEnv, type StackDatabases } from './postgres.ts';
import { runStep, startProcess, waitUntilReady, type ManagedProcess } from './process.ts';
import type { StackSettings } from './settings.ts';

export interface TemporalServerContext {
  binaries: StackBinaries;
  settings: StackSettings;
  databases: StackDatabases;
  logDir: string;
}

const HOST = '127.0.0.1';

export function temporalAddress(settings: StackSettings): string {
  return `${HOST}:${settings.ports.temporal}`;
}

/** deploy/temporal/setup-postgres-schema.sh with the SQL tool built from the same server version. */
export async function setupTemporalSchema(context: TemporalServerContext): Promise<void> {
  await runStep({
    name: 'Temporal schema setup',
    command: 'sh',
    args: [deployFiles.setupSchema],
    env: {
      ...process.env,
      ...temporalPostgresEnv(context.settings, context.databases),
      TEMPORAL_SQL_TOOL: context.binaries.temporalSql,
    },
    logFile: join(context.logDir, 'temporal-schema.log'),
  });
}

/** The server's environment: deploy/temporal/config/agreements.yaml reads every setting from it. */
function serverEnv(context: TemporalServerContext): NodeJS.ProcessEnv {
  const { ports } = context.settings;
  return {
    ...process.env,
    ...temporalPostgresEnv(context.settings, context.databases),
    BIND_ON_IP: HOST,
    FRONTEND_GRPC_PORT: String(ports.temporal),
    FRONTEND_HTTP_PORT: String(ports.temporalHttp),
    FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    HISTORY_GRPC_PORT: String(ports.history),
    HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    MATCHING_GRPC_PORT: String(ports.matching),
    MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    WORKER_GRPC_PORT: String(ports.temporalWorker),
    WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
    DYNAMIC_CONFIG_FILE_PATH: deployFiles.dynamicConfig,
    LOG_LEVEL: 'warn',
  };
}

async function answersHealthCheck(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    const { status } = await connection.healthService.check({});
    return status === 1; // SERVING
  } finally {
    await connection.close();
  }
}

/** Starts the server (all four services in one process, as the image does) and waits until its frontend is serving. */
export async function startTemporalServer(context: TemporalServerContext): Promise<ManagedProcess> {
  const server = startProcess({
    name: 'Temporal server',
    command: context.binaries.temporalServer,
    args: [
      '--root',
      deployFiles.temporalRoot,
      '--config',
      'config',
      '--env',
      deployFiles.temporalEnvironment,
      '--allow-no-auth',
      'start',
    ],
    env: serverEnv(context),
    logFile: join(context.logDir, 'temporal-server.log'),
  });
  const address = temporalAddress(context.settings);
  try {
    await waitUntilReady(server, () => answersHealthCheck(address), `the Temporal server at ${address}`, 90_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** deploy/temporal/create-namespace.sh and register-search-attributes.sh, with the Temporal CLI on PATH. */
export async function setupNamespace(context: TemporalServerContext): Promise<void> {
  const env = {
    ...process.env,
    PATH: `${dirname(context.binaries.temporalCli)}:${process.env.PATH ?? ''}`,
    TEMPORAL_ADDRESS: temporalAddress(context.settings),
    TEMPORAL_NAMESPACE: context.settings.namespace,
  };
  const logFile = join(context.logDir, 'temporal-setup.log');
  await runStep({ name: 'namespace setup', command: 'sh', args: [deployFiles.createNamespace], env, logFile });
  await runStep({
    name: 'search attribute registration',
    command: 'sh',
    args: [deployFiles.registerSearchAttributes],
    env,
    logFile,
  });
}
