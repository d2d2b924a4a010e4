import { CodecConfigError, generateKeyEntry } from '../keys/keyring.ts';

/**
 * `node src/codec/generate-key.ts [id]`: prints a fresh `id:base64key` (32 random bytes) to append to
 * AGREEMENTS_CODEC_KEYS. Treat the output as a secret: put it in your secret store, not in a shell history or a file in git.
 */
try {
  process.stdout.write(`${generateKeyEntry(process.argv[2])}\n`);
} catch (error) {
  process.stderr.write(`generate-key: ${error instanceof CodecConfigError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
