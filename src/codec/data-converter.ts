import type { DataConverter } from '@temporalio/common';
import { keyringFromEnvironment, type Keyring } from '../keys/keyring.ts';
import { AesGcmCodec } from './aes-gcm-codec.ts';

/** The payload codec the environment asks for, or undefined when `AGREEMENTS_CODEC_KEYS` is unset. */
export function codecFromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env) {
  const keyring = keyringFromEnvironment(env);
  return keyring ? new AesGcmCodec(keyring) : undefined;
}

/** `dataConverter` for Client and Worker options: `{ payloadCodecs: [codec] }`, or `{}` when encryption is off. */
export function dataConverterFor(keyring: Keyring | undefined): DataConverter {
  return keyring ? { payloadCodecs: [new AesGcmCodec(keyring)] } : {};
}
