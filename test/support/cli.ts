import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** How one run of the CLI ended. */
export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bin/agreements.js` with exactly `env`, resolving with its exit code and output (a failure is an outcome too). */
export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliOutcome> {
  return promisify(execFile)('node', ['bin/agreements.js', ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: CliOutcome) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}
