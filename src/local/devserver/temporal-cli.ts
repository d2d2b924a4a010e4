import {
  agreementsCacheDir,
  ensureGoBinaries,
  findOnPath,
  isExecutable,
  type BuildOptions,
  type GoBinarySpec,
} from './go-binary.ts';

/** The pinned Temporal CLI: the newest release installable with `go install`. */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const EXE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

export const temporalCliBinary: GoBinarySpec<'temporal'> = {
  label: `the Temporal CLI v${TEMPORAL_CLI_VERSION}`,
  cacheName: `temporal-cli-v${TEMPORAL_CLI_VERSION}`,
  packages: [`github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`],
  executables: ['temporal'],
};

export type LocateOptions = BuildOptions;

/** `${XDG_CACHE_HOME or ~/.cache}/agreements/temporal-cli-v1.5.1`: per machine, outside the repo. */
export function temporalCliCacheDir(): string {
  return agreementsCacheDir(temporalCliBinary.cacheName);
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

  const built = await ensureGoBinaries(temporalCliBinary, opts);
  return built?.temporal;
}

export type DevServerExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

/** The `server.executable` option for `TestWorkflowEnvironment.createLocal` from @temporalio/testing. */
export async function devServerExecutable(opts: LocateOptions = {}): Promise<DevServerExecutable> {
  const path = await locateTemporalCli(opts);
  return path ? { type: 'existing-path', path } : { type: 'cached-download' };
}
