import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import type { Logger } from '../shared/logger.ts';
import { CodecConfigError } from '../keys/keyring.ts';
import { PayloadDecryptionError } from './aes-gcm-codec.ts';

/**
 * Temporal's remote codec protocol over node:http, for the Temporal UI and `temporal --codec-endpoint`:
 * `POST …/encode` and `POST …/decode` (only the last path segment counts, so `/{namespace}/decode` works too), each
 * taking and returning `{ "payloads": [{ "metadata": { key: base64 }, "data": base64 }] }` — Payloads in proto3 JSON.
 */

/**
 * The Temporal UI of `npm run dev` / `npm run demo` (port 8233) and of the compose stack (8080). A browser's origin is
 * the host as typed, and the dev server prints its UI as http://127.0.0.1:8233, so both spellings are allowed.
 */
export const DEFAULT_CORS_ORIGINS = [
  'http://localhost:8233',
  'http://localhost:8080',
  'http://127.0.0.1:8233',
  'http://127.0.0.1:8080',
] as const;
export const DEFAULT_CODEC_SERVER_PORT = 8888;
export const DEFAULT_CODEC_SERVER_HOST = '127.0.0.1';
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** A history page the UI decodes is a few dozen payloads; far more in one request is a bulk export or an attack. */
export const DEFAULT_MAX_PAYLOADS = 1000;
export const ALLOWED_REQUEST_HEADERS = 'X-Namespace, Content-Type, Authorization';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Browser origins (the Temporal UI) allowed to call the server; requests from any other origin get 403. */
  corsOrigins: readonly string[];
  /** When set, every encode/decode needs `Authorization: Bearer <token>`. */
  token?: string;
  /** `/encode` lets a caller forge valid ciphertext; it answers 403 unless this is set. */
  allowEncode?: boolean;
  maxBodyBytes?: number;
  /** Payloads in one request; more get 413. */
  maxPayloads?: number;
  logger?: Logger;
}

export interface CodecServerSettings {
  host: string;
  port: number;
  corsOrigins: string[];
  token?: string;
  maxPayloads: number;
}

export interface RunningCodecServer {
  server: Server;
  /** `http://host:port`, the value for the UI's codec endpoint and `--codec-endpoint`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

type Environment = Readonly<Record<string, string | undefined>>;

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const base64 = z.string().regex(BASE64, 'must be base64');
const jsonPayload = z.object({
  metadata: z.record(z.string(), base64).nullish(),
  data: base64.nullish(),
});
const requestBody = z.object({ payloads: z.array(jsonPayload) });

type JsonPayload = z.infer<typeof jsonPayload>;

interface ReturnedPayload {
  metadata: Record<string, string>;
  data: string;
}

function fromJson(payload: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {}))
    metadata[key] = new Uint8Array(Buffer.from(value, 'base64'));
  return { metadata, data: new Uint8Array(Buffer.from(payload.data ?? '', 'base64')) };
}

function toJson(payload: Payload): ReturnedPayload {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) {
    if (value) metadata[key] = Buffer.from(value).toString('base64');
  }
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}

class HttpError extends Error {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Reads the body, or fails with 413 as soon as it passes `limit` bytes. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.off('end', onEnd);
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', reject);
    request.on('close', () => {
      if (!request.complete) reject(new HttpError(400, 'request aborted'));
    });
  });
}

const tooLarge = (limit: number) =>
  new HttpError(413, `request body is larger than ${limit} bytes`, { Connection: 'close' });

/** A server that encodes and decodes with `options.codec`; call `listen` yourself, or use `startCodecServer`. */
export function createCodecServer(options: CodecServerOptions): Server {
  const origins = new Set(options.corsOrigins.map(normalizeOrigin));
  const expectedToken = options.token ? digest(options.token) : undefined;
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxPayloads = options.maxPayloads ?? DEFAULT_MAX_PAYLOADS;
  const logger = options.logger;

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<{ operation?: string; count?: number }> {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!origins.has(normalizeOrigin(origin))) throw new HttpError(403, 'origin not allowed');
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    // The raw request target: `new URL()` would read `//decode` (an empty `{namespace}` in the CLI's template) as a host.
    const path = (request.url ?? '/').split(/[?#]/)[0] ?? '/';
    const segments = path.split('/').filter((s) => s !== '');
    const operation = segments[segments.length - 1];
    if (operation !== 'encode' && operation !== 'decode')
      throw new HttpError(404, 'not found: use POST /encode or /decode');

    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', ALLOWED_REQUEST_HEADERS);
      response.setHeader('Access-Control-Max-Age', '600');
      if (origin !== undefined && request.headers['access-control-request-private-network'] === 'true') {
        response.setHeader('Access-Control-Allow-Private-Network', 'true');
      }
      response.writeHead(204).end();
      return { operation };
    }
    if (request.method !== 'POST') throw new HttpError(405, 'method not allowed: use POST', { Allow: 'POST, OPTIONS' });
    if (operation === 'encode' && options.allowEncode !== true)
      throw new HttpError(403, 'encode is off: start the codec server with --allow-encode to enable it');

    if (expectedToken) {
      const presented = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const given = digest(presented);
      if (!timingSafeEqual(given, expectedToken)) {
        throw new HttpError(401, 'missing or wrong bearer token', { 'WWW-Authenticate': 'Bearer realm="codec"' });
      }
    }
    const contentType = request.headers['content-type'] ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType))
      throw new HttpError(415, 'Content-Type must be application/json');

    const raw = await readBody(request, limit);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'body is not valid JSON');
    }
    const parsed = requestBody.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(
        400,
        `body must be {"payloads": [{"metadata": {key: base64}, "data": base64}]}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      );
    }
    if (parsed.data.payloads.length > maxPayloads)
      throw new HttpError(413, `more than ${maxPayloads} payloads in one request (CODEC_MAX_PAYLOADS)`);
    const payloads = parsed.data.payloads.map(fromJson);
    let result: Payload[];
    try {
      result = operation === 'encode' ? await options.codec.encode(payloads) : await options.codec.decode(payloads);
    } catch (error) {
      // The caller learns why, never which keys this server holds: the full message (with the payload's key id) is
      // the operator's, logged as the cause.
      const reason = error instanceof PayloadDecryptionError ? error.reason : 'not a payload this server can process';
      throw Object.assign(new HttpError(400, `cannot ${operation} payload: ${reason}`), { cause: error });
    }
    send(response, 200, { payloads: result.map(toJson) });
    return { operation, count: payloads.length };
  }

  return createServer((request, response) => {
    const started = Date.now();
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Vary', 'Origin');
    handle(request, response).then(
      (done) => {
        logger?.info(
          {
            operation: done.operation,
            payloads: done.count,
            namespace: namespaceOf(request),
            status: response.statusCode,
            ms: Date.now() - started,
          },
          'codec request',
        );
      },
      (error: unknown) => {
        const failure = error instanceof HttpError ? error : new HttpError(500, 'internal error');
        if (!(error instanceof HttpError)) logger?.error({ err: error }, 'codec server error');
        else
          logger?.warn(
            {
              status: failure.status,
              namespace: namespaceOf(request),
              path: request.url,
              ms: Date.now() - started,
              ...(failure.cause === undefined ? {} : { cause: failure.cause }),
            },
            failure.message,
          );
        if (response.headersSent) {
          response.destroy();
          return;
        }
        for (const [name, value] of Object.entries(failure.headers)) response.setHeader(name, value);
        send(response, failure.status, { message: failure.message });
        // After a 413 the rest of the body is not read; the connection closes once the answer is out.
      },
    );
  });
}

function namespaceOf(request: IncomingMessage): string | undefined {
  const value = request.headers['x-namespace'];
  return typeof value === 'string' ? value.slice(0, 255) : undefined;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1' || bare === '::ffff:127.0.0.1';
}

/** Why a server on `host` with this token would decrypt for strangers, or undefined when it would not. */
export function exposureProblem(host: string, token: string | undefined): string | undefined {
  if (token !== undefined || isLoopback(host)) return undefined;
  return (
    `CODEC_SERVER_HOST: ${host} is reachable from other machines, so CODEC_SERVER_TOKEN is required ` +
    '(16+ printable characters, e.g. `openssl rand -base64 32`); or keep the host on 127.0.0.1'
  );
}

/**
 * Listens on `host:port` (port 0: any free port) and resolves once the server accepts connections. Refuses a
 * non-loopback host without a token: anyone who reached it could decrypt every history they can read.
 */
export async function startCodecServer(
  options: CodecServerOptions & { host: string; port: number },
): Promise<RunningCodecServer> {
  const exposure = exposureProblem(options.host, options.token);
  if (exposure !== undefined) throw new CodecConfigError(exposure);
  const server = createCodecServer(options);
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * CODEC_SERVER_HOST, CODEC_SERVER_PORT, CODEC_CORS_ORIGINS, CODEC_SERVER_TOKEN and CODEC_MAX_PAYLOADS, validated (one
 * line naming the variable); a host beyond loopback without a token is refused here too.
 */
export function codecServerSettings(env: Environment = process.env): CodecServerSettings {
  const value = (name: string) => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };
  const fail = (name: string, message: string) => new CodecConfigError(`${name}: ${message}`);

  const portText = value('CODEC_SERVER_PORT');
  const port = portText === undefined ? DEFAULT_CODEC_SERVER_PORT : Number(portText);
  if (portText !== undefined && (!/^\d{1,5}$/.test(portText) || port > 65535))
    throw fail('CODEC_SERVER_PORT', 'must be a port number 0–65535');

  const host = value('CODEC_SERVER_HOST') ?? DEFAULT_CODEC_SERVER_HOST;
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host)) throw fail('CODEC_SERVER_HOST', 'must be a host name or IP address');

  const originsText = value('CODEC_CORS_ORIGINS');
  const corsOrigins =
    originsText === undefined
      ? [...DEFAULT_CORS_ORIGINS]
      : originsText
          .split(',')
          .map((o) => o.trim().replace(/\/+$/, ''))
          .filter((o) => o !== '');
  const badOrigin = corsOrigins.find((origin) => !ORIGIN.test(origin));
  if (badOrigin !== undefined)
    throw fail(
      'CODEC_CORS_ORIGINS',
      `"${badOrigin.slice(0, 100)}" is not an origin like http://localhost:8233 (scheme://host[:port], no path)`,
    );

  const token = value('CODEC_SERVER_TOKEN');
  if (token !== undefined && (token.length < 16 || !/^[\x21-\x7e]+$/.test(token))) {
    throw fail('CODEC_SERVER_TOKEN', 'must be at least 16 printable characters without spaces');
  }
  const exposure = exposureProblem(host, token);
  if (exposure !== undefined) throw new CodecConfigError(exposure);

  const maxText = value('CODEC_MAX_PAYLOADS');
  const maxPayloads = maxText === undefined ? DEFAULT_MAX_PAYLOADS : Number(maxText);
  if (maxText !== undefined && (!/^\d{1,6}$/.test(maxText) || maxPayloads < 1))
    throw fail('CODEC_MAX_PAYLOADS', 'must be a whole number from 1 to 999999');
  return { host, port, corsOrigins, token, maxPayloads };
}
