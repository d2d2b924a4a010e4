import { parseArgs } from 'node:util';
import { LOG_LEVELS } from '../shared/config.ts';
import { createLogger } from '../shared/logger.ts';
import { codecServerSettings, startCodecServer } from './codec-server.ts';
import { CODEC_KEYS_VARIABLE, CodecConfigError } from '../keys/keyring.ts';
import { codecFromEnvironment } from './data-converter.ts';

/**
 * `npm run codec-server [-- --allow-encode]`: the remote codec for the Temporal UI and CLI, with the workers' keys
 * (AGREEMENTS_CODEC_KEYS, AGREEMENTS_CODEC_KEY_ID). See docs/security.md.
 */
async function main(): Promise<number> {
  let allowEncode: boolean;
  try {
    allowEncode = parseArgs({ options: { 'allow-encode': { type: 'boolean' } } }).values['allow-encode'] === true;
  } catch (error) {
    process.stderr.write(`codec-server: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let codec;
  let settings;
  try {
    codec = codecFromEnvironment(process.env);
    if (!codec)
      throw new CodecConfigError(
        `${CODEC_KEYS_VARIABLE}: not set; the codec server needs the same keys as the workers`,
      );
    settings = codecServerSettings(process.env);
  } catch (error) {
    if (error instanceof CodecConfigError) {
      process.stderr.write(`codec-server: invalid configuration: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const level = (LOG_LEVELS as readonly string[]).includes(process.env.LOG_LEVEL ?? '')
    ? (process.env.LOG_LEVEL as string)
    : 'info';
  const logger = createLogger({ level, pretty: process.stdout.isTTY, name: 'codec-server' });

  let running;
  try {
    running = await startCodecServer({ codec, ...settings, allowEncode, logger });
  } catch (error) {
    process.stderr.write(
      `codec-server: cannot listen on ${settings.host}:${settings.port}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 3;
  }
  logger.info(
    {
      url: running.url,
      corsOrigins: settings.corsOrigins,
      bearerAuth: settings.token ? 'required' : 'off',
      encode: allowEncode ? 'on' : 'off',
      maxPayloads: settings.maxPayloads,
      currentKeyId: codec.currentKeyId,
      keyIds: codec.keyIds,
    },
    `codec server listening on ${running.url}`,
  );

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  logger.info('codec server stopped');
  return 0;
}

process.exitCode = await main();
