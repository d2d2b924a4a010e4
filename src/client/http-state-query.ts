import { request as httpRequest } from 'node:http';
import type { AgreementView } from '../domain/view.ts';
import type { AppConfig } from '../shared/config.ts';
import { STATE_QUERY, workflowIdFor } from '../wire/workflow-id.ts';

/** How long the HTTP path waits before it leaves the query to the client's own path (which explains a silence). */
const HTTP_QUERY_WAIT_MS = 5_000;

type Settings = Pick<AppConfig, 'temporalHttpUrl' | 'namespace' | 'apiKey' | 'tls' | 'keyring' | 'workerWaitMs'>;

/** A payload as the HTTP API writes it without shorthand: metadata values and data in base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/**
 * The agreement's state through the Temporal server's HTTP API: a `fetch`, no gRPC client, no generated protobuf
 * code, so `agreements show` answers in about the time of the stock CLI's query. Undefined whenever this path cannot
 * answer for certain (no TEMPORAL_HTTP_ADDRESS, mTLS, the server unreachable over HTTP, not found, no worker, anything
 * unexpected): the caller then asks with the Temporal client, which gives the same answer or the error with its reason.
 */
export async function stateOverHttp(settings: Settings, agreementId: string): Promise<AgreementView | undefined> {
  const base = settings.temporalHttpUrl;
  // Client certificates would need an HTTPS agent of their own: that path stays with the gRPC client.
  if (base === undefined || (typeof settings.tls === 'object' && settings.tls?.clientCertPair !== undefined)) {
    return undefined;
  }
  const workflowId = encodeURIComponent(workflowIdFor(agreementId));
  const namespace = encodeURIComponent(settings.namespace);
  const url = `${base}/api/v1/namespaces/${namespace}/workflows/${workflowId}/query/${STATE_QUERY}?noPayloadShorthand`;
  try {
    const response = await post(url, JSON.stringify({ query: { queryType: STATE_QUERY } }), {
      apiKey: settings.apiKey,
      timeoutMs: Math.min(settings.workerWaitMs, HTTP_QUERY_WAIT_MS),
    });
    if (response.status !== 200) return undefined;
    const body = JSON.parse(response.body) as { queryResult?: { payloads?: JsonPayload[] } };
    const payload = body.queryResult?.payloads?.[0];
    if (payload === undefined) return undefined;
    return (await decodeJson(payload, settings.keyring?.keys)) as AgreementView;
  } catch {
    return undefined;
  }
}

/**
 * One POST with node:http(s): `fetch` would first load undici, which alone takes longer here than the whole query.
 * No agent keeps the socket alive, so the process exits as soon as it has printed.
 */
async function post(
  url: string,
  body: string,
  options: { apiKey: string | undefined; timeoutMs: number },
): Promise<{ status: number; body: string }> {
  // TLS only where the address says https: loading it costs more than a loopback query.
  const send = url.startsWith('https:') ? (await import('node:https')).request : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }),
        },
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

const fromBase64 = (text: string | undefined) => Buffer.from(text ?? '', 'base64');

/** The JSON value of a payload: `json/plain`, or our encryption around it (see aes-gcm-codec.ts). */
function decodeJson(payload: JsonPayload, keys: ReadonlyMap<string, Uint8Array> | undefined): Promise<unknown> {
  const metadata = new Map(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, fromBase64(value)]));
  return decodePayload(metadata, fromBase64(payload.data), keys);
}

async function decodePayload(
  metadata: ReadonlyMap<string, Buffer>,
  data: Buffer,
  keys: ReadonlyMap<string, Uint8Array> | undefined,
): Promise<unknown> {
  const encoding = metadata.get('encoding')?.toString('utf8');
  if (encoding === 'json/plain') return JSON.parse(data.toString('utf8'));
  // Loaded only for an encrypted payload (node:crypto and the envelope's code are not needed in clear).
  const { ENCRYPTED_ENCODING, METADATA_CIPHER, METADATA_KEY_ID, openEnvelope } =
    await import('../codec/aes-gcm-envelope.ts');
  if (encoding === ENCRYPTED_ENCODING && keys !== undefined) {
    const plaintext = openEnvelope(
      keys,
      {
        keyId: metadata.get(METADATA_KEY_ID)?.toString('utf8'),
        cipher: metadata.get(METADATA_CIPHER)?.toString('utf8'),
      },
      data,
    );
    const inner = await readPayload(plaintext);
    return decodePayload(inner.metadata, inner.data, undefined);
  }
  throw new Error(`a payload this path does not read (${encoding ?? 'no encoding'})`);
}

/**
 * `temporal.api.common.v1.Payload` (metadata = 1, a map of string to bytes; data = 2), read with protobufjs's minimal
 * reader: the SDK's generated code for all of Temporal's messages takes longer to load than the whole query.
 */
async function readPayload(bytes: Uint8Array): Promise<{ metadata: Map<string, Buffer>; data: Buffer }> {
  // Loaded only here: plaintext payloads need no protobuf at all.
  const { default: protobuf } = await import('protobufjs/minimal.js');
  const reader = protobuf.Reader.create(bytes);
  const metadata = new Map<string, Buffer>();
  let data = Buffer.alloc(0);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) {
      const end = reader.uint32() + reader.pos;
      let key = '';
      let value = Buffer.alloc(0);
      while (reader.pos < end) {
        const entryTag = reader.uint32();
        if (entryTag >>> 3 === 1) key = reader.string();
        else if (entryTag >>> 3 === 2) value = Buffer.from(reader.bytes());
        else reader.skipType(entryTag & 7);
      }
      metadata.set(key, value);
    } else if (tag >>> 3 === 2) {
      data = Buffer.from(reader.bytes());
    } else {
      reader.skipType(tag & 7);
    }
  }
  return { metadata, data };
}
