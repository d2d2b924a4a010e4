import { createCipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
// @temporalio/proto is CommonJS: under ESM only its default export (module.exports) is importable.
import proto from '@temporalio/proto';
import { KEY_BYTES, KEY_ID_PATTERN, type Keyring } from '../keys/keyring.ts';
import {
  CIPHER,
  ENCRYPTED_ENCODING,
  IV_BYTES,
  METADATA_CIPHER,
  METADATA_KEY_ID,
  openEnvelope,
  PayloadDecryptionError,
  shown,
  TAG_BYTES,
} from './aes-gcm-envelope.ts';

export {
  CIPHER,
  ENCRYPTED_ENCODING,
  IV_BYTES,
  METADATA_CIPHER,
  METADATA_KEY_ID,
  PayloadDecryptionError,
  TAG_BYTES,
} from './aes-gcm-envelope.ts';
import { plaintextMark } from '../wire/plaintext.ts';

const ProtoPayload = proto.temporal.api.common.v1.Payload;

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/**
 * What decoding does with a payload that is not ours encrypted: `pass` it through (clients, the codec server: histories
 * from before encryption still read), or `mark` it (workers: the workflow then refuses the start or command carrying
 * it, so only holders of the key can send either; see src/wire/plaintext.ts).
 */
export type PlaintextPolicy = 'pass' | 'mark';

/** A payload of JSON, as the default payload converter reads it. */
const jsonPayload = (value: unknown): Payload => ({
  metadata: { [METADATA_ENCODING_KEY]: utf8('json/plain') },
  data: utf8(JSON.stringify(value)),
});

/**
 * A Temporal PayloadCodec that encrypts every payload with AES-256-GCM.
 *
 * The whole inner payload (metadata and data) is serialized with `temporal.api.common.v1.Payload.encode` and
 * encrypted; the outer payload carries `encoding: binary/encrypted`, `encryption-key-id: <id>` and
 * `encryption-cipher: AES-256-GCM`, and its data is `IV (12 random bytes) ‖ ciphertext ‖ GCM tag (16 bytes)`.
 * The key id is bound to the ciphertext as additional authenticated data.
 *
 * Decoding passes payloads that are not `binary/encrypted` through unchanged, so histories written before
 * encryption was switched on still read, unless told to mark them (`PlaintextPolicy`).
 */
export class AesGcmCodec implements PayloadCodec {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #currentKeyId: string;
  readonly #plaintext: PlaintextPolicy;

  constructor(keyring: Keyring, plaintext: PlaintextPolicy = 'pass') {
    this.#plaintext = plaintext;
    const keys = new Map<string, Buffer>();
    for (const [id, key] of keyring.keys) {
      if (!KEY_ID_PATTERN.test(id)) throw new Error(`invalid key id ${shown(id)}: use 1–64 of A-Z a-z 0-9 . _ -`);
      if (key.length !== KEY_BYTES) throw new Error(`key ${shown(id)} must be ${KEY_BYTES} bytes, got ${key.length}`);
      keys.set(id, Buffer.from(key)); // a private copy: later changes to the caller's buffer do not leak in
    }
    if (!keys.has(keyring.currentKeyId))
      throw new Error(`current key id ${shown(keyring.currentKeyId)} is not in the keyring`);
    this.#keys = keys;
    this.#currentKeyId = keyring.currentKeyId;
  }

  /** The id new payloads are encrypted with. */
  get currentKeyId(): string {
    return this.#currentKeyId;
  }

  /** The ids this codec can decrypt. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  /** Never prints key material (pino, JSON.stringify). */
  toJSON(): { cipher: string; currentKeyId: string; keyIds: string[] } {
    return { cipher: CIPHER, currentKeyId: this.#currentKeyId, keyIds: this.keyIds };
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.#currentKeyId;
    const key = this.#keys.get(keyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(keyId, 'utf8'));
    const plaintext = ProtoPayload.encode(payload).finish();
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING),
        [METADATA_KEY_ID]: utf8(keyId),
        [METADATA_CIPHER]: utf8(CIPHER),
      },
      data: new Uint8Array(Buffer.concat([iv, ciphertext, cipher.getAuthTag()])),
    };
  }

  private decrypt(payload: Payload): Payload {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING)
      return this.#plaintext === 'mark' ? jsonPayload(plaintextMark()) : payload;
    const keyId = text(payload.metadata?.[METADATA_KEY_ID]);
    const plaintext = openEnvelope(
      this.#keys,
      { keyId, cipher: text(payload.metadata?.[METADATA_CIPHER]) },
      payload.data ?? new Uint8Array(),
    );
    try {
      const inner = ProtoPayload.decode(plaintext);
      return {
        metadata: inner.metadata,
        data: inner.data,
        ...(inner.externalPayloads.length > 0 ? { externalPayloads: inner.externalPayloads } : {}),
      };
    } catch {
      throw new PayloadDecryptionError(
        `cannot decrypt payload encrypted with key ${shown(keyId ?? '')}: the decrypted bytes are not a Payload`,
        'the decrypted bytes are not a Payload',
      );
    }
  }
}
