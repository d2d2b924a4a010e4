import { readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ConfigError, configSchema } from '../../shared/config.ts';
import { describeIssues } from '../../domain/validation.ts';
import { buildIdFor } from '../../worker/build-id.ts';

/**
 * `npm run stack -- --deploy` asks the running stack for a rollout (spec §19) through a file beside its pid file and a
 * SIGHUP: the stack owns the workers, so it starts the new build's and stops the old build's itself, and writes how
 * far it has got into the same file.
 */
const requestSchema = z.strictObject({
  buildId: z.string(),
  state: z.enum(['requested', 'rolling-out', 'done', 'failed']),
  message: z.string().optional(),
});
export type RolloutRequest = z.infer<typeof requestSchema>;

/** The build this checkout is: AGREEMENTS_BUILD_ID, else the package version and the commit. */
export function checkoutBuildId(env: NodeJS.ProcessEnv): string {
  const given = configSchema.shape.AGREEMENTS_BUILD_ID.safeParse(env.AGREEMENTS_BUILD_ID);
  if (!given.success) {
    throw new ConfigError(`invalid configuration: AGREEMENTS_BUILD_ID: ${describeIssues(given.error).join('; ')}`);
  }
  return buildIdFor({ buildId: given.data });
}

export async function readRolloutRequest(path: string): Promise<RolloutRequest | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = requestSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}

export async function writeRolloutRequest(path: string, request: RolloutRequest): Promise<void> {
  await writeFile(path, `${JSON.stringify(request)}\n`, { mode: 0o600 });
}

/** The running stack's pid, from its lock file; undefined when no stack runs. */
async function runningStackPid(pidFile: string): Promise<number | undefined> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/**
 * Asks the stack whose pid is in `pidFile` to roll out `buildId`, then reports each step it writes until the rollout
 * is done (0) or has failed (1). The stack logs the details in its own output.
 */
export async function requestRollout(
  paths: { pidFile: string; requestFile: string },
  buildId: string,
  say: (line: string) => void,
): Promise<number> {
  const pid = await runningStackPid(paths.pidFile);
  if (pid === undefined) {
    say(`no stack is running (${paths.pidFile}): start one with npm run stack, then deploy to it`);
    return 1;
  }
  await writeRolloutRequest(paths.requestFile, { buildId, state: 'requested' });
  process.kill(pid, 'SIGHUP');
  say(`asked the stack (pid ${pid}) to roll out build ${buildId}; its own output has the details`);
  let last = 'requested';
  for (;;) {
    await sleep(1_000);
    if ((await runningStackPid(paths.pidFile)) === undefined) {
      say('the stack stopped before the rollout finished');
      return 1;
    }
    const request = await readRolloutRequest(paths.requestFile);
    if (request === undefined || request.buildId !== buildId || request.state === last) continue;
    last = request.state;
    say(`${request.state}${request.message ? `: ${request.message}` : ''}`);
    if (request.state === 'done' || request.state === 'failed') {
      await rm(paths.requestFile, { force: true });
      return request.state === 'done' ? 0 : 1;
    }
  }
}
