import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { AesGcmCodec } from '../../src/codec/aes-gcm-codec.ts';
import { codecFromEnvironment, dataConverterFor } from '../../src/codec/data-converter.ts';
import { CodecConfigError, generateKeyEntry, keyringFromEnvironment } from '../../src/keys/keyring.ts';
import { converter } from './support.ts';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');

function failure(env: Record<string, string>): CodecConfigError {
  let caught: unknown;
  try {
    keyringFromEnvironment(env);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CodecConfigError);
  return caught as CodecConfigError;
}

describe('keyring from the environment', () => {
  it('is off when AGREEMENTS_CODEC_KEYS is unset or blank', () => {
    expect(keyringFromEnvironment({})).toBeUndefined();
    expect(keyringFromEnvironment({ AGREEMENTS_CODEC_KEYS: '  ' })).toBeUndefined();
    expect(codecFromEnvironment({})).toBeUndefined();
    expect(dataConverterFor(keyringFromEnvironment({}))).toEqual({});
  });

  it('parses id:base64 entries, the current id defaulting to the last one listed', () => {
    const keyring = keyringFromEnvironment({ AGREEMENTS_CODEC_KEYS: ` k1:${k1} , k2:${k2},` });
    expect(keyring?.currentKeyId).toBe('k2');
    expect([...(keyring?.keys.keys() ?? [])]).toEqual(['k1', 'k2']);
    expect(Buffer.from(keyring?.keys.get('k1') ?? []).toString('base64')).toBe(k1);
    expect(
      keyringFromEnvironment({ AGREEMENTS_CODEC_KEYS: `k1:${k1},k2:${k2}`, AGREEMENTS_CODEC_KEY_ID: 'k1' })
        ?.currentKeyId,
    ).toBe('k1');
    // URL-safe base64 and unpadded keys are accepted too.
    const urlSafe = Buffer.from(k1, 'base64').toString('base64url');
    expect(
      Buffer.from(
        keyringFromEnvironment({ AGREEMENTS_CODEC_KEYS: `prod-2026.a_1:${urlSafe}` })?.keys.get('prod-2026.a_1') ?? [],
      ).toString('base64'),
    ).toBe(k1);
  });

  it('builds a codec and a data converter for Client and Worker options', async () => {
    const env = { AGREEMENTS_CODEC_KEYS: `k1:${k1},k2:${k2}`, AGREEMENTS_CODEC_KEY_ID: 'k1' };
    const codec = codecFromEnvironment(env);
    expect(codec).toBeInstanceOf(AesGcmCodec);
    expect(codec?.currentKeyId).toBe('k1');
    const dataConverter = dataConverterFor(keyringFromEnvironment(env));
    expect(dataConverter.payloadCodecs).toHaveLength(1);
    const [encoded] = (await dataConverter.payloadCodecs?.[0]?.encode([converter.toPayload('hello')])) as [Payload];
    expect(converter.fromPayload((await codec?.decode([encoded]))?.[0] as Payload)).toBe('hello');
  });

  it.each([
    [
      'bad base64',
      { AGREEMENTS_CODEC_KEYS: `k1:${k1.slice(0, 20)}!!${k1.slice(22)}` },
      /^AGREEMENTS_CODEC_KEYS: key "k1" is not valid base64$/,
    ],
    [
      'a key of the wrong length',
      { AGREEMENTS_CODEC_KEYS: `k1:${randomBytes(16).toString('base64')}` },
      /^AGREEMENTS_CODEC_KEYS: key "k1" must decode to exactly 32 bytes, got 16/,
    ],
    [
      'a 33-byte key',
      { AGREEMENTS_CODEC_KEYS: `k1:${randomBytes(33).toString('base64')}` },
      /exactly 32 bytes, got 33/,
    ],
    ['an entry without an id', { AGREEMENTS_CODEC_KEYS: k1 }, /^AGREEMENTS_CODEC_KEYS: entry 1 must be id:base64key$/],
    ['an empty key', { AGREEMENTS_CODEC_KEYS: 'k1:' }, /^AGREEMENTS_CODEC_KEYS: entry 1 must be id:base64key$/],
    [
      'an invalid id',
      { AGREEMENTS_CODEC_KEYS: `k1:${k1},bad id!:${k2}` },
      /^AGREEMENTS_CODEC_KEYS: entry 2 has an invalid key id/,
    ],
    ['an empty entry', { AGREEMENTS_CODEC_KEYS: `k1:${k1},,k2:${k2}` }, /^AGREEMENTS_CODEC_KEYS: entry 2 is empty/],
    [
      'a duplicate id',
      { AGREEMENTS_CODEC_KEYS: `k1:${k1},k1:${k2}` },
      /^AGREEMENTS_CODEC_KEYS: key id "k1" is listed more than once$/,
    ],
    [
      'a current id not in the ring',
      { AGREEMENTS_CODEC_KEYS: `k1:${k1},k2:${k2}`, AGREEMENTS_CODEC_KEY_ID: 'k3' },
      /^AGREEMENTS_CODEC_KEY_ID: "k3" is not in AGREEMENTS_CODEC_KEYS \(ids there: k1, k2\)$/,
    ],
    [
      'a key pasted as the current id',
      { AGREEMENTS_CODEC_KEYS: `k1:${k1}`, AGREEMENTS_CODEC_KEY_ID: k2 },
      /^AGREEMENTS_CODEC_KEY_ID: must be a key id/,
    ],
    [
      'a current id without keys',
      { AGREEMENTS_CODEC_KEY_ID: 'k1' },
      /^AGREEMENTS_CODEC_KEY_ID: is set, but AGREEMENTS_CODEC_KEYS is not$/,
    ],
  ])('rejects %s with one line naming the variable and no key material', (_name, env, message) => {
    const error = failure(env);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    const material = [
      k1,
      k2,
      k1.slice(0, 20),
      k2.slice(0, 20),
      ...Object.values(env)
        .flatMap((v) => v.split(/[,:]/))
        .filter((part) => part.length >= 20),
    ];
    for (const secret of material) expect(error.message).not.toContain(secret);
  });

  it('surfaces the same errors from codecFromEnvironment and keyringFromEnvironment', () => {
    expect(() => keyringFromEnvironment({ AGREEMENTS_CODEC_KEYS: 'k1:AAAA' })).toThrow(CodecConfigError);
    expect(() => codecFromEnvironment({ AGREEMENTS_CODEC_KEYS: 'k1:AAAA' })).toThrow(/AGREEMENTS_CODEC_KEYS/);
  });

  it('generates entries the parser accepts, from the library and from the script', async () => {
    const entry = generateKeyEntry('k-new');
    expect(entry).toMatch(/^k-new:[A-Za-z0-9+/]{43}=$/);
    expect(keyringFromEnvironment({ AGREEMENTS_CODEC_KEYS: entry })?.currentKeyId).toBe('k-new');
    expect(generateKeyEntry()).not.toBe(generateKeyEntry());

    const { stdout } = await promisify(execFile)(process.execPath, ['src/codec/generate-key.ts'], {
      cwd: process.cwd(),
    });
    const printed = stdout.trim();
    expect(keyringFromEnvironment({ AGREEMENTS_CODEC_KEYS: printed })?.keys.size).toBe(1);
  });
});
