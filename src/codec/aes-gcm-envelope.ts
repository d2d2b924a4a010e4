import { createDecipheriv } from 'node:crypto';

/** `encoding` metadata of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata naming the keyring entry that encrypted the payload. */
export const METADATA_KEY_ID = 'encryption-key-id';
/** Metadata naming the cipher, so a later format can be told apart. */
export const METADATA_CIPHER = 'encryption-cipher';
export const CIPHER = 'AES-256-GCM';

export const IV_BYTES = 12;
export const TAG_BYTES = 16;

/**
 * A payload that cannot be decrypted (unknown key, altered ciphertext, malformed envelope). The message is for the
 * operator (it names the payload's key id); `reason` says why without naming any key, for whoever sent the payload.
 */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
  readonly reason: string;

  constructor(message: string, reason: string) {
    super(message);
    this.reason = reason;
  }
}

/** A key id read from a (possibly hostile) payload, safe to put in an error message. */
export const shown = (id: string): string => JSON.stringify(id.length > 64 ? `${id.slice(0, 64)}…` : id);

/**
 * The plaintext of an encrypted payload's data (`IV ‖ ciphertext ‖ GCM tag`, the key id bound as additional
 * authenticated data): the serialized inner Payload. Kept apart from the codec so that a reader without the SDK's
 * protobuf code (the CLI's HTTP path) decrypts exactly as the codec does.
 */
export function openEnvelope(
  keys: ReadonlyMap<string, Uint8Array>,
  metadata: { keyId: string | undefined; cipher: string | undefined },
  data: Uint8Array,
): Buffer {
  const { keyId, cipher } = metadata;
  if (keyId === undefined)
    throw new PayloadDecryptionError(
      `cannot decrypt payload: it has no ${METADATA_KEY_ID} metadata`,
      'it names no key',
    );
  if (cipher !== undefined && cipher !== CIPHER) {
    throw new PayloadDecryptionError(
      `cannot decrypt payload: unsupported cipher ${shown(cipher)}`,
      'unsupported cipher',
    );
  }
  const key = keys.get(keyId);
  if (!key) {
    throw new PayloadDecryptionError(
      `cannot decrypt payload: encryption key id ${shown(keyId)} is not in the keyring; add that key to AGREEMENTS_CODEC_KEYS`,
      'its key is not in the keyring',
    );
  }
  if (data.length < IV_BYTES + TAG_BYTES) {
    throw new PayloadDecryptionError(
      `cannot decrypt payload encrypted with key ${shown(keyId)}: data is truncated`,
      'data is truncated',
    );
  }
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(keyId, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new PayloadDecryptionError(
      `cannot decrypt payload encrypted with key ${shown(keyId)}: authentication failed (the payload was altered, or the key is not the one it was encrypted with)`,
      'authentication failed (the payload was altered, or the key is not the one it was encrypted with)',
    );
  }
}
