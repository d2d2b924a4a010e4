import { randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
/** Key ids: short, printable, safe to show in errors and metadata. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** The keys a codec may use: it encrypts with `currentKeyId` and decrypts with any of `keys`. */
export interface Keyring {
  readonly currentKeyId: string;
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

export const CODEC_KEYS_VARIABLE = 'AGREEMENTS_CODEC_KEYS';
export const CODEC_KEY_ID_VARIABLE = 'AGREEMENTS_CODEC_KEY_ID';

type Environment = Readonly<Record<string, string | undefined>>;

/** A bad codec setting: its message is one line naming the variable, and never contains key material. */
export class CodecConfigError extends Error {
  override name = 'CodecConfigError';
}

const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+={0,2})$/;
const ID_RULE = 'use 1–64 of A-Z a-z 0-9 . _ -';

function fail(variable: string, message: string): never {
  throw new CodecConfigError(`${variable}: ${message}`);
}

const blank = (value: string | undefined) => value === undefined || value.trim() === '';

/** Decodes standard or URL-safe base64; undefined when the text is not base64 at all. */
function decodeBase64(value: string): Buffer | undefined {
  if (!BASE64.test(value)) return undefined;
  const unpadded = value.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return undefined;
  return Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
}

/** Something pasted where an id belongs that may be a key: never echo it. */
function looksLikeKey(value: string): boolean {
  return value.length >= 40 && decodeBase64(value)?.length === KEY_BYTES;
}

/**
 * The keyring from `AGREEMENTS_CODEC_KEYS` (`id:base64key,id:base64key`, each key exactly 32 bytes) and
 * `AGREEMENTS_CODEC_KEY_ID` (the id to encrypt with; default: the last listed), or from the `variables` given (the
 * actor keys have the same form). Undefined when the keys are unset.
 */
export function keyringFromEnvironment(
  env: Environment = process.env,
  variables: { keys: string; keyId: string } = { keys: CODEC_KEYS_VARIABLE, keyId: CODEC_KEY_ID_VARIABLE },
): Keyring | undefined {
  const { keys: keysVariable, keyId: keyIdVariable } = variables;
  const listed = env[keysVariable];
  const current = env[keyIdVariable];
  if (blank(listed)) {
    if (!blank(current)) fail(keyIdVariable, `is set, but ${keysVariable} is not`);
    return undefined;
  }
  const entries = (listed as string).split(',').map((entry) => entry.trim());
  const keys = new Map<string, Buffer>();
  entries.forEach((entry, index) => {
    const position = `entry ${index + 1}`;
    if (entry === '') {
      if (index === entries.length - 1 && index > 0) return; // a trailing comma
      fail(keysVariable, `${position} is empty; expected id:base64key`);
    }
    const colon = entry.indexOf(':');
    if (colon <= 0 || colon === entry.length - 1) fail(keysVariable, `${position} must be id:base64key`);
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (!KEY_ID_PATTERN.test(id) || looksLikeKey(id))
      fail(keysVariable, `${position} has an invalid key id (${ID_RULE})`);
    if (keys.has(id)) fail(keysVariable, `key id "${id}" is listed more than once`);
    const key = decodeBase64(encoded);
    if (!key) fail(keysVariable, `key "${id}" is not valid base64`);
    if (key.length !== KEY_BYTES) {
      fail(
        keysVariable,
        `key "${id}" must decode to exactly ${KEY_BYTES} bytes, got ${key.length} (make one with: node src/codec/generate-key.ts)`,
      );
    }
    keys.set(id, key);
  });
  const ids = [...keys.keys()];
  if (blank(current)) return { currentKeyId: ids[ids.length - 1] as string, keys };
  const currentKeyId = (current as string).trim();
  if (!KEY_ID_PATTERN.test(currentKeyId) || looksLikeKey(currentKeyId))
    fail(keyIdVariable, `must be a key id (${ID_RULE})`);
  if (!keys.has(currentKeyId))
    fail(keyIdVariable, `"${currentKeyId}" is not in ${keysVariable} (ids there: ${ids.join(', ')})`);
  return { currentKeyId, keys };
}

/** A fresh `id:base64key` entry for AGREEMENTS_CODEC_KEYS. */
export function generateKeyEntry(id: string = defaultKeyId()): string {
  if (!KEY_ID_PATTERN.test(id)) throw new CodecConfigError(`invalid key id (${ID_RULE})`);
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

function defaultKeyId(date = new Date()): string {
  return `k${date.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(2).toString('hex')}`;
}
