import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs by default; human-readable when `pretty` (the dev stack and the demo). */
export function createLogger(options: { level: string; pretty?: boolean; name?: string }): Logger {
  return pino({
    level: options.level,
    ...(options.name ? { name: options.name } : {}),
    redact: { paths: ['apiKey', '*.apiKey', 'password', '*.password', 'smtpUrl', 'recordsUrl'], censor: '[redacted]' },
    ...(options.pretty
      ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}
