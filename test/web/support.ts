import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Keyring } from '../../src/keys/keyring.ts';
import { issueLinkToken, type LinkRecipient } from '../../src/links/link-token.ts';
import { loggerOptions } from '../../src/shared/logger.ts';
import { cachedAgreementsPort } from '../../src/web/agreements-port.ts';
import { createWebServer, type WebServerOptions } from '../../src/web/server.ts';
import { startTestStack, type TestStack } from '../support/worker.ts';

export interface WebStack {
  stack: TestStack;
  web: FastifyInstance;
  url: string;
  keys: Keyring;
  /** Every log line the web server wrote. */
  logs: string[];
  link(
    agreementId: string,
    recipient: LinkRecipient,
    options?: { now?: number; ttlMs?: number; key?: string },
  ): Promise<string>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A worker holding link keys on the shared dev server, and the web server in front of it on loopback. */
export async function startWebStack(
  env: Record<string, string> = {},
  overrides: Partial<WebServerOptions> = {},
): Promise<WebStack> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const stack = await startTestStack({
    AGREEMENTS_LINK_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    WEB_PUBLIC_URL: url,
    ...env,
  });
  const keys = stack.config.linkKeys as Keyring;
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino(loggerOptions({ level: 'info' }), sink);
  const web = await createWebServer({
    agreements: cachedAgreementsPort(stack.client),
    links: { keys },
    publicUrl: url,
    now: Date.now,
    logger,
    rateLimit: { max: 10_000, timeWindowMs: 60_000 },
    ...overrides,
  });
  await web.listen({ host: '127.0.0.1', port });
  return {
    stack,
    web,
    url,
    keys,
    logs,
    link: (agreementId, recipient, options = {}) =>
      issueLinkToken(keys, {
        agreementId,
        recipient,
        notificationKey: options.key ?? `test:${recipient.id}:${recipient.email}`,
        now: options.now ?? Date.now(),
        ttlMs: options.ttlMs ?? 30 * 86_400_000,
      }),
    async stop() {
      await web.close();
      await stack.stop();
    },
  };
}

/** A form POST as a browser on the page would send it. */
export function post(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: new URL(url).origin,
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  });
}
