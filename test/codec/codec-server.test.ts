import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import type { Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codecServerSettings,
  isLoopback,
  startCodecServer,
  type RunningCodecServer,
} from '../../src/codec/codec-server.ts';
import { CodecConfigError } from '../../src/keys/keyring.ts';
import { agreementPayloads, codecWith, converter, key } from './support.ts';

const TOKEN = 'a-long-enough-test-token-123';
const UI = 'http://localhost:8233';
const codec = codecWith('k1', { k1: key() });

let open: RunningCodecServer;
let guarded: RunningCodecServer;
let byDefault: RunningCodecServer;
beforeAll(async () => {
  open = await startCodecServer({
    codec,
    host: '127.0.0.1',
    port: 0,
    corsOrigins: [UI, 'http://localhost:8080'],
    maxBodyBytes: 64 * 1024,
    maxPayloads: 20,
    allowEncode: true,
  });
  guarded = await startCodecServer({
    codec,
    host: '127.0.0.1',
    port: 0,
    corsOrigins: [UI],
    token: TOKEN,
    allowEncode: true,
  });
  byDefault = await startCodecServer({ codec, host: '127.0.0.1', port: 0, corsOrigins: [UI] });
});
afterAll(async () => {
  await open?.close();
  await guarded?.close();
  await byDefault?.close();
});

interface JsonPayload {
  metadata: Record<string, string>;
  data: string;
}

const toJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64'),
});
const fromJson = (payload: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
  ),
  data: new Uint8Array(Buffer.from(payload.data, 'base64')),
});

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('codec server (remote codec protocol over HTTP)', () => {
  it('encodes then decodes: /encode, /decode and the /{namespace}/decode form', async () => {
    const payloads = agreementPayloads();
    const encodedResponse = await post(
      `${open.url}/encode`,
      { payloads: payloads.map(toJson) },
      { 'X-Namespace': 'default' },
    );
    expect(encodedResponse.status).toBe(200);
    expect(encodedResponse.headers.get('content-type')).toMatch(/^application\/json/);
    expect(encodedResponse.headers.get('cache-control')).toBe('no-store');
    const encoded = (await encodedResponse.json()) as { payloads: JsonPayload[] };
    expect(encoded.payloads).toHaveLength(payloads.length);
    for (const payload of encoded.payloads) {
      expect(Buffer.from(payload.metadata.encoding ?? '', 'base64').toString()).toBe('binary/encrypted');
      expect(Buffer.from(payload.data, 'base64').toString('latin1')).not.toContain('vc@uob.example');
    }
    // What the server encrypted, the library decrypts, and the other way round.
    const values = payloads.map((p) => converter.fromPayload(p));
    expect((await codec.decode(encoded.payloads.map(fromJson))).map((p) => converter.fromPayload(p))).toEqual(values);

    // `//decode`: what `temporal --codec-endpoint 'http://host/{namespace}'` sends when the namespace is left implicit.
    for (const path of ['/decode', '/default/decode', '//decode', '/api/v1/namespaces/default/decode', '/decode?x=1']) {
      const decodedResponse = await post(`${open.url}${path}`, encoded, { 'X-Namespace': 'default' });
      expect(decodedResponse.status).toBe(200);
      const decoded = (await decodedResponse.json()) as { payloads: JsonPayload[] };
      expect(decoded.payloads.map((p) => converter.fromPayload(fromJson(p)))).toEqual(values);
      expect(decoded.payloads[0]).toEqual(toJson(payloads[0] as Payload));
    }
  });

  it('passes unencrypted payloads through /decode and answers 400 for tampered ones and bad bodies', async () => {
    const plain = toJson(converter.toPayload({ stage: 'draft' }));
    const through = (await (await post(`${open.url}/decode`, { payloads: [plain] })).json()) as {
      payloads: JsonPayload[];
    };
    expect(through.payloads).toEqual([plain]);

    const [encrypted] = (await codec.encode([converter.toPayload('x')])).map(toJson) as [JsonPayload];
    const data = Buffer.from(encrypted.data, 'base64');
    data[15] = (data[15] as number) ^ 1;
    const tampered = await post(`${open.url}/decode`, { payloads: [{ ...encrypted, data: data.toString('base64') }] });
    expect(tampered.status).toBe(400);
    expect(((await tampered.json()) as { message: string }).message).toMatch(/authentication failed/);

    // A payload under a key this server lacks: the answer says so without naming its keys, or the payload's.
    const other = codecWith('other-key-id', { 'other-key-id': key() });
    const [foreign] = (await other.encode([converter.toPayload('x')])).map(toJson) as [JsonPayload];
    const refused = await post(`${open.url}/decode`, { payloads: [foreign] });
    expect(refused.status).toBe(400);
    const body = await refused.text();
    expect(JSON.parse(body)).toEqual({ message: 'cannot decode payload: its key is not in the keyring' });
    expect(body).not.toMatch(/k1|other-key-id/);

    expect((await post(`${open.url}/decode`, { payload: [] })).status).toBe(400);
    expect((await post(`${open.url}/decode`, { payloads: [{ data: 'not base64!' }] })).status).toBe(400);
    const notJson = await fetch(`${open.url}/decode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    const textPlain = await fetch(`${open.url}/decode`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: '{"payloads":[]}',
    });
    expect(textPlain.status).toBe(415);
  });

  it('answers the Temporal UI CORS preflight, and refuses other origins', async () => {
    const preflight = await fetch(`${open.url}/default/decode`, {
      method: 'OPTIONS',
      headers: {
        Origin: UI,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-namespace,authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['x-namespace', 'content-type', 'authorization']));
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('vary')).toContain('Origin');

    const fromUi = await post(`${open.url}/decode`, { payloads: [] }, { Origin: 'http://localhost:8080' });
    expect(fromUi.status).toBe(200);
    expect(fromUi.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');

    const hostile = await fetch(`${open.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(hostile.status).toBe(403);
    expect(hostile.headers.get('access-control-allow-origin')).toBeNull();
    expect((await post(`${open.url}/decode`, { payloads: [] }, { Origin: 'https://evil.example' })).status).toBe(403);
  });

  it('requires the bearer token when one is set (but not for the preflight)', async () => {
    const body = { payloads: [toJson(converter.toPayload('x'))] };
    const missing = await post(`${guarded.url}/encode`, body, { Origin: UI });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(missing.headers.get('access-control-allow-origin')).toBe(UI);
    expect((await post(`${guarded.url}/encode`, body, { Authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await post(`${guarded.url}/encode`, body, { Authorization: TOKEN })).status).toBe(401);
    expect((await post(`${guarded.url}/encode`, body, { Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect(
      (await post(`${guarded.url}/default/decode`, { payloads: [] }, { Authorization: `bearer ${TOKEN}` })).status,
    ).toBe(200);
    const preflight = await fetch(`${guarded.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: UI, 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
  });

  it('answers 413 for a body over the limit, declared or streamed', async () => {
    const big = { payloads: [{ metadata: {}, data: Buffer.alloc(100 * 1024, 7).toString('base64') }] };
    const declared = await post(`${open.url}/encode`, big);
    expect(declared.status).toBe(413);

    // Chunked: no Content-Length, so the server has to count.
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${open.url}/encode`);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(16 * 1024, 0x41);
      req.write('{"payloads":[{"data":"');
      for (let i = 0; i < 8; i += 1) req.write(chunk);
      req.end('"}]}');
    });
    expect(status).toBe(413);
    // The server is still healthy afterwards.
    expect((await post(`${open.url}/decode`, { payloads: [] })).status).toBe(200);
  });

  it('refuses /encode unless started with allowEncode, and still decodes', async () => {
    const body = { payloads: [toJson(converter.toPayload('forged'))] };
    const refused = await post(`${byDefault.url}/encode`, body);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/--allow-encode/);
    const encoded = (await codec.encode([converter.toPayload('x')])).map(toJson);
    expect((await post(`${byDefault.url}/decode`, { payloads: encoded })).status).toBe(200);
  });

  it('answers 413 for more payloads in one request than the cap', async () => {
    const one = toJson(converter.toPayload('x'));
    expect((await post(`${open.url}/decode`, { payloads: Array.from({ length: 20 }, () => one) })).status).toBe(200);
    const over = await post(`${open.url}/decode`, { payloads: Array.from({ length: 21 }, () => one) });
    expect(over.status).toBe(413);
    expect(((await over.json()) as { message: string }).message).toMatch(/more than 20 payloads/);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    expect((await post(`${open.url}/`, { payloads: [] })).status).toBe(404);
    expect((await post(`${open.url}/decoder`, { payloads: [] })).status).toBe(404);
    expect((await fetch(`${open.url}/health`)).status).toBe(404);
    const get = await fetch(`${open.url}/decode`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toContain('POST');
  });
});

describe('codec server settings', () => {
  it('defaults to 127.0.0.1:8888 and the local Temporal UI origins (localhost and 127.0.0.1)', () => {
    expect(codecServerSettings({})).toEqual({
      host: '127.0.0.1',
      port: 8888,
      corsOrigins: ['http://localhost:8233', 'http://localhost:8080', 'http://127.0.0.1:8233', 'http://127.0.0.1:8080'],
      maxPayloads: 1000,
    });
    expect(
      codecServerSettings({
        CODEC_SERVER_PORT: '9999',
        CODEC_SERVER_HOST: '0.0.0.0',
        CODEC_CORS_ORIGINS: 'https://ui.example.org/, http://localhost:8233',
        CODEC_SERVER_TOKEN: TOKEN,
      }),
    ).toEqual({
      host: '0.0.0.0',
      port: 9999,
      corsOrigins: ['https://ui.example.org', 'http://localhost:8233'],
      token: TOKEN,
      maxPayloads: 1000,
    });
  });

  it.each([
    [{ CODEC_SERVER_PORT: 'http' }, /^CODEC_SERVER_PORT: /],
    [{ CODEC_SERVER_PORT: '70000' }, /^CODEC_SERVER_PORT: /],
    [{ CODEC_SERVER_HOST: 'a b' }, /^CODEC_SERVER_HOST: /],
    [{ CODEC_CORS_ORIGINS: 'http://localhost:8233/settings' }, /^CODEC_CORS_ORIGINS: /],
    [{ CODEC_CORS_ORIGINS: '*' }, /^CODEC_CORS_ORIGINS: /],
    [{ CODEC_SERVER_TOKEN: 'short' }, /^CODEC_SERVER_TOKEN: must be at least 16/],
    [{ CODEC_SERVER_HOST: '0.0.0.0' }, /^CODEC_SERVER_HOST: 0\.0\.0\.0 is reachable .* CODEC_SERVER_TOKEN is required/],
    [{ CODEC_SERVER_HOST: '192.168.1.20' }, /^CODEC_SERVER_HOST: .*CODEC_SERVER_TOKEN is required/],
    [{ CODEC_SERVER_HOST: '::' }, /^CODEC_SERVER_HOST: .*CODEC_SERVER_TOKEN is required/],
    [{ CODEC_MAX_PAYLOADS: '0' }, /^CODEC_MAX_PAYLOADS: /],
    [{ CODEC_MAX_PAYLOADS: 'lots' }, /^CODEC_MAX_PAYLOADS: /],
  ])('rejects %o with one line naming the variable', (env, message) => {
    expect(() => codecServerSettings(env)).toThrow(CodecConfigError);
    expect(() => codecServerSettings(env)).toThrow(message);
  });

  it('never echoes the token', () => {
    const token = 'zq9-secret-token xk7 with a blank';
    expect(() => codecServerSettings({ CODEC_SERVER_TOKEN: token })).toThrow(/^CODEC_SERVER_TOKEN: /);
    try {
      codecServerSettings({ CODEC_SERVER_TOKEN: token });
    } catch (error) {
      for (const part of ['zq9', 'xk7', 'blank']) expect((error as Error).message).not.toContain(part);
    }
  });
});

describe('codec server refuses to decrypt for the network', () => {
  it('will not listen beyond loopback without a token, and allows loopback spellings', async () => {
    await expect(startCodecServer({ codec, host: '0.0.0.0', port: 0, corsOrigins: [UI] })).rejects.toThrow(
      /^CODEC_SERVER_HOST: 0\.0\.0\.0 is reachable from other machines, so CODEC_SERVER_TOKEN is required/,
    );
    for (const host of ['localhost', '127.0.0.2', '::1', '[::1]']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'codec.example.org', '127.example.org']) {
      expect(isLoopback(host)).toBe(false);
    }
  });

  it('npm run codec-server exits non-zero with its reason on 0.0.0.0 without a token', async () => {
    const failure = await codecServerMain([], { CODEC_SERVER_HOST: '0.0.0.0' });
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^codec-server: invalid configuration: CODEC_SERVER_HOST: 0\.0\.0\.0 .*CODEC_SERVER_TOKEN/),
    ]);
  });

  it('npm run codec-server refuses an unknown flag as a usage error', async () => {
    const failure = await codecServerMain(['--allow-everything'], {});
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/^codec-server: .*--allow-everything/);
  });
});

/** Runs the codec server's main with a fresh keyring; resolves with how it failed (undefined if it exited 0). */
async function codecServerMain(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stderr: string } | undefined> {
  const run = promisify(execFile)(process.execPath, ['src/codec/codec-server-main.ts', ...args], {
    env: { ...process.env, AGREEMENTS_CODEC_KEYS: `k1:${key().toString('base64')}`, ...env },
    timeout: 20_000,
  });
  return run.then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
}
