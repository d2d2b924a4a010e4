import { userInfo } from 'node:os';

/** What every command's options share: `--json` for machine output on stdout. */
export interface Output {
  json?: boolean;
}
export interface UpdateOptions extends Output {
  requestId?: string;
  actor?: string;
}

export function print(options: Output, json: unknown, text: string): void {
  process.stdout.write(`${options.json ? JSON.stringify(json, null, 2) : text}\n`);
}

export function defaultActor(): string {
  if (process.env.AGREEMENTS_ACTOR) return process.env.AGREEMENTS_ACTOR;
  try {
    return userInfo().username || 'coordinator';
  } catch {
    return 'coordinator';
  }
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
