import { z } from 'zod';
import { describeIssues } from '../domain/issues.ts';
import type { Keyring } from '../keys/keyring.ts';
import { ConfigError, LINK_KEY_VARIABLES, loadConfig, type AppConfig } from '../shared/config.ts';

export interface WebSettings {
  host: string;
  port: number;
  /** The address that goes into mail (WEB_PUBLIC_URL); a POST must come from its origin. */
  publicUrl: string;
  trustProxy: number;
  /** WEB_RATE_LIMIT: requests per client address per minute. */
  rateLimitPerMinute: number;
  linkKeys: Keyring;
  linkTtlMs: number;
  /** The Temporal client settings (loadConfig). */
  config: AppConfig;
}

const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** The web server's own settings; WEB_PORT and WEB_PUBLIC_URL are loadConfig's, since the workers write the links. */
const webSchema = z.object({
  WEB_HOST: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9.:[\]-]{1,253}$/, 'must be a host name or address')
      .default('127.0.0.1'),
  ),
  WEB_TRUST_PROXY: z.preprocess(
    blankAsUnset,
    z.coerce.number({ message: 'must be a number of proxies' }).int().min(0).max(5, 'must be 0 to 5').default(0),
  ),
  // A person acting on a page makes a handful of requests; a load run or a busy office's shared address may need more.
  WEB_RATE_LIMIT: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ message: 'must be a number of requests per minute' })
      .int()
      .min(1, 'must be at least 1')
      .max(1_000_000)
      .default(60),
  ),
});

/** The web server's settings from the environment; throws one ConfigError line naming the variable. */
export function loadWebSettings(env: NodeJS.ProcessEnv = process.env): WebSettings {
  const config = loadConfig(env);
  const parsed = webSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`invalid configuration: ${describeIssues(parsed.error).join('; ')}`);
  if (config.linkKeys === undefined)
    throw new ConfigError(
      `invalid configuration: ${LINK_KEY_VARIABLES.keys} must be set for the web server (the same keys as the workers')`,
    );
  return {
    host: parsed.data.WEB_HOST,
    port: config.webPort,
    publicUrl: config.webPublicUrl,
    trustProxy: parsed.data.WEB_TRUST_PROXY,
    rateLimitPerMinute: parsed.data.WEB_RATE_LIMIT,
    linkKeys: config.linkKeys,
    linkTtlMs: config.linkTtlMs,
    config,
  };
}
