import { inspect } from 'node:util';
import type { Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import {
  AesGcmCodec,
  ENCRYPTED_ENCODING,
  METADATA_KEY_ID,
  PayloadDecryptionError,
} from '../../src/codec/aes-gcm-codec.ts';
import { isPlaintextMark } from '../../src/wire/plaintext.ts';
import { agreementPayloads, bytesOf, codecWith, converter, key, metadataText } from './support.ts';

const PERSONAL_DATA = [
  'vc@uob.example',
  'president@jitri.example',
  'partnerships@uob.example',
  'li.wei@jitri.example',
  'Adam Tickell',
  'Qing Liu',
  '1350000',
];

function withData(payload: Payload, change: (data: Buffer) => void): Payload {
  const data = Buffer.from(bytesOf(payload));
  change(data);
  return { ...payload, data: new Uint8Array(data) };
}

async function decodeError(codec: AesGcmCodec, payload: Payload): Promise<Error> {
  const error = await codec.decode([payload]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PayloadDecryptionError);
  return error as Error;
}

describe('AES-256-GCM payload codec', () => {
  it('round-trips realistic payloads, and the encrypted bytes hide every name, email and amount', async () => {
    const codec = codecWith('k1', { k1: key() });
    const payloads = agreementPayloads();
    const encoded = await codec.encode(payloads);
    expect(encoded).toHaveLength(payloads.length);
    for (const payload of encoded) {
      expect(metadataText(payload, 'encoding')).toBe(ENCRYPTED_ENCODING);
      expect(metadataText(payload, METADATA_KEY_ID)).toBe('k1');
      expect(Object.keys(payload.metadata ?? {}).sort()).toEqual([
        'encoding',
        'encryption-cipher',
        'encryption-key-id',
      ]);
      const bytes = bytesOf(payload).toString('latin1');
      for (const secret of [...PERSONAL_DATA, 'json/plain']) expect(bytes).not.toContain(secret);
    }
    const decoded = await codec.decode(encoded);
    expect(decoded.map((p) => converter.fromPayload(p))).toEqual(payloads.map((p) => converter.fromPayload(p)));
    decoded.forEach((payload, index) => {
      expect(metadataText(payload, 'encoding')).toBe(metadataText(payloads[index] as Payload, 'encoding'));
      expect(bytesOf(payload).equals(bytesOf(payloads[index] as Payload))).toBe(true);
    });
    expect(await codec.encode([])).toEqual([]);
  });

  it('uses a fresh IV for every payload', async () => {
    const codec = codecWith('k1', { k1: key() });
    const payload = converter.toPayload({ email: 'vc@uob.example' });
    const [a, b] = await codec.encode([payload, payload]);
    expect(bytesOf(a as Payload).equals(bytesOf(b as Payload))).toBe(false);
    expect(
      bytesOf(a as Payload)
        .subarray(0, 12)
        .equals(bytesOf(b as Payload).subarray(0, 12)),
    ).toBe(false);
  });

  it('rotates: new payloads use the current key, old ones still decode with the previous key in the ring', async () => {
    const k1 = key();
    const k2 = key();
    const before = codecWith('k1', { k1 });
    const old = await before.encode(agreementPayloads());

    const after = codecWith('k2', { k1, k2 });
    expect(after.currentKeyId).toBe('k2');
    expect((await after.decode(old)).map((p) => converter.fromPayload(p))).toEqual(
      agreementPayloads().map((p) => converter.fromPayload(p)),
    );
    const fresh = await after.encode([converter.toPayload({ email: 'vc@uob.example' })]);
    expect(metadataText(fresh[0] as Payload, METADATA_KEY_ID)).toBe('k2');

    // A worker that still only has k1 cannot read what k2 wrote, and says which key it lacks.
    const error = await decodeError(before, fresh[0] as Payload);
    expect(error.message).toContain('"k2"');
    expect(error.message).toContain('AGREEMENTS_CODEC_KEYS');
  });

  it('detects tampering with the ciphertext, the IV, the tag or the key id, and truncation', async () => {
    const k1 = key();
    const codec = codecWith('k1', { k1, k2: key() });
    const [payload] = (await codec.encode([converter.toPayload({ email: 'vc@uob.example', amount: 1350000 })])) as [
      Payload,
    ];
    const length = bytesOf(payload).length;
    const tampered = [
      withData(payload, (data) => void (data[20] = (data[20] as number) ^ 0x01)), // ciphertext
      withData(payload, (data) => void (data[0] = (data[0] as number) ^ 0x80)), // IV
      withData(payload, (data) => void (data[length - 1] = (data[length - 1] as number) ^ 0x01)), // tag
      { ...payload, metadata: { ...payload.metadata, [METADATA_KEY_ID]: new Uint8Array(Buffer.from('k2')) } },
    ];
    for (const bad of tampered) expect((await decodeError(codec, bad)).message).toMatch(/authentication failed/);
    const truncated = { ...payload, data: bytesOf(payload).subarray(0, 20) };
    expect((await decodeError(codec, truncated)).message).toMatch(/truncated/);
    // The untouched payload still decodes.
    expect(converter.fromPayload((await codec.decode([payload]))[0] as Payload)).toEqual({
      email: 'vc@uob.example',
      amount: 1350000,
    });
  });

  it('names an unknown key id, and rejects an encrypted payload without a key id', async () => {
    const [payload] = (await codecWith('k9', { k9: key() }).encode([converter.toPayload('x')])) as [Payload];
    const error = await decodeError(codecWith('k1', { k1: key() }), payload);
    expect(error.message).toMatch(/encryption key id "k9" is not in the keyring/);

    const { [METADATA_KEY_ID]: _dropped, ...rest } = payload.metadata ?? {};
    expect((await decodeError(codecWith('k1', { k1: key() }), { ...payload, metadata: rest })).message).toMatch(
      /no encryption-key-id/,
    );
  });

  it('passes unencrypted payloads through unchanged, so histories from before encryption still read', async () => {
    const codec = codecWith('k1', { k1: key() });
    const plain = agreementPayloads();
    const noMetadata: Payload = { data: new Uint8Array([1, 2, 3]) };
    const decoded = await codec.decode([...plain, noMetadata]);
    decoded.forEach((payload, index) => expect(payload).toBe([...plain, noMetadata][index]));
  });

  it('on a worker, marks every payload not ours encrypted, so the workflow refuses what carried it', async () => {
    const keys = { k1: key() };
    const strict = new AesGcmCodec({ currentKeyId: 'k1', keys: new Map(Object.entries(keys)) }, 'mark');
    const plain = agreementPayloads();
    const noMetadata: Payload = { data: new Uint8Array([1, 2, 3]) };
    const marked = await strict.decode([...plain, noMetadata]);
    for (const payload of marked) expect(isPlaintextMark(converter.fromPayload(payload))).toBe(true);
    // What it encrypted itself, or another codec with the same keys, decodes as always.
    const encrypted = await codecWith('k1', keys).encode(plain);
    const decoded = await strict.decode(encrypted);
    expect(decoded.map((p) => converter.fromPayload(p))).toEqual(plain.map((p) => converter.fromPayload(p)));
  });

  it('never shows key material when logged or inspected, and validates its keyring', () => {
    const k1 = key();
    const codec = codecWith('k1', { k1 });
    const secretForms = [k1.toString('base64'), k1.toString('hex')];
    for (const shown of [
      JSON.stringify(codec),
      JSON.stringify({ codec }),
      inspect(codec, { depth: 5, showHidden: true }),
    ]) {
      for (const secret of secretForms) expect(shown).not.toContain(secret);
    }
    expect(JSON.parse(JSON.stringify(codec))).toEqual({ cipher: 'AES-256-GCM', currentKeyId: 'k1', keyIds: ['k1'] });
    expect(() => codecWith('k1', { k1: key().subarray(0, 16) })).toThrow(/must be 32 bytes, got 16/);
    expect(() => codecWith('k2', { k1 })).toThrow(/current key id "k2" is not in the keyring/);
    expect(() => codecWith('bad id', { 'bad id': k1 })).toThrow(/invalid key id/);
  });

  it('does not change when the caller reuses its key buffer', async () => {
    const k1 = key();
    const codec = codecWith('k1', { k1 });
    const encoded = await codec.encode([converter.toPayload('x')]);
    k1.fill(0);
    expect(converter.fromPayload((await codec.decode(encoded))[0] as Payload)).toBe('x');
  });
});
