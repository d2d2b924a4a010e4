import pino, { type Bindings, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { redactDeep } from './redaction.ts';

export type { Logger };

export { maskText } from './redaction.ts';

const INFO = 30;

const forBindings = (bindings: unknown) => redactDeep(bindings, { freeTextAddresses: true });

/**
 * The pino options behind `createLogger`, exported so tests can log into their own destination stream: at every
 * level and depth, secret fields are replaced, address fields masked and credentials in text masked
 * (`src/shared/redaction.ts`); from `info` up, email addresses in free text are masked too. `debug`/`trace` keep
 * addresses in free text, for debugging.
 */
export function loggerOptions(options: { level: string; pretty?: boolean; name?: string }): LoggerOptions {
  return {
    level: options.level,
    ...(options.name ? { name: options.name } : {}),
    formatters: {
      bindings: (bindings) => forBindings(bindings) as Record<string, unknown>,
    },
    hooks: {
      logMethod(inputArgs, method, level) {
        const options = { freeTextAddresses: level >= INFO };
        return method.apply(this, inputArgs.map((arg) => redactDeep(arg, options)) as typeof inputArgs);
      },
    },
    ...(options.pretty && prettyPrinterInstalled()
      ? {
          transport: {
            target: 'pino-pretty',
            options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' },
          },
        }
      : {}),
  };
}

/** pino-pretty is a development dependency: a production install (the image) logs JSON even on a terminal. */
function prettyPrinterInstalled(): boolean {
  try {
    import.meta.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
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
    return child.call(this, forBindings(bindings) as Bindings, childOptions);
  } as Logger['child'];
  return logger;
}

/**
 * A destination printing each (already redacted) record as one line for a person: time, level above info, message and
 * fields — what `npm run stack` shows while its parts come up, on a terminal or not.
 */
export function plainLines(out: NodeJS.WritableStream = process.stdout): DestinationStream {
  const levels: Record<number, string> = { 40: 'warning: ', 50: 'error: ', 60: 'fatal: ' };
  return {
    write(line: string) {
      const {
        time,
        level,
        msg,
        pid: _pid,
        hostname: _host,
        name: _name,
        ...fields
      } = JSON.parse(line) as Record<string, unknown>;
      const at = new Date(typeof time === 'number' ? time : Date.now()).toTimeString().slice(0, 8);
      const details = Object.entries(fields)
        .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(', ') : String(value)}`)
        .join('; ');
      out.write(`${at}  ${levels[Number(level)] ?? ''}${String(msg ?? '')}${details ? `  (${details})` : ''}\n`);
    },
  };
}
