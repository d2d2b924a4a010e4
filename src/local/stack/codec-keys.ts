import { CODEC_KEYS_VARIABLE, keyringFromEnvironment, type Keyring } from '../../keys/keyring.ts';
import { persistedKeyEntry } from '../persisted-keys.ts';

export interface StackCodecKeys {
  /** AGREEMENTS_CODEC_KEYS as the workers and the CLI take it. */
  entry: string;
  keyring: Keyring;
  /** Where it came from, for the start-up line (never the key itself). */
  source: string;
}

/**
 * The stack's payload keys: AGREEMENTS_CODEC_KEYS when set; otherwise the key generated on the first run and kept,
 * owner-only, in `file` (the agreements already in PostgreSQL can only be read with it).
 */
export async function stackCodecKeys(file: string, env: NodeJS.ProcessEnv = process.env): Promise<StackCodecKeys> {
  const given = env[CODEC_KEYS_VARIABLE]?.trim();
  if (given) {
    const keyring = keyringFromEnvironment(env);
    if (keyring) return { entry: given, keyring, source: CODEC_KEYS_VARIABLE };
  }
  const { entry, source } = await persistedKeyEntry(file, 'stack-1');
  const keyring = keyringFromEnvironment({ [CODEC_KEYS_VARIABLE]: entry });
  if (!keyring) throw new Error(`${file} holds no key`);
  return { entry, keyring, source };
}
