import { join } from 'node:path';
import { startDevServer } from '../devserver/dev-server.ts';
import { ConfigError, loadConfig } from '../../shared/config.ts';
import { createLogger } from '../../shared/logger.ts';
import { parentExited } from '../parent-watch.ts';
import { startWorker } from '../../worker/run-worker.ts';
import { startLocalWeb, withLocalLinkKeys } from '../local-web.ts';

/** `npm run dev`: the local stack — a dev server (state under $AGREEMENTS_HOME, UI on 8233) and a worker — until Ctrl-C. */
async function main(): Promise<number> {
  const links = await withLocalLinkKeys(loadConfig());
  const config = links.config;
  const logger = createLogger({ level: config.logLevel, pretty: true, name: 'dev' });
  const orphaned = parentExited();
  const [host, port] = config.temporalAddress.split(':');
  const server = await startDevServer({
    ip: host === 'localhost' ? '127.0.0.1' : host,
    port: Number(port),
    dbFile: join(config.home, 'temporal.db'),
    logFile: join(config.home, 'temporal-server.log'),
    uiCodecEndpoint: config.codecEndpoint,
    onProgress: (line) => logger.info(line),
  });
  logger.info({ address: server.address, ui: server.uiUrl, reused: server.reused }, 'Temporal dev server ready');
  const worker = await startWorker({ ...config, temporalAddress: server.address }, logger);
  const web = await startLocalWeb({ ...config, temporalAddress: server.address }, logger);
  if (web) logger.info({ keys: links.source }, `Web pages for mail links at ${web.url}/a/…`);
  // Also when npm went while the first run still built the CLI or started the server.
  void orphaned.then(() => {
    logger.info('its parent process exited: stopping');
    return worker.shutdown();
  });
  logger.info(
    `Ready. Try: npx agreements start examples/uob-jitri-phd-programme.yaml — UI at ${server.uiUrl}. Ctrl-C stops.`,
  );
  await worker.finished;
  await web?.close();
  await server.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `dev: ${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(error instanceof ConfigError ? 1 : 3);
  },
);
