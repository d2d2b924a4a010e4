import { chmodSync, mkdirSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Modes for what holds personal data at rest (the records database, the outbox): the owner alone reads it, whatever
 * the umask (a umask can only take bits away, and a chmod after creation sets them exactly).
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIRECTORY_MODE = 0o700;

/** The folders `mkdir -p` made: from the first it reports created down to `directory`. */
function created(first: string | undefined, directory: string): string[] {
  if (first === undefined) return [];
  const made: string[] = [];
  for (let folder = path.resolve(directory); ; folder = path.dirname(folder)) {
    made.push(folder);
    if (folder === path.resolve(first) || folder === path.dirname(folder)) return made;
  }
}

/** Creates `directory` and its missing parents 0700; folders that already existed keep their mode (they are not ours). */
export async function makePrivateDirectory(directory: string): Promise<void> {
  const first = await mkdir(directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  for (const folder of created(first, directory)) await chmod(folder, PRIVATE_DIRECTORY_MODE);
}

export function makePrivateDirectorySync(directory: string): void {
  const first = mkdirSync(directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  for (const folder of created(first, directory)) chmodSync(folder, PRIVATE_DIRECTORY_MODE);
}

/** Sets a file 0600 if it exists and is ours to change (another user's file, opened through the group, is left alone). */
export function makePrivateSync(file: string): void {
  try {
    chmodSync(file, PRIVATE_FILE_MODE);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EPERM') throw error;
  }
}
