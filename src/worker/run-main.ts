import { describeStoreUnreachable } from '../records/index.ts';
import { ConfigError, loadConfig } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
import { startWorker, TemporalUnreachableError } from './run-worker.ts';

/** One worker for a real cluster (started by main.ts); stops gracefully on SIGINT/SIGTERM. */
async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`worker: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY, name: 'worker' });
  try {
    const running = await startWorker(config, logger);
    await running.finished;
    return 0;
  } catch (error) {
    const unreachable = error instanceof TemporalUnreachableError ? error.message : describeStoreUnreachable(error);
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(`worker: ${unreachable ?? `cannot start: ${message}`}\n`);
    return 3;
  }
}

const code = await main();
// A worker that failed to start must end (a supervisor restarts it): the SDK's runtime, created for its logs, would
// otherwise keep the process alive and take over SIGTERM. A worker that ran has already closed everything.
if (code === 0) process.exitCode = 0;
else process.exit(code);
