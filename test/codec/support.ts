import { randomBytes } from 'node:crypto';
import { DefaultPayloadConverter, type Payload } from '@temporalio/common';
import { AesGcmCodec } from '../../src/codec/aes-gcm-codec.ts';
import { phdProgramme } from '../support/agreements.ts';

export const converter = new DefaultPayloadConverter();

export const key = () => randomBytes(32);

export function codecWith(currentKeyId: string, keys: Record<string, Buffer>): AesGcmCodec {
  return new AesGcmCodec({ currentKeyId, keys: new Map(Object.entries(keys)) });
}

/** The realistic payloads of an agreement: the workflow input, an update's args, a null and a binary value. */
export function agreementPayloads(): Payload[] {
  const agreement = phdProgramme(Date.parse('2026-11-01T00:00:00Z'), {}, { id: 'uob-jitri-codec' });
  return [
    converter.toPayload(agreement),
    converter.toPayload({ name: 'Li Wei', email: 'li.wei@jitri.example', party: 'jitri' }),
    converter.toPayload(null),
    converter.toPayload(new Uint8Array([0, 1, 2, 250])),
  ];
}

export const bytesOf = (payload: Payload) => Buffer.from(payload.data ?? new Uint8Array());
export const metadataText = (payload: Payload, key: string) => {
  const value = payload.metadata?.[key];
  return value ? Buffer.from(value).toString('utf8') : undefined;
};
