import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Keyring } from '../keys/keyring.ts';
import { LINK_KEY_VARIABLES, LOCAL_LINK_KEYS_FILE, linkKeyringFromEnvironment } from '../shared/config.ts';

/** The link keyring `npm run dev` keeps under AGREEMENTS_HOME, where there is one. */
export async function localLinkKeys(home: string): Promise<Keyring | undefined> {
  const entry = (await readFile(join(home, LOCAL_LINK_KEYS_FILE), 'utf8').catch(() => '')).trim();
  return entry === '' ? undefined : linkKeyringFromEnvironment({ [LINK_KEY_VARIABLES.keys]: entry });
}
