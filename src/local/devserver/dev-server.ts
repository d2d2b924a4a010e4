import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { searchAttributeCliTypes, searchAttributeKeys } from '../../wire/search-attributes.ts';
import { locateTemporalCli } from './temporal-cli.ts';

export const temporalSearchAttributes = searchAttributeKeys;

export interface DevServerOptions {
  /** Interface to bind; default 127.0.0.1. */
  ip?: string;
  /** Front-end gRPC port; default 7233. */
  port?: number;
  /** Web UI port; default port + 1000 (8233 for the default port). */
  uiPort?: number;
  /** The frontend's HTTP API port (`--http-port`); omitted, the CLI picks a free one and nobody is told. */
  httpPort?: number;
  /** SQLite file to persist state in; omit for an in-memory server. */
  dbFile?: string;
  /** A codec server the UI calls to show encrypted payloads decoded (`--ui-codec-endpoint`; docs/security.md). */
  uiCodecEndpoint?: string;
  /** Namespace to create and check (default "default", which always exists). */
  namespace?: string;
  /** File receiving the server's stdout and stderr (appended); otherwise only the last lines are kept in memory. */
  logFile?: string;
  /** Leave the server running after this process exits (detached); `stop()` still stops it. */
  keepRunning?: boolean;
  /** Give up waiting for readiness after this long; default 60 s. */
  readyTimeoutMs?: number;
  onProgress?: (line: string) => void;
}

export interface DevServer {
  /** host:port for `Connection.connect` / `NativeConnection.connect`. */
  address: string;
  uiUrl: string;
  /** The frontend's HTTP API, where `httpPort` was asked for and this call started the server. */
  httpUrl?: string;
  /** True when an already running server was found and is being used as is. */
  reused: boolean;
  /** The server's process id, when this call started it (the benchmark reads its CPU time). */
  pid?: number;
  /** Stops the server this call started; a no-op for a reused server. */
  stop(): Promise<void>;
}

type AddSearchAttributesRequest = Parameters<Connection['operatorService']['addSearchAttributes']>[0];
export type IndexedValueType = NonNullable<NonNullable<AddSearchAttributesRequest['searchAttributes']>[string]>;

/** The server's enum value (temporal.api.enums.v1.IndexedValueType) for an SDK search attribute type. */
export const indexedValueTypes: Record<SearchAttributeType, IndexedValueType> = {
  TEXT: 1,
  KEYWORD: 2,
  INT: 3,
  DOUBLE: 4,
  BOOL: 5,
  DATETIME: 6,
  KEYWORD_LIST: 7,
};

const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Registers any of the project's search attributes missing from the namespace; fails on a type clash. */
export async function ensureSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing: Record<string, IndexedValueType> = {};
  for (const key of searchAttributeKeys) {
    const wanted = indexedValueTypes[key.type];
    const existing = customAttributes?.[key.name];
    if (existing === undefined) missing[key.name] = wanted;
    else if (existing !== wanted) {
      throw new Error(`Search attribute ${key.name} exists in namespace ${namespace} with another type (${existing})`);
    }
  }
  if (Object.keys(missing).length === 0) return;
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (err) {
    if (!(isGrpcServiceError(err) && err.code === GRPC_ALREADY_EXISTS)) throw err;
  }
}

function portIsOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host, port, timeout: timeoutMs });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Connects and checks the namespace exists; the caller closes the returned connection. */
async function connectToNamespace(address: string, namespace: string): Promise<Connection> {
  const connection = await Connection.connect({ address, connectTimeout: 3000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return connection;
  } catch (err) {
    await connection.close();
    throw err;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Starts `temporal server start-dev` (or reuses a server already answering on ip:port) with the search attributes. */
export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const port = opts.port ?? 7233;
  const uiPort = opts.uiPort ?? port + 1000;
  const namespace = opts.namespace ?? 'default';
  const host = ip === '0.0.0.0' || ip === '::' ? 'localhost' : ip;
  const address = hostPort(host, port);
  const uiUrl = `http://${hostPort(host, uiPort)}`;

  if (await portIsOpen(host, port)) {
    let connection: Connection;
    try {
      connection = await connectToNamespace(address, namespace);
    } catch (err) {
      const hint =
        isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND
          ? `it has no namespace "${namespace}"`
          : `it does not answer as a Temporal server (${errorText(err)})`;
      throw new Error(`Port ${port} on ${host} is already in use, but ${hint}`, { cause: err });
    }
    try {
      await ensureSearchAttributes(connection, namespace);
    } finally {
      await connection.close();
    }
    opts.onProgress?.(`Reusing the Temporal server already running at ${address}`);
    return { address, uiUrl, reused: true, stop: async () => {} };
  }

  const cli = await locateTemporalCli({ onProgress: opts.onProgress });
  if (!cli) return startWithSdkDownload(opts, { ip, port, uiPort, namespace, address, uiUrl });

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--ui-port', String(uiPort)];
  if (opts.dbFile) {
    mkdirSync(dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  if (namespace !== 'default') args.push('--namespace', namespace);
  if (opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  if (opts.httpPort !== undefined) args.push('--http-port', String(opts.httpPort));
  const httpUrl = opts.httpPort === undefined ? undefined : `http://${hostPort(host, opts.httpPort)}`;
  args.push('--log-level', 'warn');
  for (const [name, type] of Object.entries(searchAttributeCliTypes))
    args.push('--search-attribute', `${name}=${type}`);

  // The CLI picks its internal ports itself (free when looked at, not always when bound): a start that crashes on
  // one another process took in between gets a second try, with fresh ones.
  for (let attempt = 1; ; attempt++) {
    try {
      const { pid, stop } = await startCli(cli, args, opts, address, namespace);
      opts.onProgress?.(`Temporal dev server started at ${address} (UI ${uiUrl})`);
      return { address, uiUrl, httpUrl, reused: false, pid, stop };
    } catch (err) {
      if (!(err instanceof ExitedBeforeReadyError) || attempt >= 2) throw err;
      opts.onProgress?.('The Temporal dev server exited before it was ready: trying once more');
    }
  }
}

class ExitedBeforeReadyError extends Error {
  override name = 'ExitedBeforeReadyError';
}

async function startCli(
  cli: string,
  args: string[],
  opts: DevServerOptions,
  address: string,
  namespace: string,
): Promise<{ pid: number | undefined; stop: () => Promise<void> }> {
  const { child, logTail } = spawnServer(cli, args, opts);
  const killOnExit = () => child.kill('SIGKILL');
  if (!opts.keepRunning) process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child);
  };
  try {
    const connection = await waitUntilReady(child, address, namespace, opts.readyTimeoutMs ?? 60_000, logTail);
    try {
      // A persisted database created before these attributes existed does not get them from the flags.
      await ensureSearchAttributes(connection, namespace);
    } finally {
      await connection.close();
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { pid: child.pid, stop };
}

function spawnServer(
  cli: string,
  args: string[],
  opts: DevServerOptions,
): { child: ChildProcess; logTail: () => Promise<string> } {
  const detached = opts.keepRunning === true;
  if (opts.logFile) {
    const logFile = opts.logFile;
    mkdirSync(dirname(logFile), { recursive: true });
    const fd = openSync(logFile, 'a');
    const child = spawn(cli, args, { stdio: ['ignore', fd, fd], detached });
    closeSync(fd);
    if (detached) child.unref();
    const logTail = async () => {
      const text = await readFile(logFile, 'utf8').catch(() => '');
      return `last lines of ${logFile}:\n${text.trimEnd().split('\n').slice(-30).join('\n')}`;
    };
    return { child, logTail };
  }
  if (detached) {
    const child = spawn(cli, args, { stdio: 'ignore', detached });
    child.unref();
    return { child, logTail: async () => '(no server log: pass logFile to keep one)' };
  }
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // The first lines as well as the last: a Go panic names its cause at the top of a long trace.
  const first: string[] = [];
  const last: string[] = [];
  let dropped = 0;
  const keep = (chunk: string) => {
    for (const line of chunk.split('\n').filter((text) => text.trim() !== '')) {
      if (first.length < 10) first.push(line);
      else last.push(line);
    }
    const over = Math.max(0, last.length - 30);
    last.splice(0, over);
    dropped += over;
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  const logTail = async () =>
    `the server output:\n${[...first, ...(dropped > 0 ? [`… (${dropped} lines)`] : []), ...last].join('\n')}`;
  return { child, logTail };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitUntilReady(
  child: ChildProcess,
  address: string,
  namespace: string,
  timeoutMs: number,
  logTail: () => Promise<string>,
): Promise<Connection> {
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`Could not start the Temporal CLI: ${spawnError.message}`);
    if (hasExited(child)) {
      const how = child.exitCode !== null ? `code ${child.exitCode}` : `signal ${child.signalCode}`;
      throw new ExitedBeforeReadyError(
        `The Temporal dev server exited (${how}) before it was ready; ${await logTail()}`,
      );
    }
    try {
      return await connectToNamespace(address, namespace);
    } catch (err) {
      lastError = err;
      await sleep(250);
    }
  }
  throw new Error(
    `The Temporal dev server at ${address} was not ready after ${timeoutMs / 1000}s ` +
      `(${errorText(lastError)}); ${await logTail()}`,
  );
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  child.ref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** No CLI and no Go: let @temporalio/testing download a CLI and run it (the last resort). */
async function startWithSdkDownload(
  opts: DevServerOptions,
  s: { ip: string; port: number; uiPort: number; namespace: string; address: string; uiUrl: string },
): Promise<DevServer> {
  opts.onProgress?.("No Temporal CLI found and no Go to build one: using the SDK's downloaded CLI");
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download' },
      ip: s.ip,
      port: s.port,
      ui: true,
      uiPort: s.uiPort,
      dbFilename: opts.dbFile,
      namespace: s.namespace,
      searchAttributes: [...searchAttributeKeys],
      log: { format: 'pretty', level: 'warn' },
    },
  });
  return { address: s.address, uiUrl: s.uiUrl, reused: false, stop: () => env.teardown() };
}
