import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The pinned Temporal CLI: the newest release installable with `go install`. */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
const EXE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

export interface LocateOptions {
  onProgress?: (line: string) => void;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && (await isExecutable(join(dir, name)))) return join(dir, name);
  }
  return undefined;
}

/** `${XDG_CACHE_HOME or ~/.cache}/agreements/temporal-cli-v1.5.1`: per machine, outside the repo. */
export function temporalCliCacheDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'agreements', `temporal-cli-v${TEMPORAL_CLI_VERSION}`);
}

/** Runs `go install` into a private temporary GOBIN, then renames the binary into place atomically. */
async function buildWithGo(go: string, cacheDir: string): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  const tmpBin = await mkdtemp(join(cacheDir, '.build-'));
  try {
    const stderr: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(go, ['install', GO_PACKAGE], {
        env: { ...process.env, GOBIN: tmpBin },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) {
      const tail = stderr.join('').trim().split('\n').slice(-20).join('\n');
      throw new Error(`\`go install ${GO_PACKAGE}\` failed (exit ${code}):\n${tail}`);
    }
    const target = join(cacheDir, EXE);
    await rename(join(tmpBin, EXE), target);
    return target;
  } finally {
    await rm(tmpBin, { recursive: true, force: true });
  }
}

/**
 * Finds the `temporal` executable: `TEMPORAL_CLI_PATH`, then `PATH`, then the per-machine cache; if none and Go is
 * installed, builds the pinned CLI into the cache (first time only). Returns undefined when there is no CLI and no Go,
 * in which case the caller falls back to the SDK's own download.
 */
export async function locateTemporalCli(opts: LocateOptions = {}): Promise<string | undefined> {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!(await isExecutable(fromEnv))) {
      throw new Error(`TEMPORAL_CLI_PATH is set to ${fromEnv}, but no executable file exists there`);
    }
    return fromEnv;
  }
  const onPath = await findOnPath(EXE);
  if (onPath) return onPath;

  const cacheDir = temporalCliCacheDir();
  const cached = join(cacheDir, EXE);
  if (await isExecutable(cached)) return cached;

  const go = await findOnPath(process.platform === 'win32' ? 'go.exe' : 'go');
  if (!go) return undefined;
  opts.onProgress?.(
    `Building the Temporal CLI v${TEMPORAL_CLI_VERSION} with Go into ${cacheDir} (first time only, takes a few minutes)…`,
  );
  return buildWithGo(go, cacheDir);
}

export type DevServerExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

/** The `server.executable` option for `TestWorkflowEnvironment.createLocal` from @temporalio/testing. */
export async function devServerExecutable(opts: LocateOptions = {}): Promise<DevServerExecutable> {
  const path = await locateTemporalCli(opts);
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}
