// One benchmark worker in a process of its own, for `npm run bench -- --target stack --workers N`: the lifecycle and
// the baseline on the stack's task queue, with the real records (PostgreSQL) and mail (SMTP), as `npm run worker` runs
// the lifecycle alone. The parent hands it the bundle it built (BENCH_BUNDLE_FILE) and its tuning (BENCH_TUNING).
import { readFile } from 'node:fs/promises';
import { NativeConnection } from '@temporalio/worker';
import { dataConverterFor } from '../src/codec/data-converter.ts';
import { loadConfig } from '../src/shared/config.ts';
import { createLogger } from '../src/shared/logger.ts';
import { createAgreementWorker, type WorkerTuning } from '../src/worker/create-worker.ts';
import { openWorkerDependencies } from '../src/worker/dependencies.ts';
import { routeSdkLogsTo } from '../src/worker/runtime-logging.ts';

const config = loadConfig(process.env);
const logger = createLogger({ level: 'error', name: 'bench-worker' });
routeSdkLogsTo(logger);
const code = await readFile(process.env.BENCH_BUNDLE_FILE ?? '', 'utf8');
const tuning = JSON.parse(process.env.BENCH_TUNING ?? '{}') as WorkerTuning;
const dependencies = await openWorkerDependencies(config, logger);
const connection = await NativeConnection.connect({ address: config.temporalAddress });
// The baseline's one activity beside the lifecycle's.
const activities = { ...dependencies.activities, noop: async () => undefined };
const worker = await createAgreementWorker({
  connection,
  namespace: config.namespace,
  taskQueue: config.taskQueue,
  activities,
  workflowBundle: { code },
  dataConverter: dataConverterFor(config.keyring),
  tuning,
});
process.once('SIGTERM', () => worker.shutdown());
process.once('SIGINT', () => worker.shutdown());
try {
  await worker.run();
} finally {
  await dependencies.close();
  await connection.close();
}
