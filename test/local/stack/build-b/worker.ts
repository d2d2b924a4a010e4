// A worker of build B (see extra-timer.ts): `npm run worker` with the workflow bundle the test built with the extra
// timer (BUILD_B_BUNDLE_FILE), as a stack worker process; its version comes from AGREEMENTS_BUILD_ID like any worker's.
import { readFile } from 'node:fs/promises';
import { checkWorkerConfig, loadConfig } from '../../../../src/shared/config.ts';
import { createLogger } from '../../../../src/shared/logger.ts';
import { startWorker } from '../../../../src/worker/run-worker.ts';

const config = checkWorkerConfig(loadConfig());
const logger = createLogger({ level: config.logLevel, name: 'worker-b' });
const code = await readFile(process.env.BUILD_B_BUNDLE_FILE ?? '', 'utf8');
const running = await startWorker(config, logger, { workflowBundle: { code } });
await running.finished;
