// An npm script run as a user runs it: `npm run <script>` with only the environment given (plus PATH and HOME), its
// output collected, in a process group of its own so that a test that fails half-way can still stop all of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from './worker.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface NpmScript {
  /** npm's own process. */
  npm: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output(): string;
  /** npm's exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Resolves once the output contains `line`; rejects, with the output, if npm exits first. */
  printed(line: string, timeoutMs: number): Promise<void>;
  /** SIGKILLs the whole process group: whatever is left of it after a failed test. */
  killAll(): void;
}

/** `npm run <script> [-- args]`. */
export function runNpmScript(script: string, env: Record<string, string>, args: readonly string[] = []): NpmScript {
  const npm = spawn('npm', ['run', '--silent', script, ...(args.length > 0 ? ['--', ...args] : [])], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
  return {
    npm,
    output: () => output,
    exited,
    printed: (line, timeoutMs) =>
      Promise.race([
        eventually(async () => (output.includes(line) ? true : undefined), timeoutMs, `npm run ${script}: "${line}"`),
        exited.then((code) => {
          throw new Error(`npm run ${script} exited (${code}) before it printed "${line}":\n${output}`);
        }),
      ]).then(() => undefined),
    killAll: () => {
      try {
        if (npm.pid) process.kill(-npm.pid, 'SIGKILL');
      } catch {
        // The group is gone: everything in it has stopped.
      }
    },
  };
}
