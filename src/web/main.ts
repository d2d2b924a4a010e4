import { AgreementsClient } from '../client/agreements-client.ts';
import { AgreementError } from '../client/agreement-error.ts';
import { ConfigError } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
import { cachedAgreementsPort } from './agreements-port.ts';
import { createWebServer } from './server.ts';
import { loadWebSettings } from './settings.ts';

/** `npm run web`: the pages mail links open (SPEC 16), for a real cluster; stops on SIGINT/SIGTERM. */
async function main(): Promise<number> {
  let settings;
  try {
    settings = loadWebSettings();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`web: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const logger = createLogger({ level: settings.config.logLevel, pretty: process.stdout.isTTY, name: 'web' });
  let client: AgreementsClient;
  try {
    client = await AgreementsClient.connect(settings.config);
  } catch (error) {
    process.stderr.write(`web: ${error instanceof AgreementError ? error.message : String(error)}\n`);
    return 3;
  }
  const app = await createWebServer({
    agreements: cachedAgreementsPort(client, (agreementId, err) =>
      logger.warn({ agreementId, err }, 'ended agreement left out of a calendar or portfolio: its Query failed'),
    ),
    links: { keys: settings.linkKeys },
    publicUrl: settings.publicUrl,
    now: Date.now,
    logger,
    trustProxy: settings.trustProxy,
    rateLimit: { max: settings.rateLimitPerMinute, timeWindowMs: 60_000 },
  });
  try {
    await app.listen({ host: settings.host, port: settings.port });
  } catch (error) {
    process.stderr.write(`web: cannot listen on ${settings.host}:${settings.port}: ${(error as Error).message}\n`);
    await client.close();
    return 1;
  }
  logger.info(
    { address: `http://${settings.host}:${settings.port}`, publicUrl: settings.publicUrl },
    'web server ready',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.close();
  await client.close();
  return 0;
}

process.exitCode = await main();
