import type { DataConverter } from '@temporalio/common';
import { keyringFromEnvironment, type Keyring } from '../keys/keyring.ts';
import { AesGcmCodec, type PlaintextPolicy } from './aes-gcm-codec.ts';

/** The payload codec the environment asks for, or undefined when `AGREEMENTS_CODEC_KEYS` is unset. */
export function codecFromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env) {
  const keyring = keyringFromEnvironment(env);
  return keyring ? new AesGcmCodec(keyring) : undefined;
}

/**
 * `dataConverter` for Client and Worker options: `{ payloadCodecs: [codec] }`, or `{}` when encryption is off. A worker
 * passes `mark`, so a start or command sent in clear is refused (`workerDataConverterFor`).
 */
export function dataConverterFor(keyring: Keyring | undefined, plaintext: PlaintextPolicy = 'pass'): DataConverter {
  return keyring ? { payloadCodecs: [new AesGcmCodec(keyring, plaintext)] } : {};
}

/**
 * A worker's: with keys, payloads in clear reach the workflow marked and are refused, unless the operator accepts them
 * for a while (AGREEMENTS_CODEC_PLAINTEXT=accept: agreements started before encryption was switched on).
 */
export function workerDataConverterFor(keyring: Keyring | undefined, acceptPlaintext = false): DataConverter {
  return dataConverterFor(keyring, acceptPlaintext ? 'pass' : 'mark');
}
