import { resolve } from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../../domain/issues.ts';

/** Every port the stack listens on; all bound to 127.0.0.1 (the stack is for one machine, never a network). */
export interface StackPorts {
  temporal: number;
  temporalHttp: number;
  /** The server's internal services: history, matching, worker, and each service's membership (ringpop) port. */
  history: number;
  matching: number;
  temporalWorker: number;
  frontendMembership: number;
  historyMembership: number;
  matchingMembership: number;
  workerMembership: number;
  ui: number;
  smtp: number;
  mailpit: number;
  /** The codec server the UI calls to show the encrypted payloads decoded. */
  codec: number;
  /** The web server mail links open (SPEC 16). */
  web: number;
}

export interface StackSettings {
  /** An administrator's connection to PostgreSQL: it creates the stack's databases and its credentials are used. */
  postgresUrl: URL;
  /** The stack's databases are `<prefix>_temporal`, `<prefix>_visibility` and `<prefix>_records`. */
  databasePrefix: string;
  namespace: string;
  workers: number;
  ports: StackPorts;
  /** `$AGREEMENTS_HOME`: stack.env, the lock file, and the parts' logs under `stack/`. */
  home: string;
  logLevel: string;
}

/**
 * The server's ports laid out around its frontend port as Temporal's own config does around 7233 (history 7234,
 * matching 7235, worker 7239, HTTP 7243, membership 6933-6939): moving STACK_TEMPORAL_PORT moves them all.
 */
export function temporalPortsAround(frontend: number): Omit<StackPorts, 'ui' | 'smtp' | 'mailpit' | 'codec' | 'web'> {
  return {
    temporal: frontend,
    temporalHttp: frontend + 10,
    history: frontend + 1,
    matching: frontend + 2,
    temporalWorker: frontend + 6,
    frontendMembership: frontend - 300,
    historyMembership: frontend - 299,
    matchingMembership: frontend - 298,
    workerMembership: frontend - 294,
  };
}

/** Temporal keeps each member's membership port in a SMALLINT column: a port above 32767 fails its start. */
export const MAX_TEMPORAL_PORT = 32767 + 294;
const TEMPORAL_PORT_RANGE = `must be 1324 to ${MAX_TEMPORAL_PORT} (the membership ports, 300 below it, must stay under 32768)`;

/** The defaults of spec §13. */
export const DEFAULT_PORTS: StackPorts = {
  ...temporalPortsAround(7233),
  ui: 8080,
  smtp: 1025,
  mailpit: 8025,
  codec: 8888,
  web: 8090,
};

const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const port = z.preprocess(
  blankAsUnset,
  z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 65535').max(65535, 'must be 1 to 65535'),
);
const optionalPort = port.optional();

const stackEnvironment = z.object({
  STACK_POSTGRES_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/postgres')
      .optional(),
  ),
  STACK_DATABASE_PREFIX: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lowercase name of up to 40 of a-z 0-9 _, starting with a letter')
      .optional(),
  ),
  // The membership ports sit 300 below it, and the server stores them in a SMALLINT column (at most 32767).
  STACK_TEMPORAL_PORT: z.preprocess(
    blankAsUnset,
    z.coerce
      .number()
      .int('must be a whole number')
      .min(1324, TEMPORAL_PORT_RANGE)
      .max(MAX_TEMPORAL_PORT, TEMPORAL_PORT_RANGE)
      .optional(),
  ),
  STACK_UI_PORT: optionalPort,
  STACK_SMTP_PORT: optionalPort,
  STACK_MAILPIT_PORT: optionalPort,
  STACK_CODEC_PORT: optionalPort,
  STACK_WEB_PORT: optionalPort,
  TEMPORAL_NAMESPACE: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,255}$/, 'must be a namespace name')
      .optional(),
  ),
  AGREEMENTS_HOME: z.preprocess(blankAsUnset, z.string().optional()),
  LOG_LEVEL: z.preprocess(blankAsUnset, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).optional()),
});

export class StackConfigError extends Error {
  override name = 'StackConfigError';
}

/** The stack's settings from the environment (STACK_* variables; spec §13 defaults), validated with one clear line. */
export function stackSettingsFrom(env: NodeJS.ProcessEnv, overrides: Partial<StackSettings> = {}): StackSettings {
  const parsed = stackEnvironment.safeParse(env);
  if (!parsed.success) throw new StackConfigError(`invalid configuration: ${describeIssues(parsed.error).join('; ')}`);
  const values = parsed.data;
  const ports: StackPorts = {
    ...temporalPortsAround(values.STACK_TEMPORAL_PORT ?? DEFAULT_PORTS.temporal),
    ui: values.STACK_UI_PORT ?? DEFAULT_PORTS.ui,
    smtp: values.STACK_SMTP_PORT ?? DEFAULT_PORTS.smtp,
    mailpit: values.STACK_MAILPIT_PORT ?? DEFAULT_PORTS.mailpit,
    codec: values.STACK_CODEC_PORT ?? DEFAULT_PORTS.codec,
    web: values.STACK_WEB_PORT ?? DEFAULT_PORTS.web,
  };
  return {
    postgresUrl: new URL(values.STACK_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'),
    databasePrefix: values.STACK_DATABASE_PREFIX ?? 'agreements_stack',
    namespace: values.TEMPORAL_NAMESPACE ?? 'default',
    workers: 2,
    ports,
    home: resolve(values.AGREEMENTS_HOME ?? '.agreements'),
    logLevel: values.LOG_LEVEL ?? 'info',
    ...overrides,
  };
}

/** Two parts asked to listen on one port would fail late and confusingly; say it up front. */
export function clashingPorts(ports: StackPorts): string | undefined {
  const seen = new Map<number, string>();
  for (const [name, value] of Object.entries(ports)) {
    const other = seen.get(value);
    if (other) return `${other} and ${name} are both set to port ${value}`;
    seen.set(value, name);
  }
  return undefined;
}
