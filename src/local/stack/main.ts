import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createLoggerTo, plainLines } from '../../shared/logger.ts';
import { parentExited } from '../parent-watch.ts';
import { CodecConfigError } from '../../keys/keyring.ts';
import { ensureStackBinaries, MissingGoError, STACK_VERSIONS } from './binaries.ts';
import { persistedKeyEntry } from '../persisted-keys.ts';
import { stackCodecKeys } from './codec-keys.ts';
import { acquireStackLock, StackAlreadyRunningError } from './lock.ts';
import { busyPort } from './ports.ts';
import { clashingPorts, StackConfigError, stackSettingsFrom } from './settings.ts';
import { PostgresUnreachableError, startStack, type RunningStack } from './stack.ts';
import type { ManagedProcess } from './process.ts';
import { removeStackEnv, writeStackEnv } from './stack-env.ts';
import { checkoutBuildId, readRolloutRequest, requestRollout, writeRolloutRequest } from './deploy-request.ts';
import { ConfigError } from '../../shared/config.ts';
import type { Logger } from '../../shared/logger.ts';

/** Errors whose message is the whole story: printed as one line, no stack trace. */
const EXPECTED = [
  StackConfigError,
  ConfigError,
  StackAlreadyRunningError,
  MissingGoError,
  PostgresUnreachableError,
  CodecConfigError,
];

function fail(message: string): number {
  process.stderr.write(`stack: ${message}\n`);
  return 1;
}

function summary(stack: RunningStack, envFile: string): string {
  const { env, settings } = stack;
  const records = new URL(env.RECORDS_URL);
  if (records.password) records.password = '***';
  return [
    `Stack ready: Temporal server ${STACK_VERSIONS.temporalServer} on PostgreSQL, UI ${STACK_VERSIONS.temporalUi}, ` +
      `Mailpit ${STACK_VERSIONS.mailpit}, ${stack.workers.length} workers.`,
    `  Temporal      ${env.TEMPORAL_ADDRESS}  (namespace ${env.TEMPORAL_NAMESPACE}, task queue ${env.TEMPORAL_TASK_QUEUE})`,
    `  Temporal UI   ${env.TEMPORAL_UI_URL}  (payloads decoded by the codec server ${env.TEMPORAL_CODEC_ENDPOINT})`,
    `  Mailpit       ${env.MAILPIT_URL}  (SMTP ${env.SMTP_URL})`,
    `  Records       ${records.href}`,
    `  Workers       pids ${stack.workers.map((worker) => worker.pid).join(', ')}  (Worker Deployment agreements, build ${stack.buildId})`,
    `  Web pages     ${env.WEB_URL}/a/…  (the links in the mail)`,
    `  Logs          ${join(settings.home, 'stack')}/`,
    `For the CLI: set -a; . ${envFile}; set +a   then   npx agreements start examples/uob-jitri-phd-programme.yaml`,
    'For this machine only: every part on 127.0.0.1, no TLS, no authentication. Production: docs/operations.md.',
    'A new build of this checkout: npm run stack -- --deploy (in another terminal). Ctrl-C stops everything.',
    '',
  ].join('\n');
}

/** On SIGHUP (from `npm run stack -- --deploy`): the rollout the request file asks for, its progress written back. */
async function rollOutRequested(stack: RunningStack, requestFile: string, logger: Logger): Promise<void> {
  const request = await readRolloutRequest(requestFile);
  if (request?.state !== 'requested') return;
  const { buildId } = request;
  await writeRolloutRequest(requestFile, { buildId, state: 'rolling-out', message: `from build ${stack.buildId}` });
  try {
    const report = await stack.deploy(buildId);
    const pids = stack.workers.map((worker) => worker.pid).join(', ');
    const message = `build ${report.to} is current (workers pids ${pids}) and ${report.from} drained after ${Math.round(report.drainedAfterMs / 1000)} s; its workers stopped`;
    logger.info(message);
    await writeRolloutRequest(requestFile, { buildId, state: 'done', message });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error(`rollout of build ${buildId} failed: ${message}`);
    await writeRolloutRequest(requestFile, { buildId, state: 'failed', message });
  }
}

/** `npm run stack`: the production topology of spec §13 on this machine, until Ctrl-C or SIGTERM. */
async function main(): Promise<number> {
  const settings = stackSettingsFrom(process.env);
  const clash = clashingPorts(settings.ports);
  if (clash) return fail(`invalid configuration: ${clash}`);
  const envFile = join(settings.home, 'stack.env');
  const pidFile = join(settings.home, 'stack.pid');
  const requestFile = join(settings.home, 'stack-rollout.json');
  const buildId = checkoutBuildId(process.env);
  if (process.argv.includes('--deploy')) {
    return requestRollout({ pidFile, requestFile }, buildId, (line) => process.stdout.write(`deploy: ${line}\n`));
  }
  // One plain line per part as it becomes ready, on a terminal or in a log (the parts' own logs are files).
  const logger = createLoggerTo({ level: settings.logLevel, name: 'stack' }, plainLines());
  await mkdir(settings.home, { recursive: true });
  const lock = await acquireStackLock(pidFile, envFile);

  // A signal while the parts start is honoured once they are up (or have failed): nothing is left half-started.
  let stopRequested: { reason: string; code: number } | undefined;
  let wake: () => void = () => {};
  const requested = new Promise<void>((resolve) => (wake = resolve));
  const requestStop = (reason: string, code: number) => {
    stopRequested ??= { reason, code };
    wake();
  };
  process.on('SIGINT', () => requestStop('SIGINT', 0));
  // SIGHUP is `npm run stack -- --deploy` asking for a rollout (its default, ending the process, would stop the stack).
  let hangupWhileStarting = false;
  let onHangup = () => {
    hangupWhileStarting = true;
  };
  process.on('SIGHUP', () => onHangup());
  process.on('SIGTERM', () => requestStop('SIGTERM', 0));
  void parentExited().then(() => requestStop('its parent process exited', 0));
  // A request a stack that stopped never took is stale.
  await rm(requestFile, { force: true });

  let stack: RunningStack;
  try {
    const busy = await busyPort(settings.ports);
    if (busy) {
      await lock.release();
      return fail(busy);
    }
    const binaries = await ensureStackBinaries({ onProgress: (line) => process.stderr.write(`${line}\n`) });
    const codecKeys = await stackCodecKeys(join(settings.home, 'stack-codec-keys'));
    logger.info({ keys: codecKeys.source }, 'payloads encrypted (AES-256-GCM)');
    const linkKeys = await persistedKeyEntry(join(settings.home, 'stack-link-keys'), 'stack-1');
    logger.info({ keys: linkKeys.source }, 'mail links signed');
    stack = await startStack(settings, binaries, codecKeys, logger, linkKeys.entry, buildId);
  } catch (error) {
    await lock.release();
    throw error;
  }
  try {
    if (!stopRequested) {
      await writeStackEnv(envFile, stack.env);
      process.stdout.write(summary(stack, envFile));
      // A part that dies on its own leaves a broken stack: say which, with its log, and stop the rest. The workers of a
      // build a rollout retired stop on purpose.
      const running = stack;
      const watch = (part: ManagedProcess) =>
        void part.exited.then(async () => {
          if (stopRequested || running.retired(part)) return;
          const tail = await part.logTail(15);
          logger.error(`${part.name} exited (${part.exitDescription()}); last lines of ${part.logFile}:\n${tail}`);
          requestStop(`${part.name} exited`, 1);
        });
      for (const part of [stack.mailpit, stack.ui, stack.temporalServer(), ...stack.workers, stack.web]) watch(part);
      stack.onWorkerStarted(watch);
      // One rollout at a time; one asked for while the stack started runs now.
      let rollout = Promise.resolve();
      onHangup = () => {
        rollout = rollout.then(() => rollOutRequested(running, requestFile, logger));
      };
      if (hangupWhileStarting) onHangup();
      await requested;
    }
    logger.info(`${stopRequested?.reason}: stopping the stack`);
    await stack.stop();
    logger.info('stack stopped');
    return stopRequested?.code ?? 0;
  } finally {
    await removeStackEnv(envFile);
    await lock.release();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const expected = EXPECTED.some((kind) => error instanceof kind);
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`stack: ${expected ? message : `could not start: ${message}`}\n`);
    process.exit(1);
  },
);
