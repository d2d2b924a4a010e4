import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger } from 'pino';

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

let installed = false;

/**
 * Routes the SDK's logs (worker, workflow `log`, and Core's native logs) into pino. The runtime is process-wide,
 * so this installs once; later calls are no-ops.
 */
export function routeSdkLogsTo(logger: Logger): void {
  if (installed) return;
  installed = true;
  const sdk = logger.child({ source: 'temporal' });
  const write = (entry: LogEntry) => sdk[LEVELS[entry.level]]({ ...entry.meta }, entry.message);
  const level = logger.level === 'silent' ? 'ERROR' : logger.isLevelEnabled('debug') ? 'DEBUG' : 'INFO';
  Runtime.install({
    logger: new DefaultLogger(level, write),
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) } },
  });
}
