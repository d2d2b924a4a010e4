import pino, { type Bindings, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Keys whose value is a secret: replaced outright, at every level. */
const SECRET_KEYS = ['apiKey', 'password', 'pass', 'smtpUrl', 'recordsUrl', 'authorization'] as const;
/** Keys whose value is an address (or a list of them): masked to `p***@uob.example`, at every level. */
const ADDRESS_KEYS = ['recipient', 'recipients', 'email', 'to', 'cc', 'bcc', 'from', 'replyTo'] as const;

const secretKeys = new Set<string>(SECRET_KEYS);

/** pino redact paths: each key at the top level and one level down (`config.smtpUrl`, `contact.email`). */
export const REDACTED_PATHS: readonly string[] = [...SECRET_KEYS, ...ADDRESS_KEYS].flatMap((key) => [key, `*.${key}`]);

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

/** `partnerships@uob.example` → `p***@uob.example`; `postgres://u:secret@db/x` → `postgres://u:***@db/x`. */
export function maskText(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@').replace(EMAIL, '$1***@$2');
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A copy of `value` with every string masked (plain objects, arrays and errors are walked; other objects kept). */
export function maskDeep(value: unknown, seen: WeakSet<object> = new WeakSet(), depth = 0): unknown {
  if (typeof value === 'string') return maskText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) return maskError(value, seen, depth);
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, seen, depth + 1));
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = maskDeep(item, seen, depth + 1);
  return copy;
}

/** A copy of the error with the same prototype (so the logged `type` stays right) and every own string masked. */
function maskError(error: Error, seen: WeakSet<object>, depth: number): Error {
  const clone = Object.create(Object.getPrototypeOf(error) as object | null) as Error;
  for (const key of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (!descriptor) continue;
    if ('value' in descriptor) descriptor.value = maskDeep(descriptor.value, seen, depth + 1);
    Object.defineProperty(clone, key, descriptor);
  }
  return clone;
}

function censor(value: unknown, path: string[]): unknown {
  const key = path[path.length - 1] ?? '';
  return secretKeys.has(key) ? '[redacted]' : maskDeep(value);
}

const INFO = 30;

/**
 * The pino options behind `createLogger`, exported so tests can log into their own destination stream:
 * secrets and address fields are redacted by path at every level, and from `info` up every string in the message,
 * its arguments and its fields has email addresses and URL passwords masked. `debug`/`trace` keep free text as is.
 */
export function loggerOptions(options: { level: string; pretty?: boolean; name?: string }): LoggerOptions {
  return {
    level: options.level,
    ...(options.name ? { name: options.name } : {}),
    redact: { paths: [...REDACTED_PATHS], censor },
    formatters: {
      bindings: (bindings) => maskDeep(bindings) as Record<string, unknown>,
    },
    hooks: {
      logMethod(inputArgs, method, level) {
        if (level < INFO) return method.apply(this, inputArgs);
        return method.apply(this, inputArgs.map((arg) => maskDeep(arg)) as typeof inputArgs);
      },
    },
    ...(options.pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
}

/** JSON logs by default; human-readable when `pretty` (the dev stack and the demo). Email addresses and secrets are masked. */
export function createLogger(options: { level: string; pretty?: boolean; name?: string }): Logger {
  return createLoggerTo(options);
}

/** `createLogger` writing into `destination` instead of stdout (tests); `pretty` cannot be combined with it. */
export function createLoggerTo(
  options: { level: string; pretty?: boolean; name?: string },
  destination?: DestinationStream,
): Logger {
  const logger = destination ? pino(loggerOptions(options), destination) : pino(loggerOptions(options));
  // pino does not run `formatters.bindings` for children, so mask their bindings here; children inherit this method.
  const child = logger.child;
  logger.child = function maskedChild(this: Logger, bindings: Bindings, childOptions?: Parameters<Logger['child']>[1]) {
    return child.call(this, maskDeep(bindings) as Bindings, childOptions);
  } as Logger['child'];
  return logger;
}
