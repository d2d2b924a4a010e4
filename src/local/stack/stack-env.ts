import { rm, writeFile } from 'node:fs/promises';
import type { StackEnvironment } from './stack.ts';

/**
 * Writes `KEY=VALUE` lines so that `set -a; . .agreements/stack.env` gives the CLI the workers' view (spec §13).
 * Owner-only: RECORDS_URL may carry a password, and AGREEMENTS_CODEC_KEYS the payload keys.
 */
export async function writeStackEnv(path: string, env: StackEnvironment): Promise<void> {
  const quote = (value: string) =>
    /^[A-Za-z0-9_@%+=:,./-]*$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
  const lines = Object.entries(env)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([key, value]) => `${key}=${quote(value)}`);
  await writeFile(path, `# Written by npm run stack; removed when it stops.\n${lines.join('\n')}\n`, { mode: 0o600 });
}

export async function removeStackEnv(path: string): Promise<void> {
  await rm(path, { force: true });
}
