import { createServer } from 'node:net';
import type { StackPorts } from './settings.ts';

/** Whether something already listens on 127.0.0.1:port (tried by listening there, as the part would). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The variables that move the ports a user is likely to clash on. */
const VARIABLE: Partial<Record<keyof StackPorts, string>> = {
  temporal: 'STACK_TEMPORAL_PORT',
  ui: 'STACK_UI_PORT',
  smtp: 'STACK_SMTP_PORT',
  mailpit: 'STACK_MAILPIT_PORT',
  codec: 'STACK_CODEC_PORT',
  web: 'STACK_WEB_PORT',
};

/** One line for the first port already taken, or undefined when all are free. */
export async function busyPort(ports: StackPorts): Promise<string | undefined> {
  for (const [name, port] of Object.entries(ports) as [keyof StackPorts, number][]) {
    if (await portIsFree(port)) continue;
    const variable = VARIABLE[name];
    const hint = variable
      ? `set ${variable} to another port`
      : `the Temporal server needs it internally (${name}); set STACK_TEMPORAL_PORT to move all its ports`;
    const devServer = name === 'temporal' ? ' (is `npm run dev` running?)' : '';
    return `port ${port} on 127.0.0.1 is already in use${devServer}; ${hint}`;
  }
  return undefined;
}
