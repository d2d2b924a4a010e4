import { readFile, writeFile } from 'node:fs/promises';
import { generateKeyEntry } from '../keys/keyring.ts';

/**
 * A key entry (`id:base64key`) kept owner-only in `file`: read when there, generated on the first run otherwise.
 * `source` says where it came from for a start-up line, never the key itself.
 */
export async function persistedKeyEntry(file: string, id: string): Promise<{ entry: string; source: string }> {
  const entry = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (entry !== '') return { entry, source: file };
  const generated = generateKeyEntry(id);
  try {
    // 'wx': two processes starting at once must not each write a different key.
    await writeFile(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { entry: (await readFile(file, 'utf8')).trim(), source: file };
  }
  return { entry: generated, source: `${file} (generated now)` };
}
