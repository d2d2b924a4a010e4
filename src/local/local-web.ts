import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AgreementsClient } from '../client/agreements-client.ts';
import {
  LINK_KEY_VARIABLES,
  LOCAL_LINK_KEYS_FILE,
  linkKeyringFromEnvironment,
  type AppConfig,
} from '../shared/config.ts';
import { cachedAgreementsPort } from '../web/agreements-port.ts';
import { createWebServer } from '../web/server.ts';
import { persistedKeyEntry } from './persisted-keys.ts';

/**
 * The configuration with link keys: AGREEMENTS_LINK_KEYS when set, else the keyring generated into
 * `$AGREEMENTS_HOME/link-keys` on the first run (so links in mail already sent keep working across restarts).
 */
export async function withLocalLinkKeys(
  config: AppConfig,
): Promise<{ config: AppConfig; entry: string; source: string }> {
  if (config.linkKeys)
    return { config, entry: process.env[LINK_KEY_VARIABLES.keys] ?? '', source: LINK_KEY_VARIABLES.keys };
  await mkdir(config.home, { recursive: true });
  const { entry, source } = await persistedKeyEntry(join(config.home, LOCAL_LINK_KEYS_FILE), 'local-1');
  const linkKeys = linkKeyringFromEnvironment({ [LINK_KEY_VARIABLES.keys]: entry });
  return { config: { ...config, linkKeys }, entry, source };
}

export interface LocalWeb {
  url: string;
  close(): Promise<void>;
}

/**
 * The web server mail links open, in this process, on 127.0.0.1:WEB_PORT: `npm run dev` and `npm run demo` start it
 * beside their worker. Undefined (with a warning) when the port is taken, e.g. by a `npm run dev` already running.
 */
export async function startLocalWeb(config: AppConfig, logger: Logger): Promise<LocalWeb | undefined> {
  if (!config.linkKeys) throw new Error('startLocalWeb needs link keys (withLocalLinkKeys)');
  const client = await AgreementsClient.connect(config);
  const app = await createWebServer({
    agreements: cachedAgreementsPort(client),
    links: { keys: config.linkKeys },
    publicUrl: config.webPublicUrl,
    now: Date.now,
    logger: logger.child({ part: 'web' }, { level: 'warn' }),
  });
  try {
    await app.listen({ host: '127.0.0.1', port: config.webPort });
  } catch (error) {
    logger.warn(`web server not started on port ${config.webPort}: ${(error as Error).message}`);
    await client.close();
    return undefined;
  }
  return {
    url: config.webPublicUrl,
    async close() {
      await app.close();
      await client.close();
    },
  };
}
