import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessSpec {
  /** What messages call it: "Temporal server", "worker 1". */
  name: string;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives the process's stdout and stderr (appended). */
  logFile: string;
}

/** A child process of the stack, in its own process group so a terminal's Ctrl-C reaches only the launcher. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly child: ChildProcess;
  /** Resolves when it has exited, however. */
  readonly exited: Promise<void>;
  hasExited(): boolean;
  /** How it ended, for messages: "code 1", "signal SIGKILL". */
  exitDescription(): string;
  /** The last lines of its log. */
  logTail(lines?: number): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Every process started and not yet exited: killed outright if the launcher itself exits without stopping them. */
const live = new Set<ManagedProcess>();
process.once('exit', () => {
  for (const managed of live) managed.child.kill('SIGKILL');
});

export function startProcess(spec: ProcessSpec): ManagedProcess {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const fd = openSync(spec.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      spawnError = error;
      resolve();
    });
  });
  const hasExited = () => spawnError !== undefined || child.exitCode !== null || child.signalCode !== null;
  const managed: ManagedProcess = {
    name: spec.name,
    pid: child.pid ?? -1,
    logFile: spec.logFile,
    child,
    exited,
    hasExited,
    exitDescription: () =>
      spawnError
        ? `could not start: ${spawnError.message}`
        : child.signalCode !== null
          ? `signal ${child.signalCode}`
          : `code ${child.exitCode}`,
    async logTail(lines = 30) {
      const text = await readFile(spec.logFile, 'utf8').catch(() => '');
      return text.trimEnd().split('\n').slice(-lines).join('\n');
    },
    async stop(graceMs = 15_000) {
      if (hasExited()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  live.add(managed);
  void exited.then(() => live.delete(managed));
  return managed;
}

/**
 * Polls `check` until it returns true; fails with the process's log tail if the process exits first, or after
 * `timeoutMs`. `what` names the wait in the error ("the Temporal server to answer on 127.0.0.1:7233").
 */
export async function waitUntilReady(
  managed: ManagedProcess,
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (managed.hasExited()) {
      throw new Error(
        `${managed.name} exited (${managed.exitDescription()}) before it was ready; last lines of ${managed.logFile}:\n` +
          (await managed.logTail()),
      );
    }
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000}s waiting for ${what}; last lines of ${managed.logFile}:\n` +
      (await managed.logTail()),
  );
}

/** True when an HTTP GET of `url` answers 2xx. */
export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.body?.cancel();
  return response.ok;
}

/** Runs a one-shot step (a deploy/ script) to its end; fails with its log tail unless it exits 0. */
export async function runStep(spec: ProcessSpec, timeoutMs = 120_000): Promise<void> {
  const managed = startProcess(spec);
  const timer = setTimeout(() => managed.child.kill('SIGKILL'), timeoutMs);
  await managed.exited;
  clearTimeout(timer);
  if (managed.child.exitCode !== 0) {
    throw new Error(
      `${spec.name} failed (${managed.exitDescription()}); last lines of ${spec.logFile}:\n${await managed.logTail()}`,
    );
  }
}
