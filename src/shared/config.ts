import path from 'node:path';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { ConnectionOptions } from '@temporalio/client';
import { z } from 'zod';
import { CodecConfigError, keyringFromEnvironment, type Keyring } from '../keys/keyring.ts';
import { loadRoles, ROLES_VARIABLE, RolesConfigError, type Roles } from '../actors/roles.ts';
import { durationFromText } from '../domain/duration.ts';
import { describeIssues } from '../domain/issues.ts';

const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUnset, schema.optional());

const SMTP_SCHEME = /^smtps?:\/\/\S+$/;

/** The URL of an smtp(s):// value, or undefined where the scheme check has already refused it. */
function smtpUrlOf(url: string): URL | undefined {
  if (!SMTP_SCHEME.test(url)) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

// Each check passes what an earlier one refuses, so that a bad value gets one message, naming what is wrong with it.
const parsesAsUrl = (url: string): boolean => !SMTP_SCHEME.test(url) || smtpUrlOf(url) !== undefined;

/** The pool limits an SMTP_URL may carry (`?maxConnections=5`): the transport would otherwise ignore a bad one. */
function poolLimitsAreWholeNumbers(url: string): boolean {
  const parsed = smtpUrlOf(url);
  if (parsed === undefined) return true;
  return ['maxConnections', 'maxMessages'].every((name) => {
    const value = parsed.searchParams.get(name);
    return value === null || /^[1-9]\d{0,5}$/.test(value);
  });
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
export const DEFAULT_WEB_PORT = 8090;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Worker Deployment build ids: readable in `temporal worker deployment` output, no spaces or separators of its own. */
const BUILD_ID = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,199}$/;

/** The environment docs/configuration.md lists, validated once at start. */
export const configSchema = z.object({
  TEMPORAL_ADDRESS: optional(
    z
      .string()
      .regex(/^[A-Za-z0-9.\-[\]:]+:\d{1,5}$/, 'must be host:port, e.g. localhost:7233')
      .refine((address) => {
        const port = Number(address.slice(address.lastIndexOf(':') + 1));
        return port >= 1 && port <= 65535;
      }, 'port must be between 1 and 65535'),
  ),
  TEMPORAL_NAMESPACE: optional(z.string().regex(/^[A-Za-z0-9._-]{1,255}$/, 'must be a namespace name')),
  TEMPORAL_TASK_QUEUE: optional(z.string().min(1).max(200)),
  AGREEMENTS_HOME: optional(z.string().min(1)),
  RECORDS_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL (leave unset for SQLite)'),
  ),
  SMTP_URL: optional(
    z
      .string()
      .regex(SMTP_SCHEME, 'must be an smtp:// or smtps:// URL')
      .refine(parsesAsUrl, 'is not a valid URL')
      .refine(poolLimitsAreWholeNumbers, 'maxConnections and maxMessages must be positive whole numbers'),
  ),
  MAIL_FROM: optional(
    z
      .string()
      .max(254)
      .regex(/^[^\r\n]+$/, 'must be a single line')
      .regex(
        /^(?:[^<>@]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/,
        'must be an address, optionally with a name: Name <address@example.org>',
      ),
  ),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })),
  TEMPORAL_CODEC_ENDPOINT: optional(z.string().regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL')),
  TEMPORAL_HTTP_ADDRESS: optional(
    z
      .string()
      .regex(/^https?:\/\/[A-Za-z0-9.\-[\]:]+\/?$/, "must be the server's HTTP API, e.g. http://localhost:7243"),
  ),
  AGREEMENTS_ROLES: optional(z.string().min(1, 'must name a roles file')),
  AGREEMENTS_CODEC_PLAINTEXT: optional(z.enum(['refuse', 'accept'])),
  AGREEMENTS_ACTOR_TOKEN: optional(
    z
      .string()
      .regex(/^agt1\.[A-Za-z0-9._-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be a token from agreements actors issue'),
  ),
  AGREEMENTS_LINK_TTL: optional(
    z
      .string()
      .transform((text) => durationFromText(text)?.ms ?? Number.NaN)
      .refine((ms) => ms >= 60_000 && ms <= 366 * 86_400_000, 'must be a duration from 1m to 366d, e.g. P30D'),
  ),
  WEB_PORT: optional(
    z.coerce
      .number({ message: 'must be a port number' })
      .int('must be a whole number')
      .min(1, 'must be between 1 and 65535')
      .max(65535, 'must be between 1 and 65535'),
  ),
  WEB_PUBLIC_URL: optional(
    z
      .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
      .refine((text) => {
        const url = new URL(text);
        return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
      }, 'must be https:// unless it names loopback (localhost, 127.0.0.1, [::1])')
      .refine((text) => {
        const url = new URL(text);
        return url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
      }, 'must be an origin only, without a path, query or credentials (links are <WEB_PUBLIC_URL>/a/…)'),
  ),
  AGREEMENTS_WORKER_WAIT: optional(
    z
      .string()
      .transform((text) => durationFromText(text)?.ms ?? Number.NaN)
      .refine((ms) => ms > 0 && ms <= 3_600_000, 'must be a duration from 1s to 1h, e.g. 60s or PT1M'),
  ),
  AGREEMENTS_WORKER_DEPLOYMENT: optional(z.enum(['on', 'off'])),
  AGREEMENTS_BUILD_ID: optional(
    z
      .string()
      .regex(
        BUILD_ID,
        'must be 1 to 200 letters, digits, dots, dashes, underscores or pluses, starting with a letter or digit',
      ),
  ),
});

export interface AppConfig {
  temporalAddress: string;
  namespace: string;
  /** TLS and API key from the standard Temporal variables and profiles (TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE). */
  tls?: ConnectionOptions['tls'];
  apiKey?: string;
  taskQueue: string;
  home: string;
  recordsUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** The codec server `npm run dev` points the Temporal UI at, to show encrypted payloads decoded. */
  codecEndpoint?: string;
  /** The frontend's HTTP API (TEMPORAL_HTTP_ADDRESS), without a trailing slash: where set, `show` queries through it. */
  temporalHttpUrl?: string;
  /** How long a command or query waits for a worker to take it before the client says none is running. */
  workerWaitMs: number;
  /** The keys of the AES-GCM payload codec when AGREEMENTS_CODEC_KEYS is set (docs/security.md); absent: payloads in clear. */
  keyring?: Keyring;
  /**
   * Workers with a keyring: accept payloads in clear (AGREEMENTS_CODEC_PLAINTEXT=accept) while agreements started
   * before encryption was switched on still run; by default they are refused, so only key holders send commands.
   */
  acceptPlaintext: boolean;
  /** Workers: the keys actor tokens are signed with (AGREEMENTS_ACTOR_KEYS); with them, every command needs a proof. */
  actorKeys?: Keyring;
  /** Workers: who may run which command (the AGREEMENTS_ROLES file). */
  roles?: Roles;
  /** Workers and the web server: the keys mail links are signed with (AGREEMENTS_LINK_KEYS; the first listed signs). */
  linkKeys?: Keyring;
  /** How long a mail link works (AGREEMENTS_LINK_TTL, default P30D). */
  linkTtlMs: number;
  /** The web server's port (WEB_PORT, default 8090). */
  webPort: number;
  /** The address mail links start with (WEB_PUBLIC_URL, default http://localhost:<WEB_PORT>), without a trailing slash. */
  webPublicUrl: string;
  /** Clients: this person's actor token (AGREEMENTS_ACTOR_TOKEN), proving who sends each command. */
  actorToken?: string;
  /**
   * Workers: run as a version of the Worker Deployment `agreements` (AGREEMENTS_WORKER_DEPLOYMENT=on, spec §19), on a
   * server that upgrades pinned runs on continue-as-new (1.30+; the CLI's dev server is older: off there).
   */
  workerDeployment: boolean;
  /** Workers: the build id AGREEMENTS_BUILD_ID gives; absent: the package version and the commit (worker/build-id.ts). */
  buildId?: string;
}

export const DEFAULT_WORKER_WAIT_MS = 60_000;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`invalid configuration: ${describeIssues(parsed.error).join('; ')}`);
  const values = parsed.data;
  const profile = standardTemporalSettings(env);
  const rolesFile = values.AGREEMENTS_ROLES;
  return {
    temporalAddress: values.TEMPORAL_ADDRESS ?? profile.address ?? 'localhost:7233',
    namespace: values.TEMPORAL_NAMESPACE ?? profile.namespace ?? 'default',
    tls: profile.tls,
    apiKey: typeof profile.apiKey === 'string' ? profile.apiKey : undefined,
    taskQueue: values.TEMPORAL_TASK_QUEUE ?? 'agreements',
    home: path.resolve(values.AGREEMENTS_HOME ?? '.agreements'),
    recordsUrl: values.RECORDS_URL,
    smtpUrl: values.SMTP_URL,
    mailFrom: values.MAIL_FROM ?? 'Partnerships Office <agreements@localhost>',
    logLevel: values.LOG_LEVEL ?? 'info',
    codecEndpoint: values.TEMPORAL_CODEC_ENDPOINT,
    temporalHttpUrl: values.TEMPORAL_HTTP_ADDRESS?.replace(/\/$/, ''),
    workerWaitMs: values.AGREEMENTS_WORKER_WAIT ?? DEFAULT_WORKER_WAIT_MS,
    keyring: asConfigError(() => keyringFromEnvironment(env)),
    actorKeys: asConfigError(() => keyringFromEnvironment(env, ACTOR_KEY_VARIABLES)),
    linkKeys: asConfigError(() => linkKeyringFromEnvironment(env)),
    linkTtlMs: values.AGREEMENTS_LINK_TTL ?? DEFAULT_LINK_TTL_MS,
    acceptPlaintext: values.AGREEMENTS_CODEC_PLAINTEXT === 'accept',
    webPort: values.WEB_PORT ?? DEFAULT_WEB_PORT,
    webPublicUrl: (values.WEB_PUBLIC_URL ?? `http://localhost:${values.WEB_PORT ?? DEFAULT_WEB_PORT}`).replace(
      /\/$/,
      '',
    ),
    roles: rolesFile === undefined ? undefined : asConfigError(() => loadRoles(rolesFile)),
    actorToken: values.AGREEMENTS_ACTOR_TOKEN,
    workerDeployment: values.AGREEMENTS_WORKER_DEPLOYMENT === 'on',
    buildId: values.AGREEMENTS_BUILD_ID,
  };
}

/**
 * What a worker needs beyond what every process checks: roles without actor keys would check only the name a caller
 * claims, which anyone who can reach the namespace may claim, so such a worker refuses to start rather than seem to
 * enforce them.
 */
export function checkWorkerConfig(config: AppConfig): AppConfig {
  if (config.roles !== undefined && config.actorKeys === undefined) {
    throw new ConfigError(
      `invalid configuration: ${ROLES_VARIABLE} needs ${ACTOR_KEY_VARIABLES.keys} on the worker (without actor keys a role checks only a claimed name)`,
    );
  }
  return config;
}

export const ACTOR_KEY_VARIABLES = { keys: 'AGREEMENTS_ACTOR_KEYS', keyId: 'AGREEMENTS_ACTOR_KEY_ID' } as const;
export const LINK_KEY_VARIABLES = { keys: 'AGREEMENTS_LINK_KEYS', keyId: 'AGREEMENTS_LINK_KEY_ID' } as const;
/** Under AGREEMENTS_HOME: the link keyring `npm run dev` and `npm run demo` generate when AGREEMENTS_LINK_KEYS is unset. */
export const LOCAL_LINK_KEYS_FILE = 'link-keys';
export const DEFAULT_LINK_TTL_MS = 30 * 86_400_000;

/**
 * The link keyring: the codec's format, but the FIRST key listed signs (SPEC 16), unless AGREEMENTS_LINK_KEY_ID
 * names another; rotating is putting a new key in front and dropping the old one after AGREEMENTS_LINK_TTL.
 */
export function linkKeyringFromEnvironment(env: NodeJS.ProcessEnv = process.env): Keyring | undefined {
  const ring = keyringFromEnvironment(env, LINK_KEY_VARIABLES);
  if (ring === undefined || (env[LINK_KEY_VARIABLES.keyId] ?? '').trim() !== '') return ring;
  return { ...ring, currentKeyId: ring.keys.keys().next().value as string };
}

/** Runs a loader whose errors are one line naming its variable, as a ConfigError. */
function asConfigError<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (error instanceof CodecConfigError || error instanceof RolesConfigError)
      throw new ConfigError(`invalid configuration: ${error.message}`, { cause: error });
    throw error;
  }
}

function standardTemporalSettings(env: NodeJS.ProcessEnv) {
  const variables = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
  try {
    const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars: variables });
    return { ...connectionOptions, namespace };
  } catch (error) {
    throw new ConfigError(`invalid Temporal client profile: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Options for Connection.connect / NativeConnection.connect. */
export function connectionOptions(config: AppConfig): {
  address: string;
  tls?: ConnectionOptions['tls'];
  apiKey?: string;
} {
  return { address: config.temporalAddress, tls: config.tls, apiKey: config.apiKey };
}

/** The one line for a Temporal that cannot be reached, from the CLI and the worker alike. */
export function temporalUnreachable(endpoint: string): string {
  return `Temporal unreachable at ${endpoint} (is the server running? try npm run dev)`;
}

/**
 * The Temporal address as error messages should name it: with TLS said, since an API key turns TLS on by itself and a
 * local dev server has none ("unreachable" is then about TLS, not the address).
 */
export function temporalEndpoint(config: AppConfig): string {
  const tls = config.tls === undefined ? config.apiKey !== undefined : config.tls !== false && config.tls !== null;
  return tls
    ? `${config.temporalAddress} over TLS (TEMPORAL_API_KEY or TEMPORAL_TLS* turn it on)`
    : config.temporalAddress;
}
