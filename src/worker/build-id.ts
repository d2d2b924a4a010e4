import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { ConfigError, type AppConfig } from '../shared/config.ts';
import { WORKER_DEPLOYMENT_NAME } from '../wire/contract.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(`${REPOSITORY_ROOT}package.json`, 'utf8')) as { version: string };
  return manifest.version;
}

/** The checked-out commit, 12 hex digits; undefined outside a git checkout (an image built without .git). */
function commit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: REPOSITORY_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** `0.1.0-3f2a9c1d5e7b`: the package version and the commit, unless AGREEMENTS_BUILD_ID names the build. */
export function buildIdFor(config: Pick<AppConfig, 'buildId'>): string {
  if (config.buildId !== undefined) return config.buildId;
  const sha = commit();
  if (sha === undefined) {
    throw new ConfigError(
      'invalid configuration: AGREEMENTS_WORKER_DEPLOYMENT=on needs AGREEMENTS_BUILD_ID where there is no git checkout to read the commit from',
    );
  }
  return `${packageVersion()}-${sha}`;
}

/** The version this worker runs as, or undefined when it runs unversioned (AGREEMENTS_WORKER_DEPLOYMENT off). */
export function workerDeploymentVersion(
  config: Pick<AppConfig, 'workerDeployment' | 'buildId'>,
): WorkerDeploymentVersion | undefined {
  if (!config.workerDeployment) return undefined;
  return { deploymentName: WORKER_DEPLOYMENT_NAME, buildId: buildIdFor(config) };
}
