import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { isWorkerProcess } from '../src/worker/worker-identity.ts';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKER_MAIN = join(PROJECT_ROOT, 'src', 'worker', 'main.ts');

export interface WorkerProcessOptions {
  client: Client;
  namespace: string;
  taskQueue: string;
  /** Environment of the worker (TEMPORAL_ADDRESS, AGREEMENTS_HOME, SMTP_URL …), added to this process's. */
  env: Record<string, string>;
  /** Where each incarnation's stdout and stderr go (`worker-<n>.log`). */
  logDir: string;
  log: (line: string) => void;
}

export interface WorkerIncarnation {
  number: number;
  pid: number;
  startedAt: number;
  /** Set once the worker polls its task queue. */
  readyAt?: number;
  /** When it was sent SIGKILL. */
  killedAt?: number;
  exited: Promise<void>;
  logFile: string;
}

/**
 * The worker in its own process (`node src/worker/main.ts`), as an operator runs it: started, killed
 * without warning (SIGKILL), restarted, and finally stopped gracefully.
 */
export class WorkerProcess {
  private child: ChildProcess | undefined;
  private current: WorkerIncarnation | undefined;
  private incarnations = 0;
  private kills = 0;
  private unexpectedExits: string[] = [];
  private stopping = false;
  /** Marks the current incarnation's coming exit as asked for (kill or stop). */
  private markExpected: () => void = () => undefined;

  private readonly options: WorkerProcessOptions;

  constructor(options: WorkerProcessOptions) {
    this.options = options;
    process.once('exit', () => this.child?.kill('SIGKILL'));
  }

  get killCount(): number {
    return this.kills;
  }

  /** True while a worker process is alive. */
  get running(): boolean {
    return this.child !== undefined;
  }

  get incarnation(): WorkerIncarnation | undefined {
    return this.current;
  }

  /** Exits nobody asked for (a crash): the soak reports them. */
  get crashes(): readonly string[] {
    return this.unexpectedExits;
  }

  start(): WorkerIncarnation {
    if (this.child) throw new Error('worker already running');
    const number = ++this.incarnations;
    const logFile = join(this.options.logDir, `worker-${number}.log`);
    const fd = openSync(logFile, 'a');
    const child = spawn(process.execPath, [WORKER_MAIN], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...this.options.env },
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    if (child.pid === undefined) throw new Error('could not spawn the worker process');
    const incarnation: WorkerIncarnation = {
      number,
      pid: child.pid,
      startedAt: Date.now(),
      logFile,
      exited: new Promise((resolve) => child.once('exit', () => resolve())),
    };
    let expected = false;
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (!expected) {
        this.unexpectedExits.push(
          `worker ${number} (pid ${child.pid}) exited by itself: code ${code} signal ${signal}; see ${logFile}`,
        );
        this.options.log(`${this.unexpectedExits.at(-1) ?? ''}; restarting it`);
        // A supervisor (systemd, Kubernetes) would bring it back; the soak reports the crash.
        if (!this.stopping) setTimeout(() => !this.stopping && !this.child && this.start(), 1000);
      }
    });
    child.once('error', (error) => this.unexpectedExits.push(`worker ${number}: ${error.message}`));
    this.markExpected = () => {
      expected = true;
    };
    this.child = child;
    this.current = incarnation;
    return incarnation;
  }

  /** Resolves once this incarnation polls the workflow task queue (its identity is `<pid>@<host>`, then its actor-keys mark). */
  async waitUntilReady(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const incarnation = this.current;
    if (!incarnation) return false;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !signal?.aborted) {
      if (this.current !== incarnation || this.child === undefined) return false;
      try {
        const response = await this.options.client.workflowService.describeTaskQueue({
          namespace: this.options.namespace,
          // TASK_QUEUE_KIND_NORMAL and TASK_QUEUE_TYPE_WORKFLOW (temporal.api.enums.v1)
          taskQueue: { name: this.options.taskQueue, kind: 1 },
          taskQueueType: 1,
        });
        if ((response.pollers ?? []).some((poller) => isWorkerProcess(poller.identity, incarnation.pid))) {
          incarnation.readyAt = Date.now();
          return true;
        }
      } catch {
        // the server answers again in a moment
      }
      await sleep(200, undefined, signal ? { signal } : {}).catch(() => undefined);
    }
    return false;
  }

  /** SIGKILL: no shutdown, no flushing — in-flight activities and workflow tasks are simply lost. */
  async kill(): Promise<WorkerIncarnation | undefined> {
    const child = this.child;
    const incarnation = this.current;
    if (!child || !incarnation) return undefined;
    this.markExpected();
    child.kill('SIGKILL');
    incarnation.killedAt = Date.now();
    this.kills++;
    await incarnation.exited;
    return incarnation;
  }

  /** The synchronous half of kill(), for a hook that must not yield (right after an SMTP `250`). */
  killNow(): WorkerIncarnation | undefined {
    const child = this.child;
    const incarnation = this.current;
    if (!child || !incarnation) return undefined;
    this.markExpected();
    child.kill('SIGKILL');
    incarnation.killedAt = Date.now();
    this.kills++;
    return incarnation;
  }

  /** SIGTERM and wait (the worker drains and closes its stores); SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    const incarnation = this.current;
    if (!child || !incarnation) return;
    this.markExpected();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await incarnation.exited;
    clearTimeout(timer);
  }

  async logTail(lines = 20): Promise<string> {
    const incarnation = this.current;
    if (!incarnation) return '';
    const text = await readFile(incarnation.logFile, 'utf8').catch(() => '');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  }
}
