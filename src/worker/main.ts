import { describeStoreUnreachable } from '../records/index.ts';
import { ConfigError, loadConfig } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
import { startWorker } from './run-worker.ts';

/** `npm run worker`: one worker for a real cluster; stops gracefully on SIGINT/SIGTERM. */
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
    const unreachable = describeStoreUnreachable(error);
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(`worker: ${unreachable ?? `cannot start: ${message}`}\n`);
    return 3;
  }
}

process.exitCode = await main();
