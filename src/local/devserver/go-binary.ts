import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A program the project builds from the Go module proxy once per machine, into a cache outside the repository. */
export interface GoBinarySpec<E extends string = string> {
  /** What the progress line calls it: "the Temporal server v1.32.2". */
  label: string;
  /** The cache folder's name under `$XDG_CACHE_HOME/agreements/`, version included. */
  cacheName: string;
  /** `go install` arguments, several of one module built in one call: `module/cmd/x@vX.Y.Z`. */
  packages: readonly string[];
  /** The executables `go install` leaves, by the last element of each package path. */
  executables: readonly E[];
  /**
   * The Go release to build with (`GOTOOLCHAIN=go1.27.3`) when the module needs a newer Go than the machine's: the go
   * command fetches that toolchain from the module proxy once, like a module.
   */
  toolchain?: string;
}

export interface BuildOptions {
  onProgress?: (line: string) => void;
  /**
   * While a build runs, a line this often saying how long it has taken. Default: every 15 s on a terminal; when
   * stderr is not a terminal (CI, logs), only the line as it starts and the line as it ends.
   */
  progressEveryMs?: number;
}

/** "7 min 12 s", "45 s": how long a build has taken, for a person. */
export function elapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

const EXE_SUFFIX = process.platform === 'win32' ? '.exe' : '';

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && (await isExecutable(join(dir, name)))) return join(dir, name);
  }
  return undefined;
}

/** `${XDG_CACHE_HOME or ~/.cache}/agreements/<cacheName>`: per machine, outside the repo. */
export function agreementsCacheDir(cacheName: string): string {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'agreements', cacheName);
}

export function cachedExecutable(spec: GoBinarySpec, executable: string): string {
  return join(agreementsCacheDir(spec.cacheName), `${executable}${EXE_SUFFIX}`);
}

/** Runs `go install` into a private temporary GOBIN, then renames each binary into place atomically. */
async function buildWithGo(go: string, spec: GoBinarySpec): Promise<void> {
  const cacheDir = agreementsCacheDir(spec.cacheName);
  await mkdir(cacheDir, { recursive: true });
  const tmpBin = await mkdtemp(join(cacheDir, '.build-'));
  try {
    const stderr: string[] = [];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(go, ['install', ...spec.packages], {
        env: {
          ...process.env,
          GOBIN: tmpBin,
          ...(spec.toolchain ? { GOTOOLCHAIN: spec.toolchain } : {}),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) {
      const tail = stderr.join('').trim().split('\n').slice(-20).join('\n');
      throw new Error(`\`go install ${spec.packages.join(' ')}\` failed (exit ${code}):\n${tail}`);
    }
    for (const executable of spec.executables) {
      await rename(join(tmpBin, `${executable}${EXE_SUFFIX}`), cachedExecutable(spec, executable));
    }
  } finally {
    await rm(tmpBin, { recursive: true, force: true });
  }
}

/** Whether every executable of `spec` is in the cache already. */
export async function isCached(spec: GoBinarySpec): Promise<boolean> {
  for (const executable of spec.executables) {
    if (!(await isExecutable(cachedExecutable(spec, executable)))) return false;
  }
  return true;
}

/**
 * The cached executables of `spec`, built with Go first if any is missing (one progress line while it builds).
 * Undefined when something is missing and there is no Go to build it.
 */
export async function ensureGoBinaries<E extends string>(
  spec: GoBinarySpec<E>,
  opts: BuildOptions = {},
): Promise<Record<E, string> | undefined> {
  const paths = Object.fromEntries(spec.executables.map((name) => [name, cachedExecutable(spec, name)])) as Record<
    E,
    string
  >;
  if (await isCached(spec)) return paths;
  const go = await findOnPath(`go${EXE_SUFFIX}`);
  if (!go) return undefined;
  opts.onProgress?.(
    `Building ${spec.label} with Go into ${agreementsCacheDir(spec.cacheName)} (first time only, takes a few minutes)…`,
  );
  const started = Date.now();
  const every = opts.progressEveryMs ?? (process.stderr.isTTY ? 15_000 : undefined);
  const ticker =
    every === undefined || !opts.onProgress
      ? undefined
      : setInterval(
          () => opts.onProgress?.(`  still building ${spec.label}: ${elapsed(Date.now() - started)} so far`),
          every,
        );
  try {
    await buildWithGo(go, spec);
  } finally {
    clearInterval(ticker);
  }
  opts.onProgress?.(`Built ${spec.label} in ${elapsed(Date.now() - started)}`);
  return paths;
}
