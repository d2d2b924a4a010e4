import { z } from 'zod';
import { describeIssues } from '../domain/validation.ts';
import type { Keyring } from '../keys/keyring.ts';
import { ConfigError, LINK_KEY_VARIABLES, loadConfig, type AppConfig } from '../shared/config.ts';

export interface WebSettings {
  host: string;
  port: number;
  /** The address that goes into mail; a POST must come from its origin. */
  publicUrl: string;
  trustProxy: number;
  linkKeys: Keyring;
  linkTtlMs: number;
  /** The Temporal client settings (loadConfig). */
  config: AppConfig;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const webSchema = z.object({
  WEB_HOST: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9.:[\]-]{1,253}$/, 'must be a host name or address')
      .default('127.0.0.1'),
  ),
  WEB_PORT: z.preprocess(
    blankAsUnset,
    z.coerce
      .number({ message: 'must be a port number' })
      .int('must be a whole number')
      .min(1, 'must be between 1 and 65535')
      .max(65535, 'must be between 1 and 65535')
      .default(8090),
  ),
  WEB_PUBLIC_URL: z.preprocess(
    blankAsUnset,
    z
      .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
      .refine((text) => {
        const url = new URL(text);
        return url.protocol === 'https:' || LOOPBACK.has(url.hostname);
      }, 'must be https:// unless it names loopback (localhost, 127.0.0.1, [::1])')
      .refine((text) => {
        const url = new URL(text);
        return url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
      }, 'must be an origin only, without a path, query or credentials (links are <WEB_PUBLIC_URL>/a/…)')
      .optional(),
  ),
  WEB_TRUST_PROXY: z.preprocess(
    blankAsUnset,
    z.coerce.number({ message: 'must be a number of proxies' }).int().min(0).max(5, 'must be 0 to 5').default(0),
  ),
});

/** The web server's settings from the environment; throws one ConfigError line naming the variable. */
export function loadWebSettings(env: NodeJS.ProcessEnv = process.env): WebSettings {
  const config = loadConfig(env);
  const parsed = webSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`invalid configuration: ${describeIssues(parsed.error).join('; ')}`);
  const values = parsed.data;
  if (config.linkKeys === undefined)
    throw new ConfigError(
      `invalid configuration: ${LINK_KEY_VARIABLES.keys} must be set for the web server (the same keys as the workers')`,
    );
  return {
    host: values.WEB_HOST,
    port: values.WEB_PORT,
    publicUrl: (values.WEB_PUBLIC_URL ?? `http://localhost:${values.WEB_PORT}`).replace(/\/$/, ''),
    trustProxy: values.WEB_TRUST_PROXY,
    linkKeys: config.linkKeys,
    linkTtlMs: config.linkTtlMs,
    config,
  };
}
